"""Fields of the messages the console and syslogd readers understand.

``parse_message(msgid, text)`` takes the message text (continuation lines joined
with blanks, the message id first) and returns ``(fields, severity)``, or None
for a message we do not read. Field names are those of docs/model.md.
"""

from __future__ import annotations

import re

from tlsworkbench.ingest.attls_fields import (  # noqa: F401  (re-exported)
    ATTLS_IDS, FAST_BODY, attls, fast_fields, split_fields)
from tlsworkbench.ingest.common import cms_status, msgid_severity, parse_endpoint

ERROR, WARNING, INFO = "error", "warning", "info"

# Messages with fields (prefix test first: cheap).
PREFIXES = ("EZD", "ICH", "EZA", "EZY", "EZZ", "DFH", "IRR", "CSQ", "DSN", "ZWE", "CWP", "IZU")
# Starts of the message ids parse_message reads (str.startswith accepts a tuple).
WANTED = ("EZD128", "EZD205", "ICH408I", "IRRD", "EZA", "EZYFT", "EZYFS", "EZZ603", "DFHSO", "FC", "FU",
          "DFHWB", "CSQX", "DSNL", "ZWE", "CWPKI", "IZUG")


NATIVE = ("DFHSO", "DFHWB", "CSQX", "DSNL", "ZWE", "CWPKI", "IZUG")
"""Message starts of the native System SSL users read by ingest/{cics,mq,db2,zowe}.py."""


def wanted(text: str) -> bool:
    """Could this message text (id first) be one parse_message reads?"""
    return text.startswith(WANTED) or "0335" in text or text[:3].isdigit()

# ----------------------------------------------------------------------------
# RACF

_PAREN = re.compile(r"\b(USER|GROUP|NAME|JOB|STEP|SUBMITTER|INTENT|ALLOWED|CL|NUMBER|SUBJECT|ISSUER)\(")
_RESOURCE = re.compile(r"(?:^|\s)(\S+)\s+CL\((\w*)\s*\)")
_FROM = re.compile(r"\bFROM\s+(\S+)")
_VIOLATIONS = ("INSUFFICIENT ACCESS AUTHORITY", "DIGITAL CERTIFICATE IS NOT DEFINED",
               "RESOURCE NOT PROTECTED", "INVALID PASSWORD", "NOT AUTHORIZED")


def _paren_values(text: str) -> dict[str, str]:
    """``KEY(value)`` pairs, with nested parentheses and blanks inside values."""
    out: dict[str, str] = {}
    for m in _PAREN.finditer(text):
        key = m.group(1)
        i = m.end()
        depth = 1
        j = i
        while j < len(text) and depth:
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
            j += 1
        out.setdefault(key, text[i:j - 1 if depth == 0 else j].strip())
    return out


def ich408i(text: str) -> tuple[dict, str]:
    body = text.replace("ICH408I", " ")
    pv = _paren_values(body)
    f: dict = {}
    for key, name in (("USER", "user"), ("GROUP", "group"), ("NAME", "name"),
                      ("JOB", "jobname"), ("STEP", "stepname"), ("INTENT", "intent"),
                      ("ALLOWED", "allowed"), ("NUMBER", "serial"), ("SUBJECT", "subject"),
                      ("ISSUER", "issuer")):
        if key in pv:
            v = pv[key]
            if name in ("user", "group", "jobname", "stepname", "intent", "allowed"):
                v = v.upper()
            if name == "serial":
                v = v.replace(":", "").lower()
            f[name] = v
    m = _RESOURCE.search(body)
    if m:
        f["resource"] = m.group(1)
        f["cls"] = m.group(2).upper()
    m = _FROM.search(body)
    if m:
        f["profile"] = m.group(1)
    up = body.upper()
    for v in _VIOLATIONS:
        if v in up:
            f["violation"] = v
            break
    return f, ERROR


def irrd(msgid: str, text: str) -> tuple[dict, str]:
    f: dict = {}
    m = re.search(r"\b(?:user|ID)\s*\(?\s*([A-Za-z0-9$#@]{1,8})\b", text[len(msgid):], re.IGNORECASE)
    if m and m.group(1).upper() not in ("HAS", "IS", "NOT"):
        f["user"] = m.group(1).upper()
    m = re.search(r"\bring(?:\s*\(\s*|\s+)([^\s()]+)", text, re.IGNORECASE)
    if m and m.group(1).lower() not in ("is", "was", "not", "for"):
        f["ring"] = m.group(1).rstrip(".,")
    m = re.search(r"label\s*\(?\s*'([^']*)'", text, re.IGNORECASE)
    if m:
        f["label"] = m.group(1)
    sev = msgid_severity(msgid)
    if msgid in ("IRRD101I", "IRRD107I", "IRRD109I"):
        sev = ERROR
    return f, sev


# ----------------------------------------------------------------------------
# FTP, TN3270, CICS

_ERRNO2 = re.compile(r"errno2\s*=\s*(?:0x)?([0-9A-Fa-f]{1,8})", re.IGNORECASE)
_FTP_FUNC = re.compile(r"^(?:F[CU]\d{4})\s+(\w+):")
_CONNECTING = re.compile(r"Connecting to:?\s+(\S+)(?:\s+(\S+))?\s+port:?\s*(\d+)", re.IGNORECASE)
_FTP_CMD = re.compile(r"^EZA1736I\s+(?:ftp|FTP)\s+(?:\(\S*\s+)?(\S+)(?:\s+(\d+))?", re.IGNORECASE)
_CTRL_WITH = re.compile(r"connection with\s+(\S+?)\.?\s+dies", re.IGNORECASE)
_NAME_PROMPT = re.compile(r"NAME\s*\(([^:)]+)")
_PROTOCOL = re.compile(r"Using\s+(TLSv?[\d.]+|SSLv?\d)\s+protocol", re.IGNORECASE)
_CIPHER = re.compile(r"cipher\S{0,40}:\s*([0-9A-Fa-f]{2,4})\b", re.IGNORECASE)
_HOSTNAME = re.compile(r"host\s*name\S*\s*[:=]?\s*'?([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})", re.IGNORECASE)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")

FTP_ERRORS = {"EZA2897I", "EZA2898I", "EZA1534I", "EZYFT96I", "EZA2896I", "EZA1555I"}

# Native TLS (TLSMECHANISM FTP): FTP's own SEC trace names System SSL's result.
# Client: "FC0441 ftpAuth: TLS init failed with rc = 201 (...)" (APAR PM01158),
# "FC1103 authServer: secure_socket_init failed with rc = 410 (...)" (IBM-MAIN),
# "FC0283 ftpAuth: no keyring" (technote swg21055396); server:
# "authClient: init failed with rc = 410 (GSK_ERR_BAD_MESSAGE)" (FTP MustGather).
# "authServerAttls" and the other "...Attls" lines are FTP using AT-TLS: not native.
_FTP_NATIVE = re.compile(r"\b(ftpAuth|authServer|authClient|secure_socket_init)\b")
_FTP_RC = re.compile(r"\b(secure_socket_init|secure_socket_open|TLS init|init)\s+failed\s+with\s+rc\s*=\s*"
                     r"(-?\d+)(?:\s*\(([^)]*)\)?)?", re.IGNORECASE)
_FTP_MECH = re.compile(r"\btlsmech=(\w+)", re.IGNORECASE)
_FTP_SESSION = re.compile(r"\bID=([A-Z0-9$#@]{1,8}?)(\d{5})\b")
_FTP_CLIENT_ADDR = re.compile(r"IPaddr=(\S+)", re.IGNORECASE)
_NO_KEYRING = re.compile(r"\bno keyring\b", re.IGNORECASE)
_FTP_SESSION_IDS = {"EZA2897I", "EZA2898I", "EZA1554I", "EZA1701I", "EZA1534I", "EZYFT96I",
                    "EZYFS50I", "EZYFS52I"}
"""Messages of a secure FTP session, native or AT-TLS: which one is decided by the
session's other lines (model/correlate_native.py)."""
_SERVER_IDS = ("EZYF", "EZY2")


def _host(f: dict, host: str) -> None:
    host = host.strip("().,")
    if _IPV4.match(host) or (":" in host and host.count(":") >= 2):
        f["remote_ip"] = host
    elif host:
        f["remote_host"] = host


def _ftp_native(msgid: str | None, text: str, f: dict) -> None:
    """Fields of FTP's own TLS (family "ftp"): the System SSL code, the step, the role."""
    m = _FTP_MECH.search(text)
    if m:
        f["tls_mech"] = m.group(1).upper()
        if f["tls_mech"] != "FTP":
            return
    if "Attls" in text:
        return
    native = _FTP_NATIVE.search(text)
    server = bool(msgid and msgid.startswith(_SERVER_IDS)) or (
        native is not None and native.group(1) == "authClient")
    if native is not None or "tls_mech" in f:
        f["family"] = "ftp"
        f["native"] = True
        m = _FTP_RC.search(text)
        if m:
            step = m.group(1).lower()
            f["rc"] = int(m.group(2))
            f["function"] = ("gsk_environment_init" if step == "tls init" else "gsk_secure_socket_init")
            if m.group(3):
                f["rc_text"] = m.group(3).strip()
        if _NO_KEYRING.search(text):
            f["no_keyring"] = True
    elif msgid in _FTP_SESSION_IDS or (msgid is None and text[:3] in ("234", "534", "431")):
        f["family"] = "ftp"
    else:
        return
    f["role"] = "server" if server else "client"
    if msgid == "EZA1554I":
        f["attempt_start"] = True
    elif msgid == "EZYFS50I":
        f["attempt_start"] = True
        m = _FTP_SESSION.search(text)
        if m:
            f["jobname"] = m.group(1).upper()
            f["session"] = m.group(1).upper() + m.group(2)
        m = _FTP_CLIENT_ADDR.search(text)
        if m:
            _host(f, m.group(1))
    elif msgid in ("EZYFS52I", "EZYFT96I"):
        m = _FTP_SESSION.search(text)
        if m:
            f["session"] = m.group(1).upper() + m.group(2)


def ftp(msgid: str | None, text: str) -> tuple[dict, str]:
    f: dict = {}
    m = _ERRNO2.search(text)
    if m:
        f["errno2"] = m.group(1).upper().zfill(8)
    m = _FTP_FUNC.match(text)
    if m:
        f["function"] = m.group(1)
    m = _CONNECTING.search(text)
    if m:
        if m.group(2):
            _host(f, m.group(1))
            _host(f, m.group(2))
        else:
            _host(f, m.group(1))
        f["remote_port"] = int(m.group(3))
    elif msgid == "EZA1736I":
        m = _FTP_CMD.match(text)
        if m:
            _host(f, m.group(1))
            if m.group(2):
                f["remote_port"] = int(m.group(2))
    m = _CTRL_WITH.search(text)
    if m:
        _host(f, m.group(1))
    if msgid == "EZA1459I":
        m = _NAME_PROMPT.search(text)
        if m:
            _host(f, m.group(1))
    m = _PROTOCOL.search(text)
    if m:
        f["protocol"] = m.group(1)
    if "cipher" in text.lower():
        m = _CIPHER.search(text)
        if m:
            f["cipher"] = m.group(1).upper()
    if msgid is None and text[:3].isdigit():
        f["reply"] = int(text[:3])
    m = _HOSTNAME.search(text)
    if m:
        f["hostname"] = m.group(1)
    _ftp_native(msgid, text, f)
    sev = INFO
    if msgid in FTP_ERRORS or "errno2" in f or "failed" in text.lower() or f.get("no_keyring"):
        sev = ERROR
    if "reply" in f and f["reply"] >= 400:
        sev = ERROR
    return f, sev


_TN_CONN = re.compile(r"\bCONN:?\s+([0-9A-Fa-f]{1,8})\b")
_TN_LU = re.compile(r"\bLU:?\s+([A-Z0-9$#@*]{1,8})\b")
_TN_RCODE = re.compile(r"\bRCODE:\s*(\S+)")
_TN_ERR = re.compile(r"\bERR\s+(\d+)")
_TN_PARM = re.compile(r"\bPARM([123]):\s*(\S+)")
_TN_ADDR = re.compile(r"\b(?:IPADDR|IP)\.\.PORT:\s*(\S+)")
_TN_JOB = re.compile(r"^EZZ603[45]I\s+([A-Z0-9$#@]{1,8})\b")
_TN_ACTION = re.compile(r"\b(ACCEPTED|NEGOTIATED|IN SESSION|SESS DROP|CONN DROP)\b")
_HEX8 = re.compile(r"^[0-9A-Fa-f]{8}$")


def hex_rc(value: str | None) -> int | None:
    """A System SSL code as TN3270 writes it in PARM1: 8 hex digits, two's
    complement for negative values (``00000191`` -> 401, ``FFFFFFEA`` -> -22)."""
    if not value or not _HEX8.match(value):
        return None
    n = int(value, 16)
    return n - (1 << 32) if n & 0x80000000 else n


def tn3270(msgid: str, text: str) -> tuple[dict, str]:
    """EZZ6034I (connection summary) and EZZ6035I (DEBUG DETAIL). With a SECUREPORT
    Telnet calls System SSL itself and EZZ6035I names it: ``RCODE: 6002-00 ...
    PARM1: 0000019C PARM2: 00000000 PARM3: GSK_SECURE_SOCKET_INIT``, PARM1 the
    System SSL code in hex (IP Messages Volume 4; technotes 6136191 and 243783)."""
    f: dict = {}
    m = _TN_JOB.match(text)
    if m and m.group(1) not in ("CONN", "DEBUG"):
        f["jobname"] = m.group(1)
    m = _TN_CONN.search(text)
    if m:
        f["conn"] = m.group(1).upper()
    m = _TN_LU.search(text)
    if m and m.group(1) not in ("MOD", "N"):
        f["lu"] = m.group(1)
    m = _TN_RCODE.search(text) or _TN_ERR.search(text)
    if m:
        f["rcode"] = m.group(1)
    for m in _TN_PARM.finditer(text):
        f[f"parm{m.group(1)}"] = m.group(2)
    m = _TN_ADDR.search(text)
    if m:
        ep = parse_endpoint(m.group(1))
        if ep:
            f["remote_ip"], f["remote_port"] = ep
    m = _TN_ACTION.search(text)
    if m:
        f["action"] = m.group(1)
    f["family"] = "tn3270"
    f["role"] = "server"
    p3 = (f.get("parm3") or "").upper()
    if p3.startswith("GSK_"):
        f["native"] = True
        f["function"] = p3.lower()
        rc = hex_rc(f.get("parm1"))
        if rc:
            f["rc"] = rc
    if f.get("action") == "ACCEPTED":
        f["attempt_start"] = True
    sev = ERROR if (" ERR " in text or "DROP ERR" in text or "RCODE" in text) else INFO
    return f, sev



def cics(msgid: str, text: str) -> tuple[dict, str]:
    """CICS sockets-domain and web messages (ingest/cics.py reads them)."""
    from tlsworkbench.ingest import cics as _cics
    return _cics.message(msgid, text)


# ----------------------------------------------------------------------------

def parse_message(msgid: str | None, text: str) -> tuple[dict, str] | None:
    """Fields and severity of a message we read; None when it is not one of ours
    (and has no CMS status code)."""
    res: tuple[dict, str] | None = None
    if msgid:
        if msgid in ATTLS_IDS:
            res = attls(msgid, text)
        elif msgid.startswith("EZD205"):
            res = ({}, WARNING)  # certificate diagnostics (V2R5): kept as a record, no fields yet
        elif msgid == "ICH408I":
            res = ich408i(text)
        elif msgid.startswith("IRRD"):
            res = irrd(msgid, text)
        elif msgid.startswith(("EZA", "EZYFT", "EZYFS")) or msgid[:2] in ("FC", "FU"):
            res = ftp(msgid, text)
        elif msgid in ("EZZ6034I", "EZZ6035I"):
            res = tn3270(msgid, text)
        elif msgid.startswith("DFHSO"):
            res = cics(msgid, text)
        elif msgid.startswith("DFHWB"):
            res = cics(msgid, text)
        elif msgid.startswith("CSQX"):
            from tlsworkbench.ingest import mq
            res = mq.message(msgid, text)
        elif msgid.startswith("DSNL"):
            from tlsworkbench.ingest import db2
            res = db2.message(msgid, text)
        elif msgid.startswith(("ZWE", "CWPKI", "IZUG")):
            from tlsworkbench.ingest import zowe
            res = zowe.message(msgid, text)
        if res is not None and msgid.startswith(NATIVE) and "family" not in res[0] and res[1] == INFO:
            res = None  # a routine CICS/MQ/Db2/Zowe message: a plain line, no connection
    cms = cms_status(text) if "0335" in text else None
    if cms:
        if res is None:
            res = ({}, msgid_severity(msgid) if msgid else INFO)
        res[0]["cms_status"] = cms
        m = _HOSTNAME.search(text)
        if m:
            res[0]["hostname"] = m.group(1)
        if res[1] == INFO:
            res = (res[0], ERROR)
    return res


