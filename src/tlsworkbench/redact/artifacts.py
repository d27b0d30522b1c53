"""Rewrite one artifact's bytes, keeping its encoding and layout.

Text artifacts are rewritten line by line through the :class:`Rewriter` and
encoded back the way they came: UTF-8 / Latin-1 with their own line ends,
EBCDIC with NL, EBCDIC fixed-length records padded with blanks to the record
length (a record that no longer fits turns the artifact into NL-delimited lines,
and the note says so), ASA column kept.

In a GSKSRVR trace, the hex lines of dumps that carry certificates (the
CERTIFICATE message, ``Encoded signature stream``) are replaced by one line
that keeps the certificate facts (names redacted) and says the bytes were
removed. Certificate files are re-made as stand-ins (``standins.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

import ebcdic  # noqa: F401  (registers cp1047)

from .rewrite import Rewriter

EBCDIC = ("cp1047", "cp037", "cp500", "cp1140")
_HEXLINE = re.compile(r"^(?P<pre>[\s.\u2022\-*]*)[0-9A-Fa-f]{8}:\s")
_CERT_DUMP = re.compile(r"certificate|signature stream|encoded certificate", re.I)


@dataclass
class OutArtifact:
    name: str
    data: bytes
    source: str
    """Id of the artifact it was made from."""
    note: str = ""
    encoding: str = "utf-8"
    layout: str = "lines"
    asa: bool = False


def out_name(art, rw: Rewriter, used: set[str]) -> str:
    """The artifact's file name (no folders), redacted, unique in the export."""
    base = PurePath(str(art.path).replace("\\", "/")).name or art.id
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    new = rw.line(stem.replace("_", " \0 ")).replace(" \0 ", "_") + (f".{ext}" if dot else "")
    new = re.sub(r"[\s/\\]+", "_", new) or art.id
    cand, n = new, 2
    while cand in used:
        cand = f"{n}-{new}"
        n += 1
    used.add(cand)
    return cand


def wrapped_overrides(art, rw: Rewriter) -> dict[int, str | None]:
    """RACDCERT names wrapped over several lines (``>CN=FTP Server on MVS1-`` /
    ``MVS7.OU=WSC.C=US<``): a value cut at the wrap would escape the token rules,
    so the pieces are joined (as the RACDCERT reader joins them), rewritten, and
    written back on the first line."""
    out: dict[int, str | None] = {}
    n, last = 1, art.line_count
    while n <= last:
        text = art.line(n)
        s = text.strip()
        if not (s.startswith(">") and "<" not in s):
            n += 1
            continue
        pieces = [(s[1:], text)]
        m = n + 1
        while m <= last and m - n <= 8:
            t = art.line(m)
            ts = t.strip()
            if not ts:
                break
            pieces.append((ts.lstrip(">"), t))
            if "<" in ts:
                break
            m += 1
        if m > last or m - n > 8 or "<" not in art.line(m):
            n += 1
            continue
        joined = ""
        for i, (piece, raw) in enumerate(pieces):
            if i and joined:
                prev_raw = pieces[i - 1][1].rstrip()
                bracketed = prev_raw.endswith("<") and raw.strip().startswith(">")
                if (not bracketed and len(prev_raw) < 60 and not joined.endswith(("-", ".", " "))
                        and not piece.startswith((".", " "))):
                    joined += " "
            joined += piece.rstrip("<") if i < len(pieces) - 1 else piece
        indent = text[:len(text) - len(text.lstrip())]
        out[n] = indent + rw.line(">" + joined)
        for k in range(n + 1, m + 1):
            out[k] = None
        n = m + 1
    return out


def dump_overrides(session, art, rw: Rewriter) -> dict[int, str | None]:
    """Line number -> replacement text (None: drop the line) for certificate dumps."""
    out: dict[int, str | None] = {}
    facts = {}
    for h in session.handshakes:
        for m in getattr(h, "messages", []):
            if m.certificates:
                facts[m.line] = m.certificates
    for tr in session.trace_records:
        if tr.artifact != art.id or getattr(tr, "dump", None) is None:
            continue
        title = getattr(tr.dump, "title", "") or " ".join(tr.detail[:1])
        if not _CERT_DUMP.search(title):
            out.update(rewrite_dump(art, tr, rw))
            continue
        first = True
        for n in range(tr.line, (tr.end_line or tr.line) + 1):
            m = _HEXLINE.match(art.line(n))
            if not m:
                continue
            if first:
                out[n] = m.group("pre") + rw.line(_facts_note(facts.get(tr.id)))
                first = False
            else:
                out[n] = None
    return out


_GROUPS = re.compile(r"^(?P<head>[\s.\u2022\-*]*[0-9A-Fa-f]{8}:?)(?P<body>(?:\s+[0-9A-Fa-f]{1,8}(?=\s|$))+)"
                     r"(?P<gap>\s*)(?P<chars>.*)$")


def rewrite_dump(art, tr, rw: Rewriter) -> dict[int, str]:
    """A dump that is not a certificate: sensitive text inside its bytes (a host
    name in a ClientHello's server_name, a label) is replaced by its stand-in
    padded or cut to the same length, so every TLS length stays right; IPv4
    addresses in binary form are replaced too. Lines whose bytes change get new
    hex and a new character column."""
    ebcdic_dump = "EBCDIC" in (tr.kind or "").upper()
    codec = "cp1047" if ebcdic_dump else "latin-1"
    lines: list[tuple[int, re.Match, list[tuple[int, int]]]] = []
    data = bytearray()
    for n in range(tr.line, (tr.end_line or tr.line) + 1):
        m = _GROUPS.match(art.line(n))
        if not m:
            continue
        groups = []
        for g in re.finditer(r"[0-9A-Fa-f]+", m.group("body")):
            if len(g.group(0)) % 2:
                groups.append((-1, len(g.group(0))))  # a broken group: left as it is
                continue
            groups.append((len(data), len(g.group(0)) // 2))
            data += bytes.fromhex(g.group(0))
        lines.append((n, m, groups))
    if not data:
        return {}
    new = _redact_bytes(bytes(data), rw, codec)
    if new == data:
        return {}
    out: dict[int, str] = {}
    for n, m, groups in lines:
        if all(start < 0 or new[start:start + ln] == data[start:start + ln] for start, ln in groups):
            continue
        body = m.group("body")
        pieces = iter(groups)

        def hexsub(g, pieces=pieces):
            start, ln = next(pieces)
            if start < 0:
                return g.group(0)
            return new[start:start + ln].hex().upper()

        body = re.sub(r"[0-9A-Fa-f]+", hexsub, body)
        chars = m.group("chars")
        if chars[:1] in ("*", '"'):
            q = chars[0]
            raw = b"".join(new[s:s + ln] for s, ln in groups if s >= 0)
            shown = raw.decode(codec, "replace")
            chars = q + "".join(c if c.isprintable() and ord(c) < 0x7F and c not in "*\"" else "."
                                for c in shown) + q
        out[n] = m.group("head") + body + m.group("gap") + chars
    return out


def _redact_bytes(data: bytes, rw: Rewriter, codec: str) -> bytes:
    import ipaddress

    text = data.decode(codec, "replace") if codec != "latin-1" else data.decode("latin-1")
    buf = list(text)
    if rw.pattern is not None:
        for m in rw.pattern.finditer(text):
            found = m.group("v")
            s = rw.stand_in(found)
            s = (s + " " * len(found))[:len(found)]
            buf[m.start("v"):m.end("v")] = list(s)
    out = bytearray("".join(buf).encode(codec, "replace") if codec != "latin-1"
                    else "".join(buf).encode("latin-1", "replace"))
    if len(out) != len(data):
        out = bytearray(data)
    for value, stand_in in rw.exact.items():
        if rw.category.get(value.casefold()) != "ipv4":
            continue
        try:
            old_b = ipaddress.IPv4Address(value).packed
            new_b = ipaddress.IPv4Address(stand_in).packed
        except ValueError:
            continue
        out = out.replace(old_b, new_b)
    return bytes(out)


def _facts_note(certs) -> str:
    head = "(certificate bytes removed by redaction"
    if not certs:
        return head + ")"
    parts = []
    for c in certs:
        bits = [f"subject={c.get('subject')}" if c.get("subject") else "",
                f"issuer={c.get('issuer')}" if c.get("issuer") else "",
                f"serial={c.get('serial')}" if c.get("serial") else "",
                f"valid {c.get('not_before')} to {c.get('not_after')}" if c.get("not_after") else ""]
        parts.append("; ".join(b for b in bits if b))
    return head + ": " + " | ".join(parts) + ")"


def rewrite_text(art, rw: Rewriter, overrides: dict[int, str | None] | None = None) -> OutArtifact:
    raw = art.raw()
    enc = art.encoding if art.encoding not in ("binary", "") else "latin-1"
    ebc = enc in EBCDIC or (enc.startswith("cp") and enc not in ("cp1252", "cp437"))
    overrides = overrides or {}
    if art.layout.startswith("fixed:"):
        return _rewrite_fixed(art, raw, enc, rw, overrides)
    if not overrides and not art.asa:
        whole = _rewrite_whole(art, raw, enc, rw)
        if whole is not None:
            return whole
    pieces = _split_lines(art, raw, ebc)
    out = bytearray()
    for n, piece in enumerate(pieces, 1):
        body, eol = _split_eol(piece, ebc)
        if n in overrides:
            if overrides[n] is None:
                continue
            text, codec = overrides[n], enc if enc != "utf-8" else "utf-8"
            asa_char = ""
        else:
            text, codec = _decode(body, enc)
            asa_char = ""
            if art.asa and text:
                asa_char, text = text[0], text[1:]
            text = rw.line(text)
        out += _encode(asa_char + text, codec) + eol
    return OutArtifact(name="", data=bytes(out), source=art.id, encoding=enc, layout=art.layout,
                       asa=art.asa)


def _rewrite_whole(art, raw: bytes, enc: str, rw: Rewriter) -> OutArtifact | None:
    """The quick path for a big log: one pass over the whole text (the patterns
    never reach over a line end). None when the bytes do not decode cleanly."""
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    new = rw.line(text)
    try:
        data = new.encode(enc)
    except UnicodeEncodeError:
        return None
    return OutArtifact(name="", data=data, source=art.id, encoding=enc, layout=art.layout, asa=art.asa)


def _rewrite_fixed(art, raw: bytes, enc: str, rw: Rewriter, overrides) -> OutArtifact:
    lrecl = int(art.layout[6:] or 80)
    blank = _encode(" ", enc)
    recs = []
    for n, i in enumerate(range(0, len(raw), lrecl), 1):
        rec = raw[i:i + lrecl]
        if n in overrides:
            if overrides[n] is None:
                continue
            recs.append(_encode(overrides[n], enc))
            continue
        text = rec.decode(enc, "replace")
        asa_char = ""
        if art.asa and text:
            asa_char, text = text[0], text[1:]
        new = rw.line(text.rstrip(" "))
        recs.append(_encode(asa_char + new, enc))
    if all(len(r) <= lrecl for r in recs):
        data = b"".join(r + blank * (lrecl - len(r)) for r in recs)
        return OutArtifact(name="", data=data, source=art.id, encoding=enc, layout=art.layout, asa=art.asa)
    nl = b"\x15" if enc == "cp1047" else b"\x25" if enc in EBCDIC else b"\n"
    data = b"".join(r + nl for r in recs)
    return OutArtifact(name="", data=data, source=art.id, encoding=enc, layout="lines", asa=art.asa,
                       note=f"Redaction made some records longer than {lrecl} bytes; "
                            "the records were written as lines with NL ends instead.")


def _split_lines(art, raw: bytes, ebc: bool) -> list[bytes]:
    offs = art.offsets
    if len(offs) >= 2 and offs[-1] == len(raw):
        return [raw[offs[i]:offs[i + 1]] for i in range(len(offs) - 1)]
    sep = (art.eol or (b"\x15" if ebc else b"\n"))[-1:]
    parts = raw.split(sep)
    out = [p + sep for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _split_eol(piece: bytes, ebc: bool) -> tuple[bytes, bytes]:
    if ebc:
        if piece.endswith((b"\x15", b"\x25")):
            return piece[:-1], piece[-1:]
        return piece, b""
    if piece.endswith(b"\r\n"):
        return piece[:-2], b"\r\n"
    if piece.endswith((b"\n", b"\r")):
        return piece[:-1], piece[-1:]
    return piece, b""


def _decode(body: bytes, enc: str) -> tuple[str, str]:
    if enc == "utf-8":
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return body.decode("latin-1"), "latin-1"
    try:
        return body.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return body.decode("latin-1"), "latin-1"


def _encode(text: str, codec: str) -> bytes:
    try:
        return text.encode(codec)
    except (UnicodeEncodeError, LookupError):
        return text.encode(codec if codec != "latin-1" else "utf-8", "replace")
