"""A ward's officer's own workbook after 1/7/2025, read as it is (session 15): each test builds a small workbook
the way an office types one (openpyxl) and checks that nothing in it is misread, dropped or refused without a
located reason an officer can act on."""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Border
from openpyxl.styles import Side
from openpyxl.worksheet.worksheet import Worksheet

from cadre_rules import InputNote
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules.io import _workbook
from cadre_rules.model._values import VNI_SPELLING

HEADER = ["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ chuyên môn",
          "Lý luận chính trị"]
#: A key official with an intermediate degree: a qualification finding names each one in the report.
ROW = ["1", "TM01", "Nguyễn Văn An", "Nam", "15/03/1985", "Phường Tương Mai", "Chủ tịch UBND", "Trung cấp", "Cao cấp"]
UNITS = [["STT", "Mã đơn vị", "Tên đơn vị", "Loại", "Phân loại"], ["1", "00322", "Phường Tương Mai", "Phường", "1"]]


def row(**cells: object) -> list[object]:
    """:data:`ROW` with some cells changed, named by their header (spaces as ``_``)."""
    changed: list[object] = list(ROW)
    for header, value in cells.items():
        changed[HEADER.index(header.replace("_", " "))] = value
    return changed


def ward_book(path: Path, rows: Sequence[Sequence[object]], *, above: Sequence[Sequence[object]] = (),
              header: Sequence[object] = HEADER, tweak: Callable[[Worksheet], None] | None = None) -> Path:
    """A ward's workbook: a merged title row, ``above`` (more rows over the header), the header, ``rows``; a
    units sheet "Đơn vị" with Phường Tương Mai; ``tweak`` changes the officials' sheet last."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Cán bộ"
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC PHƯỜNG TƯƠNG MAI"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for line in (*above, header, *rows):
        sheet.append(list(line))
    if tweak is not None:
        tweak(sheet)
    units = book.create_sheet("Đơn vị")
    for line in UNITS:
        units.append(line)
    book.save(path)
    return path


def evaluate(*args: str, lang: str = "vi") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["evaluate", *args, "--as-of", "31/12/2025", "--fail-on", "never",
                                      "--lang", lang])
    return result.exit_code, result.output


def report(book: Path) -> dict[str, object]:
    code, output = evaluate(str(book), "--format", "json")
    assert code == 0, output
    document: dict[str, object] = json.loads(output)
    return document


def names(document: dict[str, object]) -> dict[str, str]:
    """Each official's name in the report, by id."""
    findings = document["findings"]
    assert isinstance(findings, list)
    return {f["subject"]["id"]: f["subject"]["name"] for f in findings if f["subject"]["kind"] == "official"}


# --------------------------------------------------------------------------- names as typed


def test_a_name_typed_with_double_spaces_a_line_break_or_a_non_breaking_space_is_printed_tidy(
        tmp_path: Path) -> None:
    """"Nguyễn  Văn  An" (two spaces, as a name typed in haste), a line break typed in the cell (Alt+Enter) and a
    non-breaking space pasted from a web page were printed as they were in every report."""
    book = ward_book(tmp_path / "ds.xlsx", [
        row(Họ_và_tên="Nguyễn  Văn  An ", Chức_vụ="Bí thư Đảng ủy"),
        row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Trần Thị\nBình", Giới_tính="Nữ", Chức_vụ="Phó Chủ tịch UBND"),
        row(STT="3", Mã_cán_bộ="TM03", Họ_và_tên="Lê\u00a0Văn Cường", Chức_vụ="Chủ tịch HĐND"),
    ])
    document = report(book)
    assert {"TM01": "Nguyễn Văn An", "TM02": "Trần Thị Bình", "TM03": "Lê Văn Cường"}.items() <= names(
        document).items()


TCVN3 = str.maketrans({"ễ": "Ô", "ă": "¨", "ư": "\u00ad", "ờ": "ê", "ủ": "ñ", "ị": "Ü", "ạ": "¹", "ọ": "ä",
                       "Đ": "§", "ấ": "Ê"})


def test_a_name_in_the_old_tcvn3_encoding_is_refused_where_it_is(tmp_path: Path) -> None:
    """A workbook kept since the .VnTime days holds "NguyÔn V¨n An": it was printed so in the report, with no
    word said. Now a located problem that says what to do."""
    book = ward_book(tmp_path / "ds.xlsx", [row(Họ_và_tên="Nguyễn Văn An".translate(TCVN3))])
    code, output = evaluate(str(book))
    assert code == 2
    assert (f"{book}, trang tính 'Cán bộ', dòng 3, Họ và tên: có vẻ là chữ gõ bằng bảng mã cũ (TCVN3/ABC hoặc "
            "VNI), không phải Unicode: '¨' không phải chữ tiếng Việt; hãy chuyển tệp sang Unicode (ví dụ bằng công "
            "cụ chuyển mã của Unikey), rồi lưu dưới dạng .xlsx hoặc CSV UTF-8 (giá trị đọc được: 'NguyÔn V¨n An')"
            ) in output


def test_a_name_in_vni_whose_letters_all_look_ordinary_is_refused_where_it_is(tmp_path: Path) -> None:
    """VNI writes "ễ" as "eã" and "ă" as "aê": letters Vietnamese has, so "Nguyeãn Vaên Ba" passed the check of
    old encodings and was printed so in the report. Now a located problem that says what to do."""
    book = ward_book(tmp_path / "ds.xlsx", [row(Họ_và_tên="Nguyeãn Vaên Ba")])
    code, output = evaluate(str(book))
    assert code == 2
    assert output.splitlines()[1:] == [
        f"  {book}, trang tính 'Cán bộ', dòng 3, Họ và tên: có vẻ là chữ gõ bằng bảng mã cũ VNI, không phải Unicode: "
        "'eã' là chữ 'ễ' gõ theo bảng mã VNI; hãy chuyển tệp sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey), "
        "rồi lưu dưới dạng .xlsx hoặc CSV UTF-8 (giá trị đọc được: 'Nguyeãn Vaên Ba')"]
    for vni, letters in (("LEÂ THÒ XUAÂN", "EÂ"), ("Traàn Tuaán", "aà"), ("Hoà Thò Haèng", "aè"), ("Lyù Thuyù", "yù"),
                         ("Voõ Ngoâ Khoâi", "oõ")):
        code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", [row(Họ_và_tên=vni)])), lang="en")
        assert code == 2 and f"old VNI encoding, not Unicode: {letters!r} is VNI's way of writing" in output, vni


#: Names that are no VNI: Vietnamese ones whose letters sit side by side as VNI's would elsewhere (oà, oá, oã, uâ,
#: iã, iù, uý, uê, iễ), names of the ethnic minorities, and Western ones (a Portuguese "ão", a French "Gaétan").
REAL_NAMES = ("Nguyễn Văn Hoà", "Lê Thị Hoá", "Trần Hoãn", "Phạm Xuân Tuấn", "Đỗ Thị Giã", "Vũ Giùm", "Ngô Thuý Quà",
              "Hoàng Thị Huế", "Nguyễn Khoẻ", "Trịnh Thị Liễu", "Bùi Quốc Hoàng", "Đặng Thị Hằng", "Lý Thắng",
              "Dương Thị Ngoãn", "Y Moan Ênuôl", "H'Hen Niê", "Ksor Byă", "Gaétan Leão", "José Raúl", "Chloé Renée",
              "João Guimarães", "Beáta", "Michaél", "Inês", "Thaís", "Maé")


def test_real_vietnamese_and_western_names_are_read_as_they_are(tmp_path: Path) -> None:
    people = [row(STT=str(i), Mã_cán_bộ=f"TM{i:02d}", Họ_và_tên=name) for i, name in enumerate(REAL_NAMES, start=1)]
    read = {o.id: o.full_name for o in load_officials(ward_book(tmp_path / "ds.xlsx", people))}
    assert read == {f"TM{i:02d}": name for i, name in enumerate(REAL_NAMES, start=1)}


_ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph",
           "qu", "r", "s", "t", "th", "tr", "v", "x")
#: Each nucleus with the places its tone may take (both the old "hoà" and the new "hòa") and whether a final
#: consonant may follow (not after a glide: "ai", "iêu"); "oo" is only in loanwords (boong, soóc, goòng, voọc).
_NUCLEI = (*((v, (0,), True) for v in "aăâeêioôơuưy"),
           *((v, (1,), True) for v in ("iê", "yê", "uô", "ươ")), ("uyê", (2,), True),
           *((v, (0, 1), True) for v in ("oa", "oă", "oe", "uâ", "uê", "uy", "uơ")),
           *((v, (0,), False) for v in ("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "iu", "oi", "ôi", "ơi", "ui",
                                        "ưi", "ưu", "ia", "ua", "ưa")),
           *((v, (1,), False) for v in ("iêu", "yêu", "uôi", "ươi", "ươu", "oai", "oay", "oeo", "uây", "uyu", "uya")))
_FINALS = ("c", "ch", "m", "n", "ng", "nh", "p", "t")
#: Huyền, sắc, hỏi, ngã, nặng; after a stop (c, ch, p, t) only sắc and nặng.
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _toned(nucleus: str, places: Sequence[int], tones: Sequence[str]) -> list[str]:
    return [unicodedata.normalize("NFC", nucleus[:i + 1] + tone + nucleus[i + 1:]) for i in places for tone in tones]


def vietnamese_syllables() -> set[str]:
    """Every onset, nucleus and final, each tone where it may go (in lower case)."""
    syllables = {onset + "oo" + final for onset in _ONSETS for final in ("c", "ng")}
    syllables.update(f"{onset}{middle}{final}" for onset in ("b", "s", "g", "v", "x")
                     for middle in _toned("oo", (1,), ("\u0300", "\u0301", "\u0323")) for final in ("c", "ng"))
    for nucleus, places, closed in _NUCLEI:
        rimes = [nucleus, *_toned(nucleus, places, _TONES)]
        if closed:
            rimes += [middle + final for final in _FINALS for middle in (
                nucleus, *_toned(nucleus, places, _TONES if final in ("m", "n", "ng", "nh") else _TONES[1::3]))]
        syllables.update(onset + rime for onset in _ONSETS for rime in rimes
                         if (onset, nucleus[0]) not in (("qu", "u"), ("qu", "o"), ("gi", "i")))  # (no quu, quo, gii)
    return syllables


def test_no_syllable_of_vietnamese_is_taken_for_vni() -> None:
    """Every onset, nucleus and final, each tone where it may go, in lower case, capitalised and upper case: none
    is spelled as VNI spells."""
    syllables = vietnamese_syllables()
    taken = [s for s in syllables for text in (s, s.capitalize(), s.upper()) if VNI_SPELLING.search(text)]
    assert len(syllables) > 35_000 and taken == []


def test_a_csv_in_the_old_tcvn3_encoding_is_refused_not_read_as_windows_1258(tmp_path: Path) -> None:
    """TCVN3 bytes decode as Windows-1258 too: the file was read with a note, every name misread ("NguyÔn V¨n
    An"), though the guide says such a file is refused with how to save it."""
    lines = ["id,full_name,gender,birth_date,unit,position,education,political_theory",
             "TM01,Nguyễn Văn An,male,1985-03-15,00322,committee_chair,university,advanced"]
    # the bytes of TCVN3: each of its letters is one byte, the one Latin-1 gives its stand-in above
    data = "\n".join(lines).translate(TCVN3).encode("latin-1")
    (tmp_path / "officials.csv").write_bytes(data)
    (tmp_path / "units.csv").write_text("code,name,kind,class\n00322,Phường Tương Mai,ward,1\n", encoding="utf-8")
    code, output = evaluate(str(tmp_path))
    assert code == 2
    assert (f"{tmp_path / 'officials.csv'}: không phải văn bản UTF-8, cũng không phải Windows-1258: dòng 2 có '¨', "
            "không phải chữ tiếng Việt, như tệp gõ bằng bảng mã cũ (TCVN3/ABC hoặc VNI); hãy chuyển tệp sang Unicode "
            "(ví dụ bằng công cụ chuyển mã của Unikey); Lưu dưới dạng CSV UTF-8 hoặc .xlsx") in output
    code, output = evaluate(str(tmp_path), lang="en")
    assert code == 2 and "line 2 holds '¨', no Vietnamese letter" in output


# --------------------------------------------------------------------------- the header as the forms draw it


def _merge(*ranges: str) -> Callable[[Worksheet], None]:
    def merge(sheet: Worksheet) -> None:
        for cells in ranges:
            sheet.merge_cells(cells)
    return merge


def test_a_header_of_two_rows_names_each_column_by_its_group_and_its_own_row(tmp_path: Path) -> None:
    """The forms draw "Trình độ" over "Chuyên môn" and "Lý luận chính trị", "Xếp loại" over "Năm 2024" and
    "Năm 2025", the other headers merged down both rows: the sheet was refused with 14 problems (the second
    header row read as a person, the ratings as values in columns without a header)."""
    top = ["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ", "",
           "Xếp loại", ""]
    second = ["", "", "", "", "", "", "", "Chuyên môn", "Lý luận chính trị", "Năm 2024", "2025"]
    people = [[*ROW, "HTTNV", "KHTNV"],
              [*row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Lê Văn Cường", Chức_vụ="Bí thư Đảng ủy",
                    Trình_độ_chuyên_môn="Đại học", Lý_luận_chính_trị="Trung cấp"), "HTXSNV", "HTNV"]]
    book = ward_book(tmp_path / "ds.xlsx", people, above=[top], header=second,
                     tweak=_merge("H2:I2", "J2:K2", *(f"{c}2:{c}3" for c in "ABCDEFG")))
    assert names(report(book)) == {"TM01": "Nguyễn Văn An", "TM02": "Lê Văn Cường"}
    read = {o.id: o for o in load_officials(book)}
    assert (read["TM01"].education, read["TM01"].political_theory, read["TM01"].ratings) == (
        "intermediate", "advanced", ((2024, "good"), (2025, "not_completed")))
    assert (read["TM02"].education, read["TM02"].political_theory, read["TM02"].ratings) == (
        "university", "intermediate", ((2024, "excellent"), (2025, "completed")))


def test_the_row_of_column_numbers_under_the_header_is_said_and_not_read(tmp_path: Path) -> None:
    """"(1) (2) (3) …" under the header, as every form of the administration has: it was read as a person (six
    problems: gender '(4)', date '(5)' …)."""
    for numbers in ([f"({i})" for i in range(1, 10)], list(range(1, 10))):
        book = ward_book(tmp_path / "ds.xlsx", [numbers, ROW])
        code, output = evaluate(str(book))
        assert code == 0, output
        first = numbers[0]
        assert f"ghi chú: {book}, trang tính 'Cán bộ': dòng 3 là dòng đánh số cột ({first}, …): không được đọc" in output
        assert "Nguyễn Văn An" in output


def test_a_row_of_data_is_never_taken_for_a_second_header_row_or_for_column_numbers(tmp_path: Path) -> None:
    """The first person, whose cells lie under headers of one column each, stays a person; so does a row whose
    numbers are not 1, 2, 3 …"""
    book = ward_book(tmp_path / "ds.xlsx", [ROW, row(STT="2", Mã_cán_bộ="3", Họ_và_tên="Bốn")])
    document = report(book)
    assert names(document) == {"TM01": "Nguyễn Văn An", "3": "Bốn"}


def test_headers_typed_without_vietnamese_marks_name_their_columns(tmp_path: Path) -> None:
    """A list exported by an old program, or typed without a Vietnamese keyboard: "Ho va ten", "Gioi tinh",
    "Ngay sinh" … and "Xep loai nam 2025". The sheet was refused: "Giới tính: thiếu cột bắt buộc" beside the
    very column (and with every header so typed, the title was taken for the header)."""
    header = ["STT", "Ma can bo", "Ho va ten", "Gioi tinh", "Ngay sinh", "Don vi", "Chuc vu",
              "Trinh do chuyen mon", "Ly luan chinh tri", "Xep loai nam 2025"]
    book = ward_book(tmp_path / "ds.xlsx", [[*ROW, "HTTNV"]], header=header)
    (official,) = load_officials(book)
    assert (official.id, official.full_name, official.gender, official.ratings) == (
        "TM01", "Nguyễn Văn An", "male", ((2025, "good"),))
    assert names(report(book)) == {"TM01": "Nguyễn Văn An"}


def test_a_ward_written_p_dot_and_a_post_written_with_du_for_dang_uy_are_read(tmp_path: Path) -> None:
    """"P. Tương Mai" (and "P.Tương Mai") for Phường Tương Mai, "Bí thư ĐU" for Bí thư Đảng ủy, as offices
    abbreviate them: each was refused (the ward with a "did you mean" of the very ward)."""
    book = ward_book(tmp_path / "ds.xlsx", [
        row(Đơn_vị="P. Tương Mai", Chức_vụ="Bí thư ĐU"),
        row(STT="2", Mã_cán_bộ="TM02", Đơn_vị="P.Tương Mai", Chức_vụ="Phó Bí thư TT ĐU"),
    ])
    units = {unit.code: unit for unit in load_units(book)}
    read = {o.id: (o.unit, o.position) for o in load_officials(book, units=units)}
    assert read == {"TM01": ("00322", "party_secretary"), "TM02": ("00322", "standing_deputy_party_secretary")}


def test_a_ward_code_whose_leading_zeros_excel_dropped_is_refused_with_the_code_it_lost_and_why(
        tmp_path: Path) -> None:
    """The ward's code 00322 typed in a cell of numbers is 322: "không có trong danh sách Đơn vị", with nothing
    to tell the officer why the code they typed is not the ward's."""
    book = ward_book(tmp_path / "ds.xlsx", [row(Đơn_vị=322)])
    code, output = evaluate(str(book))
    assert code == 2
    assert (f"{book}, trang tính 'Cán bộ', dòng 3, Đơn vị: không có trong danh sách Đơn vị; có phải là '00322'? (ô "
            "kiểu số làm mất các số 0 ở đầu mã: định dạng các cột mã là Văn bản (Text) rồi gõ lại mã) (giá trị đọc "
            "được: '322')") in output


# --------------------------------------------------------------------------- what Excel hides


def _hide(rows: Sequence[int] = (), columns: Sequence[str] = (), *, filtered: bool = False
          ) -> Callable[[Worksheet], None]:
    def hide(sheet: Worksheet) -> None:
        for number in rows:
            sheet.row_dimensions[number].hidden = True
        for letter in columns:
            sheet.column_dimensions[letter].hidden = True
        if filtered:
            sheet.auto_filter.ref = f"A2:I{sheet.max_row}"
    return hide


def test_rows_and_columns_hidden_in_excel_are_said_to_be_read(tmp_path: Path) -> None:
    """A ward's officer hides (or filters out) the rows of those who left and an old column: every one was read
    with no word said, and the report counted people the officer had put out of sight."""
    people = [row(STT=str(i), Mã_cán_bộ=f"TM{i:02}", Chức_vụ="Khác") for i in range(1, 8)]
    header = [*HEADER, "Quy hoạch", "Ghi chú"]
    book = ward_book(tmp_path / "ds.xlsx", [[*p, "", ""] for p in people], header=header,
                     tweak=_hide(rows=(4, 6, 7, 8), columns=("J", "K"), filtered=True))
    code, output = evaluate(str(book))
    assert code == 0, output
    assert (f"ghi chú: {book}, trang tính 'Cán bộ': 4 dòng đang bị ẩn trong Excel (ẩn bằng tay hoặc do bộ lọc) vẫn "
            "được đọc như các dòng khác: dòng 4, 6–8; hãy xóa dòng của người không còn trong danh sách") in output
    # the column of the contract is said; a column of the office's own notes, which nothing reads, is not
    assert (f"ghi chú: {book}, trang tính 'Cán bộ': cột đang bị ẩn trong Excel vẫn được đọc như các cột khác: "
            "'Quy hoạch'\n") in output
    assert "Dữ liệu: 7 cán bộ, công chức" in output


def test_a_workbook_that_hides_nothing_has_no_such_note(tmp_path: Path) -> None:
    code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", [ROW])))
    assert code == 0 and "bị ẩn" not in output


def test_a_hidden_row_s_tag_cut_by_the_end_of_a_chunk_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """The worksheet is read a chunk at a time (a megabyte): a tag cut in two is found all the same (chunks of
    97 bytes here cut most of them)."""
    monkeypatch.setattr(_workbook, "CHUNK", 97)
    people = [row(STT=str(i), Mã_cán_bộ=f"TM{i:02}", Chức_vụ="Khác") for i in range(1, 30)]
    book = ward_book(tmp_path / "ds.xlsx", people, tweak=_hide(rows=range(5, 31, 2)))
    code, output = evaluate(str(book))
    assert code == 0, output
    assert "13 dòng đang bị ẩn trong Excel (ẩn bằng tay hoặc do bộ lọc) vẫn được đọc như các dòng khác: dòng 5, 7, 9, " \
           "11, 13, 15, 17, 19, …;" in output


# --------------------------------------------------------------------------- a post no one holds


def test_a_row_of_a_post_no_one_holds_is_said_and_the_vacancy_is_found(tmp_path: Path) -> None:
    """A ward's list keeps a row for each post, "Khuyết" where no one holds it: the sheet was refused with five
    "required value is missing" problems on that row. Now the row is left out with a note, and the post is the
    vacancy the staffing rules find."""
    vacant = ["2", "", "Khuyết", "", "", "Phường Tương Mai", "Phó Bí thư Đảng ủy", "", ""]
    # a name that says no one beside a gender and a birth date is a person's row, read as before
    person = row(STT="3", Mã_cán_bộ="TM03", Họ_và_tên="Chưa bố trí", Chức_vụ="Phó Chủ tịch UBND")
    assert names(report(ward_book(tmp_path / "ds.xlsx", [ROW, person]))) == {"TM01": "Nguyễn Văn An",
                                                                          "TM03": "Chưa bố trí"}
    book = ward_book(tmp_path / "ds.xlsx", [ROW, vacant])
    code, output = evaluate(str(book))
    assert code == 0, output
    assert (f"ghi chú: {book}, trang tính 'Cán bộ': 1 dòng không ghi người nào ('Khuyết'): chức danh chưa có người "
            "giữ không được đọc như một người (các quy tắc bố trí tìm chức danh còn trống từ các chức danh đã có người "
            "giữ): dòng 4") in output
    assert "Dữ liệu: 1 cán bộ, công chức" in output
    assert "Chức danh còn trống, theo chức danh (" in output
    (line,) = [line for line in output.splitlines() if "staffing.vacancy" in line and "00322" in line]
    assert "Chưa bố trí đủ chức danh chủ chốt: thiếu" in line and "Phó Bí thư Đảng ủy," in line


# --------------------------------------------------------------------------- marks as offices write them


def test_the_planning_column_may_name_the_post_and_the_standing_committee_column_may_say_uvbtv(
        tmp_path: Path) -> None:
    """"Quy hoạch chức danh: Chủ tịch UBND" (the post the official is planned for) and "UVBTV" (a member of the
    standing committee) were refused as "not a boolean"."""
    header = [*HEADER, "Quy hoạch chức danh", "Ủy viên BTV"]
    book = ward_book(tmp_path / "ds.xlsx", [
        [*ROW, "Chủ tịch UBND", "UVBTV"],
        [*row(STT="2", Mã_cán_bộ="TM02"), "Bí thư Đảng ủy, Chủ tịch HĐND", "Ủy viên Ban Thường vụ"],
        [*row(STT="3", Mã_cán_bộ="TM03"), "x", ""],
        [*row(STT="4", Mã_cán_bộ="TM04"), "", "không"],
    ], header=header)
    read = {o.id: (o.in_planning, o.standing_committee) for o in load_officials(book)}
    assert read == {"TM01": (True, True), "TM02": (True, True), "TM03": (True, None), "TM04": (None, False)}
    # a text that is neither a mark nor a post stays a located problem
    book = ward_book(tmp_path / "ds.xlsx", [[*ROW, "Khác", ""], [*row(STT="2", Mã_cán_bộ="TM02"), "", "BCH"]],
                     header=header)
    code, output = evaluate(str(book))
    assert code == 2
    assert f"{book}, trang tính 'Cán bộ', dòng 3, Quy hoạch: " in output
    assert f"{book}, trang tính 'Cán bộ', dòng 4, Ủy viên BTV: " in output


def test_the_template_tells_a_ward_after_the_reform_to_leave_class_and_district_blank(tmp_path: Path) -> None:
    """The template's units sheet said "Phân loại: 1, 2 hoặc 3" only: the wards of 1/7/2025 have no class yet,
    and no district; a ward's officer filled in a class they do not have. A ward filled so is read."""
    result = CliRunner().invoke(cli, ["template", str(tmp_path / "mau.xlsx"), "--lang", "vi"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "mau.xlsx")["Đơn vị"]
    how = str(sheet["A2"].value)
    assert "để trống nếu đơn vị chưa được xếp loại (các xã, phường từ 1/7/2025)" in how
    assert "Quận/huyện: để trống từ 1/7/2025" in how
    sheet["B4"], sheet["C4"], sheet["D4"], sheet["E4"] = "00322", "Phường Tương Mai", "Phường", None
    sheet.parent.save(tmp_path / "mau.xlsx")
    (unit,) = load_units(tmp_path / "mau.xlsx")
    assert (unit.code, unit.kind, unit.unit_class, unit.district) == ("00322", "ward", None, None)


def test_a_post_outside_the_list_is_refused_with_what_to_write_instead(tmp_path: Path) -> None:
    """"Trưởng Công an xã" (no post of the list, and close to none) was refused with the list of 24 posts and
    nothing more: the officer was not told that such a post is written "Khác" with its title beside it. A
    misspelt post keeps its "có phải là …?"."""
    book = ward_book(tmp_path / "ds.xlsx", [row(Chức_vụ="Trưởng Công an xã"),
                                            row(STT="2", Mã_cán_bộ="TM02", Chức_vụ="Chủ tịc UBND")])
    code, output = evaluate(str(book))
    assert code == 2
    first, second = (line for line in output.splitlines() if ", Chức vụ: " in line)
    assert first.endswith("Giám đốc Trung tâm Phục vụ hành chính công, Khác); chức vụ không có trong danh sách thì "
                          "ghi 'Khác' và ghi chức danh vào cột 'Chức danh cụ thể' (giá trị đọc được: 'Trưởng Công an "
                          "xã')")
    assert second.endswith("Khác); có phải là 'Chủ tịch UBND'? (giá trị đọc được: 'Chủ tịc UBND')")
    # what the hint says is read: "Khác" and the title in "Chức danh cụ thể" name the post in the report
    header = [*HEADER, "Chức danh cụ thể"]
    book = ward_book(tmp_path / "ds.xlsx", [[*row(Chức_vụ="Khác"), "Trưởng Công an xã"]], header=header)
    result = CliRunner().invoke(cli, ["explain", str(book), "--official", "TM01", "--as-of", "31/12/2025",
                                      "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert "Cán bộ, công chức: Nguyễn Văn An — Trưởng Công an xã — Phường Tương Mai" in result.output


def test_a_date_cell_that_lost_its_format_is_refused_with_the_date_its_number_stands_for(tmp_path: Path) -> None:
    """A birth date pasted as a value into a cell of numbers shows Excel's day number (31121 for 15/03/1985): it
    was "không phải là ngày: cần dạng DD/MM/YYYY …, got '31121'", a number the officer never typed."""
    book = ward_book(tmp_path / "ds.xlsx", [row(Ngày_sinh=31121)])
    code, output = evaluate(str(book))
    assert code == 2
    assert (f"{book}, trang tính 'Cán bộ', dòng 3, Ngày sinh: không phải là ngày: '31121' là một số, số mà Excel dùng "
            "để lưu ngày 15/03/1985: nếu đúng là ngày đó, hãy định dạng ô là ngày (dd/mm/yyyy) (giá trị đọc được: "
            "'31121')") in output
    code, output = evaluate(str(book), lang="en")
    assert "birth_date: not a date: '31121' is a number, the day number Excel keeps for 1985-03-15: " in output


def test_a_row_typed_twice_is_said_so_with_or_without_an_id_column(tmp_path: Path) -> None:
    """A row pasted twice (only its STT differs): without an id column the officer was told to add a column
    'Mã cán bộ' to tell two people apart, though they are one person; with one, "trùng Mã cán bộ". Two people
    who share a name in a unit (other cells differ) keep the old advice."""
    twice = row(STT="2")
    code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", [ROW, twice])))
    assert code == 2
    assert ("dòng 4, Mã cán bộ: trùng Mã cán bộ với dòng 3, và mọi ô khác cũng giống hệt: có phải một dòng bị nhập hai "
            "lần? hãy xóa một dòng (giá trị đọc được: 'TM01')") in output
    header = [h for h in HEADER if h != "Mã cán bộ"]
    book = ward_book(tmp_path / "ds.xlsx", [ROW[:1] + ROW[2:], twice[:1] + twice[2:]], header=header)
    code, output = evaluate(str(book))
    assert code == 2
    assert ("dòng 4, Họ và tên: trùng Họ và tên với dòng 3, và mọi ô khác cũng giống hệt: có phải một dòng bị nhập "
            "hai lần? hãy xóa một dòng") in output
    other = row(STT="2", Ngày_sinh="01/01/1990")
    book = ward_book(tmp_path / "ds.xlsx", [ROW[:1] + ROW[2:], other[:1] + other[2:]], header=header)
    code, output = evaluate(str(book))
    assert code == 2 and "thêm cột 'Mã cán bộ'" in output and "nhập hai lần" not in output


# --------------------------------------------------------------------------- which sheet


def test_two_sheets_of_officials_alike_are_refused_not_one_read_by_chance(tmp_path: Path) -> None:
    """A ward keeps one sheet a year, "Cán bộ 2024" and "Cán bộ 2025": the first was read, with no word said,
    and last year's list evaluated. Now refused, with the way out; the one named "Cán bộ" is read."""
    def add_2025(sheet: Worksheet) -> None:
        sheet.title = "Cán bộ 2024"
        new = sheet.parent.create_sheet("Cán bộ 2025", 1)
        for line in sheet.iter_rows(values_only=True):
            new.append(list(line))
        new.append(row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Lê Thị Mới"))
    book = ward_book(tmp_path / "ds.xlsx", [ROW], tweak=add_2025)
    code, output = evaluate(str(book))
    assert code == 2
    assert (f"{book}: nhiều trang tính cùng là danh sách cán bộ ('Cán bộ 2024', 'Cán bộ 2025'): đặt tên trang cần "
            "đọc là 'Cán bộ', hoặc chuyển các trang kia sang tệp khác") in output
    workbook = openpyxl.load_workbook(book)
    workbook["Cán bộ 2025"].title = "Cán bộ"
    workbook.save(book)
    assert names(report(book)) == {"TM01": "Nguyễn Văn An", "TM02": "Lê Thị Mới"}


# --------------------------------------------------------------------------- dates a computer changed


def test_dates_a_month_first_computer_swapped_are_said(tmp_path: Path) -> None:
    """Typed on a computer set to month/day/year, "05/03/1985" becomes an Excel date of 3 May and "15/03/1985"
    stays text: the column held both and every swapped date was read as it stood, with no word said. Now a
    note names the column and the first date to check (the dates are not changed: nothing tells which)."""
    book = ward_book(tmp_path / "ds.xlsx", [
        row(Ngày_sinh=datetime(1985, 5, 3)),  # (typed 05/03/1985)
        row(STT="2", Mã_cán_bộ="TM02", Ngày_sinh="15/03/1985"),
        row(STT="3", Mã_cán_bộ="TM03", Ngày_sinh="28/11/1979"),
        row(STT="4", Mã_cán_bộ="TM04", Ngày_sinh=datetime(1990, 1, 20)),  # (a day over 12: no swap possible)
        row(STT="5", Mã_cán_bộ="TM05", Ngày_sinh="13/1/1992"),
    ])
    code, output = evaluate(str(book))
    assert code == 0, output
    assert (f"ghi chú: {book}, trang tính 'Cán bộ': Ngày sinh: các ngày ghi dạng chữ đều có ngày lớn hơn 12 (đầu "
            "tiên: '15/03/1985', dòng 4), các ngày còn lại là ô ngày của Excel: đúng như tệp gõ trên máy đặt kiểu "
            "ngày tháng/ngày/năm, máy này giữ 15/03/1985 dạng chữ nhưng đổi 05/03/1985 thành ngày 3 tháng 5; hãy kiểm "
            "tra 1 ô ngày của Excel có ngày từ 12 trở xuống (đầu tiên: dòng 3)") in output
    with pytest.warns(InputNote, match="month/day/year"):
        read = {o.id: o.birth_date for o in load_officials(book)}
    assert read["TM01"] == date(1985, 5, 3)  # (as it stands)


def test_a_column_of_text_dates_with_small_days_or_of_excel_dates_only_has_no_such_note(tmp_path: Path) -> None:
    for dates in (["15/03/1985", "05/03/1985", "13/1/1992", "28/11/1979", datetime(1985, 5, 3)],
                  [datetime(1985, 5, 3), datetime(1979, 2, 1)], ["15/03/1985", "28/11/1979", "13/1/1992"],
                  ["15/03/1985", "28/11/1979", datetime(1985, 5, 3)]):  # (two texts: too few to doubt)
        people = [row(STT=str(i), Mã_cán_bộ=f"TM{i}", Ngày_sinh=d) for i, d in enumerate(dates, start=1)]
        code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", people)))
        assert code == 0 and "tháng/ngày/năm" not in output, output


# --------------------------------------------------------------------------- a name in two columns


def test_a_name_kept_in_two_columns_is_read_as_one(tmp_path: Path) -> None:
    """Lists sorted by the given name keep "Họ đệm" and "Tên" apart (also under a two-row header "Họ và tên"):
    the sheet was refused, "Họ và tên: thiếu cột bắt buộc"."""
    header = ["STT", "Mã cán bộ", "Họ đệm", "Tên", *HEADER[3:]]
    people = [[*ROW[:2], "Nguyễn Văn", "An", *ROW[3:]], [*row(STT="2", Mã_cán_bộ="TM02")[:2], "Lê Thị", "Ánh ",
                                                          *ROW[3:]]]
    assert names(report(ward_book(tmp_path / "ds.xlsx", people, header=header))) == {
        "TM01": "Nguyễn Văn An", "TM02": "Lê Thị Ánh"}
    top = ["STT", "Mã cán bộ", "Họ và tên", "", *HEADER[3:]]
    second = ["", "", "Họ", "Tên", *[""] * len(HEADER[3:])]
    book = ward_book(tmp_path / "ds.xlsx", people, above=[top], header=second, tweak=_merge("C2:D2"))
    assert names(report(book)) == {"TM01": "Nguyễn Văn An", "TM02": "Lê Thị Ánh"}
    # without marks, as an old program exports it
    header = ["STT", "Ma can bo", "Ho dem", "Ten", *HEADER[3:]]
    assert names(report(ward_book(tmp_path / "ds.xlsx", people, header=header))) == {
        "TM01": "Nguyễn Văn An", "TM02": "Lê Thị Ánh"}


def test_a_date_of_birth_kept_under_nam_or_nu_gives_the_gender_and_the_date(tmp_path: Path) -> None:
    """The administration's forms keep the date of birth under "Nam" for a man and "Nữ" for a woman
    ("Ngày, tháng, năm sinh" over both), with no gender column; or "Giới tính" over two columns of marks. The
    sheet was refused ("Giới tính", "Ngày sinh": thiếu cột bắt buộc)."""
    header = [*HEADER[:3], "Ngày, tháng, năm sinh", "", *HEADER[5:]]
    second = ["", "", "", "Nam", "Nữ", *[""] * len(HEADER[5:])]
    people = [[*ROW[:3], "15/03/1985", "", *ROW[5:]],
              [*row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Lê Thị Bình")[:3], "", datetime(1990, 7, 2), *ROW[5:]]]
    book = ward_book(tmp_path / "ds.xlsx", people, above=[header], header=second, tweak=_merge("D2:E2"))
    read = {o.id: (o.gender, o.birth_date) for o in load_officials(book)}
    assert read == {"TM01": ("male", date(1985, 3, 15)), "TM02": ("female", date(1990, 7, 2))}
    # both filled: a located problem that shows both, never one of them by chance
    people.append([*row(STT="3", Mã_cán_bộ="TM03")[:3], "01/01/1980", "02/02/1981", *ROW[5:]])
    book = ward_book(tmp_path / "ds.xlsx", people, above=[header], header=second, tweak=_merge("D2:E2"))
    code, output = evaluate(str(book))
    assert code == 2 and "dòng 6, Giới tính: " in output and "'01/01/1980 | 02/02/1981'" in output
    # "Giới tính" over two columns of marks, the date in its own column
    header = [*HEADER[:3], "Giới tính", "", *HEADER[4:]]
    second = ["", "", "", "Nam", "Nữ", *[""] * len(HEADER[4:])]
    people = [[*ROW[:3], "x", "", *ROW[4:]], [*row(STT="2", Mã_cán_bộ="TM02")[:3], "", "x", *ROW[4:]]]
    book = ward_book(tmp_path / "ds.xlsx", people, above=[header], header=second, tweak=_merge("D2:E2"))
    read = {o.id: (o.gender, o.birth_date) for o in load_officials(book)}
    assert read == {"TM01": ("male", date(1985, 3, 15)), "TM02": ("female", date(1985, 3, 15))}


def test_a_date_of_birth_under_nam_or_nu_is_read_beside_a_gender_column_and_must_agree_with_it(
        tmp_path: Path) -> None:
    """A list keeps "Giới tính" and the date of birth under "Nam" or "Nữ" as well: the date was not read ("Ngày
    sinh: thiếu cột bắt buộc"). Now the date is read from whichever is filled (an empty gender cell takes the
    column's); a gender cell that says the other is refused where it is."""
    header = [*HEADER[:4], "Ngày, tháng, năm sinh", "", *HEADER[5:]]
    second = ["", "", "", "", "Nam", "Nữ", *[""] * len(HEADER[5:])]
    people = [[*ROW[:4], "15/03/1985", "", *ROW[5:]],
              [*row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Lê Thị Bình", Giới_tính="Nữ")[:4], "", datetime(1990, 7, 2),
               *ROW[5:]],
              [*row(STT="3", Mã_cán_bộ="TM03", Giới_tính="")[:4], "", "01/01/1991", *ROW[5:]]]
    book = ward_book(tmp_path / "ds.xlsx", people, above=[header], header=second, tweak=_merge("E2:F2"))
    read = {o.id: (o.gender, o.birth_date) for o in load_officials(book)}
    assert read == {"TM01": ("male", date(1985, 3, 15)), "TM02": ("female", date(1990, 7, 2)),
                    "TM03": ("female", date(1991, 1, 1))}
    people.append([*row(STT="4", Mã_cán_bộ="TM04", Giới_tính="nữ")[:4], "01/01/1980", "", *ROW[5:]])
    book = ward_book(tmp_path / "ds.xlsx", people, above=[header], header=second, tweak=_merge("E2:F2"))
    code, output = evaluate(str(book))
    assert code == 2
    assert output.splitlines()[1:] == [
        f"  {book}, trang tính 'Cán bộ', dòng 7, Giới tính: không khớp với ngày sinh ghi ở cột 'Nam': hãy sửa lại ô "
        "ghi sai (giá trị đọc được: 'nữ')"]


# --------------------------------------------------------------------------- formulas a script left uncalculated


def test_formulas_without_stored_values_in_the_stt_column_refuse_nothing(tmp_path: Path) -> None:
    """A workbook a script wrote numbers its rows with ``=ROW()-2`` and never calculates it (no stored value): the
    STT column, read by nobody, refused the file ("STT: công thức chưa có giá trị lưu sẵn"). Now read; a formula
    without a stored value in a column that is read is still refused, where it is."""
    people = [row(STT="=ROW()-2"), row(STT="=ROW()-2", Mã_cán_bộ="TM02", Họ_và_tên="Trần Thị Bình",
                                       Giới_tính="Nữ", Chức_vụ="Phó Chủ tịch UBND")]
    book = ward_book(tmp_path / "ds.xlsx", people)
    assert names(report(book)) == {"TM01": "Nguyễn Văn An", "TM02": "Trần Thị Bình"}
    people[1][HEADER.index("Trình độ chuyên môn")] = '=IF(TRUE,"Đại học","")'
    code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", people)))
    assert code == 2
    assert output.splitlines()[1:] == [
        f"  {book}, trang tính 'Cán bộ', dòng 4, Trình độ chuyên môn: công thức chưa có giá trị lưu sẵn (mở tệp trong "
        "Excel hoặc LibreOffice rồi lưu lại để các giá trị được tính) (giá trị đọc được: '=IF(TRUE,\"Đại học\",\"\")')"]


# --------------------------------------------------------------------------- all of it at once


def _as_kept(sheet: Worksheet) -> None:
    """A ward's workbook as kept: a hidden column of the office's own notes, a date cell formatted as text, 200
    empty rows with borders under the list, and a sheet of notes."""
    sheet.column_dimensions["J"].hidden = True
    sheet.cell(row=8, column=5).number_format = "@"
    side = Side(style="thin")
    for number in range(sheet.max_row + 1, sheet.max_row + 201):
        for column in range(1, 11):
            sheet.cell(row=number, column=column).border = Border(top=side, bottom=side, left=side, right=side)
    notes = sheet.parent.create_sheet("Ghi chú")
    notes.append(["Số liệu đến ngày 15/12/2025; người lập: Phòng Nội vụ"])
    notes.append(["Họ và tên", "Ngày sinh"])


def test_a_ward_s_workbook_as_kept_is_read_whole_and_right(tmp_path: Path) -> None:
    """Every habit of one office at once (session 15's acceptance): the report names each person as typed,
    tidied, with their post and ward, and counts every one of them."""
    nfd = functools.partial(unicodedata.normalize, "NFD")
    header = ["STT", "MÃ CÁN BỘ", "Ho va ten", "Giới Tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ chuyên môn",
              "Lý luận chính trị", "Ghi chú nội bộ"]
    people = [
        ["1", "TM01", "Nguyễn  Văn  An ", "Nam", "15/3/1975", "P. Tương Mai", "Bí thư ĐU", "Trung cấp", "Cao cấp", "x"],
        ["2", "TM02", nfd("Trần Thị Bình"), nfd("Nữ"), "15-03-1985", nfd("Phường Tương Mai"), "CT UBND", "ĐH", "CC",
         ""],
        [3, "TM03", "Lê Văn Cường", "nam", datetime(1970, 2, 10), "Tương Mai", "Phó Bí thư Thường trực Đảng ủy",
         "Trung cấp", "Cao cấp", ""],
        [],
        ["4", "TM04", "Phạm Thị Dung", "Nữ", "03/04/1986", "Phường Tương Mai", "PCT UBND", "Trung cấp", "TC", ""],
    ]
    book = ward_book(tmp_path / "ds.xlsx", people, header=header, tweak=_as_kept)
    code, output = evaluate(str(book), "--format", "json")
    assert code == 0, output
    document = json.loads(output)
    assert document["input"]["officials"] == 4
    subjects = {f["subject"]["id"]: (f["subject"]["name"], f["subject"]["position"], f["subject"]["unit_name"])
                for f in document["findings"] if f["subject"]["kind"] == "official"}
    assert subjects == {
        "TM01": ("Nguyễn Văn An", "Bí thư Đảng ủy", "Phường Tương Mai"),
        "TM03": ("Lê Văn Cường", "Phó Bí thư Thường trực Đảng ủy", "Phường Tương Mai"),
        "TM04": ("Phạm Thị Dung", "Phó Chủ tịch UBND", "Phường Tương Mai"),
    }  # (TM02, a university graduate with advanced theory, has no finding)
    read = {o.id: (o.birth_date, o.position, o.political_theory) for o in load_officials(book)}
    assert read == {"TM01": (date(1975, 3, 15), "party_secretary", "advanced"),
                    "TM02": (date(1985, 3, 15), "committee_chair", "advanced"),
                    "TM03": (date(1970, 2, 10), "standing_deputy_party_secretary", "advanced"),
                    "TM04": (date(1986, 4, 3), "committee_vice_chair", "intermediate")}


# --------------------------------------------------------------------------- workbooks of another kind


@pytest.mark.parametrize("suffix", [".ods", ".xlsm"])
def test_a_workbook_of_another_kind_is_refused_with_how_to_save_it(tmp_path: Path, suffix: str) -> None:
    """LibreOffice saves .ods by default; a workbook with macros is .xlsm. Given alone (both sheets in it), it was
    told "DATA là tệp cán bộ: hãy chỉ ra tệp đơn vị bằng --units TỆP", a usage error about a file it has; in a
    folder, "không có tệp officials". Now the reader's refusal, with how to save it, in both."""
    book = ward_book(tmp_path / "ds.xlsx", [ROW]).rename(tmp_path / f"ds{suffix}")
    code, output = evaluate(str(book))
    assert code == 2
    assert f"{book}: không đọc tệp {suffix}; Lưu dưới dạng CSV UTF-8 hoặc .xlsx" in output
    assert "--units" not in output
    folder = tmp_path / "du-lieu"
    folder.mkdir()
    book.rename(folder / f"officials{suffix}")
    (folder / "units.csv").write_text("code,name,kind,class\n00322,Phường Tương Mai,ward,1\n", encoding="utf-8")
    code, output = evaluate(str(folder))
    assert code == 2
    assert f"{folder / f'officials{suffix}'}: không đọc tệp {suffix}; Lưu dưới dạng CSV UTF-8 hoặc .xlsx" in output
