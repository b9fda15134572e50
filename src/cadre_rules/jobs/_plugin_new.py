"""``cadre-rules plugin new NAME --commune CODE… | --city NAME | --district NAME``: write a ready plugin package.

Since 1 July 2025 (two-tier local government, no districts) a plugin belongs to a commune or ward, a group of
them (its pack's ``[scope] units``, by the units file's ``code``) or the city (no ``[scope]``: every unit of the
input), and its pack is in force from 2025-07-01; a district's plugin (``[scope] districts``) is for dates up
to 2025-06-30, when the district level was abolished.

The package (``cadre-rules-NAME/``) has a pyproject with the ``cadre_rules`` entry point, a module that
registers one pack, the pack (one rule) and its test cases (``tests/`` beside it, run by ``cadre-rules
test``: a chair who fires, in each commune of a group, one who does not, and, when scoped, one outside the
scope), a README in Vietnamese and English, and a pytest that runs ``cadre-rules test`` on the pack. It installs
and passes as generated, and the commune's pack covers the commune in the 2025 sample (``tests/test_plugin_new.py``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version
from pathlib import Path

import attrs

from ..errors import N_
from ..errors import InputError
from ..errors import Message
from ..errors import Problem
from ..errors import os_reason
from ..model._model import Unit
from ..model._unit_names import units_named

__all__ = ["write_plugin"]

_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")

_PYPROJECT = '''[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "cadre-rules-{name}"
version = "0.1.0"
description = "cadre-rules plugin: the local rules of {area_en}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["cadre-rules{requires}"]   # the versions of cadre-rules you tested with

[project.optional-dependencies]
test = ["pytest>=8"]

# The entry point makes the plugin known to cadre-rules (`cadre-rules plugins` lists it by this name).
[project.entry-points.cadre_rules]
{name} = "{module}"

[tool.hatch.build.targets.wheel]
packages = ["src/{module}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

_MODULE = '''"""cadre-rules plugin of {area_en}: registers the pack ``{pack_id}`` ({pack_id}.toml)."""

from __future__ import annotations

from pathlib import Path

from cadre_rules import hookimpl
from cadre_rules.hookspecs import PackRegistrar

__all__ = ["PACK"]

#: The pack file, shipped inside the package; its test cases are in tests/ beside it.
PACK = Path(__file__).with_name("{pack_id}.toml")


@hookimpl
def cadre_rules_register_packs(register: PackRegistrar) -> None:
    register(PACK)
'''

_PACK = '''# The local rules of {area_en}. Format: cadre-rules' README and docs/plugins.md; check with
# `cadre-rules packs validate` and test with `cadre-rules test {pack_id}` (cases in tests/).

[pack]
id = "{pack_id}"
version = "0.1.0"
title = {{ vi = "Quy định riêng của {area_vi}", en = "Local rules of {area_en}" }}
{effective}
{scope}
[params]
min_months_in_post = 12   # an example parameter: a new chair has been in post at least this long

[[rule]]
id = "rotation.new_chair_{slug}"   # the plugin's own id: packs for the same units (the city's) may not share one
name = {{ vi = "Chủ tịch UBND mới nhận nhiệm vụ", en = "New committee chair" }}   # what the officers read
family = "rotation"
severity = "info"
where = "holds('committee_chair')"
when = "months_in_post < min_months_in_post"
message = {{ vi = "Chủ tịch UBND mới: {{months_in_post}} tháng", en = "New chair: {{months_in_post}} months" }}
cite = "Quy định của {area_vi} (ví dụ: thay bằng văn bản thật)"

# A quota makes a metric (a share per scope against a target): name it as the officers read it, or the
# reports show words of its id. To use it, remove the '# ' below and add its test cases.
# [[quota]]
# id = "quota.young_{slug}"
# name = {{ vi = "Cán bộ chủ chốt dưới 35 tuổi của {area_vi}", en = "Key officials under 35 in {area_en}" }}
# family = "quota"
# population = "is_key"
# numerator = "age < 35"
# min_share = 0.12
# scopes = ["unit"]
# severity = "warning"
# message.vi = "{{scope}}: cán bộ chủ chốt dưới 35 tuổi chiếm {{value:.0%}}, chưa đạt {{target:.0%}}"
# message.en = "{{scope}}: key officials under 35 are {{value:.0%}}, below {{target:.0%}}"
# cite = "Quy định của {area_vi} (ví dụ: thay bằng văn bản thật)"
'''

#: Since 2025-07-01 (communes, groups of communes, the city) and up to 2025-06-30 (districts).
_REFORM = "effective = {{ from = 2025-07-01 }}   # the two-tier local government (no districts) began on 2025-07-01"
_DISTRICTS = "effective = {{ from = 2024-01-01, to = 2025-06-30 }}   # the district level was abolished on 2025-07-01"

_CASES = '''# Test cases of {pack_id}: `cadre-rules test {pack_id}` (docs/pack-tests.md).
pack = "{pack_id}"

[[case]]
name = "{case_name}"
as_of = {as_of}
units = [{units}]
officials = [
  {{ id = "chair-11", position = "committee_chair", appointed_on = {appointed_11} }},
  {{ id = "chair-12", position = "committee_chair", appointed_on = {appointed_12} }},
  {{ id = "secretary-1", position = "party_secretary", appointed_on = {as_of} }},{group}{outside}
]
findings = [{{ rule = "rotation.new_chair_{slug}", subject = "chair-11", severity = "info" }}{group_found}]
'''

_TEST = '''"""The pack's test cases pass: `cadre-rules test {pack_id}` (every rule fired and not fired), through the
installed plugin, as the command line runs it (docs/plugins.md, Testing)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_pack_cases_pass() -> None:
    env = {{k: v for k, v in os.environ.items() if k != "CADRE_RULES_DISABLE_PLUGINS"}}  # the installed plugins
    result = subprocess.run([sys.executable, "-m", "cadre_rules", "test", "{pack_id}", "--min-coverage", "100"],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
'''

_README = '''# cadre-rules-{name}

## Tiếng Việt

Plugin của cadre-rules cho {area_vi}: gói quy định `{pack_id}` (`src/{module}/{pack_id}.toml`) và các
trường hợp kiểm thử của gói (`src/{module}/tests/`).

### Cài đặt và kiểm thử

```
# cài plugin ở chế độ sửa trực tiếp (-e) cùng pytest, để chạy bài kiểm thử của gói
pip install -e ".[test]"
# liệt kê plugin "{name}" và gói {pack_id}
cadre-rules plugins
# chạy các trường hợp kiểm thử của gói
cadre-rules test {pack_id}
# bài kiểm thử của gói cài đặt (chạy cadre-rules test)
pytest
# các phát hiện của gói, chỉ ở các đơn vị trong phạm vi của gói
cadre-rules evaluate DỮ_LIỆU
```

Sửa quy định trong tệp gói (mỗi quy định có `name` và `message` bằng tiếng Việt và tiếng Anh), thêm trường
hợp kiểm thử cho mỗi quy định (cả khi phát sinh và khi không), rồi kiểm tra:

```
cadre-rules packs validate src/{module}/{pack_id}.toml
cadre-rules test {pack_id} --coverage --mutants
cadre-rules packs diff BẢN_ĐÃ_GỬI.toml src/{module}/{pack_id}.toml --data DỮ_LIỆU --as-of NGÀY
```

### Gửi lên thành phố

1. Mỗi lần sửa, tăng `version` trong `pyproject.toml` và trong `[pack]` của tệp gói; không bao giờ sửa một phiên
   bản đã gửi đi (báo cáo ghi `{pack_id}@phiên-bản` để truy lại quy định đã dùng).
2. Đóng gói: `pip wheel --no-deps -w dist .` tạo tệp `dist/{module}-PHIÊN_BẢN-py3-none-any.whl`.
3. Gửi tệp `.whl` đó cho đơn vị quản lý cadre-rules của thành phố, kèm văn bản làm căn cứ (`cite` của quy định).

### Thành phố cài đặt

```
# trong môi trường đã cài cadre-rules
pip install {module}-PHIÊN_BẢN-py3-none-any.whl
# "{name} PHIÊN_BẢN  [ok]"; plugin có lỗi: mã thoát 2
cadre-rules plugins --strict-plugins
# các trường hợp kiểm thử của gói vẫn đạt
cadre-rules test {pack_id}
```

Từ đó, vào những ngày gói có hiệu lực, mọi lần `cadre-rules evaluate` của thành phố áp dụng gói `{pack_id}`
cho {area_vi}.

## English

A cadre-rules plugin for {area_en}: the pack `{pack_id}` (`src/{module}/{pack_id}.toml`) and its test
cases (`src/{module}/tests/`).

### Install and test

```
# installs the plugin (editable) and pytest, to run the package's test
pip install -e ".[test]"
# lists the plugin "{name}" and its pack {pack_id}
cadre-rules plugins
# runs the pack's test cases
cadre-rules test {pack_id}
# the package's own test (runs cadre-rules test)
pytest
# the pack's findings, in the units of its scope only
cadre-rules evaluate DATA
```

Edit the rules in the pack file (each rule with a `name` and a `message` in Vietnamese and English), add test
cases for each rule (firing and not firing), and check:

```
cadre-rules packs validate src/{module}/{pack_id}.toml
cadre-rules test {pack_id} --coverage --mutants
cadre-rules packs diff SENT.toml src/{module}/{pack_id}.toml --data DATA --as-of DATE
```

### Send it to the city

1. On every change, bump `version` in `pyproject.toml` and in the pack file's `[pack]`; never change a version
   you have sent (reports show `{pack_id}@VERSION`, so that a result can be traced to its rules).
2. Build it: `pip wheel --no-deps -w dist .` writes `dist/{module}-VERSION-py3-none-any.whl`.
3. Send that `.whl` file to the city's cadre-rules administrators, with the documents the rules cite (`cite`).

### How the city installs it

```
# in the environment where cadre-rules runs
pip install {module}-VERSION-py3-none-any.whl
# "{name} VERSION  [ok]"; a broken plugin: exit code 2
cadre-rules plugins --strict-plugins
# the pack's test cases still pass
cadre-rules test {pack_id}
```

From then on, on the dates the pack is in force, every `cadre-rules evaluate` of the city applies `{pack_id}`
to {area_en}.
'''


@attrs.frozen
class _Area:
    """Where the plugin's pack applies, as the files write it."""

    vi: str
    en: str
    scope: str       # the [scope] table, or a comment saying why there is none
    effective: str
    units: str       # the case's units
    as_of: str       # the case's date, and the two chairs' appointments (11 and 12 months before it)
    appointed: tuple[str, str]
    outside: str     # an official of a unit the pack does not cover (scoped packs)
    #: the group's other communes: each has a chair 11 months in post who fires (a code of the pack's scope that
    #: is not the commune's, a typo, fails the case)
    group: tuple[str, ...] = ()


def _area(communes: Sequence[str], city: str | None, district: str | None,
          names: Mapping[str, str] | None = None) -> _Area:
    after = ("2026-01-31", ("2025-02-28", "2025-01-31"))     # a date after the reform, and the two appointments
    before = ("2025-06-30", ("2024-07-31", "2024-06-30"))
    outsider = ('\n  { id = "chair-outside", position = "committee_chair", unit = "OTHER", '
                'appointed_on = 2026-01-01 },')
    if communes:
        codes = ", ".join(f'"{code}"' for code in communes)
        shown = ", ".join(communes)
        plural = len(communes) > 1
        named = "" if names is None else ", ".join(names[code] for code in communes)
        return _Area(vi=named or ("các xã, phường " if plural else "xã, phường ") + shown,
                     en=named or ("the communes and wards " if plural else "the commune or ward ") + shown,
                     scope=f"\n# the units file's `code` of each commune or ward\n[scope]\nunits = [{codes}]"
                           + (f"   # {named}" if named else "") + "\n",
                     effective=_REFORM, units=", ".join([*(f'{{ code = {c} }}' for c in codes.split(", ")),
                                                         '{ code = "OTHER" }']),
                     as_of=after[0], appointed=after[1], outside=outsider, group=tuple(communes[1:]))
    if city is not None:
        return _Area(vi=city, en=city, scope="\n# no [scope]: the pack applies to every unit of the input (the city)\n",
                     effective=_REFORM, units='{ code = "X1" }', as_of=after[0], appointed=after[1], outside="")
    assert district is not None
    return _Area(vi=district, en=district, scope=f'\n[scope]\ndistricts = ["{district}"]\n', effective=_DISTRICTS,
                 units=f'{{ code = "X1", district = "{district}" }}, {{ code = "OTHER", district = "Other" }}',
                 as_of=before[0], appointed=before[1], outside=outsider.replace("2026-01-01", "2025-06-01"))


def _tested_with() -> str:
    """The versions of cadre-rules the new plugin depends on: this one's minor release (docs/plugins.md,
    Publishing: depend on the versions you tested with), ``>=0.1,<0.2`` for 0.1.x."""
    try:
        installed = version("cadre-rules")
    except PackageNotFoundError:  # (a source tree run without installing: no bound)
        return ""
    major, minor = (int(part) for part in re.findall(r"\d+", installed)[:2])
    return f">={major}.{minor},<{major}.{minor + 1}"


def write_plugin(name: str, directory: Path, *, communes: Sequence[str] = (), city: str | None = None,
                 district: str | None = None, units: Sequence[Unit] | None = None, units_file: str = "--units") -> Path:
    """Write the package of plugin ``name`` in ``directory/cadre-rules-NAME``; return its path.

    The plugin belongs to exactly one of: ``communes`` (one or more unit codes: a commune or ward, or a group of
    them), ``city`` (the city's name: no scope) or ``district`` (a district's name, for dates up to 2025-06-30).
    With ``units`` (those of ``units_file``), each commune's code must be one of theirs, and the files name the
    communes by their names.

    :raises InputError: a name that is not lower-case words joined by ``-``, not exactly one of the three, a
        code, city or district with a quote, a backslash or a line break, a target folder that already exists, or
        a file that cannot be written.
    """
    problems = []
    if not _NAME.fullmatch(name):
        problems.append(Problem("NAME", N_("a plugin name is lower-case ASCII words joined by '-' (dong-anh)"),
                                value=name))
    given = [option for option, value in (("--commune", communes), ("--city", city), ("--district", district))
             if value]
    if len(given) != 1:
        problems.append(Problem("--commune, --city, --district",
                                N_("give exactly one: the plugin belongs to one or more communes or wards "
                                   "(--commune CODE, repeated for a group), the city (--city NAME) or, for dates up "
                                   "to 30/06/2025, a district (--district NAME)"), value=" ".join(given) or None))
    for option, texts in (("--commune", communes), ("--city", [city] if city else []),
                          ("--district", [district] if district else [])):
        for value in texts:
            if not value.strip() or any(c in value for c in '"\\\n\r'):
                problems.append(Problem(option, N_("a name or code without quotes, backslashes or line breaks"),
                                        value=value))
    names = None if units is None else {u.code: u.name for u in units}
    for code in communes:
        if names is not None and code.strip() not in names:
            named = units_named(code, names)  # (the unit's name given for its code: "Phường Ngọc Hà", "Ngọc Hà")
            close = [f"{named[0]} ({names[named[0]]})"] if len(named) == 1 else difflib.get_close_matches(
                code.strip(), sorted(names), n=1)
            problems.append(Problem.of(units_file, N_("no unit of code {code} in the units file{hint}"),
                                       column="--commune", value=code, code=code.strip(),
                                       hint=Message(N_("; did you mean {code}?"), code=close[0]) if close else ""))
    root = directory / f"cadre-rules-{name}"
    if root.exists():
        problems.append(Problem(str(root), N_("already exists: choose another name or folder")))
    if problems:
        raise InputError(problems)
    area = _area(tuple(dict.fromkeys(c.strip() for c in communes)), city and city.strip(),
                 district and district.strip(), names)
    module = "cadre_rules_" + name.replace("-", "_")
    pack_id = f"{name}-local"
    case_name = ("a chair 11 months in post (fires" + (", one in each commune of the group" if area.group else "")
                 + "), one 12 months in post (does not)" + (" and one outside the scope (does not)" if area.outside
                                                            else ""))
    values = {"requires": _tested_with(), "name": name, "slug": name.replace("-", "_"), "area_vi": area.vi,
              "area_en": area.en, "module": module, "pack_id": pack_id,
              "scope": area.scope, "effective": area.effective.format(), "units": area.units, "as_of": area.as_of,
              "appointed_11": area.appointed[0], "appointed_12": area.appointed[1], "outside": area.outside,
              "group": "".join(f'\n  {{ id = "chair-11-{c}", position = "committee_chair", unit = "{c}", '
                               f'appointed_on = {area.appointed[0]} }},' for c in area.group),
              "group_found": "".join(f',\n            {{ rule = "rotation.new_chair_{name.replace("-", "_")}", '
                                     f'subject = "chair-11-{c}", severity = "info" }}' for c in area.group),
              "case_name": case_name}
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"src/{module}/__init__.py": _MODULE,
        f"src/{module}/py.typed": "",
        f"src/{module}/{pack_id}.toml": _PACK,
        f"src/{module}/tests/{pack_id}.toml": _CASES,
        "tests/test_pack_cases.py": _TEST,
    }
    for relative, template in files.items():
        path = root / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(**values), encoding="utf-8")
        except OSError as exc:  # (a folder one may not write in, a full disk: said where, exit 2)
            raise InputError([Problem.of(str(path), N_("cannot write the plugin's file: {reason}"),
                                         reason=os_reason(exc))]) from None
    return root
