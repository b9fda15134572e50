"""One ward's report as the ward's officer reads it (session 18): the words of the reports, explanations and
projections of one commune's officials (Phường Tương Mai, 00322, of the 2025 sample, with the city's units file)
said as she reads them, in Vietnamese and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli
from subsets import with_city_units

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai's officials (00322) with the city's 126 units."""
    return with_city_units(SAMPLE, tmp_path_factory.mktemp("ward") / "data", "00322".__eq__)


def _run(*args: str, codes: tuple[int, ...] = (0, 1)) -> str:
    result = CliRunner().invoke(cli, [*args, "--as-of", "31/12/2025"])
    assert result.exit_code in codes, result.output
    return result.stdout


# -- 3. project's counts: English agrees in number, Vietnamese has none -------------------------------------------


def test_project_counts_one_unit_and_one_vacant_post_in_the_singular(ward: Path) -> None:
    text = _run("project", str(ward), "--to", "2027-12-31", "--lang", "en")
    assert text.splitlines()[0] == ("Projection from 2025-12-31 to 2027-12-31, every year: 93 officials, 1 unit, "
                                    "0 plan events")
    assert "Phường Tương Mai: Posts filled: 1 vacant post to fill" in text
    assert "Phường Tương Mai: Key posts filled: 2 vacant posts to fill" in text
    assert " 1 units" not in text and " 1 vacant posts" not in text
    vi = _run("project", str(ward), "--to", "2027-12-31", "--lang", "vi")
    assert vi.splitlines()[0] == ("Dự báo từ ngày 31/12/2025 đến ngày 31/12/2027, mỗi năm: 93 cán bộ, 1 đơn vị, "
                                  "0 sự kiện kế hoạch")
    assert "Phường Tương Mai: Tỷ lệ bố trí đủ chức danh: cần bố trí 1 chức danh còn trống" in vi


def test_one_leaver_is_said_in_the_singular() -> None:
    from cadre_rules.jobs._project_formats import _needed_template
    from cadre_rules.jobs._project_formats import _said

    said = _said(_needed_template(4, 5, 1), 1, "en").format(scope="Hà Nội", target="x", added=4, replacing=5,
                                                           leavers=1)
    assert said == ("Hà Nội: x: appointments needed: 4 if added, 5 if they replace the 1 who leaves and officials not "
                    "counted in the target")
    said = _said(_needed_template(4, 5, 1), 1, "vi").format(scope="Hà Nội", target="x", added=4, replacing=5,
                                                           leavers=1)
    assert said == "Hà Nội: x: cần bổ nhiệm 4 người nếu bổ sung thêm, 5 người nếu thay thế 1 người nghỉ và người " \
                   "không thuộc diện được tính"


# -- 4. project --step in the officer's words ---------------------------------------------------------------------


def test_step_is_given_and_read_in_vietnamese(ward: Path) -> None:
    helped = _run("project", "--help", "--lang", "vi", codes=(0,))
    assert "--step [tháng|quý|năm]" in helped and "[mặc định: năm]" in helped
    assert "--step [month|quarter|year]" in _run("project", "--help", "--lang", "en", codes=(0,))
    quarters = "Các mốc: 31/12/2025 31/03/2026 30/06/2026 30/09/2026 31/12/2026"
    for word in ("quý", "Quý", "quy", "quarter"):
        text = _run("project", str(ward), "--to", "2026-12-31", "--step", word, "--lang", "vi")
        assert text.splitlines()[:2] == [
            "Dự báo từ ngày 31/12/2025 đến ngày 31/12/2026, mỗi quý: 93 cán bộ, 1 đơn vị, 0 sự kiện kế hoạch",
            quarters]
    result = CliRunner().invoke(cli, ["project", str(ward), "--to", "2026-12-31", "--step", "tuần", "--lang", "vi"])
    assert result.exit_code == 2
    assert "Lỗi: Giá trị không hợp lệ cho '--step': 'tuần' không thuộc các lựa chọn: 'tháng', 'quý', 'năm'." in \
        result.stderr
    result = CliRunner().invoke(cli, ["project", str(ward), "--to", "2026-12-31", "--step", "week", "--lang", "en"])
    assert result.exit_code == 2
    assert "Invalid value for '--step': 'week' is not one of 'month', 'quarter', 'year'." in result.stderr
