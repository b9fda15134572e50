"""The report of an evaluation as it was asked for, by the command line (``cadre-rules evaluate [--scope …]
[--waivers …] [--baseline …]``) and by the service (``POST /v1/evaluate[?scope=…]``, the files ``waivers`` and
``baseline``) alike: restricted to one district or one commune (:func:`~._scope.scope_report`, with the coverage,
the data's date and their notes of the scope's units); or, not restricted, as its data cover
(:func:`~._shares.as_covered`: one commune's file says its "city" rows are that commune's and gives its own shares;
a commune's officials with the city's units file are its report, :func:`~._unstaffed.with_unstaffed_units`);
then the findings waived and those of a baseline set aside (:func:`set_aside`), those of the scope only.

One place, so that the service's report of the same input and options is the command line's, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from .._i18n import translation
from ..errors import Naming
from ..model._argument_notes import report_named_by
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Notice
from ..model._report_records import Report
from ..packs._packs import Pack
from ._applied import not_applied_note
from ._applied import not_applying
from ._coverage import foreign_packs
from ._coverage import packs_scope_notes
from ._covered import covered_by_data
from ._covered import scope_title
from ._nothing_counted import nothing_counted_notices
from ._shares import as_covered
from ._uncomputed import uncomputed_quota_notices
from ._unstaffed import with_unstaffed_units

if TYPE_CHECKING:  # (loaded with the options that use them: not by a plain report)
    from ._waivers import Baseline
    from ._waivers import Waiver

__all__ = ["as_asked", "foreign_pack_notes", "own_data", "set_aside"]


def as_asked(report: Report, lang: str, scope: tuple[str, str] | None, *, officials: Sequence[Official],
             units: Sequence[Unit], packs: Sequence[Pack], known: Sequence[Pack], named: bool,
             naming: Naming | None = None) -> Report:
    """``report`` (the engine's, of ``officials`` and ``units``) restricted to ``scope`` (``(kind, name)`` from
    :func:`~._scope.parse_scope`), or as its data cover when ``scope`` is ``None``. ``packs``: those evaluated;
    ``known``: those the engine was given; ``named``: the packs were named (``--pack``, ``pack=``). An unknown
    district or unit is an :class:`~cadre_rules.errors.InputError` located at ``--scope``. ``naming``: how the
    caller names the arguments its notes name (:func:`~cadre_rules.model._argument_notes.report_named_by`: the
    command line's ``--as-of``, the service's ``as_of``); ``None``: as the Python API names them."""
    if scope is None:  # (the units without officials first: a commune's officials with the city's units file)
        report = with_unstaffed_units(report, officials, units, lang)
        asked = as_covered(own_data(report, lang, packs, units, named), lang)
        asked = _of_its_units(asked, lang, officials, units, packs, known, named)
    else:
        from ._scope import Evaluated  # noqa: PLC0415 - loaded with the option (not by an unrestricted report)
        from ._scope import scope_report  # noqa: PLC0415

        scoped = scope_report(report, *scope, lang, evaluated=Evaluated(officials, units, packs, known, named))
        asked = _without_foreign_pending(scoped, known, units)
    asked = _with_uncomputed_quotas(asked, lang, packs, officials)
    asked = _with_not_applied_note(asked, lang, packs, units)
    return asked if naming is None else report_named_by(asked, naming)


def _of_its_units(report: Report, lang: str, officials: Sequence[Official], units: Sequence[Unit],
                  packs: Sequence[Pack], known: Sequence[Pack], named: bool) -> Report:
    """``report`` not restricted by ``--scope`` but of some units of the input only — one commune's or one district's
    own data (:func:`~._covered.covered_by_data`), a commune's officials with the city's units file
    (:func:`~._unstaffed.with_unstaffed_units`) — with the coverage of those units, as ``--scope`` gives it: a plugin's
    pack of other units applies to none of them (:mod:`._applied`). The notes on the packs' scopes are
    :func:`own_data`'s. Any other report (the city's) as it is."""
    if report.names is None:
        return report
    kept = frozenset(report.names.units)
    if covered_by_data(report) is None and len(kept) >= len(units):
        return report
    from ._evaluated import Evaluated  # noqa: PLC0415 - loaded with such a report (not by the city's)
    from ._evaluated import scope_coverage  # noqa: PLC0415

    return scope_coverage(report, Evaluated(officials, units, packs, known, named), kept, lang, pack_notes=True)


def _with_uncomputed_quotas(report: Report, lang: str, packs: Sequence[Pack],
                             officials: Sequence[Official]) -> Report:
    """``report`` with the notes of the quotas that could not be computed, a column missing from the input
    (:func:`~._uncomputed.uncomputed_quota_notices`), then of the metrics with nothing to count that those do not
    name (:func:`~._nothing_counted.nothing_counted_notices`: no rating of the years a quota counts); as it is when
    there are none."""
    new = [n for n in uncomputed_quota_notices(report, packs, officials, lang) if n.message not in report.notes]
    said = {rule for n in (*report.notices, *new) if n.kind == "undecided" for rule in n.rules}
    new += [n for n in nothing_counted_notices(report, packs, lang, said) if n.message not in report.notes]
    if not new:
        return report
    return attrs.evolve(report, notes=(*report.notes, *(n.message for n in new)), notices=(*report.notices, *new))


def _with_not_applied_note(report: Report, lang: str, packs: Sequence[Pack], units: Sequence[Unit]) -> Report:
    """``report`` with, last among its notes, the note that packs were found that apply to none of its units
    (:func:`~._applied.not_applied_note`, a notice of kind ``packs``); as it is when every pack applies, or when its
    notes already say so of the whole input (the packs named with ``--pack`` in a commune's own report: "pack …
    covers no unit of the input")."""
    if not not_applying(report) or packs_scope_notes(packs, units, lang).intersection(report.notes):
        return report
    about = scope_title(report)
    if about == report.city:  # (some units of the city, not one commune or district)
        about = translation(lang).gettext("the units of this report")
    note = not_applied_note(report, about, lang)
    if note is None:
        return report
    return attrs.evolve(report, notes=(*report.notes, note), notices=(*report.notices, Notice("packs", "info", note)))


def _without_foreign_pending(report: Report, known: Sequence[Pack], units: Sequence[Unit]) -> Report:
    """``report`` restricted to a scope without the notices of packs not yet in force (kind ``packs``) whose
    ``[scope]`` covers none of the scope's units: another district's or commune's plugin, as the engine leaves them
    out of a report of one commune's own data (:func:`~._coverage.pending_notices`)."""
    scope = report.scope
    if scope is None or not any(n.kind == "packs" for n in report.notices):
        return report
    mine = [u for u in units if (u.code if scope.kind == "unit" else u.district) == scope.id]
    foreign = foreign_packs(known, mine)
    said = {n.message for n in report.notices
            if n.kind == "packs" and any(f" {ref} " in n.message for ref in foreign)}
    if not said:
        return report
    return attrs.evolve(report, notes=tuple(n for n in report.notes if n not in said),
                        notices=tuple(n for n in report.notices if n.message not in said))


def own_data(report: Report, lang: str, packs: Sequence[Pack], units: Sequence[Unit], named: bool) -> Report:
    """``report`` of one commune's or one district's own data (:func:`~._covered.covered_by_data`) without the notes
    on the packs' scopes (:func:`foreign_pack_notes`); any other report (the city's) as it is."""
    noise = foreign_pack_notes(report, lang, packs, units, named)
    if not noise.intersection(report.notes):
        return report
    return attrs.evolve(report, notes=tuple(n for n in report.notes if n not in noise))


def foreign_pack_notes(report: Report, lang: str, packs: Sequence[Pack], units: Sequence[Unit],
                       named: bool) -> frozenset[str]:
    """The notes on the packs' scopes (:func:`~._coverage.packs_scope_notes`: "pack ba-vi-local covers no unit of the
    input" in Phường Ba Đình's report) that a report of one commune's or one district's own data
    (:func:`~._covered.covered_by_data`) does not say, as a report restricted to it by ``--scope`` has none; none
    when the packs were named (``named``: the user asked for them) or of any other report (the city's). ``match``
    and ``project`` leave out the same notes as ``evaluate``."""
    if named or covered_by_data(report) is None:
        return frozenset()
    return frozenset(packs_scope_notes(packs, units, lang))


def set_aside(report: Report, officials: Sequence[Official], lang: str, *, waivers: Sequence[Waiver] | None = None,
              baseline: Baseline | None = None, source: str = "baseline") -> tuple[Report, tuple[Waiver, ...]]:
    """``report`` (from :func:`as_asked`) with the findings ``waivers`` match set aside, then only those not in
    ``baseline`` (a previous report's, read from ``source``: the name its note gives), and the waivers that had
    expired (a note each in the report; the command line says them on stderr too). Of a report restricted to a
    scope, only the waivers and the baseline's findings of its subjects count (:func:`~._scope.scope_subjects`:
    the others are not "unused" or "resolved" there)."""
    if waivers is None and baseline is None:
        return report, ()
    from ._waivers import apply_baseline  # noqa: PLC0415 - loaded with the options
    from ._waivers import apply_waivers  # noqa: PLC0415

    if report.scope is not None:
        from ._scope import scope_subjects  # noqa: PLC0415

        subjects = scope_subjects(report, officials)
        waivers = None if waivers is None else tuple(w for w in waivers if w.subject in subjects)
        baseline = None if baseline is None else baseline.within(subjects)
    expired: tuple[Waiver, ...] = ()
    if waivers is not None:
        report, lapsed = apply_waivers(report, waivers, lang=lang)
        expired = tuple(lapsed)
    if baseline is not None:
        report = apply_baseline(report, baseline.keys, lang=lang, source=source)
    return report, expired
