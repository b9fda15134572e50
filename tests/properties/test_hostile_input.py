"""Hostile input: random bytes and mutations of valid files raise only the package's documented errors.

load_officials / load_units raise InputError, load_pack raises PackError (CadreRulesError subclasses);
nothing else may escape, whatever the bytes. A pack that loads must evaluate without foreign errors too.
"""

from __future__ import annotations

import gc
import io
import math
import warnings
import zipfile
from collections.abc import Callable
from datetime import date
from datetime import datetime
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import CadreRulesError
from cadre_rules import Engine
from cadre_rules import InputNote
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules.io._io import OFFICIAL_COLUMNS
from cadre_rules.io._io import UNIT_COLUMNS
from cadre_rules.io._io import official_to_row
from cadre_rules.io._io import unit_to_row
from strategies import file_populations
from strategies import pack_dicts
from strategies import populations

from ._support import columns_of
from ._support import rezip
from ._support import scaled
from ._support import scratch
from ._support import to_toml
from ._support import write_rows

LOADERS: dict[str, Callable[[Path], object]] = {"officials": load_officials, "units": load_units}

# --------------------------------------------------------------------------- mutations


_SPECIAL = st.sampled_from([b",", b'"', b"\n", b"\r", b"\r\n", b";", b":", b"\x00", b"\xef\xbb\xbf", b"\xff", b"\xc3",
                            b"[", b"]", b"{", b"}", b"=", b"\\", b"'", b"#", b" ", b"\t", b"nan", b"1e999", b"-",
                            b"9" * 40, b"true", b"2023-02-30", b"[[rule]]", b'"""', b"\\u0000", "Hà Nội".encode()])
_CHUNKS = st.one_of(_SPECIAL, st.binary(min_size=1, max_size=8))
_OPS = st.sampled_from(["replace", "insert", "insert", "delete", "duplicate", "truncate", "swap"])


@st.composite
def mutations(draw: st.DrawFn, data: bytes, max_steps: int = 4) -> bytes:
    """``data`` after 1–``max_steps`` random edits: replace, insert, delete, duplicate, truncate, swap lines."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, max_steps))):
        op = draw(_OPS)
        at = draw(st.integers(0, len(out)))
        if op == "replace" and out:
            at = min(at, len(out) - 1)
            out[at:at + 1] = draw(_CHUNKS)
        elif op == "insert":
            out[at:at] = draw(_CHUNKS)
        elif op == "delete":
            out[at:at + draw(st.integers(1, 16))] = b""
        elif op == "duplicate":
            out[at:at] = bytes(out[at:at + draw(st.integers(1, 64))])
        elif op == "truncate":
            del out[at:]
        else:
            lines = bytes(out).split(b"\n")
            if len(lines) > 1:
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                out = bytearray(b"\n".join(lines))
    return bytes(out)


def only_package_errors(load: Callable[[], object], expected: type[CadreRulesError]) -> object:
    """Call ``load``; it may succeed or raise ``expected``, nothing else."""
    try:
        return load()
    except expected:
        return None


def load_bytes(name: str, data: bytes, loader: Callable[[Path], object]) -> object:
    """Load ``data`` as a file called ``name``: only package errors, and no file left open."""
    with scratch() as directory:
        path = directory / name
        path.write_bytes(data)
        with warnings.catch_warnings(record=True) as log:
            warnings.simplefilter("always", ResourceWarning)
            warnings.simplefilter("always", InputNote)  # how a file was read (no id column…): not an error
            result = only_package_errors(lambda: loader(path), CadreRulesError)
            if path.suffix == ".xlsx":  # only workbooks are read from an open file object
                gc.collect()  # a file left open is closed (and warns) here, not in some later test
        assert not [str(w.message) for w in log if issubclass(w.category, ResourceWarning)]  # no file left open
        return result


# --------------------------------------------------------------------------- random bytes


_PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"PK\x03\x04", b"[", b"{", b"id,full_name\n", b"[pack]\n"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".jsonl", ".txt", ""])
@settings(max_examples=scaled(0.5))
@given(prefix=_PREFIXES, data=st.binary(max_size=600))
def test_random_bytes_raise_only_input_errors(suffix: str, prefix: bytes, data: bytes) -> None:
    for kind, loader in LOADERS.items():
        load_bytes(f"{kind}{suffix}", prefix + data, loader)


@settings(max_examples=scaled(0.5))
@given(prefix=_PREFIXES, data=st.binary(max_size=600))
def test_random_bytes_raise_only_pack_errors(prefix: bytes, data: bytes) -> None:
    with scratch() as directory:
        path = directory / "pack.toml"
        path.write_bytes(prefix + data)
        with pytest.raises(PackError):
            load_pack(path)


# --------------------------------------------------------------------------- mutated data files


def data_files(population: tuple[list[Official], list[Unit]], suffix: str) -> dict[str, bytes]:
    """The officials and units files of a population, written in the format of ``suffix``."""
    people, places = population
    rows = [official_to_row(o) for o in people]
    unit_rows = [unit_to_row(u) for u in places]
    with scratch() as directory:
        officials = write_rows(directory / f"o{suffix}", rows, columns_of(rows, OFFICIAL_COLUMNS))
        units = write_rows(directory / f"u{suffix}", unit_rows, columns_of(unit_rows, UNIT_COLUMNS))
        return {"officials": officials.read_bytes(), "units": units.read_bytes()}


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl"])
@settings(max_examples=scaled(1))
@given(population=file_populations(max_officials=4), data=st.data())
def test_mutated_data_files_raise_only_input_errors(suffix: str, population: tuple[list[Official], list[Unit]],
                                                   data: st.DataObject) -> None:
    files = data_files(population, suffix)
    known = {u.code: u for u in population[1]}
    for kind, loader in LOADERS.items():
        mutated = data.draw(mutations(files[kind]), label=f"mutated {kind}")
        load_bytes(f"{kind}{suffix}", mutated, loader)
        load_bytes(f"{kind}{suffix}", mutated, lambda path: load_officials(path, units=known))


@settings(max_examples=scaled(0.5))
@given(population=file_populations(max_officials=3), data=st.data())
def test_mutated_xlsx_files_raise_only_input_errors(population: tuple[list[Official], list[Unit]],
                                                   data: st.DataObject) -> None:
    """Damaged workbooks: random bytes of the zip, or edits inside one of its XML parts."""
    workbook = data_files(population, ".xlsx")["officials"]
    parts = zipfile.ZipFile(io.BytesIO(workbook)).namelist()
    if data.draw(st.booleans(), label="edit inside a part"):
        part = data.draw(st.sampled_from(parts), label="part")
        mutated = rezip(workbook, {part: lambda content: data.draw(mutations(content), label="part content")})
    else:
        mutated = data.draw(mutations(workbook, max_steps=2), label="workbook bytes")
    load_bytes("officials.xlsx", mutated, load_officials)


# --------------------------------------------------------------------------- mutated packs


def check_pack_bytes(raw: bytes, people: list[Official], places: list[Unit]) -> None:
    """load_pack raises PackError or gives a pack that evaluates raising only package errors."""
    with scratch() as directory:
        path = directory / "pack.toml"
        path.write_bytes(raw)
        pack = only_package_errors(lambda: load_pack(path), PackError)
    if pack is not None:
        only_package_errors(lambda: Engine([pack], backend="reference").evaluate(people, places, date(2024, 6, 30)),
                            CadreRulesError)


@settings(max_examples=scaled(1))
@given(pack_dicts(), populations(max_officials=4), st.data())
def test_mutated_pack_text_raises_only_pack_errors(data: dict[str, Any], population: tuple[list[Official], list[Unit]],
                                                   draws: st.DataObject) -> None:
    raw = to_toml(data).encode()
    check_pack_bytes(draws.draw(mutations(raw), label="mutated TOML"), *population)


_ODD_VALUES = st.sampled_from([2**63 - 1, -(2**63), time(12, 30), date(2020, 2, 29), 0.1, 1e-06, "", [], math.nan,
                                math.inf, -math.inf, datetime(2020, 1, 1, 0, 0), datetime(1990, 1, 1, 10, 0)])
_SCALARS = st.one_of(
    _ODD_VALUES, st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(), st.text(max_size=20),
    st.sampled_from(["age < 30", "is_key", "count('is_key') > 1", "{x}", "other", "city", "error", "1/0",
                     "holds()", "rating('x')", "x" * 2100, "__import__('os')", "young_age", "0.5", "1/3"]),
    st.dates(), st.times(), st.datetimes(),
)


def toml_values(path: tuple[str, ...], *, odd_first: bool = False) -> st.SearchStrategy[Any]:
    """Any TOML value (``path``, where it goes, is for narrowing the values around open bugs)."""
    scalars = _SCALARS
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                          max_leaves=6)
    return st.one_of(_ODD_VALUES, values) if odd_first else values


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_paths(item, (*prefix, i)))
    return out


_EDITS = st.sampled_from(["replace", "replace", "delete", "add", "param", "effective"])
_PARAM_RULE = {"id": "r.p", "family": "rotation", "when": "age < young_age", "message": "m", "cite": "c"}


def edit_pack(data: dict[str, Any], draws: st.DataObject) -> None:
    """One random edit of a pack dict, in place."""
    op = draws.draw(_EDITS, label="op")
    if op == "param":  # a parameter of any type, used by an expression
        if not isinstance(data.get("params"), dict):
            data["params"] = {}
        data["params"]["young_age"] = draws.draw(toml_values(("params",), odd_first=True), label="param")
        data["rule"] = [*(data["rule"] if isinstance(data.get("rule"), list) else []), dict(_PARAM_RULE)]
        return
    if op == "effective":
        if not isinstance(data.get("pack"), dict):
            data["pack"] = {"id": "p", "version": "1", "title": "t"}
        data["pack"]["effective"] = {"from": draws.draw(toml_values(("pack", "effective"), odd_first=True),
                                                        label="from")}
        return
    paths = _paths(data)
    if not paths:
        data["pack"] = draws.draw(toml_values(("pack",)), label="pack")
        return
    path = draws.draw(st.sampled_from(paths), label="path")
    *parents, last = path
    container: Any = data
    for step in parents:
        container = container[step]
    if op == "delete":
        del container[last]
    elif op == "add" and isinstance(container, dict):
        container[draws.draw(st.text(max_size=8), label="new key")] = draws.draw(
            toml_values(tuple(str(p) for p in parents)), label="new value")
    else:
        container[last] = draws.draw(toml_values(tuple(str(p) for p in path)), label="value")


@settings(max_examples=scaled(1))
@given(pack_dicts(), populations(max_officials=4), st.data())
def test_packs_with_values_of_any_type_raise_only_pack_errors(data: dict[str, Any],
                                                              population: tuple[list[Official], list[Unit]],
                                                              draws: st.DataObject) -> None:
    """Replace, delete or add values anywhere in a valid pack: PackError, or a pack that evaluates."""
    for _ in range(draws.draw(st.integers(1, 3), label="edits")):
        edit_pack(data, draws)
    check_pack_bytes(to_toml(data).encode(), *population)
