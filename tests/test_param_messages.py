"""Every number a built-in message states that a parameter sets comes from the parameter: under ``--param`` the
message says the value the rule applied (replacement.head_relief, rotation.secondment_overdue, quota.young)."""

from __future__ import annotations

import re
import tomllib
from datetime import date

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules.packs._registry import builtin_pack_dir

ON = date(2026, 6, 30)
UNITS = [Unit("10045", "Xã Xuân Mai", "commune", 1, None, True)]


def person(ident: str, position: str, unit: str = "10045", **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", "male", date(1980, 1, 1), unit, position, **base)  # type: ignore[arg-type]


def messages(report: Report, rule: str) -> list[str]:
    return [f.message for f in report.findings if f.rule == rule]


@pytest.mark.parametrize(("lang", "params", "said"), [
    ("vi", {}, "giữ chức 14 tháng (từ 12 tháng trở lên), đơn vị hoàn thành dưới 70% chỉ tiêu năm"),
    ("vi", {"head_relief_min_months": "13", "head_relief_completion_below": "0.8"},
     "giữ chức 14 tháng (từ 13 tháng trở lên), đơn vị hoàn thành dưới 80% chỉ tiêu năm"),
    ("en", {}, "Head in post for 14 months (at least 12) of a unit completing under 70% of its yearly targets"),
    ("en", {"head_relief_min_months": "13", "head_relief_completion_below": "3/4"},
     "Head in post for 14 months (at least 13) of a unit completing under 75% of its yearly targets"),
])
@pytest.mark.parametrize("day", [date(2025, 12, 1), ON])  # 2025.11.3 and 2026.01.4 (2025.10.3: below)
def test_head_relief_states_every_parameter_it_applied(lang: str, params: dict[str, str], said: str,
                                                       day: date) -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference", plugins=False, lang=lang,
                    params={f"vn-commune-2tier.{k}": v for k, v in params.items()})
    appointed = date(day.year - 1, day.month - 2, 1) if day.month > 2 else date(day.year - 2, day.month + 10, 1)
    head = person("H1", "committee_chair", appointed_on=appointed, extra={"target_completion": "0.69"})
    [message] = messages(engine.evaluate([head], UNITS, day), "replacement.head_relief")
    assert said in message


def test_head_relief_of_2025_10_2_too() -> None:
    engine = Engine(["vn-commune-2tier@2025.10.2"], backend="reference", plugins=False, lang="vi",
                    params={"vn-commune-2tier.head_relief_min_months": "6"})
    head = person("H1", "committee_chair", appointed_on=date(2025, 1, 1), extra={"target_completion": "0.5"})
    [said] = messages(engine.evaluate([head], UNITS, date(2025, 11, 1)), "replacement.head_relief")
    assert "giữ chức 10 tháng (từ 6 tháng trở lên)" in said


@pytest.mark.parametrize(("lang", "given", "said"), [
    ("vi", None, "công chức tối đa 36 tháng"), ("vi", "24", "công chức tối đa 24 tháng"),
    ("en", None, "civil servants at most 36 months"), ("en", "24", "civil servants at most 24 months"),
])
def test_secondment_overdue_of_plan_188_states_the_months_it_applied(lang: str, given: str | None,
                                                                     said: str) -> None:
    params = {} if given is None else {"hanoi-ke-hoach-188.secondment_max_months": given}
    engine = Engine(["hanoi-ke-hoach-188"], backend="reference", plugins=False, lang=lang, params=params)
    unit = Unit("U1", "Xã A", "commune", 1, "Huyện B", True)
    seconded = person("S1", "office_statistics", unit="U1", category="civil_servant",
                      secondment_since=date(2021, 1, 1))
    [message] = messages(engine.evaluate([seconded], [unit], date(2024, 6, 30)), "rotation.secondment_overdue")
    assert said in message


@pytest.mark.parametrize(("pack", "day", "unit"), [
    ("hanoi-de-an-34@2025.07.4", ON, UNITS[0]),
    ("hanoi-de-an-34@2023.11.4", date(2024, 6, 30), Unit("U1", "Xã A", "commune", 1, "Huyện B", True)),
])
@pytest.mark.parametrize(("lang", "given", "said"), [
    ("vi", None, "cán bộ chủ chốt dưới 35 tuổi chiếm"), ("vi", "40", "cán bộ chủ chốt dưới 40 tuổi chiếm"),
    ("en", None, "key officials under 35 are"), ("en", "40", "key officials under 40 are"),
])
def test_quota_young_states_the_age_it_applied(pack: str, day: date, unit: Unit, lang: str, given: str | None,
                                               said: str) -> None:
    params = {} if given is None else {"hanoi-de-an-34.young_age": given}
    engine = Engine([pack], backend="reference", plugins=False, lang=lang, params=params)
    chair = person("C1", "committee_chair", unit=unit.code)  # born 1980: 44–46, under neither age
    found = messages(engine.evaluate([chair], [unit], day), "quota.young")
    assert found and all(said in m for m in found)


def test_no_built_in_message_writes_a_parameters_number_beside_its_rule() -> None:
    """A scan of the packs in force: a number written in a message whose rule's conditions read a parameter of
    that value is the fault mended here (the law's dates and text numbers, 1/7/2025, QĐ 41, are not parameters)."""
    faults = []
    for path in sorted(builtin_pack_dir().glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        params = data.get("params", {})
        for table in ("rule", "quota", "staffing"):
            for entry in data.get(table, []):
                conditions = " ".join(str(entry.get(k, "")) for k in ("where", "when", "numerator", "population",
                                                                        "min_share", "max_share"))
                used = {name: value for name, value in params.items() if re.search(rf"\b{name}\b", conditions)}
                message = entry["message"]
                for text in ([message] if isinstance(message, str) else message.values()):
                    written = set(re.findall(r"(?<![\w{/.])(\d+)(?![\w}/.])", re.sub(r"\{[^}]*\}", "", text)))
                    for name, value in used.items():
                        if isinstance(value, int) and not isinstance(value, bool) and str(value) in written:
                            faults.append((path.name, entry["id"], name, value))
    assert faults == []
