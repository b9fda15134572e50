"""The exceptions and warnings of cadre-rules.

Every error the package raises on purpose derives from :class:`CadreRulesError`.
Errors caused by bad input are also :class:`ValueError`, so callers that already
catch ``ValueError`` keep working.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "CadreRulesError",
    "CadreRulesWarning",
    "EvaluationError",
    "ExpressionError",
    "InputError",
    "InputNote",
    "PackError",
    "PluginError",
    "Problem",
    "RenderError",
]

#: How many problems of one file are reported before the rest are summarised.
MAX_PROBLEMS = 50


@attrs.frozen
class Problem:
    """One located problem in an input file or a policy pack.

    :param file: the file name (or ``<string>``).
    :param reason: what is wrong, in plain words.
    :param row: 1-based row of a CSV/XLSX file (the header is row 1), or ``None``.
    :param column: column name, or the JSON pointer / TOML key path.
    :param value: the offending value, as read.
    :param sheet: the sheet of a workbook, or ``None``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``sheet``.
    """

    file: str
    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f", sheet {self.sheet!r}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", {self.column}"
        text = f"{where}: {self.reason}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (got {shown!r})"
        return text


class CadreRulesError(Exception):
    """Root of every error raised by cadre-rules.

    .. versionadded:: 0.1.0
    """


class _ProblemsError(CadreRulesError, ValueError):
    """An error carrying one or more located :class:`Problem` objects."""

    kind = "error"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS]]
        rest = len(self.problems) - len(shown)
        if rest > 0:
            shown.append(f"... and {rest} more problem(s)")
        count = len(self.problems)
        head = f"{count} {self.kind} problem{'s' if count != 1 else ''}"
        return head + ":\n  " + "\n  ".join(shown)


class InputError(_ProblemsError):
    """Officials or units data that cannot be read or fails validation.

    :attr problems: every located :class:`Problem` found in the file(s).

    .. versionadded:: 0.1.0
    """

    kind = "input"


class PackError(_ProblemsError):
    """A policy pack that cannot be loaded: bad TOML, unknown keys, wrong types,
    unknown fields or functions in expressions, duplicate rule ids.

    The pack is rejected whole.

    .. versionadded:: 0.1.0
    """

    kind = "policy pack"


class ExpressionError(CadreRulesError, ValueError):
    """A pack expression that is not in the safe subset or does not type-check.

    :param reason: what is wrong.
    :param expression: the expression text.
    :param suggestion: a close field or function name, if any.

    .. versionadded:: 0.1.0
    """

    def __init__(self, reason: str, expression: str = "", suggestion: str | None = None) -> None:
        self.reason = reason
        self.expression = expression
        self.suggestion = suggestion
        text = reason
        if suggestion:
            text += f" (did you mean {suggestion!r}?)"
        super().__init__(text)


class PluginError(CadreRulesError):
    """A plugin that failed to load, raised in a hook, or returned garbage.

    :param plugin: the plugin's name.
    :param reason: what went wrong.

    .. versionadded:: 0.1.0
    """

    def __init__(self, plugin: str, reason: str) -> None:
        self.plugin = plugin
        self.reason = reason
        super().__init__(f"plugin {plugin!r}: {reason}")


class EvaluationError(CadreRulesError, RuntimeError):
    """The rule engine failed or exceeded its time bound while evaluating.

    .. versionadded:: 0.1.0
    """


class RenderError(CadreRulesError, RuntimeError):
    """A format could not be written: e.g. ``--format pdf`` without Chromium to print it.

    :param format_name: the format's name (``pdf``).
    :param reason: what went wrong, and what to do.

    .. versionadded:: 0.2.0
    """

    def __init__(self, format_name: str, reason: str) -> None:
        self.format_name = format_name
        self.reason = reason
        super().__init__(f"--format {format_name}: {reason}")


class CadreRulesWarning(UserWarning):
    """Base class of the warnings issued by cadre-rules.

    .. versionadded:: 0.1.0
    """


class InputNote(CadreRulesWarning):
    """How a file was read, when it was read otherwise than as written: ids made from the sheet and row
    (no id column), dates of a month and a year only read as the first of the month, a CSV read as
    Windows-1258. The message names the file (and sheet), never a person.

    .. versionadded:: 0.2.0
    """
