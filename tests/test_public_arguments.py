"""The public API refuses a wrong argument with a located InputError naming it, in English and Vietnamese:
an unknown language (every renderer, ``Engine(lang=…)``), a wrong type given to ``Engine`` or
``Engine.evaluate`` (an integrator's mistake must not pass silently nor end in an ``AttributeError``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from datetime import datetime
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
    assert "  timeout: cần một số giây (từ 0 trở lên), hoặc None (giá trị đọc được: \"'5'\")" in vi.splitlines()
    for timeout in (-1, True, float("nan")):
        with pytest.raises(InputError, match="timeout: expected a number of seconds"):
            Engine(["vn-commune-2tier"], timeout=timeout)


def test_evaluate_refuses_arguments_of_the_wrong_type_all_at_once() -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference")
    with pytest.raises(InputError) as error:
        engine.evaluate("officials.csv", {"U1": UNIT}, datetime(2024, 12, 31), input_sha256=5,  # type: ignore[arg-type]
                        progress=3, data_as_of="2024-01-01", source=1)  # type: ignore[arg-type]
    assert _located(error) == [
        ("officials", None), ("units", None), ("as_of", "datetime.datetime(2024, 12, 31, 0, 0)"),
        ("data_as_of", "'2024-01-01'"), ("input_sha256", "5"), ("progress", "3"), ("source", "1")]
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
