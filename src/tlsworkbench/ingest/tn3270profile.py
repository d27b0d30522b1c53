"""Reader for the TN3270E Telnet server profile (the data set Telnet reads at
start and on ``V TCPIP,tnproc,OBEYFILE``): the TELNETGLOBALS, TELNETPARMS and
PARMSGROUP blocks and the BEGINVTAM block's PORT (IP Configuration Reference,
"TN3270E Telnet server configuration statements").

The TLS statements are kept with their line: ``SECUREPORT port`` (a port where
Telnet calls System SSL itself; ``TTLSPORT`` is a port AT-TLS protects),
``KEYRING SAF ring`` / ``KEYRING HFS path`` (TELNETGLOBALS, or TELNETPARMS of
the port), ``CONNTYPE``, ``CLIENTAUTH``, ``SSLTIMEOUT``, ``ENCRYPTION`` ...
``ENDENCRYPTION``, ``DEBUG``. A semicolon starts a comment. Each TELNETPARMS
block with a SECUREPORT yields one ``AppConfig`` (family ``"tn3270"``, role
server, the port, the block's ring or else the global one); the data set name,
when a comment names it (``; DSN=SYS1.TCPPARMS(TNPROF)``), goes to
``settings["_FILE"]`` so the refresh can name it.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import Record, Unparsed
from tlsworkbench.model.entities import AppConfig

KIND = "tn3270profile"

BLOCKS = {"TELNETGLOBALS": "ENDTELNETGLOBALS", "TELNETPARMS": "ENDTELNETPARMS",
          "PARMSGROUP": "ENDPARMSGROUP", "BEGINVTAM": "ENDVTAM", "ENCRYPTION": "ENDENCRYPTION"}
_ENDS = {v: k for k, v in BLOCKS.items()}
TLS_WORDS = frozenset({"SECUREPORT", "TTLSPORT", "PORT", "KEYRING", "CONNTYPE", "CLIENTAUTH",
                       "SSLTIMEOUT", "SSLV2", "NOSSLV2", "SSLV3", "NOSSLV3", "TLSV1", "NOTLSV1",
                       "TLSV1.1", "NOTLSV1.1", "TLSV1.2", "NOTLSV1.2", "TLSV1.3", "NOTLSV1.3",
                       "DEBUG", "ENCRYPTION", "CRLLDAPSERVER", "EXPRESSLOGON"})
_DSN = re.compile(r"\bDSN\s*[=:]\s*([A-Z0-9$#@.()]+)", re.IGNORECASE)
_WORD = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(.*?)\s*$")


def sniff(head: list[str], name: str) -> int:
    blocks = tls = 0
    for line in head:
        body = line.split(";", 1)[0].strip().upper()
        if not body:
            continue
        word = body.split()[0]
        if word in BLOCKS or word in _ENDS:
            blocks += 1
        elif word in TLS_WORDS:
            tls += 1
    if blocks >= 2 and (tls or "TELNETPARMS" in " ".join(head).upper()):
        return 90
    return 0


class _Block:
    __slots__ = ("kind", "line", "settings", "lines")

    def __init__(self, kind: str, line: str):
        self.kind, self.line = kind, line
        self.settings: dict = {}
        self.lines: dict = {}


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    stack: list[_Block] = []
    globals_: _Block | None = None
    parms: list[_Block] = []
    dsn = None
    for n, text in lines:
        try:
            comment = text.split(";", 1)[1] if ";" in text else ""
            if dsn is None and comment:
                m = _DSN.search(comment)
                if m:
                    dsn = m.group(1).upper()
            body = text.split(";", 1)[0].strip()
            if not body:
                continue
            m = _WORD.match(body)
            if m is None:
                yield Unparsed(art.id, n, text, "not a Telnet profile statement")
                continue
            word, value = m.group(1).upper(), m.group(2)
            rid = f"{art.id}:{n}"
            fields = {"family": "tn3270", "keyword": word, "value": value}
            if stack:
                fields["block"] = stack[-1].kind
            yield Record(artifact=art.id, line=n, kind="appconfig", text=text, system=art.system,
                         fields=fields)
            if word in BLOCKS:
                blk = _Block(word, rid)
                stack.append(blk)
                if word == "TELNETGLOBALS":
                    globals_ = blk
                elif word == "TELNETPARMS":
                    parms.append(blk)
                continue
            if word in _ENDS:
                while stack and stack[-1].kind != _ENDS[word]:
                    stack.pop()
                if stack:
                    stack.pop()
                continue
            if not stack:
                continue
            blk = stack[-1]
            if blk.kind == "ENCRYPTION":
                blk = stack[-2] if len(stack) > 1 else blk
                blk.settings.setdefault("ENCRYPTION", []).append(word)
                blk.lines.setdefault("ENCRYPTION", rid)
                continue
            blk.settings[word] = value
            blk.lines[word] = rid
        except Exception as exc:  # never lose a line to a bug
            yield Unparsed(art.id, n, text, f"statement not read: {exc}")
    yield from _configs(art, globals_, parms, dsn)


def _ring(value: str | None) -> str | None:
    """``SAF ring`` / ``HFS /path`` / a bare name -> the ring as written."""
    if not value:
        return None
    parts = value.split()
    if parts and parts[0].upper() in ("SAF", "HFS"):
        parts = parts[1:]
    return parts[0] if parts else None


def _configs(art, globals_: _Block | None, parms: list[_Block], dsn: str | None) -> Iterator:
    g = globals_.settings if globals_ is not None else {}
    gl = globals_.lines if globals_ is not None else {}
    for blk in parms:
        port_v = blk.settings.get("SECUREPORT")
        if port_v is None:
            continue
        port = None
        tok = port_v.split()
        if tok and tok[0].isdigit():
            port = int(tok[0])
        settings = {**g, **blk.settings}
        lines = {**gl, **blk.lines}
        if dsn:
            settings["_FILE"] = dsn
        kr = blk.settings.get("KEYRING") or g.get("KEYRING")
        yield AppConfig(family="tn3270", record=blk.line, system=art.system, role="server",
                        keyring=_ring(kr), port=port, settings=settings, lines=lines)
