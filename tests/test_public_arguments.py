"""The public API refuses a wrong argument with a located InputError naming it, in English and Vietnamese:
an unknown language (every renderer, ``Engine(lang=…)``), a wrong type given to ``Engine`` or
``Engine.evaluate`` (an integrator's mistake must not pass silently nor end in an ``AttributeError``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import cadre_rules
import cadre_rules.render
from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._i18n import checked_lang
from cadre_rules._i18n import translation

OFFICIAL = Official(id="A1", full_name="Nguyễn Thị An", gender="female", birth_date=date(1980, 1, 2), unit="U1",
                    position="committee_chair", education="university", political_theory="advanced")
UNIT = Unit("U1", "Xã Một", "commune", 1)
AS_OF = date(2024, 12, 31)


def _taking_lang() -> list[tuple[str, Callable[..., Any]]]:
    """Every public function of ``cadre_rules`` and ``cadre_rules.render`` with a ``lang`` argument."""
    found = []
    for module in (cadre_rules, cadre_rules.render):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value) and "lang" in inspect.signature(value).parameters:
                found.append((f"{module.__name__}.{name}", value))
    return found


@pytest.fixture(scope="module")
def report() -> cadre_rules.Report:
    return Engine(["vn-commune-2tier"], backend="reference").evaluate([OFFICIAL], [UNIT], AS_OF)


def _located(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str | None]]:
    return [(p.file, p.value) for p in error.value.problems]


def test_every_public_function_taking_lang_is_found() -> None:
    names = {name for name, _ in _taking_lang()}
    assert {"cadre_rules.render.render_html", "cadre_rules.render.render_text", "cadre_rules.render.csv_pieces",
            "cadre_rules.render.render_junit", "cadre_rules.training_document"} <= names
    assert len(names) >= 13


@pytest.mark.parametrize(("name", "function"), _taking_lang(), ids=[n for n, _ in _taking_lang()])
@pytest.mark.parametrize("lang", ["fr", "VI", "", None])
def test_an_unknown_language_is_refused_by_every_renderer(report: cadre_rules.Report, name: str,
                                                         function: Callable[..., Any], lang: object) -> None:
    """Refused when called (a generator of pieces too, before it is advanced), positional or by keyword."""
    keyword = inspect.signature(function).parameters["lang"].kind is inspect.Parameter.KEYWORD_ONLY
    for call in ([lambda: function(report, lang=lang)] if keyword
                 else [lambda: function(report, lang), lambda: function(report, lang=lang)]):
        with pytest.raises(InputError) as error:
            call()
        assert _located(error) == [("lang", lang if isinstance(lang, str) else repr(lang))]
        assert "lang: expected a language of cadre-rules: vi, en (got " in str(error.value)


def test_every_renderer_takes_the_language_after_the_report() -> None:
    """An integrator calls each ``render_*`` alike: ``render_X(report, "en")`` (``render_text`` took it by keyword
    only, unlike the others: ``render_text(report, "en")`` was a TypeError)."""
    renderers = [(name, getattr(cadre_rules.render, name)) for name in cadre_rules.render.__all__
                 if name.startswith("render_")]
    assert len(renderers) >= 8
    for name, function in renderers:
        second = list(inspect.signature(function).parameters.values())[1]
        assert (second.name, second.kind) == ("lang", inspect.Parameter.POSITIONAL_OR_KEYWORD), name


#: (render_pdf needs Chromium: tests/test_pdf.py renders it in both languages; its refusal above needs none)
_WITHOUT_PDF = [(n, f) for n, f in _taking_lang() if not n.endswith("render_pdf")]


@pytest.mark.parametrize(("name", "function"), _WITHOUT_PDF, ids=[n for n, _ in _WITHOUT_PDF])
def test_the_languages_there_are_still_render(report: cadre_rules.Report, name: str,
                                              function: Callable[..., Any]) -> None:
    for lang in ("vi", "en"):
        out = function(report, lang=lang)
        if inspect.isgenerator(out):
            out = list(out)
        assert out


def test_an_unknown_language_is_refused_by_the_engine_in_both_languages() -> None:
    with pytest.raises(InputError) as error:
        Engine(["vn-commune-2tier"], lang="fr")
    assert _located(error) == [("lang", "fr")]
    assert error.value.text(translation("vi").gettext).splitlines()[1] == \
        "  lang: cần một ngôn ngữ của cadre-rules: vi, en (giá trị đọc được: 'fr')"
    assert checked_lang("en") == "en"
    assert Engine(["vn-commune-2tier"], lang="en").lang == "en"


def test_engine_refuses_arguments_of_the_wrong_type_all_at_once() -> None:
    with pytest.raises(InputError) as error:
        Engine("vn-commune-2tier", params=["a=1"], city=5, timeout="5")  # type: ignore[arg-type]
    assert [p.file for p in error.value.problems] == ["packs", "params", "city", "timeout"]
    english = str(error.value)
    assert ('packs: expected a sequence of packs (ids, paths or Pack objects), not one str: write '
            '["vn-commune-2tier"] for one pack') in english
    vi = error.value.text(translation("vi").gettext)
    assert "  timeout: cần một số giây (từ 0 trở lên), hoặc None (giá trị đọc được: '5')" in vi.splitlines()
    for timeout in (-1, True, float("nan")):
        with pytest.raises(InputError, match="timeout: expected a number of seconds"):
            Engine(["vn-commune-2tier"], timeout=timeout)


def test_engine_refuses_a_backend_it_does_not_have() -> None:
    """A misspelt backend was taken for durable-rules, silently."""
    for backend in ("durabel", "Reference", None):
        with pytest.raises(InputError) as error:
            Engine(["vn-commune-2tier"], backend=backend)  # type: ignore[arg-type]
        assert [(p.file, p.value) for p in error.value.problems] == [("backend", str(backend))]
        assert "backend: expected one of: auto, durable, reference" in str(error.value)
    with pytest.raises(InputError) as error:
        Engine("vn-commune-2tier", backend="x", city=5)  # type: ignore[arg-type]
    assert [p.file for p in error.value.problems] == ["packs", "backend", "city"]  # all at once, as the signature


def test_evaluate_refuses_arguments_of_the_wrong_type_all_at_once() -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference")
    with pytest.raises(InputError) as error:
        engine.evaluate("officials.csv", {"U1": UNIT}, datetime(2024, 12, 31), input_sha256=5,  # type: ignore[arg-type]
                        progress=3, data_as_of="2024-01-01", source=1)  # type: ignore[arg-type]
    assert _located(error) == [
        ("officials", None), ("units", None), ("as_of", "datetime.datetime(2024, 12, 31, 0, 0)"),
        ("data_as_of", "2024-01-01"), ("input_sha256", "5"), ("progress", "3"), ("source", "1")]
    lines = str(error.value).splitlines()
    assert lines[0] == "7 input problems:"
    assert lines[1] == ("  officials: expected a sequence of Official records (load_officials reads a file), not a "
                        "value of type str")
    assert lines[3] == ("  as_of: expected a date (datetime.date), not a value of type datetime (got "
                        "'datetime.datetime(2024, 12, 31, 0, 0)')")
    vi = error.value.text(translation("vi").gettext).splitlines()
    assert vi[0] == "7 vấn đề trong dữ liệu đầu vào:"
    assert vi[5] == ("  input_sha256: cần văn bản (SHA-256 của dữ liệu đầu vào, dạng thập lục phân) hoặc None, "
                     "không phải một giá trị kiểu int (giá trị đọc được: '5')")


def test_evaluate_still_takes_what_it_took() -> None:
    """Any iterable of records (a generator too), ``None`` for the optional arguments, a ``date``."""
    engine = Engine(["vn-commune-2tier"], backend="reference")
    done: list[int] = []
    report = engine.evaluate((o for o in [OFFICIAL]), iter([UNIT]), AS_OF, input_sha256="ab" * 32,
                             progress=done.append, data_as_of=date(2024, 1, 1), source="officials.csv")
    assert (report.officials, report.input_sha256) == (1, "ab" * 32)
    assert done
    assert engine.evaluate([OFFICIAL], [UNIT], AS_OF).as_of == AS_OF


# --------------------------------------------------------------------------- the rest of the public API


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(["vn-commune-2tier"], backend="reference")


_Refusals = dict[str, tuple[Callable[[], object], list[tuple[str, str | None]]]]


def _refusals(engine: Engine, report: cadre_rules.Report) -> _Refusals:
    """Each public function (``cadre_rules.__all__``, ``Engine``'s methods, the jobs of the command line) called
    with wrong arguments → the problems it must report, ``(argument, value shown)``, all at once."""
    from cadre_rules.jobs._explain_official import explain_official
    from cadre_rules.jobs._explain_scope import explain_scope
    from cadre_rules.jobs._mutants import check_mutants
    from cadre_rules.jobs._pack_diff import diff_packs
    from cadre_rules.jobs._pack_tests import run_case_files

    c: Any = cadre_rules
    e: Any = engine
    officials, units = [OFFICIAL], [UNIT]
    return {
        "evaluate_as_asked": (lambda: c.evaluate_as_asked("engine", officials, "units.csv", "2024-12-31", scope=5),
                              [("units", None), ("engine", None), ("as_of", "2024-12-31"), ("scope", "5")]),
        "evaluate_as_asked rows": (lambda: c.evaluate_as_asked(e, [OFFICIAL, {"id": "A2"}], units, AS_OF,
                                                               scope="ward:U1"),
                                   [("<officials>", None)]),
        "load_officials": (lambda: c.load_officials([], units=[UNIT]), [("units", None)]),
        "load_pack": (lambda: c.load_pack(5, overrides=["a=1"], functions=[]),
                      [("path", "5"), ("overrides", None), ("functions", None)]),
        "load_plan": (lambda: c.load_plan(b"plan.csv"), [("path", "b'plan.csv'")]),
        "read_posts": (lambda: c.read_posts(None, units), [("path", "None"), ("units", None)]),
        "match_posts": (lambda: c.match_posts("engine", {"A1": OFFICIAL}, units, "2024-12-31", within=-1,
                                              posts="U1", top=2.5, assign="no", report={}),
                        [("officials", None), ("engine", None), ("as_of", "2024-12-31"), ("within", "-1"),
                         ("posts", None), ("top", "2.5"), ("assign", "no"), ("report", None)]),
        "match_posts rows": (lambda: c.match_posts(e, officials, units, AS_OF, posts=[("U1", "chair")], top=-1),
                             [("<posts>", None), ("top", "-1")]),
        "match_to_dict": (lambda: c.match_to_dict(report), [("result", None)]),
        "project": (lambda: c.project(e, officials, "units.csv", datetime(2030, 1, 1), as_of="2024-01-01",
                                      step="week", plan="plan.csv"),
                    [("units", None), ("to", "datetime.datetime(2030, 1, 1, 0, 0)"), ("as_of", "2024-01-01"),
                     ("step", "week"), ("plan", None)]),
        "project rows": (lambda: c.project(None, [OFFICIAL, {"id": "A2"}], units, date(2030, 1, 1), as_of=AS_OF,
                                           plan=[None]),
                         [("<officials>", None), ("engine", None), ("<plan>", None)]),
        "projection_to_dict": (lambda: c.projection_to_dict(report), [("p", None)]),
        "redact": (lambda: c.redact({"findings": []}), [("report", None)]),
        "report_to_dict": (lambda: c.report_to_dict(None, explain="yes"), [("report", None), ("explain", "yes")]),
        "report_to_json": (lambda: c.report_to_json(report, explain=1), [("explain", "1")]),
        "training_document": (lambda: c.training_document("report", needs=5), [("report", None), ("needs", None)]),
        "training_needs": (lambda: c.training_needs(report, districts=[("U1", "Ba Vì")]), [("districts", None)]),
        "Names": (lambda: c.Names({}, {}, "fr"), [("lang", "fr")]),
        "Engine.read": (lambda: e.read(5, b"units.csv"), [("officials", "5"), ("units", "b'units.csv'")]),
        "Engine.with_packs": (lambda: e.with_packs("vn-commune-2tier"), [("packs", None)]),
        "Engine.with_packs rows": (lambda: e.with_packs(["vn-commune-2tier"]), [("<packs>", None)]),
        "Engine.evaluate input_sha256": (lambda: e.evaluate(officials, units, AS_OF, input_sha256="AB" * 32),
                                         [("input_sha256", ("AB" * 32)[:60])]),
        "explain_official": (lambda: explain_official(e, "officials.csv", units, 1, None, rule=2),
                             [("officials", None), ("official_id", "1"), ("as_of", "None"), ("rule", "2")]),
        "explain_scope": (lambda: explain_scope(e, officials, units, "ward", 3, "2024-12-31"),
                          [("kind", "ward"), ("ident", "3"), ("as_of", "2024-12-31")]),
        "diff_packs": (lambda: diff_packs("vn-commune-2tier", 2, data=[officials, units], as_of=AS_OF,
                                          plugins="off", params=("a", 1)),
                       [("new", "2"), ("plugins", "off"), ("params", None), ("data", None)]),
        "run_case_files": (lambda: run_case_files("cases.toml", backends="durable", plugins=None, coverage=1,
                                                  shared=None, lang="de", transform="mutant"),
                           [("files", "cases.toml"), ("backends", "durable"), ("plugins", "None"),
                            ("coverage", "1"), ("lang", "de"), ("transform", "mutant")]),
        "run_case_files rows": (lambda: run_case_files([Path("a.toml"), 3], backends=["fast"]),
                                [("<files>", "3"), ("backends", "fast")]),
        "check_mutants": (lambda: check_mutants((Path("a.toml"), b"cases.toml"), plugins="yes"),
                          [("<files>", "b'cases.toml'"), ("plugins", "yes")]),
    }


_CASES = ["evaluate_as_asked", "evaluate_as_asked rows", "load_officials", "load_pack", "load_plan", "read_posts", "match_posts", "match_posts rows",
          "match_to_dict", "project", "project rows", "projection_to_dict", "redact", "report_to_dict",
          "report_to_json", "training_document", "training_needs", "Names", "Engine.read", "Engine.with_packs",
          "Engine.with_packs rows", "Engine.evaluate input_sha256", "explain_official", "explain_scope",
          "diff_packs", "run_case_files", "run_case_files rows", "check_mutants"]


@pytest.mark.parametrize("case", _CASES)
def test_every_public_function_refuses_wrong_arguments_all_at_once(engine: Engine, report: cadre_rules.Report,
                                                                   case: str) -> None:
    """Every wrong argument named (records by their row), in one InputError, in English and Vietnamese; a value
    that may name a person (a record, a mapping, a sequence) not shown."""
    call, expected = _refusals(engine, report)[case]
    with pytest.raises(InputError) as error:
        call()
    assert _located(error) == expected
    # (a record is located by its row: the first wrong one; [OFFICIAL, {"id": "A2"}]'s second)
    assert [p.row for p in error.value.problems if p.file.startswith("<")] == \
        [2 if name in ("<officials>", "<files>") else 1 for name, _ in expected if name.startswith("<")]
    english = str(error.value)
    assert " value of type " in english or "expected one of" in english or "expected the input's" in english \
        or "expected a whole number" in english or "expected a language" in english
    vi = error.value.text(translation("vi").gettext)
    assert "expected" not in vi
    assert "cần " in vi


def test_the_table_covers_every_public_function(engine: Engine, report: cadre_rules.Report) -> None:
    functions = {name for name in cadre_rules.__all__
                 if inspect.isfunction(getattr(cadre_rules, name)) and "lang" not in
                 inspect.signature(getattr(cadre_rules, name)).parameters}
    covered = {case.split()[0] for case in _refusals(engine, report)}
    assert functions - {"load_units"} <= covered  # (load_units: one argument, refused since 0.1: tests/test_io.py)
    assert set(_CASES) == set(_refusals(engine, report))


def test_messages_of_the_checks(engine: Engine, report: cadre_rules.Report) -> None:
    with pytest.raises(InputError) as error:
        cadre_rules.project(engine, [OFFICIAL], [UNIT], date(2030, 1, 1), as_of=AS_OF, step="week")
    assert str(error.value).splitlines()[1] == "  step: expected one of: month, quarter, year (got 'week')"
    assert error.value.text(translation("vi").gettext).splitlines()[1] == \
        "  step: cần một trong các giá trị: month, quarter, year (giá trị đọc được: 'week')"
    with pytest.raises(InputError) as error:
        cadre_rules.match_posts(engine, [OFFICIAL], [UNIT], AS_OF, top=-1)
    assert error.value.text(translation("vi").gettext).splitlines()[1] == \
        "  top: cần một số nguyên từ 0 trở lên (giá trị đọc được: '-1')"
    with pytest.raises(InputError) as error:
        cadre_rules.redact(5)  # type: ignore[arg-type]
    assert str(error.value).splitlines()[1] == \
        "  report: expected a Report (made by Engine.evaluate), not a value of type int"


@pytest.mark.parametrize("digest", ["AB" * 32, "ab" * 31, "ab" * 33, "g" * 64, " " + "a" * 63, "a" * 63 + "\n", ""])
def test_input_sha256_is_64_lowercase_hexadecimal_characters(engine: Engine, digest: str) -> None:
    """As the report carries it (docs/report.md, the schema's pattern): hashlib's hexdigest."""
    with pytest.raises(InputError) as error:
        engine.evaluate([OFFICIAL], [UNIT], AS_OF, input_sha256=digest)
    assert _located(error) == [("input_sha256", digest[:60])]
    assert "expected the input's SHA-256 as 64 lowercase hexadecimal characters (0-9, a-f), or None" in \
        str(error.value)
    assert "64 ký tự thập lục phân viết thường" in error.value.text(translation("vi").gettext)
    assert engine.evaluate([OFFICIAL], [UNIT], AS_OF, input_sha256="0123456789abcdef" * 4).input_sha256 == \
        "0123456789abcdef" * 4


def test_names_refuses_an_unknown_language_and_keeps_the_known() -> None:
    for lang in ("fr", "VI", "", None, 1):
        with pytest.raises(InputError) as error:
            cadre_rules.Names({}, {}, lang)  # type: ignore[arg-type]
        assert _located(error) == [("lang", lang if isinstance(lang, str) else repr(lang))]
    assert cadre_rules.Names({}, {}, "en").lang == "en"
    assert cadre_rules.Names({}, {}).lang == "vi"


def test_the_rest_still_takes_what_it_took(engine: Engine, report: cadre_rules.Report, tmp_path: Any) -> None:
    """Generators of records, paths as ``Path``, ``None`` for what is optional, a mapping of districts."""
    result = cadre_rules.match_posts(engine, iter([OFFICIAL]), (u for u in [UNIT]), AS_OF, within=None, top=0,
                                     assign=True, report=None)
    assert cadre_rules.match_to_dict(result)["schema"]
    projection = cadre_rules.project(engine, iter([OFFICIAL]), [UNIT], date(2026, 12, 31), as_of=AS_OF,
                                     step="year", plan=[])
    assert cadre_rules.projection_to_dict(projection)["to"] == "2026-12-31"
    assert cadre_rules.redact(report).names is None
    assert cadre_rules.training_needs(report, districts={"U1": "Ba Vì"}) == cadre_rules.training_needs(report)
    assert cadre_rules.training_document(report, "en", needs=())["officials"] == 0
    posts = tmp_path / "posts.csv"
    posts.write_text("unit,position\nU1,committee_chair\n", encoding="utf-8")
    assert len(cadre_rules.read_posts(Path(posts), {"U1": UNIT})) == 1
    assert cadre_rules.load_pack(Path(cadre_rules.Engine(["vn-commune-2tier"]).packs[0].path)).id == \
        "vn-commune-2tier"


@pytest.mark.parametrize(("name", "function"), _taking_lang(), ids=[n for n, _ in _taking_lang()])
def test_every_renderer_refuses_a_wrong_report_and_options_with_the_language(name: str,
                                                                           function: Callable[..., Any]) -> None:
    """``report`` not a Report, the options of the wrong type (a flag ``"yes"``, a count ``-1``) and an unknown
    ``lang``: all at once, when called (a generator of pieces too), not an AttributeError deep inside."""
    parameters = inspect.signature(function).parameters
    flags = [n for n, p in parameters.items() if isinstance(p.default, bool)]
    counts = [n for n, p in parameters.items() if type(p.default) is int]
    options: dict[str, object] = {**dict.fromkeys(flags, "yes"), **dict.fromkeys(counts, -1)}
    with pytest.raises(InputError) as error:
        function({"findings": []}, lang="fr", **options)
    assert _located(error) == [("report", None), ("lang", "fr"), *((n, "yes") for n in flags),
                               *((n, "-1") for n in counts)]
    with pytest.raises(InputError) as error:
        function(None)
    assert _located(error) == [("report", None)]
    assert "report: expected a Report (made by Engine.evaluate), not a value of type NoneType" in str(error.value)
