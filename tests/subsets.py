"""Part of a bundled sample as its own data directory: a commune's or a district's file, as an office keeps it."""

from __future__ import annotations

import csv
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path

#: The bundled samples, each with the date the scoped tests read it as of: the 2025 sample (126 communes and wards) at
#: the end of 2025, the 2022 sample (579 units in 30 districts) before the reform.
SAMPLES = {"2025": (Path(__file__).parents[1] / "examples" / "hanoi-2025", "2025-12-31"),
           "2022": (Path(__file__).parents[1] / "examples" / "hanoi-2022", "2024-06-30")}


def sample_subset(source: Path, target: Path, keep: str, column: str = "code", *,
                  blank: Sequence[str] = ()) -> Path:
    """The units of the sample ``source`` whose ``column`` is ``keep`` (a unit's code, a district's name), and their
    officials (their columns ``blank`` emptied: data not recorded), written to ``target`` (read and written by the
    csv module, not by the code under test)."""
    target.mkdir()
    with (source / "units.csv").open(encoding="utf-8", newline="") as handle:
        units = list(csv.DictReader(handle))
    kept = [u for u in units if u[column] == keep]
    codes = {u["code"] for u in kept}
    with (source / "officials.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        officials = [{**o, **dict.fromkeys(blank, "")} for o in reader if o["unit"] in codes]
        fields = reader.fieldnames
    for name, rows, header in (("units.csv", kept, list(units[0])), ("officials.csv", officials, fields)):
        with (target / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return target


def with_city_units(source: Path, target: Path, keep: Callable[[str], bool]) -> Path:
    """The whole units file of the sample ``source`` and the officials of the units ``keep`` says (by code), written
    to ``target``: a commune's officials with the city's units file (read and written by the csv module)."""
    target.mkdir()
    (target / "units.csv").write_bytes((source / "units.csv").read_bytes())
    with (source / "officials.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if keep(row["unit"])]
        fields = reader.fieldnames
    assert fields is not None
    with (target / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target
