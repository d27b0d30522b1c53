"""The leak scan: look for every original value in the bytes of an export.

Redaction is checked, not assumed. Each output artifact is read in every
encoding it could be shown in (UTF-8 / Latin-1, EBCDIC cp1047 and cp037), the
bytes of certificates are read as DER (base64 of PEM blocks decoded first), and
the bytes of trace hex dumps are read back from their hex. The same token rules
as the rewrite apply (a value inside a longer word is not a hit; short serials
only where a serial is named). Any hit is a :class:`Leak` naming the value, its
category, the artifact and the line.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import ebcdic  # noqa: F401  (registers cp1047)

from .collect import IP_END, SHORT_SERIAL, Sensitive
from .rewrite import SERIAL_CONTEXT, WORD, alternation

_PEM = re.compile(r"-----BEGIN [A-Z0-9 #]+-----\s*(.*?)-----END", re.S)
_ANY_HEX = re.compile(r"^[\s.\u2022\-*]*[0-9A-Fa-f]{8}:\s", re.M)
_HEXLINE = re.compile(r"^[\s.\u2022\-*]*[0-9A-Fa-f]{8}:\s+((?:[0-9A-Fa-f]{2,8}\s?){1,8})")


@dataclass
class Leak:
    value: str
    category: str
    artifact: str
    line: int | None
    where: str = "text"
    """``"text"``, ``"text (cp1047)"``, ``"certificate bytes"``, ``"hex dump bytes"``."""

    def __str__(self) -> str:
        at = f"{self.artifact}" + (f" line {self.line}" if self.line else "")
        return f"{self.category} {self.value!r} is still in {at} ({self.where})"


class Scanner:
    """``exact_case``: only hits written as the original is (for generated text such
    as a report, where a user id ``TRACE`` must not trip over the word "trace")."""

    def __init__(self, sens: Sensitive, exact_case: bool = False):
        self.exact = {re.sub(r"\s+", " ", v) for v in sens.values} if exact_case else None
        self.cat: dict[str, str] = {}
        ips, words, serials = [], [], []
        for v, c in sens.values.items():
            self.cat[v.casefold()] = c
            if c == "serial" and len(v) < SHORT_SERIAL:
                serials.append(v.lower())
            elif c in ("ipv4", "ipv6"):
                ips.append(v)
            else:
                words.append(v)
        self.serials = set(serials)
        alts = []
        if ips:
            ips.sort(key=len, reverse=True)
            alts.append(r"(?<![\d.])(?:" + alternation(ips) + r")" + IP_END)
        if words:
            words.sort(key=len, reverse=True)
            alts.append(f"(?<![{WORD}])(?:" + alternation(words) + f")(?![{WORD}])")
        self.pattern = re.compile("|".join(alts), re.IGNORECASE) if alts else None

    def _hits(self, text: str):
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                if self.exact is None or re.sub(r"\s+", " ", m.group(0)) in self.exact:
                    yield m.start(), m.group(0)
        if self.serials:
            for m in SERIAL_CONTEXT.finditer(text):
                key = m.group("val").replace(":", "").lower()
                if key in self.serials or key.lstrip("0") in self.serials:
                    yield m.start("val"), m.group("val")

    def text(self, text: str, artifact: str, where: str = "text") -> list[Leak]:
        out = []
        for pos, found in self._hits(text):
            line = text.count("\n", 0, pos) + 1
            key = re.sub(r"\s+", " ", found).casefold()
            cat = self.cat.get(found.casefold()) or self.cat.get(key) or "serial"
            out.append(Leak(found, cat, artifact, line, where))
        return out

    def data(self, data: bytes, artifact: str, encoding: str = "utf-8") -> list[Leak]:
        """Every way ``data`` could be read: its own encoding first, then the others."""
        leaks: list[Leak] = []
        seen: set[tuple] = set()
        looked = False  # PEM blocks and hex dumps are read once, in the first ASCII reading
        for codec in _codecs(encoding):
            try:
                text = data.decode(codec, "replace")
            except LookupError:
                continue
            text = text.replace("\r\n", "\n").replace("\x85", "\n").replace("\x15", "\n")
            own = codec == encoding or (encoding in ("utf-8", "latin-1") and codec in ("utf-8", "latin-1"))
            for lk in self.text(text, artifact, "text" if own else f"text ({codec})"):
                if not own and len(lk.value) < 4:
                    continue  # short values turn up by chance in text read in the wrong code page
                if (lk.value.casefold(), lk.line) not in seen:
                    seen.add((lk.value.casefold(), lk.line))
                    leaks.append(lk)
            if not looked and codec in ("utf-8", "latin-1"):
                looked = True
                if "-----BEGIN" in text:
                    leaks += self._pem(text, artifact)
                if _ANY_HEX.search(text):
                    leaks += self._hex(text, artifact)
        if data[:1] == b"\x30":
            leaks += [Leak(lk.value, lk.category, artifact, None, "certificate bytes")
                      for lk in self.text(data.decode("latin-1"), artifact)]
        return leaks

    def _pem(self, text: str, artifact: str) -> list[Leak]:
        out = []
        for m in _PEM.finditer(text):
            try:
                der = base64.b64decode(re.sub(r"\s+", "", m.group(1)) + "==")
            except ValueError:
                continue
            line = text.count("\n", 0, m.start()) + 1
            out += [Leak(lk.value, lk.category, artifact, line, "certificate bytes")
                    for lk in self.text(der.decode("latin-1"), artifact)]
        return out

    def _hex(self, text: str, artifact: str) -> list[Leak]:
        """Bytes of hex dump lines, joined per block of consecutive lines."""
        out = []
        block = bytearray()
        start = 0
        for n, line in enumerate(text.split("\n"), 1):
            m = _HEXLINE.match(line)
            if m:
                if not block:
                    start = n
                for g in m.group(1).split():
                    if len(g) % 2 == 0:
                        try:
                            block += bytes.fromhex(g)
                        except ValueError:
                            pass
                continue
            if block:
                out += self._dump_bytes(bytes(block), artifact, start)
                block = bytearray()
        if block:
            out += self._dump_bytes(bytes(block), artifact, start)
        return out

    def _dump_bytes(self, data: bytes, artifact: str, line: int) -> list[Leak]:
        out = []
        for codec in ("latin-1", "cp1047"):
            out += [Leak(lk.value, lk.category, artifact, line, "hex dump bytes")
                    for lk in self.text(data.decode(codec, "replace"), artifact)]
        return out


def _codecs(encoding: str) -> list[str]:
    order = [encoding] if encoding and encoding != "binary" else []
    for c in ("utf-8", "latin-1", "cp1047", "cp037"):
        if c not in order:
            order.append(c)
    return order


def scan(outputs, sens: Sensitive, extra: dict[str, str] | None = None) -> list[Leak]:
    """Leaks in ``outputs`` (objects with ``name``, ``data``, ``encoding``) and in
    ``extra`` (name -> text, e.g. the session manifest)."""
    sc = Scanner(sens)
    leaks: list[Leak] = []
    for o in outputs:
        leaks += sc.data(o.data, o.name, getattr(o, "encoding", "utf-8"))
    for name, text in (extra or {}).items():
        leaks += sc.text(text, name)
    return leaks


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def rendered_forms(text: str, fmt: str) -> list[str]:
    """``text`` as a reader sees it: a Markdown report with its backslash escapes
    taken out (``Web\\_Inbound`` is ``Web_Inbound``), an HTML report with its
    entities decoded. The leak scan looks at these too, so escaping can never
    hide an original value (nor make the scan trip on a stand-in)."""
    out = [text]
    if fmt == "md":
        plain = _MD_ESCAPE.sub(r"\1", text)
        if plain != text:
            out.append(plain)
    elif fmt == "html":
        import html

        plain = html.unescape(re.sub(r"<[^<>]{0,200}>", " ", text))
        if plain != text:
            out.append(plain)
    return out
