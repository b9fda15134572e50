"""A plugin's hook implementations checked against the contract (:mod:`.hookspecs`) before any is called.

What an author gets wrong in a hook's definition, said in the reader's language with the file and line of the
definition: an argument the hook does not have (``def cadre_rules_register_packs(registrar)``), a misspelled
hook, a ``cadre_rules_*`` function without ``@hookimpl``, a hook wrapper. pluggy's own validation error (in
English, without a place) is left for what these checks do not foresee.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable

import pluggy

from . import hookspecs
from .errors import N_
from .errors import Message
from .errors import Words

__all__ = ["check_hooks", "located", "wrong_arguments"]

#: Disables the plugin ``name`` for a reason (:meth:`cadre_rules._plugins.PluginSet.fail`).
Fail = Callable[[str, Message], None]


def _as_is(text: str) -> Words:
    """A field of a message shown as it is in every language (a hook's or an argument's name, a path)."""
    return Words(text, text)


def located(reason: Message, function: object) -> Message:
    """``reason`` followed by the file and line where ``function`` is defined (its decorator's line), if known."""
    code = getattr(inspect.unwrap(function), "__code__", None) if callable(function) else None
    if code is None:
        return reason
    return Message(N_("{error} ({file}, line {line})"), error=reason, file=_as_is(code.co_filename),
                   line=_as_is(str(code.co_firstlineno)))


def wrong_arguments(pm: pluggy.PluginManager, plugin: object) -> Message | None:
    """Why ``plugin`` cannot be registered: a hook implementation naming an argument its hook does not have
    (hooks take their arguments by name: a misspelt one is never given), or ``None``."""
    for attr in dir(plugin):
        opts = pm.parse_hookimpl_opts(plugin, attr)
        if opts is None:
            continue
        hook = opts.get("specname") or attr
        spec = getattr(getattr(pm.hook, hook, None), "spec", None)
        function = getattr(plugin, attr, None)
        if spec is None or not callable(function):
            continue  # (an unknown hook: :func:`check_hooks`)
        try:
            impl = pluggy.HookImpl(plugin, "", function, opts)
        except (TypeError, ValueError):  # (no signature: pluggy's own validation says so)
            continue
        unknown = [a for a in impl.argnames if a not in spec.argnames]
        if not unknown:
            continue
        close = difflib.get_close_matches(unknown[0], spec.argnames, n=1)
        hint: Message | str = Message(N_("; did you mean {code}?"), code=_as_is(repr(close[0]))) if close else ""
        return located(Message(N_("{hook}({given}) has no argument {argument}: its arguments are {arguments}, "
                                  "given by name{hint}"),
                               hook=_as_is(hook), given=_as_is(", ".join(impl.argnames)),
                               argument=_as_is(repr(unknown[0])), arguments=_as_is(", ".join(spec.argnames)),
                               hint=hint), function)
    return None


def check_hooks(pm: pluggy.PluginManager, fail: Fail, builtin: str) -> None:
    """Find misspelled hooks, hook wrappers and unmarked ``cadre_rules_*`` functions in each plugin but
    ``builtin``; ``fail`` disables a plugin at its first one."""
    known = {name for name in dir(hookspecs) if name.startswith("cadre_rules_")}
    for name, plugin in list(pm.list_name_plugin()):
        if name == builtin or plugin is None:
            continue
        for attr in dir(plugin):
            opts = pm.parse_hookimpl_opts(plugin, attr)
            hook = (opts.get("specname") if opts is not None else None) or attr
            function = getattr(plugin, attr, None)
            if opts is not None and (opts.get("wrapper") or opts.get("hookwrapper")):
                fail(name, located(Message(N_("{attr}: hook wrappers are not supported; implement the hook "
                                              "itself"), attr=_as_is(repr(attr))), function))
                break
            if hook in known:
                if opts is None and callable(function):
                    fail(name, located(Message(N_("{attr} is not marked with @hookimpl (from cadre_rules import "
                                                  "hookimpl)"), attr=_as_is(repr(attr))), function))
                    break
                continue
            if opts is None and not attr.startswith("cadre_rules_"):
                continue
            close = difflib.get_close_matches(hook, sorted(known), n=1)
            hint: Message | str = Message(N_("; did you mean {code}?"), code=_as_is(repr(close[0]))) if close else ""
            if opts is not None:
                fail(name, located(Message(N_("unknown hook {hook}{hint}"), hook=_as_is(repr(hook)), hint=hint),
                                   function))
                break
            if callable(function):
                fail(name, located(Message(N_("{attr} is not a cadre-rules hook{hint}"), attr=_as_is(repr(attr)),
                                           hint=hint), function))
                break
