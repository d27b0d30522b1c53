"""Db2 for z/OS DDF: the DSNL messages of a failed secure connection, and the
DDF ports from ``-DISPLAY DDF`` output.

Db2 does not call System SSL itself: its secure port (SECPORT) is protected by
AT-TLS. A failed handshake therefore shows on the TCP/IP side as an AT-TLS
EZD1286I/EZD1287I and on the Db2 side as a conversation failure:

* ``DSNL511I -ssid csect TCP/IP CONVERSATION FAILED TO LOCATION loc IPADDR=ip
  PORT=port SOCKET=call RETURN CODE=errno REASON CODE=hex``: the remote address
  and port, the socket call and its errno (1121 ECONNRESET when AT-TLS ended
  the connection).
* ``DSNL512I``, ``DSNL032I`` and the other DSNL failures keep ``ssid``.

Configuration (this module's reader, kind ``db2``): ``-DISPLAY DDF`` output,
``DSNL083I`` (location, LU name), ``DSNL084I TCPPORT=.. SECPORT=.. RESPORT=..``,
``DSNL085I IPADDR=..``. One ``AppConfig`` for the DDF address space
(``<ssid>DIST``) with the secure port; its key ring comes from the AT-TLS
policy, so ``keyring`` stays empty.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.model.entities import AppConfig

KIND = "db2"
FAMILY = "db2"
ERROR, WARNING, INFO = "error", "warning", "info"

_HEAD = re.compile(r"^(DSN[A-Z]\d{3}[A-Z])\s+[-+!.?%&*@$#=]?([A-Z0-9$#@]{1,4})\s+(DSN[A-Z0-9]{1,5})?\s*")
_LOCATION = re.compile(r"TO LOCATION\s+(\S+)", re.IGNORECASE)
_IPADDR = re.compile(r"IPADDR=\s*([0-9A-Fa-f:.]+[0-9A-Fa-f])", re.IGNORECASE)
_PORT = re.compile(r"\bPORT=\s*(\d{1,5})\b", re.IGNORECASE)
_SOCKET = re.compile(r"SOCKET=\s*(\w+)", re.IGNORECASE)
_ERRNO = re.compile(r"RETURN CODE=\s*(-?\d+)", re.IGNORECASE)
_REASON = re.compile(r"REASON CODE=\s*([0-9A-Fa-f]{1,8})", re.IGNORECASE)

FAILURES = {"DSNL511I", "DSNL512I", "DSNL032I", "DSNL030I", "DSNL500I", "DSNL510I"}
# errno values (decimal, BPXYERNO) that mean the partner or AT-TLS ended the conversation
ENDED = {1121: "ECONNRESET", 1127: "ETIMEDOUT", 1128: "ENOTCONN", 3448: "EDROPPED"}


def _ip(ip: str) -> str:
    """``::10.1.2.3`` and ``::FFFF:10.1.2.3`` (Db2 writes IPv4 this way) -> ``10.1.2.3``."""
    low = ip.lower()
    for lead in ("::ffff:", "::"):
        rest = low[len(lead):]
        if low.startswith(lead) and rest.count(".") == 3 and ":" not in rest:
            return rest
    return low if ":" in low else ip


def message(msgid: str, text: str) -> tuple[dict, str]:
    """Fields and severity of a DSNLnnnI message (text joined, id first)."""
    f: dict = {"family": FAMILY}
    m = _HEAD.match(text)
    if m:
        f["ssid"] = m.group(2).upper()
        f["jobname"] = f["ssid"] + "DIST"
        if m.group(3):
            f["csect"] = m.group(3)
    m = _LOCATION.search(text)
    if m:
        f["location"] = m.group(1)
    m = _IPADDR.search(text)
    if m:
        f["remote_ip"] = _ip(m.group(1))
    m = _PORT.search(text)
    if m:
        f["remote_port"] = int(m.group(1))
    m = _SOCKET.search(text)
    if m:
        f["socket"] = m.group(1).upper()
    m = _ERRNO.search(text)
    if m:
        f["errno"] = int(m.group(1))
        if f["errno"] in ENDED:
            f["errno_name"] = ENDED[f["errno"]]
    m = _REASON.search(text)
    if m:
        f["errno2"] = m.group(1).upper().zfill(8)
    sev = ERROR if msgid in FAILURES else {"E": ERROR, "W": WARNING}.get(msgid[-1:], INFO)
    if sev == INFO and "rc" not in f:
        f.pop("family", None)  # not a TLS failure: no connection of its own
    return f, sev


# -- -DISPLAY DDF ----------------------------------------------------------------
_DDF = re.compile(r"^\s*(DSNL08\dI)\s*(?:[-+!.?%&*@$#=]?([A-Z0-9$#@]{1,4})\s+)?(.*)$")
_KV = re.compile(r"\b([A-Z]+)=\s*(\S+)")


def sniff(head: list[str], name: str) -> int:
    # the display itself, not a job log or SYSLOG that holds one (those go to the console reader)
    hits = sum(1 for line in head if _DDF.match(line))
    secport = any(_DDF.match(line) and "SECPORT=" in line for line in head)
    if secport and hits >= 2:
        return 86
    return 40 if hits >= 2 else 0


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    ssid: str | None = None
    settings: dict = {}
    where: dict = {}
    location_next = False
    for n, text in lines:
        try:
            m = _DDF.match(text)
            if not m:
                art.records += 1
                continue
            msgid, sub, body = m.group(1), m.group(2), m.group(3).strip()
            if sub and not ssid and msgid == "DSNL080I":
                ssid = sub.upper()
            rid = f"{art.id}:{n}"
            if msgid == "DSNL082I":
                location_next = True
                art.records += 1
                continue
            if msgid == "DSNL083I" or location_next and msgid == "DSNL083I":
                parts = body.split()
                if parts:
                    settings["LOCATION"] = parts[0]
                    where["LOCATION"] = rid
                location_next = False
                yield _rec(art, n, text, "LOCATION", parts[0] if parts else "")
                continue
            if msgid in ("DSNL084I", "DSNL085I", "DSNL081I"):
                for k, v in _KV.findall(body):
                    settings[k] = v
                    where[k] = rid
                key = "SECPORT" if "SECPORT" in body else msgid
                yield _rec(art, n, text, key, settings.get("SECPORT", body) if key == "SECPORT" else body)
                continue
            art.records += 1
        except Exception as exc:  # never raise on input
            yield Unparsed(art.id, n, text, f"DISPLAY DDF line not read: {exc}")
    if settings:
        port = settings.get("SECPORT", "")
        yield AppConfig(family=FAMILY, record=where.get("SECPORT") or next(iter(where.values())),
                        system=art.system, job=f"{ssid}DIST" if ssid else None, role="server",
                        keyring=None, port=int(port) if port.isdigit() and int(port) else None,
                        settings=dict(settings, SSID=ssid or ""), lines=dict(where))


def _rec(art: Artifact, n: int, text: str, keyword: str, value: str) -> Record:
    return Record(artifact=art.id, line=n, kind="appconfig", text=text.rstrip(), system=art.system,
                  severity=INFO, fields={"family": FAMILY, "keyword": keyword, "value": value})
