"""Names in the old VNI encoding, caught exactly (session 17): a CSV saved in VNI's bytes is refused where it is,
not read as Windows-1258; a cell typed in a VNI font names the letter VNI meant; a real foreign or Vietnamese name
is never taken for VNI."""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import pytest

from cadre_rules import load_officials
from cadre_rules.errors import InputError
from cadre_rules.io._csv import decode_csv
from cadre_rules.io._tables import _Problems
from cadre_rules.model._values import LEGACY_ENCODING
from cadre_rules.model._values import parse_text
from test_officer_workbook import REAL_NAMES
from test_officer_workbook import evaluate
from test_officer_workbook import row
from test_officer_workbook import vietnamese_syllables
from test_officer_workbook import ward_book
from test_workbook_as_kept import windows_1258

#: VNI-Windows (the VNI-Times fonts): a vowel then one byte for its marks, read as Windows-1252's letters.
_TONE = {"\u0301": "ùáé", "\u0300": "øàè", "\u0309": "ûåú", "\u0303": "õãü", "\u0323": "ïäë"}  # plain, ^, breve
_I = {"": "i", "\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def vni(text: str) -> str:
    """``text`` as VNI writes it ("Nguyễn Thị" → "Nguyeãn Thò"), in Windows-1252's letters."""
    out = []
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        lower = base.lower()
        tone = next((mark for mark in marks if mark in _TONE), "")
        shape = "".join(mark for mark in marks if mark not in _TONE)
        if lower == "đ":
            spelled = "ñ"
        elif lower == "i":
            spelled = _I[tone]
        elif lower == "y" and tone == "\u0323":
            spelled = "î"
        elif shape == "\u031b":  # the horn: ơ, ư
            spelled = {"o": "ô", "u": "ö"}[lower] + (_TONE[tone][0] if tone else "")
        else:
            column = {"": 0, "\u0302": 1, "\u0306": 2}[shape]
            spelled = lower + (_TONE[tone][column] if tone else ("", "â", "ê")[column])
        out.append(spelled.upper() if base.isupper() else spelled)
    return "".join(out)


_HEADER = "id,full_name,gender,birth_date,unit,position,education,political_theory"


def _vni_csv(folder: Path, names: list[str]) -> Path:
    lines = [_HEADER, *(f"TM{i:02d},{vni(name)},male,1985-03-15,00322,committee_chair,university,advanced"
                        for i, name in enumerate(names, start=1))]
    (folder / "officials.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
    (folder / "units.csv").write_text("code,name,kind,class\n00322,Phường Tương Mai,ward,1\n", encoding="utf-8")
    return folder / "officials.csv"


@pytest.mark.parametrize(("names", "letters", "letter", "value"), [
    (["Nguyễn Thị Lan"], "'eã'", "'ễ'", "'Nguyeãn Thò Lan'"),  # was read "Nguyeăn Tḥ Lan", evaluated
    (["Vũ Thị Lan"], "'ò'", "'ị'", "'Vuõ Thò Lan'"),  # was read "Vuơ Tḥ Lan"
    (["Trần Văn Hùng", "Đặng Thị Hường"], "'aà'", "'ầ'", "'Traàn Vaên Huøng'"),  # was refused as TCVN3 or VNI
])
def test_a_csv_in_vni_bytes_is_refused_at_its_row_with_the_letter_meant(
        tmp_path: Path, names: list[str], letters: str, letter: str, value: str) -> None:
    """An office whose Excel types in the VNI fonts saves a CSV in VNI's bytes: it was read as Windows-1258 with a
    note, its names other letters again ("Nguyeăn Tḥ Lan") and printed so in the report."""
    file = _vni_csv(tmp_path, names)
    code, output = evaluate(str(tmp_path))
    assert code == 2
    assert output.splitlines()[1:] == [
        f"  {file}, dòng 2: tệp được gõ bằng bảng mã cũ VNI, không phải Unicode: {letters} là chữ {letter} gõ theo "
        "bảng mã VNI; hãy chuyển tệp sang Unicode bằng công cụ chuyển mã của Unikey (bảng mã nguồn VNI Windows, "
        f"bảng mã đích Unicode); Lưu dưới dạng CSV UTF-8 hoặc .xlsx (giá trị đọc được: {value})"]
    code, output = evaluate(str(tmp_path), lang="en")
    assert code == 2
    assert (f"{file}, row 2: the file is in the old VNI encoding, not Unicode: {letters} is VNI's way of writing "
            f"{letter}; convert it to Unicode with Unikey's converter (source VNI Windows, destination Unicode)"
            ) in output


def _decoded(data: bytes) -> str | list[str]:
    """What the CSV decoder makes of ``data``: its text, or its problems' reasons."""
    try:
        return decode_csv(bytearray(data), _Problems("officials.csv"))
    except InputError as exc:
        return [problem.reason for problem in exc.problems]


def test_vni_bytes_are_told_from_windows_1258s_and_tcvn3s() -> None:
    """VNI's bytes are refused as VNI; a file in Windows-1258 holding every Vietnamese syllable (lower case,
    capitalised, upper case; "huơ" too, whose bytes VNI would read "huõ") is read; TCVN3's "Quûnh" (Quỳnh), VNI's
    spelling of "Quủnh", is still refused as TCVN3/ABC or VNI."""
    assert vni("LÊ THỊ XUÂN, Đặng Thị Hường") == "LEÂ THÒ XUAÂN, Ñaëng Thò Höôøng"  # (as VNI's table has them)
    assert vni("Nguyễn").encode("cp1252") == bytes.fromhex("4e 67 75 79 65 e3 6e")
    assert "old VNI encoding" in str(_decoded(vni("Nguyễn Văn Ba\nLê Thị Xuân\n").encode("cp1252")))
    syllables = sorted(vietnamese_syllables())
    text = "\n".join(form for s in syllables for form in (s, s.capitalize(), s.upper()))
    assert _decoded(windows_1258(text)) == unicodedata.normalize("NFC", text)
    tcvn3 = _decoded("id,full_name\nTM01,Lª Thuû Quûnh\n".encode("latin-1"))
    assert isinstance(tcvn3, list) and "holds 'ª', no Vietnamese letter" in tcvn3[0]


#: Foreign names (European letters TCVN3 and VNI show too) and Vietnamese ones with both places of the tone.
FOREIGN_AND_VIETNAMESE = ("Esaù", "José", "Saúl", "Zoë", "Noël", "Françoise", "Müller", "Peña", "Muñoz", "Søren",
                          "Björn", "Anaïs", "Raphaël", "Chloë", "Åsa", "Jürgen", "Ngô Thị Hoà", "Hồ Thị Loan",
                          "Nguyễn Thị Thuỳ", "Lê Hoà", "Trần Hòa", "Phạm Thị Thuý", "Vũ Thúy", "Nguyễn Văn Vũ", "Thuở",
                          "Trương Quốc Huy")


def test_foreign_and_vietnamese_names_are_read_as_they_are(tmp_path: Path) -> None:
    """"Esaù" (Italian) was refused as VNI's "Esá": a VNI syllable begins at a word's start, with a Vietnamese
    onset; "Zoë", "Müller", "Françoise", "Peña" as "TCVN3/ABC or VNI": their letters are read in a word that is no
    Vietnamese syllable in TCVN3 or VNI. Session 16's real names still pass."""
    names = (*FOREIGN_AND_VIETNAMESE, *REAL_NAMES)
    people = [row(STT=str(i), Mã_cán_bộ=f"TM{i:02d}", Họ_và_tên=name) for i, name in enumerate(names, start=1)]
    read = {o.id: o.full_name for o in load_officials(ward_book(tmp_path / "ds.xlsx", people))}
    assert read == {f"TM{i:02d}": name for i, name in enumerate(names, start=1)}


def test_a_vni_cell_names_the_letter_meant_whatever_its_marks(tmp_path: Path) -> None:
    """A cell typed in a VNI font holds VNI's bytes as Unicode letters: caught, and "Ñaëng Thò Höôøng" (marks that
    are no Vietnamese letters: ë, ø, ö) was refused as "TCVN3/ABC or VNI" with no letter meant; now VNI's, with
    the letter it means."""
    book = ward_book(tmp_path / "ds.xlsx", [row(Họ_và_tên=vni("Đặng Thị Hường"))])
    code, output = evaluate(str(book))
    assert code == 2
    assert output.splitlines()[1:] == [
        f"  {book}, trang tính 'Cán bộ', dòng 3, Họ và tên: có vẻ là chữ gõ bằng bảng mã cũ VNI, không phải Unicode: "
        "'aë' là chữ 'ặ' gõ theo bảng mã VNI; hãy chuyển tệp sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey), "
        "rồi lưu dưới dạng .xlsx hoặc CSV UTF-8 (giá trị đọc được: 'Ñaëng Thò Höôøng')"]
    for name, letters in (("Phạm Văn Đức", "aï"), ("Trương Hữu Lực", "öõ"), ("Nguyễn Thị Thuỷ", "eã"),
                          ("HUỲNH NGỌC ẨN", "YØ"), ("Lý Ánh", "yù")):
        code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", [row(Họ_và_tên=vni(name))])), lang="en")
        assert code == 2 and f"old VNI encoding, not Unicode: {letters!r} is VNI's way of writing" in output, name


#: TCVN3 (ABC, the .VnTime fonts): each vowel's five tones (huyền, hỏi, ngã, sắc, nặng) in one byte each, shown as
#: Latin-1; ă â ê ô ơ ư đ too.
_TCVN3_ROWS = {"a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ", "i": "×ØÜÝÞ", "o": "ßáâãä",
               "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô", "ư": "õö÷øù", "y": "úûüýþ"}
_TCVN3 = {unicodedata.normalize("NFC", vowel + tone): byte for vowel, row in _TCVN3_ROWS.items()
          for tone, byte in zip("\u0300\u0309\u0303\u0301\u0323", row, strict=True)}
_TCVN3.update(zip("ăâêôơưđ", "¨©ª«¬\u00ad®", strict=True))


def tcvn3(text: str) -> str:
    """``text`` (lower case) as TCVN3 writes it, in Latin-1's letters: "Bùi" → "Bïi"."""
    return "".join(_TCVN3.get(char, char) for char in unicodedata.normalize("NFC", text))


def test_a_syllable_typed_in_tcvn3_or_vni_is_refused_though_a_foreign_names_letters_are_read() -> None:
    """"Zoë", "Noël", "Müller" were refused for their letters, which TCVN3 and VNI show too; now read, while every
    Vietnamese syllable (lower case, capitalised, upper case) typed in TCVN3 or VNI that shows one is refused."""
    for name in ("Zoë", "Noël", "Françoise", "Müller", "Peña"):
        assert parse_text(name) == name
    read = []
    for syllable in vietnamese_syllables():
        small = tcvn3(syllable)  # (capitals: the ASCII letters', TCVN3's stay as typed in .VnTimeH)
        typed = {small, small[0].upper() + small[1:], "".join(c.upper() if c.isascii() else c for c in small),
                 vni(syllable), vni(syllable.capitalize()), vni(syllable.upper())}
        for text in typed:
            if LEGACY_ENCODING.search(text) is not None:
                with contextlib.suppress(ValueError):
                    read.append(parse_text(text))
    assert read == []
    with pytest.raises(ValueError, match="'Ñ' is VNI's way of writing 'Đ'"):
        parse_text(vni("Đồng Thị Lan"))  # ("Ñoàng": "oà" is Vietnamese too)
    with pytest.raises(ValueError, match="'ï' is no Vietnamese letter"):
        parse_text(tcvn3("bùi hồ"))


#: Foreign names that read as a Vietnamese syllable typed in TCVN3 or VNI through letters European names hold too
#: ("Küng" as TCVN3's "Kỹng", "Loïc" as VNI's "Lọc"), in a text evidently Unicode: another word that is no Vietnamese
#: syllable however it is read ("Martin", "Hans"), or a Vietnamese letter no 8-bit reading shows ("Nguyễn").
FOREIGN_READ_AS_LEGACY = ("Loïc Martin", "Hans Küng", "HANS KÜNG", "Jean-Loïc Dubois", "Nguyễn Loïc", "Küng Hans")
#: Texts still refused beside them, with why.
STILL_LEGACY = (("Loïc", "'oï' is VNI's way of writing 'ọ'"),  # (alone: VNI's "Lọc" as well)
                ("Küng", "'ü' is no Vietnamese letter"),
                ("Loïc Ñoàng", "'oï' is VNI's way of writing 'ọ'"),  # (every word a syllable in VNI: "Lọc Đồng")
                ("Bïi Hång", "'ï' is no Vietnamese letter"),  # (TCVN3's "Bùi Hồng")
                ("Martin Vaên", "'aê' is VNI's way of writing 'ă'"),  # (Vietnamese letters: VNI's whatever the text)
                ("Hans TrÇn", "'Ç' is no Vietnamese letter"))  # (a capital after a small letter: TCVN3's always)


def test_foreign_names_that_read_as_tcvn3_or_vni_are_read_as_they_are(tmp_path: Path) -> None:
    """"Loïc Martin" was refused as VNI's "Lọc", "Hans Küng" as TCVN3's "Kỹng" (session 18); "Loïc" or "Küng" alone,
    a text whose every word is a syllable in TCVN3 or VNI, or one spelled with marks no name has, still are."""
    for name in FOREIGN_READ_AS_LEGACY:
        assert parse_text(name) == name
    people = [row(STT=str(i), Mã_cán_bộ=f"TM{i:02d}", Họ_và_tên=name)
              for i, name in enumerate(FOREIGN_READ_AS_LEGACY, start=1)]
    read = {o.id: o.full_name for o in load_officials(ward_book(tmp_path / "ds.xlsx", people))}
    assert read == {f"TM{i:02d}": name for i, name in enumerate(FOREIGN_READ_AS_LEGACY, start=1)}
    for text, reason in STILL_LEGACY:
        with pytest.raises(ValueError, match=reason):
            parse_text(text)


#: A word in capitals read as its letters is an abbreviation ("UBND", "UBMTTQ", "THPT"), which Vietnamese typed in
#: TCVN3 or VNI holds as Unicode does: no evidence that a text is Unicode (session 19).
ABBREVIATED_LEGACY = (("Bïi UBND", "'ï' is no Vietnamese letter"),  # (TCVN3's "Bùi UBND")
                      ("BïI UBND", "'ï' is no Vietnamese letter"),  # (the same in .VnTimeH's capitals)
                      ("BÏI UBMTTQ", "'Ï' is no Vietnamese letter"),  # (upper-cased)
                      ("Hång ANTT", "'å' is no Vietnamese letter"),  # (TCVN3's "Hồng")
                      ("Loïc UBND", "'oï' is VNI's way of writing 'ọ'"))  # (VNI's "Lọc")


def test_an_abbreviation_is_no_evidence_of_unicode() -> None:
    """"Bïi UBND" was read as it is (session 18): "UBND", a word with a vowel that is no Vietnamese syllable, counted
    as a foreign name's, evidence of Unicode. A word in capitals read as its letters no longer does; one read as a
    word still does ("HANS KÜNG", "Loïc MARTIN", "ANNA KÜNG")."""
    for text, reason in ABBREVIATED_LEGACY:
        with pytest.raises(ValueError, match=reason):
            parse_text(text)
    for name in ("HANS KÜNG", "Loïc MARTIN", "ANNA KÜNG", "Küng UBND Hans", "Nguyễn Loïc UBND"):
        assert parse_text(name) == name
