"""Where packs come from: the built-in ``policies/`` directory, files, and (later) plugins."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import attrs

from ..errors import N_
from ..errors import Message
from ..errors import PackError
from ..errors import Problem
from ..errors import Words
from ..model._checks import FieldCheck
from ..model._checks import a_record
from ..model._checks import a_text
from ..model._checks import check_record
from ._catalogue import FunctionSpec
from ._packs import Pack
from ._packs import Text
from ._packs import load_pack
from ._packs import unknown_override_packs

__all__ = ["KEPT_DIR", "Kept", "builtin_pack_dir", "kept_pack", "kept_versions", "resolve_pack", "unknown_overrides",
           "unknown_pack_id"]

#: The folder of ``policies/`` holding the released versions a later revision took over from: each file as it
#: was released (``ID-VERSION.toml``), with ``kept.json`` saying which revision replaced it and, if it was
#: wrong, why. They are loaded only when named (``ID@VERSION``), never chosen by date.
KEPT_DIR = "released"


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
    raise unknown_pack_id(ref, available)


def unknown_pack_id(pack_id: str, available: Iterable[str], given: str | None = None) -> PackError:
    """The error of a pack id no available pack has, listing theirs (``available``) and proposing the closest;
    located at ``given``, the reference that named it (``ID@VERSION``), else at the id."""
    ids = list(available)
    close = difflib.get_close_matches(pack_id, ids, n=1)
    hint = Message(N_("; did you mean {code}?"), code=Words(repr(close[0]), repr(close[0]))) if close else ""
    return PackError([Problem.of(given or pack_id, N_("unknown pack id {ref}; available packs: {known}{hint}"),
                                 ref=repr(pack_id), known=", ".join(ids) or "none", hint=hint)])


def unknown_overrides(packs: Sequence[Pack], installed: Iterable[str]) -> list[Problem]:
    """A problem per ``[[override]]`` of ``packs`` (the packs named to evaluate: files, ids, :class:`Pack` objects)
    naming a pack id that neither an installed pack (``installed``: their ids) nor one of ``packs`` has: it would
    override nothing, silently. Located and worded as ``packs validate`` says it (with its did-you-mean)."""
    known = sorted({*installed, *(p.id for p in packs)})
    return [problem for pack in packs for problem in unknown_override_packs(pack, known)]


@attrs.frozen
class Kept:
    """A released version of a built-in pack kept as it was released: the revision that replaced it and, when
    it was replaced because something in it was wrong, what (``withdrawn``, in both languages)."""

    #: the version as it was released (its ``ref``, ``sha256``, period)
    pack: Pack
    #: the version that replaced it (``2025.10.1``)
    replaced_by: str
    #: why it was withdrawn (vi, en), or ``None`` when it was replaced without being wrong
    withdrawn: Text | None = None

    def __attrs_post_init__(self) -> None:
        check_record(self, _KEPT_CHECKS)


_KEPT_CHECKS: dict[str, FieldCheck] = {
    "pack": lambda name, value: a_record(name, value, Pack), "replaced_by": a_text,
    "withdrawn": lambda name, value: a_record(name, value, Text, optional=True),
}


def kept_versions(directory: Path | None = None) -> dict[str, tuple[str, Text | None]]:
    """The kept versions (``id@version`` → the version that replaced it, why it was withdrawn or ``None``),
    from ``released/kept.json`` of the built-in packs' folder (read, not the packs)."""
    path = (directory or builtin_pack_dir()) / KEPT_DIR / "kept.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError:
        return {}
    out: dict[str, tuple[str, Text | None]] = {}
    for ref, entry in data.items():
        if ref.startswith("_"):  # (what the file is)
            continue
        withdrawn = entry.get("withdrawn")
        out[ref] = (str(entry["replaced_by"]),
                    Text(str(withdrawn["vi"]), str(withdrawn["en"])) if withdrawn is not None else None)
    return out


def kept_pack(ref: str, functions: Mapping[str, FunctionSpec] | None = None,
              directory: Path | None = None) -> Kept | None:
    """The kept released version ``ref`` (``ID@VERSION``) of a built-in pack, loaded, or ``None`` if none is
    kept under that name."""
    entry = kept_versions(directory).get(ref)  # (only a name kept.json lists makes a file name)
    if entry is None:
        return None
    pack_id, _, version = ref.partition("@")
    pack = load_pack((directory or builtin_pack_dir()) / KEPT_DIR / f"{pack_id}-{version}.toml", functions=functions)
    if pack.ref != ref:  # (the folder's own consistency: tests/test_kept_versions.py)
        raise PackError([Problem.of(pack.path or ref, N_("the file of kept version {ref} holds {other}"),
                                    ref=ref, other=pack.ref)])
    return Kept(pack, *entry)
