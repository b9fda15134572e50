"""Issue #22: the JSON input document (``cadre-rules evaluate -``, the service's body)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules import InputError
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules.io._document import read_document
from cadre_rules.io._io import official_to_row
from cadre_rules.io._io import unit_to_row

EXAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2025"


def _clean(row: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in row.items() if value != ""}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    units = load_units(EXAMPLE / "units.csv")
    officials = load_officials(EXAMPLE / "officials.csv", units={u.code: u for u in units})
    return {"officials": [_clean(official_to_row(o)) for o in officials[:300]],
            "units": [_clean(unit_to_row(u)) for u in units]}


def _evaluate(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["evaluate", *args, "--as-of", "2025-12-31", "--format", "json", "--fail-on",
                                      "never", "-q"], input=stdin, catch_exceptions=False)
    return result.exit_code, result.output


def test_stdin_document_gives_the_report_of_the_same_files(document: dict[str, Any], tmp_path: Path) -> None:
    data = json.dumps(document, ensure_ascii=False).encode()
    code, from_stdin = _evaluate("-", stdin=data)
    assert code == 0
    for name in ("officials", "units"):
        (tmp_path / f"{name}.json").write_text(json.dumps(document[name], ensure_ascii=False), encoding="utf-8")
    code, from_files = _evaluate(str(tmp_path))
    assert code == 0
    stdin_report, file_report = json.loads(from_stdin), json.loads(from_files)
    assert stdin_report["input"]["sha256"] == hashlib.sha256(data).hexdigest()
    for report in (stdin_report, file_report):
        del report["input"]["sha256"]
    assert stdin_report == file_report
    assert stdin_report["findings"]


def test_stdin_json_lines_with_units_apart(document: dict[str, Any], tmp_path: Path) -> None:
    units = tmp_path / "units.json"
    units.write_text(json.dumps(document["units"], ensure_ascii=False), encoding="utf-8")
    lines = "\n".join(json.dumps(o, ensure_ascii=False) for o in document["officials"]).encode()
    code, output = _evaluate("-", "--units", str(units), stdin=lines)
    assert code == 0
    report = json.loads(output)
    assert report["input"]["officials"] == len(document["officials"])
    assert report["input"]["sha256"] == hashlib.sha256(lines + units.read_bytes()).hexdigest()


@pytest.mark.parametrize(("stdin", "message"), [
    (b'{"officials": [{"id": "A1", "gender": "nu x"}], "units": []}',
     "<stdin>, /officials/0/gender: unknown gender"),
    (b'{"officials": [], "units": [], "extra": 1}', "<stdin>, /extra: unknown key"),
    (b'{"officials": [', "<stdin>: invalid JSON"),
    (b'[{"id": "A1"}]', "<stdin>: no units"),
    # a document that is no object nor list says what a document is, not that it lacks units
    (b"42", '<stdin>: expected a JSON document ({"officials": [...], "units": [...]}) or a list of officials'),
    (b'"An"', '<stdin>: expected a JSON document ({"officials": [...], "units": [...]}) or a list of officials'),
    (b'{"units": []}', "<stdin>, /officials: no officials in the document"),
    (b"", "<stdin>: no input"),
])
def test_bad_stdin_is_a_located_input_error(stdin: bytes, message: str) -> None:
    code, output = _evaluate("-", stdin=stdin)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_list_columns_may_be_json_lists() -> None:
    doc = {"officials": [{"id": "A1", "full_name": "An", "gender": "nữ", "birth_date": "1980", "unit": "U1",
                          "position": "Chủ tịch UBND", "education": "đại học", "political_theory": "cao cấp",
                          "ratings": {"2023": "good", "2022": "HTNV"}, "concurrent_positions": ["Bí thư Đảng ủy"],
                          "low_confidence_share": 0.1}],
           "units": [{"code": "U1", "name": "Xã Một", "kind": "xã", "class": 1}]}
    (official,), _ = read_document(json.dumps(doc).encode(), "<body>")
    assert official.ratings == ((2022, "completed"), (2023, "good"))
    assert official.concurrent_positions == ("party_secretary",)
    assert str(official.low_confidence_share) == "1/10"
    with pytest.raises(InputError, match="units given twice"):
        read_document(json.dumps(doc).encode(), "<body>", units=())
    lines = b'{"id": "A1"}\n\n{"id": "A2", "gender": "x"}'
    with pytest.raises(InputError) as error:
        read_document(lines, "<body>", units=())
    assert "<body>, row 3, gender: unknown gender" in str(error.value)
