"""The report an integrator asks for (``cadre_rules.evaluate_as_asked``): the one ``cadre-rules evaluate [--scope …]``
writes and ``POST /v1/evaluate[?scope=…]`` answers for the same records, through the typed API.

:meth:`Engine.evaluate <cadre_rules.Engine.evaluate>` gives the engine's report of the records as given, the city's:
one ward's officials with the city's units file would be reported with every other ward's posts vacant, without a
word. This is the command line's and the service's report instead (:func:`~cadre_rules.report._asked.as_asked`, the
one place that makes it): of the units the officials serve in, with the note of kind ``units`` saying what was left
out and how to have one commune's report; or restricted to ``scope``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..model._arguments import a_date
from ..model._arguments import a_digest
from ..model._arguments import a_text
from ..model._arguments import an_instance
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Report
from ..report._asked import as_asked
from ..report._scope import parse_scope
from ._arguments import NOT_AN_ENGINE
from ._arguments import check_records
from ._engine import Engine

__all__ = ["evaluate_as_asked"]


def evaluate_as_asked(engine: Engine, officials: Iterable[Official], units: Iterable[Unit],
                      as_of: date | None = None, *, scope: str | None = None, input_sha256: str | None = None,
                      data_as_of: date | None = None, source: str | None = None) -> Report:
    """The report of ``officials`` and ``units`` as of ``as_of`` (default: today) that the command line and the
    service give (docs/api.md, "The report as the command line gives it").

    Without ``scope``, as the data cover: the officials of one commune (or a few: at most one unit in ten of
    ``units`` has officials) with the city's units give that commune's report (the findings and metrics of the
    other units left out), and a first notice of kind ``units`` says so, naming ``scope='commune:CODE'``; when most
    units have officials, each unit without any is named in that notice (its vacancies stay). A commune's own data
    count its own shares of the city's quotas. With ``scope`` (``"district:NAME"`` or ``"commune:NAME"``: a unit's
    code or name), the report of that district or commune, titled for it, as ``evaluate --scope``.

    The other arguments are :meth:`Engine.evaluate`'s. Raises :class:`~cadre_rules.InputError` for a wrong argument
    (located at it: ``engine``, ``scope``, ``as_of``…), a malformed scope or one naming no unit or district of the
    data (located at ``scope``), and whatever :meth:`Engine.evaluate` raises.
    """
    officials, units = check_records(
        officials, units, an_instance("engine", engine, Engine, NOT_AN_ENGINE), a_date("as_of", as_of),
        a_date("data_as_of", data_as_of), a_digest("input_sha256", input_sha256),
        a_text("scope", scope, optional=True))  # (source: checked by Engine.evaluate)
    asked = None if scope is None else parse_scope(scope)  # (malformed: refused before evaluating)
    report = engine.evaluate(officials, units, as_of, input_sha256=input_sha256, data_as_of=data_as_of,
                             source=source)
    applied, _notes = engine.packs_for(report.as_of)
    return as_asked(report, engine.lang, asked, officials=officials, units=units, packs=applied, known=engine.packs,
                    named=engine.named)
