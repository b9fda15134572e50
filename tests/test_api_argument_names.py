"""Each caller's own names in a located problem (``errors.Argument``, said by ``errors.named_by``): a wrong
``scope``, an ``as_of`` before every birth, an explained ``rule`` no pack has, and the setting that keeps the
districts, are located and named by the Python API as its arguments (``scope``, ``legacy_districts=True``), by the
service as its query parameters (``scope``, ``legacy_districts=true``) and by the command line as its options
(``--scope``, ``--legacy-districts``), in Vietnamese and English; never one front end's name in another's problem."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import subsets
from cadre_rules import Engine
from cadre_rules import EvaluationError
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import PlanEvent
from cadre_rules import RenderError
from cadre_rules import Unit
from cadre_rules import load_units
from cadre_rules import match_posts
from cadre_rules import project
from cadre_rules._cli import cli
from cadre_rules.errors import named_by
from cadre_rules.render._pdf import html_to_pdf
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import Refusal
from cadre_rules.service._worker import query_name
from cadre_rules.service._worker import run_job

AS_OF = {name: date.fromisoformat(as_of) for name, (_, as_of) in subsets.SAMPLES.items()}
AFTER_REFORM = date(2025, 12, 31)  # (no districts from 1/7/2025, unless legacy_districts keeps them)
DISTRICT = "Huyện Ba Vì"
NO_DISTRICTS = {
    "en": "the report has no districts (from 2025-07-01 there are none; {option} keeps them)",
    "vi": "báo cáo không có quận, huyện (từ ngày 01/07/2025 không còn cấp huyện; {option} giữ lại cấp này)"}
NO_UNIT = {"en": "no unit with this code or name in the report",
           "vi": "không có đơn vị nào có mã hoặc tên này trong báo cáo"}
MALFORMED = {"en": "expected district:NAME or commune:NAME (a unit's code or name)",
             "vi": "cần có dạng district:TÊN hoặc commune:TÊN (mã hoặc tên của đơn vị)"}


@pytest.fixture(scope="module")
def data() -> dict[str, tuple[Sequence[Official], Sequence[Unit]]]:
    engine = Engine(backend="reference")
    return {name: engine.read(folder / "officials.csv", folder / "units.csv")
            for name, (folder, _) in subsets.SAMPLES.items()}


def _uploads(sample: str) -> tuple[tuple[str, str, bytes], ...]:
    folder = subsets.SAMPLES[sample][0]
    return tuple((field, f"{field}.csv", (folder / f"{field}.csv").read_bytes()) for field in ("officials", "units"))


def _refused(task: str, sample: str, as_of: date, lang: str, **options: Any) -> Refusal:
    """What the service's worker answers the request (its problems as the client gets them)."""
    defaults: dict[str, Any] = {"match": {"within": None, "top": 10, "assign": False, "redact": False},
                                "project": {"to": date(as_of.year + 1, 12, 31), "step": "year"},
                                "explain": {"redact": False, "rule": None}}.get(task, {})
    answer = run_job(Job(as_of, (), (), lang, "json", False, "Hà Nội", False, uploads=_uploads(sample), task=task,
                         options=tuple({**defaults, **options}.items()), ui_lang=lang))
    assert isinstance(answer, Refusal), answer
    return answer


def _cli_error(*args: str, lang: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--lang", lang])
    assert result.exit_code == 2, result.output
    return result.stderr


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("sample", "scope", "reason", "option"), [
    ("2025", "commune:Phường Nowhere", NO_UNIT, None),
    ("2025", "ward:00322", MALFORMED, None),
    ("2022", f"district:{DISTRICT}", NO_DISTRICTS, ("legacy_districts=True", "legacy_districts=true",
                                                    "--legacy-districts")),
])
@pytest.mark.parametrize("task", ["match", "project"])
def test_a_wrong_scope_is_located_at_each_callers_name(
        data: dict[str, tuple[Sequence[Official], Sequence[Unit]]], task: str, sample: str, scope: str,
        reason: dict[str, str], option: tuple[str, str, str] | None, lang: str) -> None:
    """The same wrong scope given to ``match_posts``/``project`` (the API: ``scope``), to ``POST /v1/match`` and
    ``/v1/project`` (the service: ``scope``) and to ``cadre-rules match``/``project`` (``--scope``); the 2022
    sample's district asked after the reform: each names its own way to keep the districts."""
    as_of = AFTER_REFORM if sample == "2022" else AS_OF[sample]
    api, query, command = option or (None, None, None)
    # the API (in English: its exceptions' own text; problem.text(gettext) in another language)
    if lang == "en":
        officials, units = data[sample]
        engine = Engine(backend="reference", lang=lang)
        def run() -> object:
            if task == "match":
                return match_posts(engine, officials, units, as_of, scope=scope)
            return project(engine, officials, units, date(as_of.year + 1, 12, 31), as_of=as_of, scope=scope)

        with pytest.raises(InputError) as info:
            run()
        [problem] = info.value.problems
        assert problem.file == "scope"
        assert problem.text().startswith("scope: " + reason["en"].format(option=api)), problem.text()
        assert "--" not in str(info.value)
    # the service
    refused = _refused(task, sample, as_of, lang, scope=scope)
    assert refused.kind == "input"  # (422: well-formed, and names nothing in the data)
    [(file, said, *_)] = refused.problems
    assert (file, said) == ("scope", reason[lang].format(option=query)), refused
    assert "\n  scope: " in refused.message and "--" not in refused.message
    # the command line, as it always said it
    folder = str(subsets.SAMPLES[sample][0])
    extra = ("--to", f"{as_of.year + 1}-12-31") if task == "project" else ()
    error = _cli_error(task, folder, "--as-of", as_of.isoformat(), *extra, "--scope", scope, lang=lang)
    assert "\n  --scope: " + reason[lang].format(option=command) in error, error


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_as_of_before_every_birth_is_located_at_each_callers_name(
        data: dict[str, tuple[Sequence[Official], Sequence[Unit]]], lang: str) -> None:
    """``Engine.evaluate(…, as_of)``'s ``as_of``, the service's ``as_of``, the command line's ``--as-of``."""
    early = date(1900, 1, 1)
    officials, units = data["2025"]
    with pytest.raises(InputError) as info:
        Engine(packs=["hanoi-de-an-34"], backend="reference").evaluate(officials, units, early)
    assert [p.file for p in info.value.problems] == ["as_of"]
    refused = run_job(Job(early, ("hanoi-de-an-34",), (), lang, "json", False, "Hà Nội", False,
                          uploads=_uploads("2025"), ui_lang=lang))
    assert isinstance(refused, Refusal) and refused.kind == "input", refused
    assert [p[0] for p in refused.problems] == ["as_of"] and "--as-of" not in refused.message
    error = _cli_error("evaluate", str(subsets.SAMPLES["2025"][0]), "--as-of", "1900-01-01", "--pack",
                       "hanoi-de-an-34", lang=lang)
    assert "\n  --as-of: " in error


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_explained_rule_no_pack_has_is_located_at_each_callers_name(lang: str) -> None:
    """``POST /v1/explain?rule=`` is located at ``rule``, ``cadre-rules explain --rule`` at ``--rule``."""
    refused = _refused("explain", "2025", AS_OF["2025"], lang, official="HN00004-001", rule="no/such")
    assert [(p[0], p[4]) for p in refused.problems] == [("rule", "no/such")], refused
    error = _cli_error("explain", str(subsets.SAMPLES["2025"][0]), "--as-of", "2025-12-31", "--official",
                       "HN00004-001", "--rule", "no/such", lang=lang)
    assert "\n  --rule: " in error


@pytest.mark.parametrize(("options", "kind", "status"), [
    ({"scope": ("commune", "99999")}, "input", 422),  # (well-formed, parsed by the app: names nothing in the data)
    ({}, "pack", 422),  # (as_of 1/1/2020: well-formed, no pack in effect; was a 400)
])
def test_422_is_a_request_that_does_not_fit_the_data_or_the_packs(options: dict[str, Any], kind: str,
                                                                   status: int) -> None:
    """The service's rule (docs/api.md): 400 when the request is wrong whatever the data (a malformed value: the
    real server's test, tests/test_serve_scope.py), 422 when it is well-formed but does not fit the data or the
    packs (a scope or pack they do not have, a date no pack is in effect on), as ``pack=no-such-pack`` and explain's
    ``rule=no/such`` already were."""
    pytest.importorskip("starlette", reason="the serve extra is not installed (pip install -e '.[test,serve]')")
    from cadre_rules.service._app import _PROBLEMS

    as_of = date(2020, 1, 1) if not options else AS_OF["2025"]
    refused = run_job(Job(as_of, (), (), "vi", "json", False, "Hà Nội", False, uploads=_uploads("2025"),
                          options=tuple(options.items()), ui_lang="vi"))
    assert isinstance(refused, Refusal) and (refused.kind, _PROBLEMS[refused.kind][0]) == (kind, status), refused


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("params", "where"), [
    ({"no-such-pack.x": "1"}, "{name}, no-such-pack: "),  # (located at the overrides)
    ({"hanoi-de-an-34.young_min_shar": "0.1"}, "params.young_min_shar: {name} "),  # (named by the reason)
])
def test_a_parameter_override_is_named_as_each_caller_gives_it(params: dict[str, str], where: str,
                                                                lang: str) -> None:
    """``Engine(params=…)``'s ``params``, the service's ``param``, the command line's ``--param``: where an override
    no pack takes is, and how an override of a pack is named in its reason."""
    if lang == "en":
        with pytest.raises(PackError) as info:
            Engine(packs=["hanoi-de-an-34"], params=params, backend="reference")
        assert where.format(name="params") in info.value.text() and "--param" not in info.value.text()
    refused = run_job(Job(AS_OF["2025"], ("hanoi-de-an-34",), tuple(params.items()), lang, "json", False, "Hà Nội",
                          False, uploads=_uploads("2025"), ui_lang=lang))
    assert isinstance(refused, Refusal) and refused.kind == "pack", refused
    assert where.format(name="param") in refused.message and "--param" not in refused.message
    [(key, value)] = params.items()
    error = _cli_error("evaluate", str(subsets.SAMPLES["2025"][0]), "--pack", "hanoi-de-an-34", "--param",
                       f"{key}={value}", lang=lang)
    assert where.format(name="--param") in error, error


def test_projects_to_and_step_are_the_apis_arguments(data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) \
        -> None:
    """``project(…, to, step=…)``: ``to`` before ``as_of``, too many steps and a plan event after ``to`` are located
    ``InputError``s naming ``to`` and ``step`` (a bare ``ValueError`` saying ``--to``/``--step`` before); the command
    line still says ``--to`` (tests/test_vietnamese.py), the service ``to``/``step`` (tests/test_serve.py)."""
    officials, units = data["2025"]
    engine = Engine(backend="reference")
    as_of = AS_OF["2025"]
    cases = [((date(2020, 1, 1), "year", ()),
              "to: the end date is before the as-of date 2025-12-31 (got '2020-01-01')"),
             ((date(2300, 1, 1), "month", ()),
              "step: more than 1,200 steps from 2025-12-31 to 2300-01-01: choose a longer step (got 'month')"),
             ((date(2026, 6, 30), "year", (PlanEvent(date=date(2026, 9, 1), event="departure",
                                                     official=officials[0].id),)),
              "<plan>, row 1, date: after to 2026-06-30: it would never apply (got '2026-09-01')")]
    for (to, step, plan), said in cases:
        with pytest.raises(InputError) as info:
            project(engine, officials, units, to, as_of=as_of, step=step, plan=plan)  # type: ignore[arg-type]
        assert [p.text() for p in info.value.problems] == [said]


WIDE_PACK = """[pack]
id = "wide"
version = "1"
title = "wide"
[[rule]]
id = "wide.rule"
family = "rotation"
when = "{when}"
message = "m"
cite = "c"
"""


def test_the_backend_the_format_and_the_units_file_are_each_callers_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack durable-rules cannot evaluate under a named backend, a PDF without Chromium and a workbook without a
    sheet of units told API callers and the service what to give with the command line's options (``use --backend
    reference``, ``--format pdf:``, ``--units FILE``). Now each caller's own names; the command line's text as
    before."""
    pack = tmp_path / "wide.toml"  # (durable-rules holds at most 64 properties per fact: a pack reading 70 fields)
    pack.write_text(WIDE_PACK.format(when=" or ".join(f"rating({y}) == 'good'" for y in range(1950, 2020))),
                    encoding="utf-8")
    with pytest.raises(EvaluationError) as evaluation:
        Engine([pack], backend="durable")
    assert str(evaluation.value).endswith("; use backend='reference' (or auto)")
    assert named_by(evaluation.value, query_name).text().endswith("; use backend=reference (or auto)")
    folder = subsets.SAMPLES["2025"][0]
    args = ("evaluate", str(folder), "--pack", str(pack), "--backend", "durable", "--no-plugins")
    assert _cli_error(*args, lang="en").splitlines()[-1].endswith("; use --backend reference (or auto)")
    assert _cli_error(*args, lang="vi").splitlines()[-1].endswith("; hãy dùng --backend reference (hoặc auto)")

    monkeypatch.delenv("CADRE_RULES_CHROMIUM", raising=False)
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RenderError) as render:
        html_to_pdf("<p>.</p>")
    assert str(render.value).startswith("format='pdf': Chromium is needed to print the PDF")
    assert named_by(render.value, query_name).text().startswith("format=pdf: Chromium is needed")
    error = _cli_error("evaluate", str(folder), "--as-of", "31/12/2025", "--backend", "reference", "--no-plugins",
                       "--format", "pdf", "-o", str(tmp_path / "r.pdf"), lang="en")
    assert error.startswith("error: --format pdf: Chromium is needed to print the PDF"), error

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Cán bộ"
    sheet.append(["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ chuyên môn",
                  "Lý luận chính trị"])
    sheet.append(["TM01", "Nguyễn Văn An", "Nam", "15/03/1985", "00322", "Chủ tịch UBND", "Đại học", "Cao cấp"])
    book.create_sheet("Ghi chú").append(["Người lập biểu"])
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(InputError) as reading:
        load_units(tmp_path / "book.xlsx")
    assert str(reading.value).endswith("or give a units file with units FILE")
    for lang, said in (("en", "or give a units file with --units FILE"), ("vi", "chỉ ra tệp đơn vị bằng --units TỆP")):
        assert _cli_error("evaluate", str(tmp_path / "book.xlsx"), "--no-plugins", lang=lang).splitlines()[-1] \
            .endswith(said)
