"""cadre-rules plugin of Quận Hoàn Kiếm, an urban district of Hà Nội.

It registers:

- the pack ``hoan-kiem-local`` in two versions. ``2023.12.1`` (``hoan-kiem-local.toml``), scoped to
  ``Quận Hoàn Kiếm`` and in effect from 2021-07-01 to 2025-06-30: a ward recorded with a people's council
  is flagged (Hà Nội's wards had none), and every ward needs a civil servant trained in urban planning or
  architecture. ``2025.07`` (``hoan-kiem-local-2025.07.toml``, from 2025-07-01), scoped to the new wards
  Hoàn Kiếm and Cửa Nam by their codes: the planning rule only (every ward has a council again);
- the output format ``hoan-kiem-csv`` (``cadre-rules evaluate … --format hoan-kiem-csv``): the
  local CSV layout, with Vietnamese headers, ``;`` separators and a UTF-8 BOM (as a Vietnamese-locale
  spreadsheet expects), listing only the findings of the district and its wards (up to 2025-06-30) or
  of the new wards (from 2025-07-01).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cadre_rules import Finding
from cadre_rules import Report
from cadre_rules import hookimpl
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.hookspecs import RendererRegistrar

__all__ = ["DISTRICT", "HEADER", "PACK", "PACK_2025", "PACK_ID", "UNITS", "render_csv"]

__version__ = "0.1.0"

PACK = Path(__file__).with_name("hoan-kiem-local.toml")
PACK_2025 = Path(__file__).with_name("hoan-kiem-local-2025.07.toml")
PACK_ID = "hoan-kiem-local"
DISTRICT = "Quận Hoàn Kiếm"
#: The new wards of the former district from 2025-07-01 (the 2025.07 pack's ``[scope] units``).
UNITS = ("00070", "00082")
HEADER = ("Đơn vị", "Đối tượng", "Mã quy định", "Mức độ", "Nội dung")
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


def _in_district(report: Report, finding: Finding) -> bool:
    """Whether a finding is about the district: one of its units (or officials), the district itself, or
    one of the new wards that took it over (which have no district)."""
    if finding.scope_id in UNITS:
        return True
    if finding.scope_id in report.unit_districts:
        return report.unit_districts[finding.scope_id] == DISTRICT
    return finding.subject_kind == "scope" and finding.scope_id == DISTRICT


def render_csv(report: Report, lang: str) -> bytes:
    """The findings of Quận Hoàn Kiếm and its wards as ``;``-separated UTF-8 CSV with a BOM.

    Columns: unit (or the district), subject (official id, unit code or district), ``pack/rule``,
    severity in Vietnamese, message (in the report's language). Rows are sorted; line ends are CRLF.
    """
    rows = sorted(_row(f) for f in report.findings if _in_district(report, f))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _row(finding: Finding) -> tuple[str, str, str, str, str]:
    return (finding.scope_id, finding.subject_id, f"{finding.pack}/{finding.rule}",
            SEVERITY_LABELS[finding.severity], finding.message)


@hookimpl
def cadre_rules_register_packs(register: PackRegistrar) -> None:
    register(PACK)
    register(PACK_2025)


@hookimpl
def cadre_rules_register_renderers(register: RendererRegistrar) -> None:
    register("hoan-kiem-csv", render_csv, extension="csv",
             doc=f"findings of {DISTRICT} (from 2025-07-01: its new wards) only: Vietnamese headers, ';' separators, "
                 "UTF-8 with BOM")
