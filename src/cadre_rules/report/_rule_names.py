"""The names of rules and metrics in the reader's language (:class:`RuleNames`, :func:`named_rule`,
:func:`named_metric`): the name a pack gives a rule (a ``[[rule]]``'s or ``[[quota]]``'s ``name``, carried by
``PackRef.rules``), else the built-in name of its id, else none (a rule id is a code; words made up from it would
read as a name nobody gave). One place for the reports' tables (``render``) and the notes the engine and a
restricted report write (:mod:`~cadre_rules.report._notices`): a note names a rule as the tables do.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from functools import cache

from .._i18n import translation
from ..model._report_records import PackRef

__all__ = ["RuleNames", "named_metric", "named_rule"]


def _metric_names(lang: str) -> dict[str, str]:
    t = translation(lang)
    return {
        "quota.young": t.pgettext("metric", "Key officials under 35"),
        "quota.women": t.pgettext("metric", "Women among key officials"),
        "quota.university": t.pgettext("metric", "Key officials with a university degree"),
        "quota.ethnic_minority": t.pgettext("metric", "Ethnic-minority key officials"),
        "quota.woman_standing_committee": t.pgettext("metric", "A woman on the standing committee"),
        "staffing.fill_rate": t.pgettext("metric", "Key posts filled"),
        "staffing.posts_filled": t.pgettext("metric", "Posts filled"),
        "staffing.committee_vice_chair_average": t.pgettext("metric", "Committee vice-chairs per unit"),
        "quota.excellent_share": t.pgettext("metric", "Civil servants rated excellent (of those rated good or "
                                                      "excellent)"),
    }


def named_metric(metric_id: str, lang: str) -> str | None:
    """A built-in pack's metric by its name in ``lang``; ``None`` for any other id."""
    return _metric_names(lang).get(metric_id)


@cache
def _rule_names(lang: str) -> Mapping[str, str]:
    """The built-in rules' names in ``lang``, by rule id: the built-in packs', the example plugins' and the
    engine's own (``staffing.past_retirement``), in the words of an HR document. A quota's rule is named as its
    metric (:func:`named_metric`: they share the id) unless named here."""
    pgettext = translation(lang).pgettext
    return {
        # staffing: posts and the units' organisation
        "staffing.posts": pgettext("rule", "Commune posts not all filled"),
        "staffing.vacancy": pgettext("rule", "Key posts not all filled"),
        "staffing.council_vice_chairs": pgettext("rule", "Council vice-chairs above the number set"),
        "staffing.committee_vice_chair_cap": pgettext("rule", "Committee vice-chairs above the guideline"),
        "staffing.vice_chair_cap": pgettext("rule", "Committee vice-chairs above the maximum"),
        "staffing.no_council": pgettext("rule", "Unit recorded without a People's Council"),
        "staffing.town": pgettext("rule", "Unit still recorded as a township"),
        "staffing.legacy_title": pgettext("rule", "Civil-servant title no longer in use"),
        "staffing.ward_council": pgettext("rule", "Ward recorded with a People's Council"),
        "staffing.past_retirement": pgettext("rule", "Past retirement age"),
        # qualifications
        "qualification.degree": pgettext("rule", "Professional qualification below university"),
        "qualification.general_education": pgettext("rule", "General education below the standard"),
        "qualification.theory": pgettext("rule", "Political theory below the standard"),
        "qualification.theory_advanced": pgettext("rule", "Political theory of a head below the former district "
                                                          "standard"),
        "qualification.secretary_local": pgettext("rule", "Party secretary from the locality"),
        "qualification.rural_economy": pgettext("rule", "No key official trained in agricultural economics or "
                                                        "tourism"),
        "qualification.urban_planning": pgettext("rule", "No civil servant trained in urban planning or "
                                                         "architecture"),
        # quotas (the others are named as their metrics)
        "quota.woman_standing_committee": pgettext("rule", "No woman on the party standing committee"),
        "quota.young_commune": pgettext("rule", "Key officials under 35 in the commune"),
        # replacement
        "replacement.not_completed": pgettext("rule", "Rated as not completing duties"),
        "replacement.two_years_not_completed": pgettext("rule", "Two years in a row not completing duties"),
        "replacement.civil_servant_not_completed": pgettext("rule", "Civil servant not completing duties"),
        "replacement.streamlining": pgettext("rule", "Subject to staff streamlining"),
        "replacement.low_confidence": pgettext("rule", "Low-confidence vote: dismissal to consider"),
        "replacement.resignation_band": pgettext("rule", "Low-confidence vote: resignation to consider"),
        "replacement.discipline": pgettext("rule", "Disciplined in the year rated"),
        "replacement.head_relief": pgettext("rule", "Head of a unit below its yearly targets"),
        "replacement.legacy_discipline_form": pgettext("rule", "Discipline in a form no longer in use"),
        # rotation
        "rotation.eligible": pgettext("rule", "Eligible for rotation"),
        "rotation.position_change_due": pgettext("rule", "Position change due"),
        "rotation.secondment_overdue": pgettext("rule", "Secondment past its term"),
        "rotation.retiring_soon": pgettext("rule", "Retirement approaching"),
    }


def named_rule(rule_id: str, lang: str) -> str | None:
    """A built-in rule by its name in ``lang`` (a quota's by its metric's); ``None`` for any other id."""
    name = _rule_names(lang).get(rule_id)
    return name if name is not None else named_metric(rule_id, lang)


class RuleNames:
    """The names of a report's rules in ``lang``, by pack and rule id: the name the pack gives a rule (its
    :attr:`~cadre_rules.PackRef.rules`), else the built-in name of its id (:func:`named_rule`), else ``None``
    — a rule without a name is shown by its id alone, never by words made up from it."""

    def __init__(self, packs: Iterable[PackRef] | Mapping[str, Mapping[str, Mapping[str, str]]], lang: str) -> None:
        """``packs``: the report's packs, or the names they give their rules by pack id (:attr:`PackRef.rules`)."""
        self.lang = lang
        self._named = dict(packs) if isinstance(packs, Mapping) else {p.id: p.rules for p in packs if p.rules}
        self._known: dict[tuple[str, str], str | None] = {}  # each rule's name looked up once

    def __call__(self, pack: str, rule_id: str) -> str | None:
        try:
            return self._known[pack, rule_id]
        except KeyError:
            own = self._named.get(pack, {}).get(rule_id)
            name = self._known[pack, rule_id] = (own["en" if self.lang == "en" else "vi"] if own is not None
                                                 else named_rule(rule_id, self.lang))
            return name

    def label(self, pack: str, rule_id: str) -> str:
        """The rule for a line of text: ``name (id)``, or the id alone when it has no name."""
        name = self(pack, rule_id)
        return rule_id if name is None else f"{name} ({rule_id})"
