"""Where packs come from: the built-in ``policies/`` directory, files, and (later) plugins."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from ..errors import N_
from ..errors import PackError
from ..errors import Problem
from ._catalogue import FunctionSpec
from ._packs import Pack
from ._packs import load_pack

__all__ = ["builtin_pack_dir", "resolve_pack"]


def builtin_pack_dir() -> Path:
    """The directory of the built-in packs: inside the wheel, or ``policies/`` of a source checkout."""
    packaged = Path(str(resources.files("cadre_rules"))) / "policies"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "policies"


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def resolve_pack(ref: str | Path | Pack, available: Mapping[str, Pack],
                 functions: Mapping[str, FunctionSpec] | None = None) -> Pack:
    """A pack from a :class:`Pack`, a path to a ``.toml`` file, or the id of an available pack."""
    if isinstance(ref, Pack):
        return ref
    if isinstance(ref, Path) or _looks_like_path(ref):
        return load_pack(ref, functions=functions)
    if ref in available:
        return available[ref]
    known = ", ".join(available) or "none"
    raise PackError([Problem.of(str(ref), N_("unknown pack id {ref}; available packs: {known}"), ref=repr(str(ref)),
                                known=known)])
