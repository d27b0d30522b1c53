"""CICS TS: the sockets-domain messages of a TLS failure, and the region's TLS
configuration (the KEYRING system initialisation parameter, TCPIPSERVICE
definitions).

Messages (read through ``msgfields.parse_message``; layouts in docs/formats.md,
section "CICS"):

* ``DFHSO0123 [date time] applid Return code rc received from function func of
  System SSL. Reason: text. Peer: ip, TCPIPSERVICE: name.`` (a handshake);
  ``DFHSO0223`` the same wording for the SSL environment (``gsk_environment_open``
  ... at start-up or PERFORM SSL REBUILD). The code may be written in hex
  (``X'1B3'``).
* ``DFHSO0399 ... Client side of TLS handshake failed: text. Local certificate:
  label, Host: h, Port: p, URIMAP: u, ... z/OS System SSL return code: rc.``
* ``DFHSO0002 ... A severe error (code X'080C') has occurred in module DFHSOSE``:
  the dump that often follows a DFHSO0123; ``DFHWBnnnn`` web messages after a
  failed handshake (socket I/O errors).

Configuration (this module's reader, kind ``cics``): SIT overrides
(``KEYRING=...``, ``APPLID=...``, ``MINTLSLEVEL=...``) in SYSIN or the PARM of
``EXEC PGM=DFHSIP``, and DFHCSDUP ``DEFINE TCPIPSERVICE(...)`` statements with
``PORTNUMBER``, ``SSL`` and ``CERTIFICATE``. One ``AppConfig`` per secure
TCPIPSERVICE (or one for the region when none is given).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.model.entities import AppConfig

KIND = "cics"
FAMILY = "cics"

ERROR, WARNING, INFO = "error", "warning", "info"

# -- messages ----------------------------------------------------------------------
_RC = re.compile(r"Return code\s+(X'[0-9A-Fa-f]+'|-?\d+)", re.IGNORECASE)
_RC_399 = re.compile(r"System SSL return code:?\s*(X'[0-9A-Fa-f]+'|-?\d+)", re.IGNORECASE)
_FUNC = re.compile(r"function\s+'?([A-Za-z_][A-Za-z_0-9]*)'?", re.IGNORECASE)
_APPLID = re.compile(r"^DFH[A-Z]{2}\d{4}[A-Z]?\s+(?:\d\d/\d\d/\d{2,4}\s+\d\d:\d\d:\d\d\s+)?([A-Z0-9$#@]{1,8})\s")
_PEER = re.compile(r"Peer:?\s*([0-9A-Fa-f:.]+[0-9A-Fa-f])", re.IGNORECASE)
_SERVICE = re.compile(r"TCPIPSERVICE\s*[:(]\s*\*?([A-Z0-9$#@]{1,8})\*?", re.IGNORECASE)
_HOST = re.compile(r"\bHost:\s*([^\s,]+)", re.IGNORECASE)
_PORT = re.compile(r"\bPort:\s*(\d{1,5})\b", re.IGNORECASE)
_LABEL = re.compile(r"Local certificate:\s*([^,]+?)\s*,", re.IGNORECASE)
_URIMAP = re.compile(r"\bURIMAP:\s*([A-Z0-9$#@*]+)", re.IGNORECASE)
_SEVERE = re.compile(r"\(code\s+X'([0-9A-Fa-f]+)'\)\s+has occurred in module\s+(\w+)", re.IGNORECASE)
_REASON = re.compile(r"Reason:\s{0,8}(\S.{0,240}?)\.?\s+Peer:", re.IGNORECASE)
"""Bounded: a line of many "Reason:" words must not make the search quadratic."""
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")

FAILURES = ("DFHSO0123", "DFHSO0223", "DFHSO0399", "DFHSO0002")
ATTLS_AWARE = ("DFHSO0147", "DFHSO0149")
"""Failures of an SSL(ATTLSAWARE) service: AT-TLS did the handshake, so they get no
``family`` and join the AT-TLS evidence (ibm_reference.md, CICS-ATTLS-diag)."""


def code(text: str) -> int | None:
    """``"435"`` -> 435, ``"X'1B3'"`` -> 435, ``"-1"`` -> -1; None when unreadable."""
    text = text.strip()
    try:
        if text[:2].upper() == "X'":
            return int(text[2:].rstrip("'"), 16)
        return int(text)
    except ValueError:
        return None


def message(msgid: str, text: str) -> tuple[dict, str]:
    """Fields and severity of a DFHSO / DFHWB message (text joined, id first)."""
    f: dict = {"family": FAMILY}
    m = _APPLID.match(text)
    if m and m.group(1) not in ("RETURN", "A", "CLIENT"):
        f["applid"] = m.group(1)
    m = _RC.search(text) or _RC_399.search(text)
    if m:
        rc = code(m.group(1))
        if rc is not None:
            f["rc"] = rc
    m = _FUNC.search(text)
    if m:
        f["function"] = m.group(1)
    m = _PEER.search(text)
    if m and m.group(1) not in ("0.0.0.0", "::"):
        f["remote_ip"] = m.group(1)
    m = _SERVICE.search(text)
    if m and m.group(1).upper() != "NONE":
        f["tcpipservice"] = m.group(1).upper()
    if msgid == "DFHSO0399":
        m = _HOST.search(text)
        if m:
            host = m.group(1).rstrip(".")
            f["remote_ip" if _IPV4.match(host) else "remote_host"] = host
        m = _PORT.search(text)
        if m:
            f["remote_port"] = int(m.group(1))
        m = _LABEL.search(text)
        if m:
            f["label"] = m.group(1)
        m = _URIMAP.search(text)
        if m:
            f["urimap"] = m.group(1)
    m = _REASON.search(text)
    if m:
        f["reason"] = m.group(1)
    m = _SEVERE.search(text)
    if m:
        f["severe_code"] = m.group(1).upper()
        f["module"] = m.group(2).upper()
    if msgid.startswith("DFHSO0223"):
        f["function"] = f.get("function", "gsk_environment_open")
        f["event"] = "environment"
    if msgid in ATTLS_AWARE:
        f.pop("family", None)
        return f, ERROR
    if msgid in FAILURES or "rc" in f:
        sev = ERROR
    elif msgid.startswith("DFHWB") and re.search(r"error|fail", text, re.IGNORECASE):
        sev = ERROR
    else:
        sev = _suffix(msgid)
    if sev == INFO and "rc" not in f:
        f.pop("family", None)  # not a TLS failure: no connection of its own
    return f, sev


def _suffix(msgid: str) -> str:
    return {"E": ERROR, "W": WARNING, "S": ERROR}.get(msgid[-1:], INFO)


# -- configuration -----------------------------------------------------------------
_SIT = re.compile(r"^\s*(KEYRING|APPLID|MINTLSLEVEL|MAXTLSLEVEL|ENCRYPTION|TCPIP|SEC|SSLCACHE|"
                  r"MAXSSLTCBS|USSCONFIG)\s*=\s*('?)([^',\s]*)\2", re.IGNORECASE)
_PARM = re.compile(r"PARM\s*=\s*'?\(?(.*?)\)?'?\s*$", re.IGNORECASE)
_DEFINE = re.compile(r"^\s*DEF(?:INE)?\s+TCPIPS(?:ERVICE)?\(\s*([A-Z0-9$#@]{1,8})\s*\)", re.IGNORECASE)
_ATTR = re.compile(r"\b([A-Z]+)\(\s*([^()]*?)\s*\)", re.IGNORECASE)
_JCL = re.compile(r"^//([A-Z0-9$#@]{1,8})\s+(?:JOB|PROC|EXEC)\b", re.IGNORECASE)
_TCPIPS_ATTRS = ("PORTNUMBER", "SSL", "CERTIFICATE", "PROTOCOL", "CIPHERS", "STATUS",
                 "HOST", "IPADDRESS", "AUTHENTICATE", "GROUP")


def sniff(head: list[str], name: str) -> int:
    score = 0
    for line in head:
        if _DEFINE.match(line):
            score += 40
        elif _SIT.match(line) or "DFHSIP" in line.upper():
            score += 15
    n = name.lower()
    if score and ("sit" in n or "cics" in n or "csd" in n):
        score += 20
    return min(score, 85) if score >= 30 else 0


def _rec(art: Artifact, n: int, text: str, keyword: str, value: str, end: int = 0) -> Record:
    return Record(artifact=art.id, line=n, kind="appconfig", text=text, end_line=end if end != n else 0,
                  system=art.system, severity=INFO,
                  fields={"family": FAMILY, "keyword": keyword, "value": value})


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    region: dict[str, tuple[str, str]] = {}  # SIT keyword -> (value, record id)
    services: list[tuple[str, dict, dict, str]] = []  # name, attrs, lines, record id
    job: str | None = None
    current: list | None = None  # [name, first line, texts, last line]

    def close() -> Iterator:
        nonlocal current
        if current is None:
            return
        name, first, texts, last = current
        current = None
        body = " ".join(texts)
        attrs: dict = {}
        for m in _ATTR.finditer(body):
            key = m.group(1).upper()
            if key in _TCPIPS_ATTRS:
                attrs[key] = m.group(2)
        rec = _rec(art, first, "\n".join(texts), "TCPIPSERVICE", name, last)
        rec.fields["attributes"] = dict(attrs)
        services.append((name, attrs, {k: rec.id for k in attrs}, rec.id))
        yield rec

    for n, text in lines:
        try:
            if current is not None and text[:1] in " \t" and not _DEFINE.match(text) and text.strip():
                current[2].append(text.rstrip())
                current[3] = n
                continue
            yield from close()
            s = text.strip()
            if not s or s.startswith(("*", "//*")):
                art.records += 1
                continue
            m = _JCL.match(s)
            if m:
                job = job or m.group(1).upper()
                mp = _PARM.search(s)
                if mp and "DFHSIP" in s.upper():
                    for part in mp.group(1).split(","):
                        ms = _SIT.match(part)
                        if ms:
                            region[ms.group(1).upper()] = (ms.group(3), f"{art.id}:{n}")
                art.records += 1
                continue
            m = _DEFINE.match(s)
            if m:
                current = [m.group(1).upper(), n, [text.rstrip()], n]
                continue
            m = _SIT.match(s)
            if m:
                key, value = m.group(1).upper(), m.group(3)
                rec = _rec(art, n, text.rstrip(), key, value)
                region[key] = (value, rec.id)
                yield rec
                continue
            art.records += 1
        except Exception as exc:  # never raise on input
            yield Unparsed(art.id, n, text, f"CICS configuration line not read: {exc}")
    yield from close()
    yield from _configs(art, region, services, job)


def _configs(art: Artifact, region: dict, services: list, job: str | None) -> Iterator:
    if not region and not services:
        return
    keyring = region.get("KEYRING", (None, None))[0]
    base = {k: v for k, (v, _) in region.items()}
    base_lines = {k: rid for k, (_, rid) in region.items()}
    job = job or base.get("APPLID", "").upper() or None
    secure = [s for s in services if s[1].get("SSL", "NO").upper() not in ("NO", "")]
    first = next(iter(base_lines.values()), None)
    if not secure:
        yield AppConfig(family=FAMILY, record=first or services[0][3], system=art.system, job=job,
                        role="server", keyring=keyring, settings=dict(base), lines=dict(base_lines))
        return
    for name, attrs, lines, rid in secure:
        settings = dict(base)
        settings["TCPIPSERVICE"] = name
        settings.update(attrs)
        ln = dict(base_lines)
        ln["TCPIPSERVICE"] = rid
        ln.update(lines)
        port = attrs.get("PORTNUMBER", "")
        yield AppConfig(family=FAMILY, record=rid, system=art.system, job=job, role="server",
                        keyring=keyring, port=int(port) if port.isdigit() else None,
                        settings=settings, lines=ln)
