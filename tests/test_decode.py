"""decode.py: encodings, line ends, fixed records, ASA; common.py helpers."""

from __future__ import annotations

import io
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsworkbench.ingest import decode
from tlsworkbench.ingest.common import (
    hex8, julian_date, MSGID_RE, parse_endpoint, printable)
from tlsworkbench.ingest.decode import decode_line, iter_lines, sniff_layout

DATA = Path(__file__).parent / "data"
SYSLOG = (DATA / "console" / "mvs3_syslog.txt").read_text()
SYSLOG_LINES = SYSLOG.splitlines()
FTP_LINES = (DATA / "console" / "mvs1_ftp_client.txt").read_text().splitlines()


def read_all(data: bytes, lay=None):
    lay = lay or sniff_layout(data[:65536])
    offsets = array("Q")
    out = list(iter_lines(io.BytesIO(data), lay, offsets))
    return lay, out, offsets


def check_offsets(data: bytes, lay, out, offsets) -> None:
    """Every line read again from its offsets gives the same text."""
    assert len(offsets) == len(out) + 1
    assert [n for n, _ in out] == list(range(1, len(out) + 1))
    if not lay.binary:
        assert offsets[-1] == len(data)
    for i, (_, text) in enumerate(out):
        raw = data[offsets[i]:offsets[i + 1]]
        assert decode_line(raw, lay.encoding, lay.layout, lay.asa) == text


def fixed(lines: list[str], lrecl: int, codec: str = "cp1047", asa: bool = False) -> bytes:
    recs = []
    for i, ln in enumerate(lines):
        if asa:
            ln = ("1" if i == 0 else " ") + ln
        recs.append(ln.ljust(lrecl)[:lrecl].encode(codec))
    return b"".join(recs)


# -- detection -------------------------------------------------------------------
def test_ascii_lf_and_crlf():
    lay, out, offs = read_all(SYSLOG.encode())
    assert (lay.encoding, lay.layout, lay.eol, lay.asa) == ("utf-8", "lines", b"\n", False)
    assert [t for _, t in out] == SYSLOG_LINES
    crlf = SYSLOG.replace("\n", "\r\n").encode()
    lay, out, offs = read_all(crlf)
    assert lay.eol == b"\r\n"
    assert [t for _, t in out] == SYSLOG_LINES
    check_offsets(crlf, lay, out, offs)


def test_utf8_bom_is_dropped_and_latin1_fallback():
    data = "\ufeffEZD1287I caf\u00e9\nnext\n".encode()
    lay, out, offs = read_all(data)
    assert lay.encoding == "utf-8" and "BOM" in lay.note
    assert out[0][1] == "EZD1287I caf\u00e9"
    check_offsets(data, lay, out, offs)
    lat = "ICH408I NAME(J\u00e9r\u00f4me)\nnext\n".encode("latin-1")
    lay, out, offs = read_all(lat)
    assert lay.encoding == "latin-1"
    assert out[0][1] == "ICH408I NAME(J\u00e9r\u00f4me)"


def test_ebcdic_nl_cp1047_and_cp037():
    e1047 = b"".join(ln.encode("cp1047") + b"\x15" for ln in SYSLOG_LINES)
    lay, out, offs = read_all(e1047)
    assert (lay.encoding, lay.layout, lay.eol) == ("cp1047", "lines", b"\x15")
    assert [t for _, t in out] == SYSLOG_LINES
    check_offsets(e1047, lay, out, offs)
    # cp037 is told apart by its square brackets (0xBA/0xBB)
    text = ["EZD1281I ACTIONS: [gAct1] [eAct1]", "next line [x]"] * 20
    e037 = b"".join(ln.encode("cp037") + b"\x25" for ln in text)
    lay, out, _ = read_all(e037)
    assert (lay.encoding, lay.eol) == ("cp037", b"\x25")
    assert [t for _, t in out] == text


@pytest.mark.parametrize("lrecl", [80, 121, 133, 137, 255])
@pytest.mark.parametrize("asa", [False, True])
def test_ebcdic_fixed_records_found(lrecl, asa):
    width = lrecl - (1 if asa else 0)
    source = SYSLOG_LINES if lrecl > 120 else FTP_LINES  # records padded with blanks, as on z/OS
    lines = [ln[:width].rstrip() for ln in source]
    data = fixed(lines, lrecl, asa=asa)
    lay, out, offs = read_all(data)
    assert lay.layout == f"fixed:{lrecl}"
    assert lay.asa is asa
    assert lay.eol == b""
    assert str(lrecl) in lay.note
    assert [t for _, t in out] == lines
    check_offsets(data, lay, out, offs)


def test_fixed_records_truncated_last_record_kept():
    data = fixed(SYSLOG_LINES, 133)[:-40]
    lay, out, offs = read_all(data)
    assert lay.layout == "fixed:133"
    assert len(out) == len(SYSLOG_LINES)
    check_offsets(data, lay, out, offs)


def test_ascii_asa_column_detected_but_not_job_log_times():
    text = "1SDSF SYSLOG PRINT\n N 0000000 MVS3 line one\n N 0000000 MVS3 line two\n0N spaced\n"
    lay, out, _ = read_all(text.encode())
    assert lay.asa
    assert [t for _, t in out] == ["SDSF SYSLOG PRINT", "N 0000000 MVS3 line one",
                                   "N 0000000 MVS3 line two", "N spaced"]
    joblog = (DATA / "console" / "mvs1_tcpipt_joblog.txt").read_bytes()
    assert not sniff_layout(joblog).asa


@pytest.mark.parametrize("data, why", [
    (b"\x00\x01\x02\x03" * 500, "NUL"),
    (bytes(range(256)) * 20, "not text"),
    ("EZD1287I".encode("utf-16"), "UTF-16"),
])
def test_binary(data, why):
    lay, out, offs = read_all(data)
    assert lay.binary and lay.encoding == "binary"
    assert why in lay.note
    assert out == [] and list(offs) == [0]


def test_empty_file():
    lay, out, offs = read_all(b"")
    assert lay.encoding == "utf-8" and out == [] and list(offs) == [0]


# -- streaming -------------------------------------------------------------------
@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_chunk_boundaries_do_not_change_lines(monkeypatch, chunk):
    samples = [SYSLOG.encode(), SYSLOG.replace("\n", "\r\n").encode(), ("\u00e9" + SYSLOG).encode(),
               b"".join(ln.encode("cp1047") + b"\x15" for ln in SYSLOG_LINES),
               fixed(SYSLOG_LINES, 133, asa=True)]
    expected = [read_all(data)[1] for data in samples]
    monkeypatch.setattr(decode, "CHUNK", chunk)
    for data, want in zip(samples, expected):
        lay, out, offs = read_all(data)
        assert out == want
        assert len(out) == len(SYSLOG_LINES)
        check_offsets(data, lay, out, offs)


@pytest.mark.parametrize("size", [200_000, 3_000_000])
def test_huge_line_is_one_line_and_later_numbers_stay_true(size):
    """QA3 3: a 1 MB line is one line (its text the first 64 KiB), not pieces
    that shift the numbers of every later line."""
    big = b"EZD1284I " + b"x" * size
    data = b"first\n" + big + b"\nthird\nfourth"
    lay, out, offs = read_all(data)
    assert [(n, t) for n, t in out if len(t) < 100] == [(1, "first"), (3, "third"), (4, "fourth")]
    assert out[1][0] == 2 and len(out[1][1]) == decode.MAX_LINE
    assert big.decode().startswith(out[1][1])
    check_offsets(data, lay, out, offs)


def test_huge_line_without_line_end_and_multibyte_cut(monkeypatch):
    data = ("\u00e9" * 100_000).encode()  # 200 KB, no line end, 2-byte characters
    lay, out, offs = read_all(data)
    assert len(out) == 1 and out[0][1] == "\u00e9" * (decode.MAX_LINE // 2)
    check_offsets(data, lay, out, offs)


def test_last_line_without_newline_and_lone_cr():
    data = b"one\r\ntwo\r\nthree\r"
    lay, out, offs = read_all(data)
    assert [t for _, t in out] == ["one", "two", "three"]
    check_offsets(data, lay, out, offs)


def test_decode_line_never_raises_on_unknown_codec():
    assert decode_line(b"abc\n", "no-such-codec", "lines", False) == "abc"
    assert decode_line(b"abc", "cp9999", "fixed:80", True).startswith("abc")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_decode_consistently(data):
    lay, out, offs = read_all(data)
    check_offsets(data, lay, out, offs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="cp1047", exclude_characters="\n\r\x85\x15\x25"),
                        max_size=120), min_size=3, max_size=40))
def test_ebcdic_text_round_trips(lines):
    data = b"".join(ln.encode("cp1047") + b"\x15" for ln in lines)
    lay = sniff_layout(data)
    if lay.encoding == "cp1047" and lay.layout == "lines" and not lay.asa:
        _, out, offs = read_all(data, lay)
        assert [t for _, t in out] == lines
    check_offsets(data, lay, *read_all(data, lay)[1:])


# -- common.py -------------------------------------------------------------------
def test_printable_escapes_controls():
    assert printable("EZD1287I TTLS Error") == "EZD1287I TTLS Error"
    assert printable("red \x1b[31mX\x1b[0m") == "red \\x1b[31mX\\x1b[0m"
    assert printable("a\x85b\x00c\x7f") == "a\\x85b\\x00c\\x7f"
    assert printable("evil\u202egnp.exe") == "evil\\u202egnp.exe"
    assert printable("tab\tstays, caf\u00e9 stays") == "tab\tstays, caf\u00e9 stays"
    assert printable("line\nbreak") == "line\\x0abreak"


@pytest.mark.parametrize("text, expected", [
    ("192.168.20.93..21", ("192.168.20.93", 21)),
    ("::FFFF:192.168.20.91..1037", ("192.168.20.91", 1037)),
    ("LOCAL: ::ffff:10.1.1.13..443 REMOTE:", ("10.1.1.13", 443)),
    ("2001:DB8:20::113..21", ("2001:db8:20::113", 21)),
    ("no endpoint here", None),
    ("1.2.3.4..99999", None),
])
def test_parse_endpoint(text, expected):
    assert parse_endpoint(text) == expected


def test_hex_ids_julian_dates_and_message_ids():
    assert hex8("7cc") == "000007CC" and hex8("000007CC") == "000007CC"
    assert hex8("XYZ") is None and hex8("123456789") is None
    assert str(julian_date("14071")) == "2014-03-12"
    assert str(julian_date("2014071")) == "2014-03-12"
    assert julian_date("14400") is None and julian_date("1407") is None
    found = [m.group(1) for m in MSGID_RE.finditer(
        "EZD1287I x ICH408I y IRRD115I z DFHSO0123 $HASP373 EZYFT96I FC2838 gsk_init")]
    assert found == ["EZD1287I", "ICH408I", "IRRD115I", "DFHSO0123", "$HASP373", "EZYFT96I"]
