"""The words of a report for people, in the reader's language: severities, scope and subject kinds,
families, metric names, yes/no, and a finding's facts as readable text.

Severity words (docs/ngon-ngu.md): a finding is not a software fault, so Vietnamese never says "lỗi".
``error`` is **"cần xử lý"** (a breach of a standard the office must act on: "vi phạm" would accuse the
official of a fault, when a vacancy or a missing degree is often the unit's to fix), ``warning`` is
**"lưu ý"** (to watch; "cảnh báo" reads as an alarm), ``info`` is **"thông tin"**. English keeps
error / warning / info.

Codes never leak between languages: Vietnamese shows a code's label (``front_chair`` → "Chủ tịch
UBMTTQ"), English shows it as words ("Front chair"). A metric is named by the name its pack gives it (a
``[[quota]]``'s or ``[[staffing]]``'s ``name``, carried by the report's ``PackRef.metrics``), else by the
built-in name of its id (``quota.young`` is "Key officials under 35" / "Cán bộ chủ chốt dưới 35 tuổi"), else
as words of its id. A rule likewise (:class:`RuleNames`): by the name its pack gives it (a ``[[rule]]``'s or
``[[quota]]``'s ``name``, carried by ``PackRef.rules``), else by the built-in name of its id
(``rotation.position_change_due`` is "Position change due" / "Đến hạn chuyển đổi vị trí công tác"), else by its id
alone: a rule id is a code integrators and waivers use, and words made up from it would read as a name the pack
never gave; every report shows the id beside the name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from functools import cache
from functools import lru_cache

from .._i18n import code_label
from .._i18n import translation
from ..model._codes import VOCABULARIES
from ..model._formats import Shown
from ..model._langs import LANGS
from ..model._names import OTHER
from ..model._names import subject_parts
from ..model._report_records import JSONValue
from ..model._report_records import Names
from ..model._report_records import PackRef
from ..report._rule_names import RuleNames
from ..report._rule_names import named_metric
from ..report._rule_names import named_rule

__all__ = ["FactsTexts", "MetricNames", "RuleNames", "facts_text", "field_text", "has_name", "kind_word", "metric_name",
           "named_metric", "named_rule", "scope_word", "severity_word", "yes_no"]

_CALL = re.compile(r"^(\w+)\((.*)\)$", re.S)
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


@cache
def _severity_words(lang: str) -> Mapping[str, str]:
    t = translation(lang)
    return {"error": t.pgettext("severity", "error"), "warning": t.pgettext("severity", "warning"),
            "info": t.pgettext("severity", "info")}


@cache
def _scope_words(lang: str) -> Mapping[str, str]:
    t = translation(lang)
    return {"city": t.pgettext("scope", "city"), "district": t.pgettext("scope", "district"),
            "unit": t.pgettext("scope", "unit")}


@cache
def _kind_words(lang: str) -> Mapping[str, str]:
    t = translation(lang)
    return {"official": t.pgettext("subject", "official"), "unit": t.pgettext("subject", "unit"),
            "scope": t.pgettext("subject", "scope"), "report": t.pgettext("subject", "report")}


def severity_word(severity: str, lang: str) -> str:
    """``error`` → "cần xử lý" / "error" (see the module's note on the choice)."""
    return _severity_words(lang).get(severity, severity)


def scope_word(scope: str, lang: str) -> str:
    """A metric's scope kind: ``city`` → "thành phố", ``district`` → "quận/huyện", ``unit`` → "xã/phường"."""
    return _scope_words(lang).get(scope, scope)


def kind_word(kind: str, lang: str) -> str:
    """A finding's subject kind: ``official`` → "cán bộ", ``unit`` → "đơn vị", ``scope`` → "phạm vi"."""
    return _kind_words(lang).get(kind, kind)


def yes_no(value: bool | None, lang: str) -> str:
    """``True`` → "có" / "yes", ``False`` → "không" / "no", ``None`` → "—"."""
    if value is None:
        return "—"
    t = translation(lang)
    return t.pgettext("boolean", "yes") if value else t.pgettext("boolean", "no")


def metric_name(metric_id: str, lang: str, named: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A metric's name for a chart title or a table: by the name its pack gives it (``named``: the pack's
    :attr:`~cadre_rules.PackRef.metrics`), else the built-in packs' metrics by name, any other id as words."""
    name = _given_name(metric_id, lang, named)
    return name if name is not None else metric_id.rpartition(".")[2].replace("_", " ").capitalize()


def _given_name(metric_id: str, lang: str, named: Mapping[str, Mapping[str, str]] | None) -> str | None:
    """The metric's name in ``lang`` that its pack (``named``) or the built-in packs give it, if any."""
    own = None if named is None else named.get(metric_id)
    return own["en" if lang == "en" else "vi"] if own is not None else named_metric(metric_id, lang)


class MetricNames:
    """The names of a report's metrics in ``lang``, by pack and metric id (:func:`metric_name` with the names
    each of the report's packs gives its metrics)."""

    def __init__(self, packs: Iterable[PackRef], lang: str) -> None:
        self.lang = lang
        self._named = {p.id: p.metrics for p in packs if p.metrics}

    def __call__(self, pack: str, metric_id: str) -> str:
        return metric_name(metric_id, self.lang, self._named.get(pack))

    def named(self, pack: str, metric_id: str) -> str | None:
        """The metric's name if its pack or the built-in packs give it one; ``None`` rather than words of its
        id (for a heading that shows the id beside the name)."""
        return _given_name(metric_id, self.lang, self._named.get(pack))

    @classmethod
    def in_each_language(cls, packs: Iterable[PackRef]) -> Callable[[str, str], dict[str, JSONValue] | None]:
        """``names(pack, metric_id)``: the metric's names ``{"vi": …, "en": …}`` as :meth:`named` gives them in each
        language, ``None`` when neither its pack nor the built-in packs name it: for the JSON of ``explain`` and
        ``project``, which carry no language."""
        refs = tuple(packs)
        each = [(lang, cls(refs, lang)) for lang in LANGS]

        def names(pack: str, metric_id: str) -> dict[str, JSONValue] | None:
            given: dict[str, JSONValue] = {lang: named.named(pack, metric_id) for lang, named in each}
            return None if None in given.values() else given

        return names


@cache
def _fact_names(lang: str) -> Mapping[str, str]:
    """The facts' names in ``lang`` (looked up once per language)."""
    t = translation(lang)
    pgettext = t.pgettext
    return {
        "vacant": pgettext("fact", "vacant posts"),
        "filled": pgettext("fact", "posts filled"),
        "required": pgettext("fact", "posts required"),
        "numerator": pgettext("fact", "counted"),
        "denominator": pgettext("fact", "out of"),
        "value": pgettext("fact", "share"),
        "target": pgettext("fact", "target"),
        "needed": pgettext("fact", "more needed"),
        "excess": pgettext("fact", "over the limit"),
        "key_positions": pgettext("fact", "key positions"),
        "kind": pgettext("fact", "kind"),
        "latest_rating": pgettext("fact", "latest rating"),
        "latest_rating_year": pgettext("fact", "year of the latest rating"),
        "holds_cadre_post": pgettext("fact", "holds a cadre post"),
        "education": pgettext("fact", "education level"),
        "political_theory": pgettext("fact", "political theory"),
        "general_education": pgettext("fact", "general education"),
        "is_local": pgettext("fact", "native of the locality"),
        "category": pgettext("fact", "staff category"),
        "low_confidence_share": pgettext("fact", "low-confidence votes"),
        "consecutive_not_completed": pgettext("fact", "years in a row not completed"),
        "in_planning": pgettext("fact", "in the planning pool"),
        "months_to_retirement": pgettext("fact", "months to retirement"),
        "active_discipline": pgettext("fact", "under a discipline in force"),
        "discipline_in_latest_year": pgettext("fact", "disciplined in the year of the latest rating"),
        "under_investigation": pgettext("fact", "under investigation"),
        "on_secondment": pgettext("fact", "on secondment"),
        "months_in_post": pgettext("fact", "months in the post"),
        "retirement_date": pgettext("fact", "retirement date"),
        "months_on_secondment": pgettext("fact", "months on secondment"),
        "age": pgettext("fact", "age"),
        "gender": pgettext("fact", "gender"),
        "position": pgettext("fact", "post held"),
        "rating": pgettext("fact", "rating"),
        "standing_committee": pgettext("fact", "standing committee member"),
        "appointed_on": pgettext("fact", "appointed on"),
        "birth_date": pgettext("fact", "date of birth"),
        # the other fields of the catalogue (what ``explain`` shows beside a condition)
        "is_key": pgettext("fact", "key official"),
        "id": pgettext("fact", "official id"),
        "unit": pgettext("fact", "unit"),
        "field_of_study": pgettext("fact", "field of study"),
        "secondment_since": pgettext("fact", "seconded since"),
        "unit_kind": pgettext("fact", "kind of unit"),
        "unit_class": pgettext("fact", "class of the unit"),
        "district": pgettext("fact", "district"),
        "has_council": pgettext("fact", "has a people's council"),
        # functions of the built-in catalogue, when a fact is a call
        "holds": pgettext("fact", "holds"),
        "consecutive": pgettext("fact", "years in a row rated"),
        "disciplined_since": pgettext("fact", "disciplined"),
        "extra_text": pgettext("fact", "column"),
        "extra_number": pgettext("fact", "column"),
        "extra_bool": pgettext("fact", "column"),
        "extra_date": pgettext("fact", "column"),
        "holders": pgettext("fact", "holders of"),
        "count": pgettext("fact", "number of"),
        "studied": pgettext("fact", "studied"),
    }


def _value_text(key: str, value: JSONValue, lang: str) -> str:
    if isinstance(value, list):
        return ", ".join(_value_text(key, v, lang) for v in value)
    if value is None or isinstance(value, (str, int, float)):  # facts repeat their values: each pair in words once
        return _scalar_text(key, value, lang)
    return format(Shown(value, lang), "")


@cache
def _key_sets(lang: str) -> Mapping[str, str]:
    """The built-in packs' sets of key posts (``[key_positions] sets``, the ``key_positions`` fact) in words."""
    pgettext = translation(lang).pgettext
    return {"extended": pgettext("key set", "the eight key posts (party secretary to front chair)"),
            "core3": pgettext("key set", "the three heads (party secretary, committee chair, front chair)")}


@lru_cache(maxsize=1 << 16, typed=True)
def _scalar_text(key: str, value: JSONValue, lang: str) -> str:
    if isinstance(value, bool):
        return yes_no(value, lang)
    if key == "key_positions" and isinstance(value, str) and value in _key_sets(lang):
        return _key_sets(lang)[value]
    if isinstance(value, str):
        for vocab in VOCABULARIES.values():
            if value in vocab.codes and (key == vocab.name or key in ("vacant", "latest_rating", "key_positions")
                                         or key.endswith(vocab.name)):
                return code_label(vocab, value, lang)
        if key == "kind" and value in VOCABULARIES["unit_kind"].codes:
            return code_label(VOCABULARIES["unit_kind"], value, lang)
        return format(Shown(value, lang), "")
    if isinstance(value, float) and key in ("value", "target", "low_confidence_share"):
        return format(Shown(value, lang), ".1%")
    if value is None:
        return "—"
    return format(Shown(value, lang), "")


@lru_cache(maxsize=1 << 12)
def _key_text(key: str, lang: str) -> str:
    """A fact's name in words of ``lang`` (a call such as ``holders('committee_vice_chair')`` too)."""
    names = _fact_names(lang)
    name = names.get(key)
    if name is not None:
        return name
    call = _CALL.match(key)
    if call is None:
        return key.replace("_", " ")
    function, args = call.groups()
    words = []
    for quoted in _QUOTED.finditer(args):
        text = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
        words.append(_condition_text(text, names, lang))
    head = names.get(function, function.replace("_", " "))
    return f"{head} {', '.join(words)}".strip() if words else head


_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_OPERATORS = {"and": ("and", "và"), "or": ("or", "hoặc"), "not": ("not", "không")}


def _condition_text(text: str, names: Mapping[str, str], lang: str) -> str:
    """An argument of a call (a code, or a condition such as ``standing_committee and gender ==
    'female'``) in words: codes as labels, fields by their names, ``and``/``or``/``not`` in ``lang``."""
    codes = {c: vocab for vocab in VOCABULARIES.values() for c in vocab.codes}
    if text in codes:
        return code_label(codes[text], text, lang)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in _OPERATORS:
            return _OPERATORS[token][lang != "en"]
        if token in codes:
            return code_label(codes[token], token, lang)
        return names.get(token, token.replace("_", " "))

    return _WORD.sub(word, text.replace("==", "=").replace("'", "").replace('"', ""))


def facts_text(facts: Mapping[str, JSONValue], lang: str) -> str:
    """A finding's facts as readable text: ``vacant: Chủ tịch UBMTTQ; filled: 6`` in words of ``lang``
    (codes as labels or words, numbers and dates as the reader writes them), ``—`` for no facts."""
    return _facts_text(facts, lang, _fact_text)


def _facts_text(facts: Mapping[str, JSONValue], lang: str, fact: Callable[[str, JSONValue, str, bool], str]) -> str:
    """:func:`facts_text`, each fact put in words by ``fact``."""
    if not facts:
        return "—"
    # a quota of a count per unit (an average): its value and target are numbers, not shares
    averages = facts.get("per") == "unit"
    return "; ".join(fact(k, v, lang, averages) for k, v in facts.items() if not (averages and k == "per"))


def has_name(field: str, lang: str) -> bool:
    """Whether :func:`field_text` names ``field`` in words (a field of the catalogue, or a call of one of its
    functions), rather than spelling its id."""
    call = _CALL.match(field)
    return field in _fact_names(lang) or (call is not None and call.group(1) in _fact_names(lang))


def field_text(field: str, value: JSONValue, lang: str) -> tuple[str, str]:
    """A field of the catalogue (or a call, ``holds('party_secretary')``) and its value as a person reads them in
    ``lang``: its name (the one a finding's facts give it) and its value in words (empty when unknown: the caller
    says "missing" its own way)."""
    return _key_text(field, lang), "" if value is None else _value_text(field, value, lang)


def _fact_text(key: str, value: JSONValue, lang: str, averages: bool) -> str:
    """One fact in words: ``vacant: Chủ tịch UBMTTQ``."""
    return f"{_key_text(key, lang)}: {_value_text('' if averages else key, value, lang)}"


class FactsTexts:
    """:func:`facts_text` of a report's findings, each facts mapping put in words once: the findings of a
    rule that show the same values share one mapping (the engine builds it once), so a report of 100,000
    findings has a few thousand. The mappings seen are held, so an id is never reused while this lives.

    ``names`` (the report's): the ``position`` fact of an official whose post is outside the list (code ``other``,
    "Khác") is said as the finding's subject names the post — the title the input writes ("Chuyên viên Phòng Kinh
    tế"), else the category ("Công chức") — not "Khác" beside a subject that shows the title."""

    def __init__(self, lang: str, names: Names | None = None) -> None:
        self.lang = lang
        self.names = names
        self._seen: dict[int, tuple[Mapping[str, JSONValue], str]] = {}
        self._facts: dict[tuple[str, type, JSONValue, bool], str] = {}  # each fact (a name and a value) in words

    def __call__(self, facts: Mapping[str, JSONValue], subject: tuple[str, str] | None = None) -> str:
        """``facts`` in words; ``subject`` (the finding's kind and id): whose post a ``position`` of ``other`` is."""
        if subject is not None and facts.get("position") == OTHER:
            post = subject_parts(self.names, *subject)
            if post is not None and post[1]:
                return _facts_text({**facts, "position": post[1]}, self.lang, self._fact)
        seen = self._seen.get(id(facts))
        if seen is not None:
            return seen[1]
        text = _facts_text(facts, self.lang, self._fact)
        self._seen[id(facts)] = (facts, text)
        return text

    def _fact(self, key: str, value: JSONValue, lang: str, averages: bool) -> str:
        """:func:`_fact_text`, once per distinct fact (most facts of distinct mappings repeat: ages, dates)."""
        seen = (key, type(value), value, averages)  # typed: True and 1 are put in different words
        try:
            text = self._facts.get(seen)
        except TypeError:  # a list or a mapping: put in words each time
            return _fact_text(key, value, lang, averages)
        if text is None:
            text = self._facts[seen] = _fact_text(key, value, lang, averages)
        return text
