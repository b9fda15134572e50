"""``cadre-rules plugin new NAME --district "…"``: write a ready district plugin package.

The package (``cadre-rules-NAME/``) has a pyproject with the ``cadre_rules`` entry point, a module that
registers one pack, the pack (one rule, scoped to the district) and its test cases (``tests/`` beside it,
run by ``cadre-rules test``), a README in Vietnamese and English, and a pytest that runs
``cadre-rules test`` on the pack. It installs and passes as generated (``tests/test_plugin_new.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import N_
from ..errors import InputError
from ..errors import Problem

__all__ = ["write_plugin"]

_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")

_PYPROJECT = '''[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "cadre-rules-{name}"
version = "0.1.0"
description = "cadre-rules plugin: the local rules of {district}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["cadre-rules"]

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

_MODULE = '''"""cadre-rules plugin of {district}: registers the pack ``{pack_id}`` ({pack_id}.toml)."""

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

_PACK = '''# The local rules of {district}. Format: cadre-rules' README and docs/plugins.md; check with
# `cadre-rules packs validate` and test with `cadre-rules test {pack_id}` (cases in tests/).

[pack]
id = "{pack_id}"
version = "0.1.0"
title = {{ vi = "Quy định riêng của {district}", en = "Local rules of {district}" }}
effective = {{ from = 2025-07-01 }}

[scope]
districts = ["{district}"]

[params]
min_months_in_post = 12   # an example parameter: a new chair has been in post at least this long

[[rule]]
id = "rotation.new_chair"
family = "rotation"
severity = "info"
where = "holds('committee_chair')"
when = "months_in_post < min_months_in_post"
message = {{ vi = "Chủ tịch UBND mới: {{months_in_post}} tháng", en = "New chair: {{months_in_post}} months" }}
cite = "Quy định của {district} (ví dụ: thay bằng văn bản thật)"
'''

_CASES = '''# Test cases of {pack_id}: `cadre-rules test {pack_id}` (docs/pack-tests.md).
pack = "{pack_id}"

[[case]]
name = "a chair 11 months in post (fires) and one 12 months in post (does not)"
as_of = 2026-01-31
units = [{{ code = "X1", district = "{district}" }}]
officials = [
  {{ id = "chair-11", position = "committee_chair", appointed_on = 2025-02-28 }},
  {{ id = "chair-12", position = "committee_chair", appointed_on = 2025-01-31 }},
  {{ id = "secretary-1", position = "party_secretary", appointed_on = 2026-01-01 }},
]
findings = [{{ rule = "rotation.new_chair", subject = "chair-11", severity = "info" }}]
'''

_TEST = '''"""The pack's test cases pass: `cadre-rules test {pack_id}` (every rule fired and not fired)."""

from __future__ import annotations

from click.testing import CliRunner

from cadre_rules._cli import cli


def test_pack_cases_pass() -> None:
    result = CliRunner().invoke(cli, ["test", "{pack_id}", "--min-coverage", "100"])
    assert result.exit_code == 0, result.output
'''

_README = '''# cadre-rules-{name}

## Tiếng Việt

Plugin của cadre-rules cho {district}: gói quy định `{pack_id}` (`src/{module}/{pack_id}.toml`) và các
trường hợp kiểm thử của gói (`src/{module}/tests/`).

```
pip install -e .
cadre-rules plugins              # liệt kê plugin "{name}"
cadre-rules test {pack_id}       # chạy các trường hợp kiểm thử của gói
```

Sửa quy định trong tệp gói, thêm trường hợp kiểm thử cho mỗi quy định (cả khi phát sinh và khi không), rồi
chạy `cadre-rules test {pack_id} --coverage --mutants`.

## English

A cadre-rules plugin for {district}: the pack `{pack_id}` (`src/{module}/{pack_id}.toml`) and its test
cases (`src/{module}/tests/`).

```
pip install -e .
cadre-rules plugins              # lists the plugin "{name}"
cadre-rules test {pack_id}       # runs the pack's test cases
```

Edit the rules in the pack file, add test cases for each rule (firing and not firing), and run
`cadre-rules test {pack_id} --coverage --mutants`.
'''


def write_plugin(name: str, district: str, directory: Path) -> Path:
    """Write the package of plugin ``name`` for ``district`` in ``directory/cadre-rules-NAME``; return its path.

    :raises InputError: a name that is not lower-case words joined by ``-``, a district with a quote or a
        line break, or a target folder that already exists.
    """
    problems = []
    if not _NAME.fullmatch(name):
        problems.append(Problem("NAME", N_("a plugin name is lower-case ASCII words joined by '-' (dong-anh)"),
                                value=name))
    if not district.strip() or any(c in district for c in '"\\\n\r'):
        problems.append(Problem("--district", N_("a district name without quotes, backslashes or line breaks"),
                                value=district))
    root = directory / f"cadre-rules-{name}"
    if root.exists():
        problems.append(Problem(str(root), N_("already exists: choose another name or folder")))
    if problems:
        raise InputError(problems)
    module = "cadre_rules_" + name.replace("-", "_")
    values = {"name": name, "district": district.strip(), "module": module, "pack_id": f"{name}-local"}
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"src/{module}/__init__.py": _MODULE,
        f"src/{module}/py.typed": "",
        f"src/{module}/{values['pack_id']}.toml": _PACK,
        f"src/{module}/tests/{values['pack_id']}.toml": _CASES,
        "tests/test_pack_cases.py": _TEST,
    }
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    return root
