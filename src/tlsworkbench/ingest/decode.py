"""Text decoding: encoding, line ends, fixed records and the ASA column.

``sniff_layout`` looks at the first 64 KiB of a file and says how its bytes
become lines: ASCII/UTF-8 (LF or CRLF, a BOM), Latin-1 when the bytes are not
valid UTF-8, EBCDIC (cp1047 or cp037) with NL line ends or as fixed-length
records without line ends (the LRECL is found from the periodicity of the
data), with or without an ASA carriage-control column, or binary.

``iter_lines`` streams a file in chunks, yields ``(line number, text)`` and
records the byte offset of every line so that ``Artifact.lines()`` can read any
line again through ``decode_line``; both paths give the same text for a line.

The text is kept literal (control characters included); use
``common.printable`` before showing it on a terminal.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from itertools import accumulate, count, islice, repeat
from operator import add
from typing import BinaryIO, Iterator

import ebcdic  # noqa: F401  (registers the cp1047 codec)

from tlsworkbench.model.linetext import EBCDIC_CODECS, MAX_TEXT, decode_line  # noqa: F401  (the one line decoder, below ingest)

HEAD_SIZE = 64 * 1024
MAX_LINE = MAX_TEXT
CHUNK = 1024 * 1024

# Common record lengths on z/OS: tried first, preferred on a near tie.
COMMON_LRECL = (80, 121, 132, 133, 137, 200, 250, 251, 255, 256, 1024, 4096, 8192)


@dataclass
class TextLayout:
    encoding: str
    """``"utf-8"``, ``"latin-1"``, ``"cp1047"``, ``"cp037"`` or ``"binary"``."""
    layout: str = "lines"
    """``"lines"`` or ``"fixed:<lrecl>"``."""
    asa: bool = False
    """Column 1 is ASA carriage control (stripped from the text)."""
    eol: bytes = b"\n"
    """``b"\\n"``, ``b"\\r\\n"``, ``b"\\x15"``, ``b"\\x25"``, or ``b""`` for fixed records."""
    note: str = ""
    """A message for the user, e.g. ``"EBCDIC cp1047, fixed records of 133 bytes"``."""

    @property
    def binary(self) -> bool:
        return self.encoding == "binary"

    @property
    def lrecl(self) -> int:
        if self.layout.startswith("fixed:"):
            try:
                return max(1, int(self.layout[6:]))
            except ValueError:
                return 80
        return 0


# ----------------------------------------------------------------------------
# Detection

_ASCII_TEXT = bytes(range(0x20, 0x7F)) + b"\t\n\r\f"
# EBCDIC text bytes: blank, letters, digits, common punctuation, NL/LF.
_EBCDIC_TEXT = (
    bytes([0x40, 0x15, 0x25, 0x05, 0x0D])
    + bytes(range(0x4A, 0x51)) + bytes(range(0x5A, 0x62)) + bytes(range(0x6A, 0x70))
    + bytes(range(0x79, 0x80))
    + bytes(range(0x81, 0x8A)) + bytes(range(0x91, 0x9A)) + bytes(range(0xA1, 0xAA))
    + bytes(range(0xC1, 0xCA)) + bytes(range(0xD1, 0xDA)) + bytes(range(0xE2, 0xEA))
    + bytes(range(0xF0, 0xFA)) + bytes([0xAD, 0xBD, 0xBA, 0xBB, 0xB0, 0xC0, 0xD0, 0xE0])
)


def _fraction(sample: bytes, keep: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, keep))) / len(sample)


def _utf8_ok(head: bytes) -> bool:
    """Valid UTF-8, allowing a sequence cut at the end of the sample."""
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"


def _lrecl(head: bytes, blank: int = 0x40, total: int = 0) -> int:
    """Record length of fixed records with no line ends (0 if none stands out).

    Two signals, added: records are padded with blanks, so at the true length
    (and its multiples) the last byte of a record is a blank far more often
    than the blank density gives by chance; and the columns of a log line up,
    so the data matches itself shifted by one record length. When the whole
    file is known to be in ``head`` (``total`` is its size), the record length
    must divide it, and a usual data set record length is preferred among the
    lengths that score nearly as well."""
    sample = head[:16384]
    n = len(sample)
    if n < 80:
        return 0
    density = sample.count(blank) / n
    whole = int.from_bytes(sample, "big")
    blanks = int.from_bytes(sample.translate(_BLANK_BIT if blank == 0x40 else _SPACE_BIT), "big")
    nonblank = max(1.0, n * (1.0 - density))
    scores: dict[int, float] = {}
    most = n // 8 if n >= 4096 else n // 3  # a small file has few records
    lengths = [ln for ln in range(20, min(most, 1024) + 1)]
    lengths += [ln for ln in COMMON_LRECL if 1024 < ln <= most]
    for length in lengths:
        ends = sample[length - 1::length]
        k = len(ends)
        # few records say little: shrink the padding signal towards 0
        end_score = max(0.0, (ends.count(blank) / k - density) / (1.0 - density + 1e-9)) * k / (k + 12)
        # bytes equal to the byte one record later (XOR of the shifted data)
        # (not counting blank against blank: padding lines up at any length)
        mask = (1 << (8 * (n - length))) - 1
        x = (whole >> (8 * length)) ^ (whole & mask)
        both_blank = ((blanks >> (8 * length)) & blanks & mask).bit_count()
        same = (x.to_bytes(n - length, "big").count(0) - both_blank) / nonblank
        scores[length] = end_score + same
    best = max(scores.values())
    if best < 0.4:
        return 0
    if total:
        # fixed records fill the file exactly unless the copy was cut short
        fits = {ln: sc for ln, sc in scores.items()
                if total % ln == 0 and sc >= max(0.4, best - 0.35)}
        common = [ln for ln in fits if ln in COMMON_LRECL]
        if common:
            return max(common, key=lambda ln: (fits[ln], -ln))
        if fits:
            scores, best = fits, max(fits.values())
    top = max(scores, key=lambda ln: (scores[ln], ln in COMMON_LRECL, -ln))
    # A multiple of the true length scores about as well: take the smallest
    # length that divides the best one and scores nearly as well.
    near = [ln for ln, sc in scores.items() if sc >= best - 0.05 and top % ln == 0]
    return min(near)


_BLANK_BIT = bytes(1 if i == 0x40 else 0 for i in range(256))
_SPACE_BIT = bytes(1 if i == 0x20 else 0 for i in range(256))
_ASA_CHARS = frozenset(" 01-+")


def _asa(lines: list[str]) -> bool:
    """Column 1 looks like ASA carriage control in (almost) every line."""
    lines = [ln for ln in lines if ln]
    if len(lines) < 2:
        return False
    controls = 0
    for ln in lines:
        c = ln[0]
        if c not in _ASA_CHARS:
            return False
        if c != " ":
            if len(ln) > 1 and ln[1].isdigit():
                return False  # a time stamp "13.59.02" or a number, not a control
            controls += 1
    return controls > 0 and (lines[0][0] == "1" or controls * 20 >= len(lines) or controls >= 3)


def _fixed_lines(head: bytes, lrecl: int, codec: str) -> list[str]:
    text = head.decode(codec, "replace")
    return [text[i:i + lrecl].rstrip(" ") for i in range(0, len(text) - lrecl + 1, lrecl)][:200]


def sniff_layout(head: bytes) -> TextLayout:
    """How the bytes of a file become lines, judged from its first 64 KiB."""
    head = head[:HEAD_SIZE]
    if not head:
        return TextLayout("utf-8", "lines", False, b"\n", "empty file")
    if head.startswith(b"\xef\xbb\xbf"):
        return _ascii_layout(head, "utf-8", "UTF-8 with BOM")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TextLayout("binary", "lines", False, b"", "UTF-16 text is not supported; save it as UTF-8")
    sample = head[:8192]
    nuls = sample.count(0)
    if nuls * 100 > len(sample):
        return TextLayout("binary", "lines", False, b"", "binary data (NUL bytes)")
    ascii_frac = _fraction(sample, _ASCII_TEXT)
    high = len(sample) - len(sample.translate(None, bytes(range(0x80, 0x100))))
    if ascii_frac >= 0.97 or (ascii_frac + high / len(sample) >= 0.97 and _utf8_ok(head)):
        if _utf8_ok(head):
            return _ascii_layout(head, "utf-8", "")
        return _ascii_layout(head, "latin-1", "not valid UTF-8; read as Latin-1")
    ebcdic_frac = _fraction(sample, _EBCDIC_TEXT)
    if ebcdic_frac >= 0.85 and sample.count(0x40) * 20 >= len(sample):
        return _ebcdic_layout(head)
    if ascii_frac + high / len(sample) >= 0.97 and ascii_frac >= 0.8:
        return _ascii_layout(head, "latin-1", "not valid UTF-8; read as Latin-1")
    return TextLayout("binary", "lines", False, b"", "binary data (not text in ASCII, UTF-8 or EBCDIC)")


def _ascii_layout(head: bytes, encoding: str, note: str) -> TextLayout:
    lf = head.count(b"\n")
    crlf = head.count(b"\r\n")
    eol = b"\r\n" if lf and crlf * 2 > lf else b"\n"
    text = head.decode(encoding, "replace").lstrip("\ufeff")
    lines = text.split("\n")[:200]
    asa = _asa([ln.rstrip("\r") for ln in lines])
    parts = [p for p in (note, "CRLF line ends" if eol == b"\r\n" else "", "ASA column" if asa else "") if p]
    return TextLayout(encoding, "lines", asa, eol, "; ".join(parts))


def _ebcdic_codec(head: bytes) -> str:
    # Square brackets are 0xAD/0xBD in cp1047 and 0xBA/0xBB in cp037.
    c1047 = head.count(0xAD) + head.count(0xBD)
    c037 = head.count(0xBA) + head.count(0xBB)
    return "cp037" if c037 > c1047 else "cp1047"


def _ebcdic_layout(head: bytes) -> TextLayout:
    codec = _ebcdic_codec(head)
    nl, lf = head.count(0x15), head.count(0x25)
    ends = max(nl, lf)
    if ends and len(head) / ends <= 1024:
        eol = b"\x15" if nl >= lf else b"\x25"
        text = head.decode(codec, "replace")
        lines = text.split(eol.decode(codec))[:200]
        asa = _asa(lines)
        return TextLayout(codec, "lines", asa, eol,
                          f"EBCDIC {codec}" + (", ASA column" if asa else ""))
    lrecl = _lrecl(head, total=len(head) if len(head) < HEAD_SIZE else 0)
    if not lrecl:
        lrecl = 80
        note = f"EBCDIC {codec}, no line ends and no record length found; read as 80-byte records"
    else:
        note = f"EBCDIC {codec}, fixed records of {lrecl} bytes"
    asa = _asa(_fixed_lines(head, lrecl, codec))
    if asa:
        note += " with ASA column"
    return TextLayout(codec, f"fixed:{lrecl}", asa, b"", note)


# ----------------------------------------------------------------------------
# Decoding


def iter_lines(fh: BinaryIO, lay: TextLayout, offsets: array) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for every line of ``fh`` (binary, at its start).

    Appends the byte offset of each line start to ``offsets`` and, at the end,
    the offset of the end of the data. A line longer than 64 KiB is one line
    whose text is its first 64 KiB (the rest is skipped, not a line of its own:
    the numbers of the lines after it stay those of the file)."""
    if lay.binary:
        offsets.append(0)  # no lines
        return iter(())
    if lay.lrecl:
        return _iter_fixed(fh, lay, offsets)
    return _iter_delimited(fh, lay, offsets)


def _iter_fixed(fh: BinaryIO, lay: TextLayout, offsets: array) -> Iterator[tuple[int, str]]:
    lrecl = lay.lrecl
    enc = lay.encoding
    single_byte = enc != "utf-8"
    pos = 0
    lineno = 0
    carry = b""
    step = max(1, CHUNK // lrecl) * lrecl
    while True:
        data = fh.read(step)
        buf = carry + data if carry else data
        if not data:
            if buf:
                offsets.append(pos)
                lineno += 1
                yield lineno, decode_line(buf, enc, lay.layout, lay.asa)
                pos += len(buf)
            break
        full = len(buf) - len(buf) % lrecl
        carry = buf[full:]
        if not full:
            continue
        if single_byte:
            text = buf[:full].decode(enc, "replace")
            start = 1 if lay.asa else 0
            recs = [text[i + start:i + lrecl].rstrip(" ") for i in range(0, full, lrecl)]
        else:
            recs = [decode_line(buf[i:i + lrecl], enc, lay.layout, lay.asa) for i in range(0, full, lrecl)]
        offsets.extend(range(pos, pos + full, lrecl))
        pos += full
        first = lineno + 1
        lineno += len(recs)
        yield from zip(count(first), recs)
    offsets.append(pos)


class Block(list):
    """The texts of a block of lines; ``text``, when set, is ``"\n"`` followed by
    those lines joined with ``"\n"`` (ingest/attls_fast.py scans it as one)."""

    __slots__ = ("text",)

    def __init__(self, texts=()):
        super().__init__(texts)
        self.text = None


def iter_blocks(fh: BinaryIO, lay: TextLayout, offsets: array,
                size: int = 8192, start: tuple[int, int] = (0, 0)) -> Iterator[tuple[int, list[str]]]:
    """``iter_lines`` in blocks: ``(number of the first line, texts of consecutive
    lines)``, for readers that scan many lines at once (ingest/attls_fast.py).
    Same texts, same offsets. ``start``: (byte offset, lines before it) of the
    place ``fh`` reads from, for a file read in parts (line-end layouts only)."""
    if lay.binary or lay.lrecl:
        it = iter_lines(fh, lay, offsets)
        while True:
            chunk = list(islice(it, size))
            if not chunk:
                return
            yield chunk[0][0], [t for _, t in chunk]
    yield from _iter_delimited(fh, lay, offsets, blocks=True, start=start)


def _iter_delimited(fh: BinaryIO, lay: TextLayout, offsets: array,
                    blocks: bool = False, start: tuple[int, int] = (0, 0)) -> Iterator:
    enc = lay.encoding
    ebc = enc in EBCDIC_CODECS or enc.startswith("cp")
    sep = lay.eol[-1:] if lay.eol else (b"\x15" if ebc else b"\n")
    pos, lineno = start
    buf = b""
    eof = False
    skip = False  # inside the rest of a long line, already given as one line
    while not eof:
        data = fh.read(CHUNK)
        if skip and data:
            i = data.find(sep)
            if i < 0:
                pos += len(data)
                continue
            pos += i + 1
            data = data[i + 1:]
            skip = False
            if not data:
                continue
        if not data:
            eof = True
            if not buf:
                break
            block = buf
            buf = b""
        else:
            buf = buf + data if buf else data
            cut = buf.rfind(sep)
            if cut < 0:
                # No line end in hand: a huge line is one line, its first
                # 64 KiB the text; the rest up to its line end is skipped.
                if len(buf) > MAX_LINE:
                    offsets.append(pos)
                    lineno += 1
                    text = decode_line(buf, enc, "lines", lay.asa)
                    yield (lineno, [text]) if blocks else (lineno, text)
                    pos += len(buf)
                    buf = b""
                    skip = True
                continue
            block = buf[:cut + 1]
            buf = buf[cut + 1:]
        before = len(offsets)
        if blocks:
            texts = _block_texts(block, enc, ebc, sep, lay.asa, pos, offsets)
            if texts is not None:
                if texts:
                    yield lineno + 1, texts
            else:
                for n, text in _huge_lines(_raws(block, sep), block, enc, sep, lay.asa, pos, lineno,
                                           offsets):
                    yield n, [text]
        else:
            yield from _block_lines(block, enc, ebc, sep, lay.asa, pos, lineno, offsets)
        lineno += len(offsets) - before
        pos += len(block)
    offsets.append(pos)


def _block_lines(block: bytes, enc: str, ebc: bool, sep: bytes, asa: bool, pos: int,
                 lineno: int, offsets: array) -> Iterator[tuple[int, str]]:
    """Lines of a block that ends with a line end (or at end of file).

    Fills ``offsets`` at once and returns an iterator (not a generator, to
    keep the per-line cost low)."""
    texts = _block_texts(block, enc, ebc, sep, asa, pos, offsets)
    if texts is not None:
        return zip(count(lineno + 1), texts)
    return _huge_lines(_raws(block, sep), block, enc, sep, asa, pos, lineno, offsets)


def _raws(block: bytes, sep: bytes) -> list[bytes]:
    raws = block.split(sep)
    if block.endswith(sep) and raws and raws[-1] == b"":
        raws.pop()
    return raws


def _block_texts(block: bytes, enc: str, ebc: bool, sep: bytes, asa: bool, pos: int,
                 offsets: array) -> list[str] | None:
    """Texts of the lines of a block (offsets filled), or None when a line is
    longer than MAX_LINE (then nothing is filled: ``_huge_lines`` cuts it)."""
    slen = len(sep)
    ends_sep = block.endswith(sep)
    if ebc or enc == "latin-1" or block.isascii():
        # Single-byte text: character counts are byte counts, so one decode and
        # one split give both the texts and the offsets.
        codec = enc if ebc or enc == "latin-1" else "ascii"
        text = block.decode(codec, "replace")
        texts = text.split(sep.decode(enc) if ebc else "\n")
        if ends_sep and texts and texts[-1] == "":
            texts.pop()
        if len(block) <= MAX_LINE or max(map(len, texts), default=0) <= MAX_LINE:
            offsets.extend(accumulate(map(add, map(len, texts[:-1]), repeat(slen)), initial=pos))
            if not ebc and "\r" in text:
                texts = text.replace("\r\n", "\n").split("\n")
                if ends_sep and texts and texts[-1] == "":
                    texts.pop()
                if block.endswith(b"\r"):
                    texts[-1] = texts[-1][:-1]  # a last line ending in CR at end of file
            if asa:
                texts = [t[1:] for t in texts]
            elif not ebc and "\r" not in text:
                texts = Block(texts)  # the text itself comes along: not joined again
                texts.text = "\n" + (text[:-1] if ends_sep and text.endswith("\n") else text)
            return texts
    raws = block.split(sep)
    if ends_sep and raws and raws[-1] == b"":
        raws.pop()
    if len(block) <= MAX_LINE or max(map(len, raws), default=0) <= MAX_LINE:
        offsets.extend(accumulate(map(add, map(len, raws[:-1]), repeat(slen)), initial=pos))
        return [decode_line(raw, enc, "lines", asa) for raw in raws]
    return None


def _huge_lines(raws: list, block: bytes, enc: str, sep: bytes, asa: bool, pos: int,
                lineno: int, offsets: array) -> Iterator[tuple[int, str]]:
    """Lines of a block where some line is longer than MAX_LINE: such a line is
    one line, its text the first MAX_LINE bytes."""
    ends_sep = block.endswith(sep)
    last = len(raws) - 1
    for k, raw in enumerate(raws):
        full = raw + sep if k < last or ends_sep else raw
        if full:
            offsets.append(pos)
            lineno += 1
            yield lineno, decode_line(full, enc, "lines", asa)
            pos += len(full)
