"""Writing files: every file a command writes goes through :func:`atomic_write`; officials and units
back to the contract's columns and to CSV (the inverse of the readers).

:func:`atomic_write` writes a temporary file in the target's folder, flushes and fsyncs it, then
renames it over the target (``os.replace``): a reader sees the previous file or the new one, never
a part. A failure or an interruption (Ctrl-C, SIGTERM) removes the temporary file and leaves the
previous file as it was; no empty file is ever left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..model._model import Official
from ..model._model import Unit
from ..model._values import SHARE_DECIMALS as _SHARE_DECIMALS
from ._tables import _OFFICIALS
from ._tables import _UNITS
from ._tables import _nfc
from ._tables import _Schema

__all__ = ["atomic_write", "official_to_row", "unit_to_row", "write_csv"]

#: Test hook (never set it in production): seconds to pause after the data is in the temporary file
#: and before it replaces the target, so that a test can interrupt a write half-way.
PAUSE_ENV = "CADRE_RULES_TEST_WRITE_PAUSE"
#: The temporary files are named ``.<target name>.<random>.tmp``, in the target's folder.
TEMP_SUFFIX = ".tmp"


def atomic_write(path: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    """Write ``data`` (text as UTF-8; or the pieces of a streamed output, written as they come) to ``path``
    atomically: all of it, or the previous file untouched (also when making a piece fails).

    A path that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is written
    to directly: it cannot be replaced, and must not be.

    :raises OSError: if the file cannot be written (the temporary file is removed).
    """
    pieces = (data,) if isinstance(data, (str, bytes)) else data
    if _special(path):  # /dev/null, /dev/stdout, a named pipe: written to as they are, never replaced
        with open(path, "wb") as special:
            for piece in pieces:
                special.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        return
    with _adjacent_temp(path) as handle:
        for piece in pieces:
            handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        handle.flush()
        pause = os.environ.get(PAUSE_ENV)
        if pause:
            time.sleep(float(pause))
        os.fsync(handle.fileno())


_HELD = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGALRM") if hasattr(signal, name)}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and the time bounds' alarm during the block (they arrive after it).

    Blocking them for this thread is not enough in a process with other threads: the kernel then hands the signal
    to another thread, and Python runs its handler in the main thread all the same. So in the main thread the
    handlers are also replaced, for the block, by one that notes the signal, and a noted signal is raised again
    once the block is over and the handlers are back.
    """
    noted: list[int] = []
    handlers: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in sorted(_HELD):
            if signal.getsignal(signum) is not None:  # None: a handler not installed from Python, left alone
                handlers[signum] = signal.signal(signum, lambda received, _frame: noted.append(received))
    blocked = hasattr(signal, "pthread_sigmask")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if blocked else set()
    try:
        yield
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held signal arrives here, and is noted
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for signum in noted:
            signal.raise_signal(signum)


def _special(path: Path) -> bool:
    """Whether ``path`` exists and is not a regular file (a device, a pipe): it cannot be replaced."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


@contextlib.contextmanager
def _adjacent_temp(path: Path) -> Iterator[tempfile._TemporaryFileWrapper[bytes]]:
    """A temporary file beside ``path`` that replaces it when the block ends normally, else is removed.

    A symbolic link is followed: the file it points to is replaced, the link stays.
    """
    path = Path(os.path.realpath(path))
    folder = path.parent
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
        dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX, delete=False)
    try:
        with handle:
            os.chmod(handle.name, _mode_of(path))
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        with _signals_held(), contextlib.suppress(OSError):  # a second Ctrl-C cannot leave the file behind
            os.unlink(handle.name)
        raise
    _fsync_folder(folder)


def _mode_of(path: Path) -> int:
    """The permissions the file gets: the previous file's, else those of a new file (0666 less the umask)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (where the platform lets a folder be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)



def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _date_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _share_text(share: Fraction | None) -> str:
    if share is None:
        return ""
    scaled = share * 10**_SHARE_DECIMALS
    if scaled.denominator != 1 or not 0 <= share <= 1:
        raise ValueError(f"low_confidence_share {share} is not a decimal in 0..1 with at most 6 places")
    whole, part = divmod(int(scaled), 10**_SHARE_DECIMALS)
    return f"{whole}.{part:0{_SHARE_DECIMALS}d}".rstrip("0").rstrip(".")


def _add_extra(row: dict[str, str], extra: Mapping[str, str], schema: _Schema) -> dict[str, str]:
    for key, value in extra.items():
        name, known = schema.resolve(_nfc(key).strip())
        if not name:
            raise ValueError(f"extra field {key!r} has a blank name")
        if known or name in row:
            raise ValueError(f"extra field {key!r} would be read back as the column {name!r}")
        row[key] = value
    return row


def official_to_row(o: Official) -> dict[str, str]:
    """The contract columns (then the extra fields) of an official, as the readers accept them."""
    row = {
        "id": o.id,
        "full_name": o.full_name,
        "gender": o.gender,
        "birth_date": o.birth_date.isoformat(),
        "unit": o.unit,
        "position": o.position,
        "concurrent_positions": ";".join(o.concurrent_positions),
        "category": o.category or "",
        "standing_committee": "" if o.standing_committee is None else _bool_text(o.standing_committee),
        "general_education": o.general_education or "",
        "education": o.education,
        "field_of_study": o.field_of_study or "",
        "political_theory": o.political_theory,
        "appointed_on": _date_text(o.appointed_on),
        "in_planning": "" if o.in_planning is None else _bool_text(o.in_planning),
        "ratings": ";".join(f"{year}:{rating}" for year, rating in sorted(o.ratings)),
        "discipline": ";".join(f"{when.isoformat()}:{form}" for when, form in o.discipline),
        "low_confidence_share": _share_text(o.low_confidence_share),
        "under_investigation": _bool_text(o.under_investigation),
        "secondment_since": _date_text(o.secondment_since),
        "is_local": "" if o.is_local is None else _bool_text(o.is_local),
        "secondment_until": _date_text(o.secondment_until),
        "term_ends": _date_text(o.term_ends),
    }
    return _add_extra(row, o.extra, _OFFICIALS)


def unit_to_row(u: Unit) -> dict[str, str]:
    """The contract columns (then the extra fields) of a unit, as the readers accept them."""
    row = {
        "code": u.code,
        "name": u.name,
        "kind": u.kind,
        "class": "" if u.unit_class is None else str(u.unit_class),
        "district": u.district or "",
        "has_council": _bool_text(u.has_council),
    }
    return _add_extra(row, u.extra, _UNITS)


def _csv_field(value: str) -> str:
    # csv.writer leaves a lone "\r" unquoted when the line terminator is "\n"; quote it ourselves.
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(path: Path, rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> None:
    """Write rows as UTF-8 CSV (no BOM, ``\\n`` line endings, minimal quoting), header first.

    A row's missing columns are written empty.

    :raises ValueError: if a row has a key that is not in ``columns`` (nothing is written).
    """
    known = set(columns)
    lines = [",".join(_csv_field(c) for c in columns)]
    for row in rows:
        unknown = row.keys() - known
        if unknown:
            raise ValueError(f"row has columns missing from `columns`: {sorted(unknown)}")
        fields = [_csv_field(row.get(c, "")) for c in columns]
        lines.append(",".join(fields) if fields != [""] else '""')
    atomic_write(path, "\n".join(lines) + "\n")
