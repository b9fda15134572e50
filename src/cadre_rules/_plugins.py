"""The plugin manager of one engine: loading, validating and isolating plugins.

This is the only module that calls hooks; the engine sees typed registrations. A plugin that
fails to import, misspells a hook, raises in a hook or registers garbage is disabled as a whole
and reported by name (or, under ``strict``, fails the engine with :class:`PluginError`).
"""

from __future__ import annotations

import os
import traceback
import unicodedata
import warnings
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pluggy

from . import hookspecs
from ._hook_checks import check_hooks
from ._hook_checks import located
from ._hook_checks import wrong_arguments
from ._i18n import translation
from ._limits import ENV
from ._limits import limit
from ._timeouts import Bound
from ._timeouts import TimeLimitExceeded
from ._timeouts import time_limit
from .errors import N_
from .errors import CadreRulesError
from .errors import CadreRulesWarning
from .errors import InvalidValue
from .errors import Message
from .errors import PackError
from .errors import PluginError
from .errors import Words
from .model._model import Official
from .model._types import Natural
from .model._types import ValueType
from .model._types import parse_type_name
from .packs._catalogue import BUILTIN_FUNCTIONS
from .packs._catalogue import FunctionSpec
from .packs._packs import Pack
from .packs._packs import load_pack
from .packs._packs import unknown_override_packs
from .packs._succession import conflicts
from .packs._succession import succeed
from .packs._succession import versions_by_id

__all__ = ["BUILTIN", "DISABLE_ENV", "HookFailed", "PluginSet", "call_plugin", "disabled_by_env", "load_plugins",
           "renderer_gave", "renderer_raised"]

BUILTIN = "cadre_rules"
GROUP = "cadre_rules"
#: Set (to anything but empty or ``0``) to turn off every plugin installed through entry points.
DISABLE_ENV = "CADRE_RULES_DISABLE_PLUGINS"
_REGISTRATION = ("cadre_rules_register_functions", "cadre_rules_register_packs",
                 "cadre_rules_register_readers", "cadre_rules_register_renderers")
_EXTRA_TYPES = (str, int, float, bool, date)


class PluginWarning(CadreRulesWarning):
    """A plugin was disabled; the evaluation goes on without it."""


PluginWarning.__module__ = "cadre_rules"


def _in_both(error: CadreRulesError) -> Words:
    """An error as a field of a message, in one line, in English and in Vietnamese (a plugin's invalid pack): its
    problems, one a line in the error, separated by ``;``."""
    return Words(_one_line(error.text()), _one_line(error.text(translation("vi").gettext)))


def _one_line(text: str) -> str:
    head, *problems = (" ".join(line.split()) for line in text.splitlines())
    return " ".join([head, "; ".join(p for p in problems if p)]).strip()


def _as_is(text: str) -> Words:
    """A field of a message shown as it is in every language (a hook's name, a value of the plugin's)."""
    return Words(text, text)


#: What two plugins registered under one name, by kind.
_DUPLICATES = {
    "function": N_("duplicate function {ident}: registered by plugins {other} and {plugin}"),
    "reader for": N_("duplicate reader for {ident}: registered by plugins {other} and {plugin}"),
    "renderer": N_("duplicate renderer {ident}: registered by plugins {other} and {plugin}"),
    "pack": N_("duplicate pack {ident}: registered by plugins {other} and {plugin}"),
}


def _english(reason: str | Message | None) -> str | None:
    return None if reason is None else str(reason)


def disabled(plugin: str, reason: str | Message) -> PluginWarning:
    """The warning that ``plugin`` was disabled for ``reason`` (shown in the language of the command)."""
    template = N_("plugin {plugin} disabled: {reason}")
    return PluginWarning(template.format(plugin=repr(plugin), reason=str(reason)), template=template,
                         fields={"plugin": repr(plugin), "reason": reason})


@attrs.frozen
class RegisteredPack:
    pack: Pack
    plugin: str


@attrs.frozen
class Reader:
    extension: str
    plugin: str
    officials: Callable[..., Sequence[Any]] | None = None
    units: Callable[..., Sequence[Any]] | None = None


@attrs.frozen
class Renderer:
    name: str
    plugin: str
    render: Callable[..., str | bytes | Iterator[str | bytes]]
    extension: str
    doc: str = ""


@attrs.frozen
class PluginInfo:
    """What ``cadre-rules plugins`` shows about one plugin."""

    name: str
    version: str
    hooks: tuple[str, ...]
    packs: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()
    renderers: tuple[str, ...] = ()
    error: str | None = None


@attrs.define
class _Staged:
    packs: list[tuple[Any, tuple[str, ...], tuple[str, ...]]] = attrs.field(factory=list)
    functions: list[FunctionSpec] = attrs.field(factory=list)
    readers: list[Reader] = attrs.field(factory=list)
    renderers: list[Renderer] = attrs.field(factory=list)


class _Misregistered(ValueError):
    """A registrar called with a value it cannot take, said in the reader's language (a ``ValueError``)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


class _Mistyped(TypeError):
    """A registrar called with a value of a type it cannot take, said in the reader's language (a ``TypeError``)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


def _mistyped(template: str, **fields: str) -> _Mistyped:
    """``template`` (marked with ``N_``) filled with ``fields``, each shown as it is (names and values of the
    plugin's)."""
    return _Mistyped(Message(template, **{k: _as_is(v) for k, v in fields.items()}))


class HookFailed(Exception):
    """A plugin's hook raised, called ``sys.exit`` or ran past its time limit (``reason`` says which)."""

    def __init__(self, reason: str | Message) -> None:
        self.reason = reason
        super().__init__(str(reason))


def _hook_seconds() -> float:
    return limit("HOOK_TIMEOUT")


def _failure(hook: str | Message, exc: BaseException, bound: Bound) -> HookFailed | None:
    """What a hook's exception means for its plugin (``None``: not the plugin's doing, let it through)."""
    named: Message | Words = hook if isinstance(hook, Message) else _as_is(hook)
    if isinstance(exc, TimeLimitExceeded):
        if exc.bound is not bound:
            return None
        variable = ENV.get("HOOK_TIMEOUT")
        raise_it: Message | str = "" if variable is None else Message(
            N_("; if the data is legitimate, raise it with the environment variable {variable}"),
            variable=_as_is(variable))
        return HookFailed(Message(N_("{hook} did not return within {seconds} s (the limit HOOK_TIMEOUT{raise_it})"),
                                  hook=named, seconds=_as_is(f"{bound.seconds:g}"), raise_it=raise_it))
    if isinstance(exc, SystemExit):
        return HookFailed(Message(N_("called sys.exit({code}) in {hook}; a plugin cannot end the run"),
                                  code=_as_is(repr(exc.code)), hook=named))
    if isinstance(exc, Exception):
        error = _described(exc)
        return HookFailed(error if hook == "import" else Message(N_("raised in {hook}: {error}"), hook=named,
                                                                    error=error))
    return None  # KeyboardInterrupt and the like


_OURS = Path(__file__).parent


def _described(exc: Exception) -> str | Message:
    """A plugin's exception in one line, its type and words as they are, and where in the plugin it arose."""
    said = exc.msg if isinstance(exc, SyntaxError) else str(exc)  # (its str repeats the file's name)
    what: str | Message = " ".join(f"{type(exc).__name__}: {said}".split())
    if isinstance(exc, _Misregistered):  # (ours, in the reader's language)
        what = Message("ValueError: {reason}", reason=exc.message)
    elif isinstance(exc, _Mistyped):
        what = Message("TypeError: {reason}", reason=exc.message)
    where = _where(exc)
    return what if where is None else Message(N_("{error} ({file}, line {line})"),
                                              error=what if isinstance(what, Message) else _as_is(what),
                                              file=_as_is(where[0]), line=_as_is(str(where[1])))


def _where(exc: Exception) -> tuple[str, int] | None:
    """The file and line of the plugin's code where ``exc`` arose: a syntax error's own, else the innermost frame
    of the traceback outside cadre-rules, pluggy and Python's import machinery (``None``: none)."""
    if isinstance(exc, SyntaxError):
        return (exc.filename, exc.lineno or 0) if exc.filename else None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if frame.filename.startswith("<") or _OURS in path.parents or "pluggy" in path.parts:
            continue
        return frame.filename, frame.lineno or 0
    return None


def call_plugin(function: Callable[..., Any], hook: str | Message, /, *args: Any, **kwargs: Any) -> Any:
    """Call a plugin's ``function`` bounded by HOOK_TIMEOUT (``hook``: its name, or what it is as a message).

    :raises HookFailed: if it raised, called ``sys.exit`` or ran past the limit.
    """
    bound = time_limit(_hook_seconds(), str(hook))
    try:
        with bound:
            return function(*args, **kwargs)
    except BaseException as exc:
        failure = _failure(hook, exc, bound)
        if failure is None:
            raise
        raise failure from None


def renderer_raised(renderer: Renderer, exc: Exception) -> PluginError:
    """A plugin's renderer that raised while its streamed output was read, said as a failure at its call is: where
    in the plugin it arose, in the reader's language."""
    return PluginError(renderer.plugin, Message(N_("raised in {hook}: {error}"),
                                                hook=_as_is(f"renderer {renderer.name!r}"), error=_described(exc)))


def renderer_gave(renderer: Renderer, value: object, *, piece: bool) -> PluginError:
    """A plugin's renderer that returned (or, streaming, gave as a ``piece``) a value of a type it may not, located
    at the renderer's definition, in the reader's language."""
    said = (N_("renderer {name} gave a piece of type {type}, not str or bytes") if piece else
            N_("renderer {name} returned {type}, not str, bytes or an iterator of them"))
    return PluginError(renderer.plugin, located(Message(said, name=_as_is(repr(renderer.name)),
                                                        type=_as_is(type(value).__name__)), renderer.render))


def disabled_by_env() -> bool:
    """Whether ``CADRE_RULES_DISABLE_PLUGINS`` turns the entry-point plugins off."""
    return os.environ.get(DISABLE_ENV, "").strip() not in ("", "0")


class PluginSet:
    """The plugins of one engine and what they registered."""

    def __init__(self, pm: pluggy.PluginManager, versions: Mapping[str, str], *, strict: bool = False) -> None:
        self.pm = pm
        #: A plugin problem raises :class:`PluginError` instead of disabling the plugin with a warning.
        self.strict = strict
        self._versions = dict(versions)
        self.problems: dict[str, str | Message] = {}
        #: The latest version of each pack id, and the plugin that registered it.
        self.packs: dict[str, RegisteredPack] = {}
        #: Every version of each pack id, in the order they take effect (succession dates set).
        self.editions: dict[str, tuple[Pack, ...]] = {}
        self.functions: dict[str, FunctionSpec] = {}
        self.readers: dict[str, Reader] = {}
        self.renderers: dict[str, Renderer] = {}
        self._staged: dict[str, _Staged] = {}

    # -- what the engine and the CLI read ---------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.pm.list_name_plugin()]

    def info(self) -> list[PluginInfo]:
        out = []
        for name in [*self.names, *(n for n in self.problems if n not in self.names)]:
            plugin = self.pm.get_plugin(name)
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])) if plugin else ()
            out.append(PluginInfo(
                name, self._versions.get(name, ""), hooks,
                tuple(sorted(k for k, v in self.packs.items() if v.plugin == name)),
                tuple(sorted(k for k, v in self.functions.items() if v.plugin == name)),
                tuple(sorted(k for k, v in self.readers.items() if v.plugin == name)),
                tuple(sorted(k for k, v in self.renderers.items() if v.plugin == name)),
                _english(self.problems.get(name))))
        return out

    def notes(self) -> list[PluginWarning]:
        return [disabled(name, reason) for name, reason in sorted(self.problems.items())]

    # -- failures ---------------------------------------------------------------------------
    def fail(self, plugin: str, reason: str | Message) -> None:
        if plugin == BUILTIN:  # a bug in cadre-rules itself, not a plugin problem
            raise CadreRulesError(f"built-in plugin: {reason}")
        # one line, whatever the exception said (our own reasons are one line, in the reader's language)
        self.problems.setdefault(plugin, reason if isinstance(reason, Message) else " ".join(reason.split()))
        if self.pm.get_plugin(plugin) is not None:
            self.pm.unregister(name=plugin)
        self._staged.pop(plugin, None)

    # -- registration -----------------------------------------------------------------------
    def _registrars(self, plugin: str) -> dict[str, Callable[..., None]]:
        staged = self._staged.setdefault(plugin, _Staged())

        def register_pack(pack: Any, *, districts: Iterable[str] = (), units: Iterable[str] = ()) -> None:
            if not isinstance(pack, (Pack, str, Path)):
                raise _mistyped(N_("register(pack): expected a Pack or a path, got {type}"), type=type(pack).__name__)
            if not isinstance(pack, Pack) and not Path(pack).is_absolute():  # (found from one folder only)
                raise _Misregistered(Message(N_("register(pack): the relative path {path} is read from the folder "
                                                "the command runs in; give the pack file's whole path, {whole}"),
                                             path=_as_is(repr(str(pack))),
                                             whole=_as_is(f"Path(__file__).with_name({Path(pack).name!r})")))
            staged.packs.append((pack, _names("districts", districts), _names("units", units)))

        def register_function(name: str, func: Any, *, returns: str, params: Iterable[str] = (),
                              subject: str = "official", variadic: bool = False, doc: str = "",
                              reads: Iterable[str] | None = None) -> None:
            if not isinstance(name, str) or not name.isidentifier():
                raise _mistyped(N_("register(name, …): {name} is not an identifier"), name=repr(name))
            if not callable(func):
                raise _mistyped(N_("register({name}, func): func is not callable"), name=repr(name))
            if subject not in ("official", "unit"):
                raise _mistyped(N_("register({name}, …, subject={subject}): expected 'official' or 'unit'"),
                                name=repr(name), subject=repr(subject))
            types = tuple(_type(t, name) for t in params)
            if variadic and len(types) != 1:
                raise _mistyped(N_("register({name}, …): a variadic function takes exactly one parameter type"),
                                name=repr(name))
            result = _type(returns, name)
            impl = func if plugin == BUILTIN else _Guarded(func, name, result, plugin)
            spec = FunctionSpec(name, types, result, impl, subject,  # type: ignore[arg-type]
                                variadic, doc, plugin, _reads(reads, name, subject))
            builtin = BUILTIN_FUNCTIONS.get(name) if plugin == BUILTIN else None
            if builtin is not None and builtin.impl is func:  # (its column for a batch, whether it reads the date)
                spec = attrs.evolve(spec, column=builtin.column, timeless=builtin.timeless,
                                    unenriched=builtin.unenriched, from_reads=builtin.from_reads)
            staged.functions.append(spec)

        def register_reader(extension: str, *, officials: Any = None, units: Any = None) -> None:
            ext = str(extension).lstrip(".").lower()
            if not ext or (officials is None and units is None):
                raise _mistyped(N_("register(extension, officials=…, units=…): give an extension and a reader"))
            for f in (officials, units):
                if f is not None and not callable(f):
                    raise _mistyped(N_("register({extension}, …): readers must be callable"), extension=repr(ext))
            staged.readers.append(Reader(ext, plugin, officials, units))

        def register_renderer(name: str, render: Any, *, extension: str, doc: str = "") -> None:
            if not isinstance(name, str) or not name or not callable(render):
                raise _mistyped(N_("register(name, render, extension=…): a name and a callable are needed"))
            staged.renderers.append(Renderer(name, plugin, render, str(extension).lstrip("."), doc))

        return {"cadre_rules_register_packs": register_pack, "cadre_rules_register_functions": register_function,
                "cadre_rules_register_readers": register_reader,
                "cadre_rules_register_renderers": register_renderer}

    def _call_registration(self) -> None:
        for hook in _REGISTRATION:
            for impl in self._impls(hook):
                plugin = impl.plugin_name
                if plugin in self.problems:
                    continue
                register = self._registrars(plugin)[hook]
                try:
                    result = call_plugin(impl.function, hook, **dict.fromkeys(impl.argnames, register))
                except HookFailed as exc:
                    self.fail(plugin, exc.reason)
                    continue
                except TimeLimitExceeded as exc:
                    exc.blame(f"plugin {plugin!r}, {hook}")
                    raise
                if result is not None:
                    self.fail(plugin, located(Message(N_("{hook} returned {type}; call register(…) instead"),
                                                       hook=_as_is(hook), type=_as_is(type(result).__name__)),
                                               impl.function))

    def _impls(self, hook: str) -> list[pluggy.HookImpl]:
        impls = getattr(self.pm.hook, hook).get_hookimpls()
        return sorted(impls, key=lambda i: (i.plugin_name != BUILTIN, i.plugin_name))

    def _commit(self) -> None:
        """Accept the staged registrations of every healthy plugin; disable the others."""
        while True:
            order = sorted(self._staged, key=lambda n: (n != BUILTIN, n))
            self.functions, self.readers, self.renderers, self.packs, self.editions = {}, {}, {}, {}, {}
            failed = False
            for plugin in order:
                staged = self._staged[plugin]
                for spec in staged.functions:
                    if spec.name in self.functions:
                        failed = self._duplicate(plugin, "function", spec.name, self.functions[spec.name].plugin)
                        break
                    self.functions[spec.name] = spec
                if failed:
                    break
                for reader in staged.readers:
                    if reader.extension in self.readers:
                        failed = self._duplicate(plugin, "reader for", reader.extension,
                                                 self.readers[reader.extension].plugin)
                        break
                    self.readers[reader.extension] = reader
                if failed:
                    break
                for renderer in staged.renderers:
                    if renderer.name in self.renderers:
                        other = self.renderers[renderer.name].plugin
                        failed = self._duplicate(plugin, "renderer", renderer.name, other)
                        break
                    self.renderers[renderer.name] = renderer
                if failed:
                    break
            if failed:
                continue
            registered: list[RegisteredPack] = []
            for plugin in order:
                try:
                    loaded = [_scoped(_load(p, self.functions), d, u) for p, d, u in self._staged[plugin].packs]
                except CadreRulesError as exc:
                    self.fail(plugin, Message(N_("registered an invalid pack: {reason}"), reason=_in_both(exc)))
                    failed = True
                    break
                for pack in loaded:
                    # versions of one pack id (each its own effective.from) come from one plugin
                    owner = next((r for r in registered if r.pack.id == pack.id and r.plugin != plugin), None)
                    if owner is not None:
                        failed = self._duplicate(plugin, "pack", pack.id, owner.plugin, (pack.path, owner.pack.path))
                        break
                    registered.append(RegisteredPack(pack, plugin))
                if failed:
                    break
            if not failed:
                failed = self._succession(registered) or self._overrides(registered)
            if not failed:
                return

    def _succession(self, registered: list[RegisteredPack]) -> bool:
        """Date the versions and replacements of the registered packs; a conflict disables a plugin."""
        plugin_of = {r.pack.ref: r.plugin for r in registered}
        packs = succeed([r.pack for r in registered])
        found = conflicts(packs)
        if found:
            blamed = found[0].second.ref
            self.fail(plugin_of[blamed], Message(N_("registered a pack that conflicts with another: {reason}"),
                                                 reason=found[0].problem()))
            return True
        self.editions = {k: tuple(v) for k, v in versions_by_id(packs).items()}
        self.packs = {k: RegisteredPack(v[-1], plugin_of[v[-1].ref]) for k, v in self.editions.items()}
        return False

    def _overrides(self, registered: list[RegisteredPack]) -> bool:
        """An ``[[override]]`` naming a pack id no registered pack has (a typo: it would override nothing) disables
        the plugin that registered it."""
        known = sorted(self.editions)
        for entry in registered:
            unknown = unknown_override_packs(entry.pack, known)
            if unknown:
                self.fail(entry.plugin, Message(N_("registered an invalid pack: {reason}"),
                                                reason=_in_both(PackError(unknown))))
                return True
        return False

    def _duplicate(self, plugin: str, what: str, ident: str, other: str,
                   files: tuple[str | None, str | None] = (None, None)) -> bool:
        """``what``: one of :data:`_DUPLICATES`' keys; ``files``: the pack files of ``plugin`` and ``other``."""
        said = Message(_DUPLICATES[what], ident=_as_is(repr(ident)), other=_as_is(repr(other)),
                       plugin=_as_is(repr(plugin)))
        if files[0] is not None:  # (a pack: where its id is, and the other's file)
            said = Message(N_("{error} ({file}, pack.id; the pack of {other}: {other_file})"), error=said,
                           file=_as_is(files[0]), other=_as_is(repr(other)),
                           other_file=_as_is(files[1] or "—"))
        self.fail(plugin, said)
        return True

    # -- evaluation hooks -------------------------------------------------------------------
    def has_enrichers(self) -> bool:
        return bool(self.pm.hook.cadre_rules_enrich_official.get_hookimpls())

    def enrich(self, officials: Sequence[Official], as_of: date) -> dict[str, dict[str, object]]:
        """Extra values per official id from ``cadre_rules_enrich_official`` (all or nothing per plugin)."""
        impls = self._impls("cadre_rules_enrich_official")
        result: dict[str, dict[str, object]] = {}
        for impl in impls:
            plugin = impl.plugin_name
            got: dict[str, Mapping[str, object]] = {}
            reason: str | Message | None = None
            hook = "cadre_rules_enrich_official"
            bound = time_limit(_hook_seconds(), str(hook))  # restarted per official: each call is bounded
            try:
                with bound:
                    for official in officials:
                        bound.restart()
                        values = impl.function(**{a: {"official": official, "as_of": as_of}[a]
                                                  for a in impl.argnames})
                        if values is None:
                            continue
                        bad = _bad_extras(values)
                        if bad is not None:
                            reason = located(Message(
                                N_("{hook} returned {value} for official {official}; expected None or a mapping of "
                                   "str to str, int, float, bool or date"), hook=_as_is(hook), value=_as_is(bad),
                                official=_as_is(repr(official.id))), impl.function)
                            break
                        assert isinstance(values, Mapping)
                        got[official.id] = dict(values)
            except BaseException as exc:
                failure = _failure(hook, exc, bound)
                if failure is None:
                    if isinstance(exc, TimeLimitExceeded):
                        exc.blame(f"plugin {plugin!r}, {hook}")
                    raise
                reason = failure.reason
            if reason is not None:  # all or nothing: values given for other officials are dropped too
                self.fail(plugin, reason)
                reason = self.problems[plugin]
                if self.strict:
                    raise PluginError(plugin, reason)
                warnings.warn(disabled(plugin, reason), stacklevel=3)
                continue
            for ident, values in got.items():
                result.setdefault(ident, {}).update(values)
        return result


def _bad_extras(values: object) -> str | None:
    """What is wrong with an enricher's result, or ``None``."""
    if not isinstance(values, Mapping):
        return type(values).__name__
    for key, value in values.items():
        if not isinstance(key, str) or not isinstance(value, _EXTRA_TYPES):
            return f"{{{key!r}: {type(value).__name__}}}"
    return None


@attrs.frozen
class _Guarded:
    """A plugin's function, checked: an exception or a value of the wrong type is a :class:`PluginError`. Equal
    for the same function registered again (each ``Engine()`` registers the plugins' functions anew): a pack
    parsed once for it serves every engine (:func:`~cadre_rules.packs._packs.load_pack`)."""

    func: Callable[..., Any]
    name: str
    returns: ValueType
    plugin: str

    def __call__(self, context: object, *args: Natural) -> Natural | None:
        name, plugin = self.name, self.plugin
        try:
            value = self.func(context, *args)
        except SystemExit as exc:
            raise PluginError(plugin, Message(N_("function {name}() called sys.exit({code}); a plugin cannot end "
                                                 "the run"), name=_as_is(name), code=_as_is(repr(exc.code)))) from None
        except TimeLimitExceeded as exc:
            exc.blame(f"plugin {plugin!r}, function {name}()")
            raise
        except Exception as exc:
            raise PluginError(plugin, Message(N_("function {name}() raised {error}"), name=_as_is(name),
                                              error=_described(exc))) from exc
        if value is None:
            return None
        try:
            return self.returns.coerce_literal(value)
        except ValueError:
            raise PluginError(plugin, Message(N_("function {name}() returned {value}, which is not of type {type}"),
                                              name=_as_is(name), value=_as_is(repr(value)),
                                              type=_as_is(str(self.returns)))) from None


def _type(name: object, function: str) -> ValueType:
    try:
        return parse_type_name(str(name))
    except InvalidValue as exc:  # (in the reader's language)
        raise _Mistyped(Message(N_("register({name}, …): {reason}"), name=_as_is(repr(function)),
                                reason=exc)) from None


#: The attributes of an official that a function may declare it ``reads`` (hashable ones: not ``extra``).
READABLE = tuple(a.name for a in attrs.fields(Official) if a.name != "extra")


def _reads(reads: Iterable[str] | None, function: str, subject: str) -> tuple[str, ...] | None:
    if reads is None:
        return None
    names = (reads,) if isinstance(reads, str) else tuple(reads)
    wrong = [n for n in names if n not in READABLE]
    if wrong or subject != "official":
        if wrong:
            raise _mistyped(N_("register({name}, …, reads=…): {attribute} is not an attribute of an official (one "
                               "of: {attributes})"), name=repr(function), attribute=repr(wrong[0]),
                            attributes=", ".join(READABLE))
        raise _mistyped(N_("register({name}, …, reads=…): only functions of officials declare reads"),
                        name=repr(function))
    return names


def _load(ref: Pack | str | Path, functions: Mapping[str, FunctionSpec]) -> Pack:
    if isinstance(ref, Pack):
        return ref.with_params({}, functions) if ref.data else ref
    return load_pack(ref, functions=functions)


def _names(keyword: str, values: object) -> tuple[str, ...]:
    """``register(pack, districts=…, units=…)``: a list of texts (a single text would be read letter by letter,
    a number never matches the units file's code ``"00025"``)."""
    texts = None if isinstance(values, str) or not isinstance(values, Iterable) else tuple(values)
    if texts is None or not all(isinstance(v, str) for v in texts):
        raise _mistyped(N_("register(pack, {keyword}=…): expected a list of texts as the units file writes them "
                           "(['00025']), got {values}"), keyword=keyword, values=repr(values))
    return texts


def _scoped(pack: Pack, districts: tuple[str, ...], units: tuple[str, ...]) -> Pack:
    if not districts and not units:
        return pack
    districts = tuple(unicodedata.normalize("NFC", d) for d in districts)
    units = tuple(unicodedata.normalize("NFC", u) for u in units)
    return attrs.evolve(pack, scope_districts=tuple(sorted({*pack.scope_districts, *districts})),
                        scope_units=tuple(sorted({*pack.scope_units, *units})))


def load_plugins(*, entry_points: bool = True, extra: Sequence[object] = (), strict: bool = False) -> PluginSet:
    """Build the plugin manager of one engine: built-ins, entry-point plugins, then ``extra`` objects."""
    from . import _builtins  # noqa: PLC0415 - the built-ins import the engine's modules

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    versions: dict[str, str] = {}
    plugins = PluginSet(pm, versions, strict=strict)
    pm.register(_builtins, name=BUILTIN)
    from .report._report import version  # noqa: PLC0415

    plugins._versions[BUILTIN] = version()
    candidates: list[tuple[str, object | None, str, Message | None]] = []
    if entry_points and not disabled_by_env():
        for ep in sorted(metadata.entry_points(group=GROUP), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            ver = dist.version if dist is not None else ""
            try:
                candidates.append((ep.name, call_plugin(ep.load, "import"), ver, None))
            except HookFailed as exc:
                reason = exc.reason if isinstance(exc.reason, Message) else _as_is(" ".join(str(exc.reason).split()))
                candidates.append((ep.name, None, ver, Message(N_("failed to import: {reason}"), reason=reason)))
    for obj in extra:
        name = getattr(obj, "__name__", None) if isinstance(obj, (ModuleType, type)) else None
        name = name or getattr(obj, "name", None) or type(obj).__name__
        candidates.append((str(name), obj, str(getattr(obj, "__version__", "")), None))
    for name, obj, ver, error in candidates:
        plugins._versions[name] = ver
        if error is not None:
            plugins.problems[name] = error
            continue
        if pm.get_plugin(name) is not None or name in plugins.problems:
            plugins.problems.setdefault(name + " (duplicate)", Message(N_("a plugin named {name} is already "
                                                                          "registered"), name=_as_is(repr(name))))
            continue
        wrong = wrong_arguments(pm, obj)
        if wrong is not None:
            plugins.fail(name, Message(N_("invalid hook implementation: {reason}"), reason=wrong))
            continue
        try:
            pm.register(obj, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            plugins.fail(name, Message(N_("invalid hook implementation: {reason}"),  # also undoes a partial
                                       reason=_as_is(" ".join(str(exc).split()))))  # registration
    check_hooks(pm, plugins.fail, BUILTIN)
    pm.check_pending()
    plugins._call_registration()
    plugins._commit()
    if plugins.problems:
        if strict:
            if len(plugins.problems) == 1:
                raise PluginError(*next(iter(plugins.problems.items())))
            raise PluginError(", ".join(sorted(plugins.problems)),
                              "; ".join(f"{n}: {r!s}" for n, r in sorted(plugins.problems.items())))
        for note in plugins.notes():
            warnings.warn(note, stacklevel=3)
    return plugins
