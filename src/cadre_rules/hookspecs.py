"""The plugin contract of cadre-rules: every hook a district plugin may implement.

Plugins are found through the ``cadre_rules`` entry-point group and implement hooks marked with
:data:`hookimpl`::

    from cadre_rules import hookimpl

    @hookimpl
    def cadre_rules_register_packs(register):
        register(Path(__file__).parent / "ba-vi.toml")

Hook implementations may accept any subset of a hook's arguments (pluggy's opt-in arguments):
new arguments can be added to a hook without breaking existing plugins.

Registration hooks (``cadre_rules_register_*``) are called once per :class:`~cadre_rules.Engine`
when it is built; a plugin that raises in one of them, or registers something invalid, is disabled
as a whole (or fails the engine under ``strict_plugins``). Every implementation is called, in
plugin-name order with the built-in plugin ``cadre_rules`` first; hook wrappers are not supported.
The guide and the reference of every hook: ``docs/plugins.md``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING
from typing import Any
from typing import Protocol

import pluggy

if TYPE_CHECKING:
    from .model._model import Official

__all__ = [
    "FunctionRegistrar",
    "PackRegistrar",
    "ReaderRegistrar",
    "RendererRegistrar",
    "cadre_rules_enrich_official",
    "cadre_rules_register_functions",
    "cadre_rules_register_packs",
    "cadre_rules_register_readers",
    "cadre_rules_register_renderers",
    "hookimpl",
    "hookspec",
]

PROJECT = "cadre_rules"

#: Marks a hook specification (used by cadre-rules itself).
hookspec = pluggy.HookspecMarker(PROJECT)
#: Marks a plugin's hook implementation: ``@hookimpl def cadre_rules_register_packs(register): …``.
hookimpl = pluggy.HookimplMarker(PROJECT)


class PackRegistrar(Protocol):
    """``register(pack, *, districts=(), units=())``: add a policy pack.

    ``pack`` is a :class:`~cadre_rules.Pack` or the path of a ``.toml`` pack. ``districts`` and
    ``units`` restrict it to those districts (by name) or units (by code), in addition to the
    ``[scope]`` the pack itself may declare.
    """

    def __call__(self, pack: Any, *, districts: tuple[str, ...] | list[str] = (),
                 units: tuple[str, ...] | list[str] = ()) -> None: ...


class FunctionRegistrar(Protocol):
    """``register(name, func, *, returns, params=(), subject="official", variadic=False, doc="", reads=None)``.

    Adds a typed function usable in pack expressions. ``func(context, *args)`` receives an
    :class:`~cadre_rules.OfficialContext` (or :class:`~cadre_rules.UnitContext` when ``subject`` is
    ``"unit"``) and the literal arguments, and returns a value of type ``returns`` or ``None``
    (unknown). Types: ``"bool"``, ``"int"``, ``"number"``, ``"date"``, ``"text"`` or
    ``"code:<vocabulary>"`` (``code:education``, ``code:position``…). A plugin's function that raises
    or returns a value of another type stops the evaluation with :class:`~cadre_rules.PluginError`.

    ``reads`` (functions of officials only) names the attributes of the
    :class:`~cadre_rules.Official` that the result depends on, besides the arguments and the as-of
    date, e.g. ``("birth_date", "gender")``: the engine then calls ``func`` once per distinct
    combination of those attributes and reuses the result for every official sharing it. Leave it
    ``None`` (the default) when the function reads anything else (``extra``, an enrichment, a
    file): it is then called for every official.
    """

    def __call__(self, name: str, func: Any, *, returns: str, params: tuple[str, ...] | list[str] = (),
                 subject: str = "official", variadic: bool = False, doc: str = "",
                 reads: tuple[str, ...] | list[str] | None = None) -> None: ...


class ReaderRegistrar(Protocol):
    """``register(extension, *, officials=None, units=None)``: read a file format.

    ``officials(path, units)`` returns a sequence of :class:`~cadre_rules.Official`
    (``units`` maps unit codes to units); ``units(path)`` returns a sequence of
    :class:`~cadre_rules.Unit`. Both raise :class:`~cadre_rules.InputError` for bad values.
    ``extension`` is the file suffix without the dot (``"ods"``).
    """

    def __call__(self, extension: str, *, officials: Any = None, units: Any = None) -> None: ...


class RendererRegistrar(Protocol):
    """``register(name, render, *, extension, doc="")``: an output format for ``--format NAME``.

    ``render(report, lang)`` returns the output as ``str`` (written as UTF-8) or ``bytes``, or an
    iterator of such pieces, written as they come (a large output streamed, not held whole).
    """

    def __call__(self, name: str, render: Any, *, extension: str, doc: str = "") -> None: ...


# -- registration (called once per Engine) --------------------------------------------------

@hookspec
def cadre_rules_register_packs(register: PackRegistrar) -> None:
    """Register policy packs.

    Called once when an :class:`~cadre_rules.Engine` is built, before any evaluation.

    :param register: call it once per pack: ``register(pack, districts=(), units=())``.
    :return: nothing; use ``register``.

    All implementations are called. Pack ids must be unique across plugins.
    """


@hookspec
def cadre_rules_register_functions(register: FunctionRegistrar) -> None:
    """Register typed functions usable in pack expressions (computed per official or unit).

    Called once when an :class:`~cadre_rules.Engine` is built, before packs are validated, so that
    packs may call the functions.

    :param register: ``register(name, func, *, returns, params=(), subject="official", variadic=False, doc="",
        reads=None)``.
    :return: nothing; use ``register``.

    All implementations are called. Function names must be unique across plugins.
    """


@hookspec
def cadre_rules_register_readers(register: ReaderRegistrar) -> None:
    """Register readers of officials and units files by file extension.

    Called once when an :class:`~cadre_rules.Engine` is built.

    :param register: ``register(extension, *, officials=None, units=None)``.
    :return: nothing; use ``register``.

    All implementations are called. Extensions must be unique across plugins.
    """


@hookspec
def cadre_rules_register_renderers(register: RendererRegistrar) -> None:
    """Register output formats (``cadre-rules evaluate --format NAME``).

    Called once when an :class:`~cadre_rules.Engine` is built.

    :param register: ``register(name, render, *, extension, doc="")``.
    :return: nothing; use ``register``.

    All implementations are called. Renderer names must be unique across plugins.
    """


# -- evaluation ----------------------------------------------------------------------------

@hookspec
def cadre_rules_enrich_official(official: Official, as_of: date) -> Mapping[str, Any] | None:
    """Add extra values about one official, as of the evaluation date.

    Called once per official per evaluation, before any rule is evaluated (only if some plugin
    implements it). Pack expressions read the values with ``extra_text('key')``,
    ``extra_number('key')``, ``extra_bool('key')`` and ``extra_date('key')``; functions read them from
    ``context.extra``.

    :param official: the official, as read from the input.
    :param as_of: the evaluation date.
    :return: a mapping of extra values (str, int, float, bool or date), or ``None``.

    All implementations are called; later plugins' keys override earlier ones. A plugin that raises
    for any official is disabled for the whole evaluation (never for a part of it).
    """
