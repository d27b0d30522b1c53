"""Reader for RACDCERT output: LISTRING (one ring or ``*``) and LIST.

Both may appear in one file, as a TSO session or a batch SYSTSPRT with the
command echoes (``READY``, ``RACDCERT ID(FTPD) LISTRING(Server_RING)``, ``END``).

Records: ``"ring"`` (the ``Ring:`` line and the ring name), ``"ring-entry"`` (one
row, two lines when a long label pushes the owner to the next line), ``"cert"``
(one certificate, from ``Label:`` to its last line), ``"command"`` (echoed
commands) and ``"message"`` (IRRDnnnI and other messages). Entities: ``KeyRing``
(with its ``RingEntry`` rows) and ``CertInfo``.

Conventions (see docs/model.md): user ids upper case, ring names and labels as
written, DNs in RFC 4514 form (x509/dn.py), dates UTC-aware (RACF shows the
certificate's validity without a zone; it is taken as UTC [unconfirmed]),
serial lowercase hex without leading zeros, fingerprints lowercase hex
without colons. Nothing here is an error by itself.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import KeyRing, Record, RingEntry, Unparsed

from . import racdcert_cert as certs

KIND = "racdcert"

_I = re.IGNORECASE
RING_HDR = re.compile(r"^Digital ring information for user\s+(\S+?)\s*:?\s*$", _I)
CERT_HDR = re.compile(r"^Digital certificate information for\s+(?:user\s+(\S+?)|(CERTAUTH|SITE))\s*:?\s*$", _I)
RING_LINE = re.compile(r"^Ring\s*:\s*(.*)$", _I)
COL_HDR = re.compile(r"^Certificate\s+Label\s+Name\s+Cert\s+Owner\b", _I)
DASHES = re.compile(r"^[-\s]+$")
NO_CERTS = re.compile(r"^\*+\s*No certificates connected\s*\*+$", _I)
_OWNER = r"CERTAUTH|SITE|ID\(\s*[^)\s]*\s*\)"
_OWNER_RE = re.compile(rf"^(?:{_OWNER})$", _I)
_USAGE_RE = re.compile(r"^(?:PERSONAL|CERTAUTH|SITE)$", _I)
_DEFAULT_RE = re.compile(r"^(?:YES|NO)$", _I)


class _Row:
    """A LISTRING row split from the right: label, owner, usage, default."""

    def __init__(self, label, owner, usage, default):
        self.d = {"label": label, "owner": owner, "usage": usage, "default": default}

    def group(self, name):
        return self.d[name]


def _split_row(s: str, with_label: bool) -> _Row | None:
    """Split from the right (no backtracking regex: a line can be huge)."""
    toks = s.rsplit(None, 3)
    if with_label:
        if len(toks) != 4 or not toks[0].strip():
            return None
    elif len(toks) != 3:
        return None
    else:
        toks = [""] + toks
    label, owner, usage, default = toks
    if _OWNER_RE.match(owner) and _USAGE_RE.match(usage) and _DEFAULT_RE.match(default):
        return _Row(label.strip(), owner, usage, default)
    return None


class ENTRY:
    match = staticmethod(lambda s: _split_row(s, True))


class ENTRY_REST:
    match = staticmethod(lambda s: _split_row(s, False))


MESSAGE = re.compile(r"^([A-Z]{3,5}\d{3,5}[IEWAS])\b\s*(.*)$")
COMMAND = re.compile(r"^(?:(RACDCERT|RACDCRT|RACCERT|SETROPTS|SETR|RLIST|RL|PERMIT|PE|LISTUSER|LU)\b(.*)|(READY|END)\s*)$", _I)
NOISE = re.compile(r"^(//|/\*|\*{3,}\s*(Top|Bottom) of Data|PAGE\s+\d+$)", _I)
_ID_ARG = re.compile(r"\bID\(\s*([^)\s]+)\s*\)", _I)
_BULLET = re.compile(r"^\s*[\u2022\u00b7]\s?")


def sniff(head: list[str], name: str) -> int:
    score = 0
    for line in head:
        s = _clean(line)
        if RING_HDR.match(s) or CERT_HDR.match(s):
            return 95
        if s.startswith("IRRD115I") or COL_HDR.match(s):
            score = max(score, 80)
        elif _list_command(s):
            score = max(score, 60)
    return score


_PARENS = re.compile(r"\([^()]*\)")
_LIST_WORDS = {"LIST", "LISTRING", "LISTCHAIN"}
_CMD_WORDS = _LIST_WORDS | {"ID", "SITE", "CERTAUTH", "LABEL", "SERIALNUMBER", "ISSUERSDN", "RACDCERT"}


def _list_command(s: str) -> bool:
    """``RACDCERT ID(FTPD) LISTRING(Server_RING)`` and the like: after the
    operands' parentheses are taken away only RACDCERT keywords are left (so a
    sentence such as "RACDCERT LIST shows ..." in a note is no command)."""
    if not re.match(r"^RACDCERT\b", s, _I):
        return False
    rest = s
    for _ in range(4):  # LIST(LABEL('x')) nests two deep; quotes may hold parentheses
        rest = _PARENS.sub(" ", re.sub(r"'[^']*'", "''", rest))
    words = {w.upper() for w in re.split(r"[\s,]+", rest.replace("-", " ")) if w}
    return bool(words & _LIST_WORDS) and words <= _CMD_WORDS


def _clean(line: str) -> str:
    return _BULLET.sub("", line.expandtabs()).strip()


class _Ring:
    def __init__(self, owner: str, line: int, text: str):
        self.owner, self.line, self.texts = owner, line, [text]
        self.name_parts: list[str] = []
        self.name_done = False
        self.end = line
        self.entries: list[RingEntry] = []
        self.pending: tuple[int, str, str] | None = None  # label-only row: (line, raw, label)

    @property
    def name(self) -> str:
        return "".join(self.name_parts)


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    """Read RACDCERT output; see the module docstring. Never raises on bad input."""
    st = {"ring_owner": None, "cert_owner": None, "cmd_owner": None}
    ring: _Ring | None = None
    cert: certs.CertBlock | None = None

    def finish_ring():
        nonlocal ring
        r, ring = ring, None
        if r is None:
            return
        if r.pending:
            yield _unparsed_pending(art, r)
        if not r.name_done:
            yield Unparsed(art.id, r.line, "\n".join(r.texts), "ring name missing or not closed with '<'")
            if not r.name:
                return
        yield KeyRing(owner=r.owner, name=r.name, entries=r.entries, record=f"{art.id}:{r.line}",
                      system=art.system)

    def finish_cert():
        nonlocal cert
        c, cert = cert, None
        if c is not None:
            yield from c.finish(art)

    for num, raw in lines:
        try:
            s = _clean(raw)
            # --- inside a certificate: its own lines first -------------------
            if cert is not None and cert.feed(num, raw, s):
                continue
            if ring is not None and not ring.name_done:
                if _ring_name_line(ring, num, raw, s):
                    if ring.name_done:
                        yield Record(art.id, ring.line, "ring", "\n".join(ring.texts), end_line=num,
                                     system=art.system,
                                     fields={"owner": ring.owner, "ring": ring.name})
                    continue
            if not s:
                continue
            if ring is not None and ring.name_done:
                handled = yield from _ring_row(ring, art, num, raw, s)
                if handled:
                    continue
            # --- block starts and other lines ---------------------------------
            m = RING_HDR.match(s)
            if m:
                yield from finish_cert()
                yield from finish_ring()
                st["ring_owner"] = m.group(1).upper()
                art.records += 1
                continue
            m = CERT_HDR.match(s)
            if m:
                yield from finish_cert()
                yield from finish_ring()
                st["cert_owner"] = (m.group(1) or m.group(2)).upper()
                art.records += 1
                continue
            m = RING_LINE.match(s)
            if m and cert is None:
                yield from finish_ring()
                owner = st["ring_owner"] or st["cmd_owner"] or "?"
                ring = _Ring(owner, num, raw)
                rest = m.group(1).strip()
                if rest:
                    _ring_name_line(ring, num, None, rest)
                    if ring.name_done:
                        yield Record(art.id, num, "ring", raw, system=art.system,
                                     fields={"owner": owner, "ring": ring.name})
                continue
            if certs.LABEL.match(s):
                yield from finish_cert()
                yield from finish_ring()
                owner = st["cert_owner"] or st["cmd_owner"]
                cert = certs.CertBlock(owner, num, raw, certs.LABEL.match(s).group(1))
                continue
            m = MESSAGE.match(s)
            if m:
                yield from finish_cert()
                yield from finish_ring()
                yield _message(art, num, raw, m.group(1), m.group(2))
                continue
            m = COMMAND.match(s)
            if m:
                yield from finish_cert()
                yield from finish_ring()
                yield _command(art, num, raw, s, st)
                continue
            if NOISE.match(s) or COL_HDR.match(s) or DASHES.match(s) or NO_CERTS.match(s):
                art.records += 1
                continue
            yield Unparsed(art.id, num, raw, "not part of RACDCERT LISTRING or LIST output")
        except Exception as exc:  # never let one line stop the file
            yield Unparsed(art.id, num, raw, f"could not read this line ({type(exc).__name__}: {exc})")
    try:
        yield from finish_cert()
        yield from finish_ring()
    except Exception as exc:
        yield Unparsed(art.id, 0, "", f"could not finish the last block ({type(exc).__name__})")


def _ring_name_line(ring: _Ring, num: int, raw: str | None, s: str) -> bool:
    """Consume a line of the ring name (``>name<``, possibly over several lines)."""
    if not s:
        return ring.name_parts == [] and raw is not None  # blank before the name: skip
    if not ring.name_parts and not s.startswith(">"):
        ring.name_done = False
        return False
    part = s
    if part.startswith(">"):
        part = part[1:]
    if part.endswith("<"):
        part = part[:-1]
        ring.name_done = True
    ring.name_parts.append(part)
    if raw is not None:
        ring.texts.append(raw)
        ring.end = num
    return True


def _ring_row(ring: _Ring, art, num: int, raw: str, s: str):
    """Handle a line after the ring name; returns True when it belonged to the ring."""
    if COL_HDR.match(s) or DASHES.match(s) or NO_CERTS.match(s):
        art.records += 1
        return True
    m = ENTRY.match(s)
    if m and not (ring.pending and ENTRY_REST.match(s)):
        if ring.pending:
            yield _unparsed_pending(art, ring)
        yield from _entry(ring, art, num, raw, m.group("label"), m, num)
        return True
    m = ENTRY_REST.match(s)
    if m and ring.pending:
        first, first_raw, label = ring.pending
        ring.pending = None
        yield from _entry(ring, art, first, first_raw + "\n" + raw, label, m, num)
        return True
    if m:
        yield Unparsed(art.id, num, raw, "owner, usage and default without a certificate label")
        return True
    if _starts_block(s):
        return False
    if ring.pending:
        yield _unparsed_pending(art, ring)
    # A label alone: its owner/usage/default may be on the next line.
    ring.pending = (num, raw, s)
    return True


def _starts_block(s: str) -> bool:
    return bool(RING_HDR.match(s) or CERT_HDR.match(s) or RING_LINE.match(s) or certs.LABEL.match(s)
                or MESSAGE.match(s) or COMMAND.match(s) or NOISE.match(s))


def _entry(ring: _Ring, art, line: int, text: str, label: str, m, end: int):
    owner = _owner(m.group("owner"))
    usage = m.group("usage").upper()
    default = m.group("default").upper() == "YES"
    fields = {"label": label, "owner": owner, "usage": usage, "default": default,
              "ring": f"{ring.owner}/{ring.name}"}
    yield Record(art.id, line, "ring-entry", text, end_line=end if end != line else 0,
                 system=art.system, fields=fields)
    ring.entries.append(RingEntry(label=label, owner=owner, usage=usage, default=default,
                                  record=f"{art.id}:{line}"))


def _unparsed_pending(art, ring: _Ring) -> Unparsed:
    line, raw, _ = ring.pending
    ring.pending = None
    return Unparsed(art.id, line, raw, f"row of ring {ring.name} without owner, usage and default")


def _owner(text: str) -> str:
    t = text.strip()
    m = re.match(r"ID\(\s*([^)\s]*)\s*\)", t, _I)
    return (m.group(1) if m else t).upper()


def _message(art, num: int, raw: str, msgid: str, rest: str) -> Record:
    fields: dict = {}
    m = re.search(r"\bUser\s+(\S+?)\s+has no rings", rest, _I)
    if m:
        fields["user"] = m.group(1).upper()
    m = re.search(r"\bring\s*\(?\s*'?([^\s')]+)", rest, _I)
    if m and "ring" not in fields and msgid.startswith("IRRD") and not fields.get("user"):
        fields["ring"] = m.group(1)
    m = re.search(r"\blabel\s*\(?\s*'([^']*)'", rest, _I)
    if m:
        fields["label"] = m.group(1)
    sev = "warning" if msgid.endswith(("E", "W")) else "info"
    return Record(art.id, num, "message", raw, msgid=msgid, system=art.system, severity=sev,
                  fields=fields)


def _command(art, num: int, raw: str, s: str, st: dict) -> Record:
    fields: dict = {"command": s.split()[0].upper()}
    m = _ID_ARG.search(s)
    if m and fields["command"].startswith("RAC"):
        st["cmd_owner"] = m.group(1).upper()
        st["ring_owner"] = st["cert_owner"] = None
        fields["user"] = st["cmd_owner"]
    elif fields["command"].startswith("RAC") and re.search(r"\b(CERTAUTH|SITE)\b", s, _I):
        st["cmd_owner"] = re.search(r"\b(CERTAUTH|SITE)\b", s, _I).group(1).upper()
        st["ring_owner"] = st["cert_owner"] = None
    m = re.search(r"\bLISTRING\(\s*([^)\s]+)\s*\)", s, _I)
    if m:
        fields["ring"] = m.group(1)
    return Record(art.id, num, "command", raw, system=art.system, fields=fields)


__all__ = ["KIND", "sniff", "read"]
