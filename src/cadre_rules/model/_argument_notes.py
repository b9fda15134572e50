"""Notes that name an argument of the caller (session 17): "evaluate an earlier ``--as-of``", "``--legacy-districts``
aggregates by former district", "name packs with ``--pack``". The engine and the report layer word such a note as the
Python API names its arguments (``as_of``, ``legacy_districts=True``, ``packs``: what an integrator calling
``Engine.evaluate`` gives); the command line and the service word it with their own names (``--as-of``;
``as_of``, ``legacy_districts=true``) by :func:`report_named_by` — the one place a front end gives a report's notes its
names, as :func:`~cadre_rules.errors.named_by` gives an error's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from typing import TypeVar

import attrs

from ..errors import Argument
from ..errors import Naming
from ..errors import named_text
from ._report_records import Report

__all__ = ["AS_OF", "LEGACY_DISTRICTS", "PACKS", "ArgumentNote", "notes_named_by", "report_named_by",
           "result_named_by"]

#: The arguments the notes name (each front end says them as it gives them: ``as_of``, ``--as-of``, ``as_of``).
AS_OF = Argument("as_of")
#: The packs to apply: ``Engine(packs=…)``, ``--pack``, ``pack``.
PACKS = Argument("packs")
#: The setting that keeps the districts after 2025-07-01, with the value to give it: ``legacy_districts=True`` (the
#: API's ``Engine``), ``--legacy-districts``, ``legacy_districts=true`` (the service's query).
LEGACY_DISTRICTS = Argument("legacy_districts", True)


def _api_name(argument: Argument) -> str:
    """An argument as the Python API names it: ``as_of``, ``legacy_districts=True``."""
    return str(argument)


class ArgumentNote(str):
    """A note's text (in the report's language) that names arguments of the caller: ``template`` filled with
    ``fields``, each :class:`~cadre_rules.errors.Argument` among them named as the Python API names it (the text
    of the note, a ``str``), or as a front end names it (:meth:`named`). The other fields are given as shown."""

    __slots__ = ("fields", "template")

    template: str
    fields: tuple[tuple[str, object], ...]

    def __new__(cls, template: str, **fields: object) -> ArgumentNote:
        made = super().__new__(cls, named_text(template, fields.items(), _api_name))
        made.template = template
        made.fields = tuple(fields.items())
        return made

    def named(self, naming: Naming) -> str:
        """The note with its arguments named by ``naming`` (:func:`~cadre_rules._exits.option_of`: ``--as-of``)."""
        return named_text(self.template, self.fields, naming)

    def __reduce__(self) -> tuple[object, ...]:  # (pickled whole: a report may cross processes)
        return (_made, (self.template, self.fields))


def _made(template: str, fields: tuple[tuple[str, object], ...]) -> ArgumentNote:
    return ArgumentNote(template, **dict(fields))


def notes_named_by(notes: Iterable[str], naming: Naming) -> tuple[str, ...]:
    """``notes`` with the arguments each names (an :class:`ArgumentNote`) named by ``naming``; the others as
    they are."""
    return tuple(n.named(naming) if isinstance(n, ArgumentNote) else n for n in notes)


def report_named_by(report: Report, naming: Naming) -> Report:
    """``report`` with the caller's arguments its notes (and its notices) name said by ``naming``: the command
    line's options (``--as-of``), the service's request fields (``as_of``). A report whose notes name none, as it
    is."""
    if not any(isinstance(n, ArgumentNote) for n in report.notes) and \
            not any(isinstance(n.message, ArgumentNote) for n in report.notices):
        return report
    return attrs.evolve(report, notes=notes_named_by(report.notes, naming), notices=tuple(
        attrs.evolve(n, message=n.message.named(naming)) if isinstance(n.message, ArgumentNote) else n
        for n in report.notices))


class _WithNotes(Protocol):
    @property
    def notes(self) -> tuple[str, ...]: ...


R = TypeVar("R", bound=_WithNotes)


def result_named_by(result: R, naming: Naming) -> R:
    """A job's result (an attrs record with ``notes``: a projection, an explanation, a match) with the arguments its
    notes name said by ``naming``, as :func:`report_named_by` says a report's; a result whose notes name none, as it
    is."""
    if not any(isinstance(n, ArgumentNote) for n in result.notes):
        return result
    # (every job result is an attrs record; mypy cannot bound a TypeVar to attrs classes and a protocol at once)
    return attrs.evolve(result, notes=notes_named_by(result.notes, naming))  # type: ignore[misc]
