"""Fields of the messages the console and syslogd readers understand.

``parse_message(msgid, text)`` takes the message text (continuation lines joined
with blanks, the message id first) and returns ``(fields, severity)``, or None
for a message we do not read. Field names are those of docs/model.md.
"""

from __future__ import annotations

import re

from tlsworkbench.ingest.common import cms_status, hex8, msgid_severity, parse_endpoint

ERROR, WARNING, INFO = "error", "warning", "info"

# Messages with fields (prefix test first: cheap).
PREFIXES = ("EZD", "ICH", "EZA", "EZY", "EZZ", "DFH", "IRR")
# Starts of the message ids parse_message reads (str.startswith accepts a tuple).
WANTED = ("EZD128", "EZD205", "ICH408I", "IRRD", "EZA", "EZYFT", "EZZ603", "DFHSO", "FC", "FU")


def wanted(text: str) -> bool:
    """Could this message text (id first) be one parse_message reads?"""
    return text.startswith(WANTED) or "0335" in text or text[:3].isdigit()

# ----------------------------------------------------------------------------
# AT-TLS (EZD1281I-EZD1287I)

# Keywords of the AT-TLS messages, in the order they appear.
_KEYS = ("GRPID", "ENVID", "CONNID", "LOCAL", "REMOTE", "JOBNAME", "USERID",
         "TYPE", "STATUS", "RULE", "ACTIONS", "RC")
_KEY_RE = re.compile(r"(?<!\S)(" + "|".join(_KEYS) + r"):")
_HEXWORD = re.compile(r"^[0-9A-Fa-f]{8}$")
_TRAILING_ID = re.compile(r"\s+\d{1,8}\s*$")


def _keyed(text: str) -> dict[str, str]:
    """``KEY: value`` pairs of an AT-TLS message (values up to the next key)."""
    out: dict[str, str] = {}
    parts = _KEY_RE.split(text)
    # parts: [head, key1, val1, key2, val2, ...]
    for i in range(1, len(parts) - 1, 2):
        out.setdefault(parts[i], parts[i + 1].strip())
    out["_head"] = parts[0]
    return out


def _rc_event(value: str) -> tuple[int | None, str, str]:
    """``"  202 Environment Master Init 00000000 7EC28B98"`` -> (202, event, add_data)."""
    words = value.split()
    if not words:
        return None, "", ""
    rc = _int(words[0])
    rest = words[1:] if rc is not None else words
    event: list[str] = []
    i = 0
    while i < len(rest) and not _HEXWORD.match(rest[i]) and not rest[i][:1].isdigit():
        event.append(rest[i])
        i += 1
    return rc, " ".join(event), " ".join(rest[i:])


def _int(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text.lower().startswith("0x"):
        try:
            return int(text, 16)
        except ValueError:
            return None
    return None


def _endpoints(kv: dict, f: dict) -> None:
    for key, name in (("LOCAL", "local"), ("REMOTE", "remote")):
        ep = parse_endpoint(kv.get(key, ""))
        if ep:
            f[f"{name}_ip"], f[f"{name}_port"] = ep


def _ids(kv: dict, f: dict) -> None:
    for key in ("GRPID", "ENVID", "CONNID"):
        if key in kv:
            words = kv[key].split()
            h = hex8(words[0]) if words else None
            if h:
                f[key.lower()] = h


def _first(kv: dict, key: str) -> str | None:
    words = kv.get(key, "").split()
    return words[0] if words else None


def attls(msgid: str, text: str) -> tuple[dict, str]:
    kv = _keyed(text)
    f: dict = {}
    _ids(kv, f)
    sev = INFO
    if msgid in ("EZD1286I", "EZD1287I", "EZD1283I"):
        rc, event, add = _rc_event(kv.get("RC", ""))
        if rc is not None:
            f["rc"] = rc
        if msgid == "EZD1287I":
            add = ""  # the number after the event is the console's connect id
        f["event"] = event
        if add:
            f["add_data"] = add
        sev = ERROR if rc else INFO
    if msgid in ("EZD1286I", "EZD1287I", "EZD1281I"):
        _endpoints(kv, f)
        for key in ("JOBNAME", "USERID"):
            v = _first(kv, key)
            if v:
                f[key.lower()] = v.upper()
        rule = _first(kv, "RULE")
        if rule:
            f["rule"] = rule
    if msgid == "EZD1281I":
        for key in ("TYPE", "STATUS"):
            if key in kv:
                f[key.lower()] = kv[key]
        if "ACTIONS" in kv:
            f["actions"] = kv["ACTIONS"].split()
    elif msgid == "EZD1282I":
        # CONNID: cid <event> ACTIONS: <actions> <add_data>
        after = kv.get("CONNID", "").split()
        f["event"] = " ".join(after[1:])
        acts = kv.get("ACTIONS", "").split()
        names = [a for a in acts if not _HEXWORD.match(a)]
        data = [a for a in acts if _HEXWORD.match(a)]
        f["actions"] = names
        if data:
            f["add_data"] = " ".join(data)
    elif msgid == "EZD1284I":
        words = kv.get("RC", "").split()
        rc = _int(words[0]) if words else None
        if rc is not None:
            f["rc"] = rc
            words = words[1:]
        if words:
            f["action"] = words[0]
            rest = " ".join(words[1:])
            func, sep, value = rest.partition(" -")
            f["func"] = func.strip()
            f["value"] = value.strip() if sep else ""
        sev = ERROR if rc else INFO
    elif msgid == "EZD1285I":
        after = kv.get("CONNID", "").split()
        if len(after) >= 2:
            f["direction"] = after[1]
        if len(after) >= 3:
            f["datatype"] = after[2]
        if len(after) >= 4:
            f["hex"] = "".join(after[3:])
    return f, sev


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
_CIPHER = re.compile(r"cipher\S*:\s*([0-9A-Fa-f]{2,4})\b", re.IGNORECASE)
_HOSTNAME = re.compile(r"host\s*name\S*\s*[:=]?\s*'?([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})", re.IGNORECASE)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")

FTP_ERRORS = {"EZA2897I", "EZA1534I", "EZYFT96I", "EZA2896I", "EZA1555I"}


def _host(f: dict, host: str) -> None:
    host = host.strip("().,")
    if _IPV4.match(host) or (":" in host and host.count(":") >= 2):
        f["remote_ip"] = host
    elif host:
        f["remote_host"] = host


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
    sev = INFO
    if msgid in FTP_ERRORS or "errno2" in f or "failed" in text.lower():
        sev = ERROR
    if "reply" in f and f["reply"] >= 400:
        sev = ERROR
    return f, sev


_TN_CONN = re.compile(r"\bCONN:?\s+([0-9A-Fa-f]{1,8})\b")
_TN_LU = re.compile(r"\bLU:?\s+([A-Z0-9$#@*]{1,8})\b")
_TN_RCODE = re.compile(r"\bRCODE:\s*(\S+)")
_TN_ERR = re.compile(r"\bERR\s+(\d+)")
_TN_PARM = re.compile(r"\bPARM([123]):\s*(\S+)")
_TN_ADDR = re.compile(r"IPADDR\.\.PORT:\s*(\S+)")


def tn3270(msgid: str, text: str) -> tuple[dict, str]:
    f: dict = {}
    m = _TN_CONN.search(text)
    if m:
        f["conn"] = m.group(1).upper()
    m = _TN_LU.search(text)
    if m:
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
    sev = ERROR if (" ERR " in text or "DROP ERR" in text or "RCODE" in text) else INFO
    return f, sev


_DFH_RC = re.compile(r"Return code\s+(\d+|X'[0-9A-Fa-f]+')", re.IGNORECASE)
_DFH_FUNC = re.compile(r"function\s+'?([A-Za-z_0-9]+)'?", re.IGNORECASE)


def cics(msgid: str, text: str) -> tuple[dict, str]:
    f: dict = {}
    m = _DFH_RC.search(text)
    if m:
        v = m.group(1)
        f["rc"] = int(v[2:-1], 16) if v.upper().startswith("X'") else int(v)
    m = _DFH_FUNC.search(text)
    if m:
        f["function"] = m.group(1)
    sev = ERROR if msgid in ("DFHSO0123", "DFHSO0147", "DFHSO0149") or "rc" in f else msgid_severity(msgid)
    return f, sev


# ----------------------------------------------------------------------------

ATTLS_IDS = {"EZD1281I", "EZD1282I", "EZD1283I", "EZD1284I", "EZD1285I", "EZD1286I", "EZD1287I"}


def parse_message(msgid: str | None, text: str) -> tuple[dict, str] | None:
    """Fields and severity of a message we read; None when it is not one of ours
    (and has no CMS status code)."""
    res: tuple[dict, str] | None = None
    if msgid:
        if msgid in ATTLS_IDS:
            res = attls(msgid, text)
        elif msgid == "ICH408I":
            res = ich408i(text)
        elif msgid.startswith("IRRD"):
            res = irrd(msgid, text)
        elif msgid.startswith(("EZA", "EZYFT")) or msgid[:2] in ("FC", "FU"):
            res = ftp(msgid, text)
        elif msgid in ("EZZ6034I", "EZZ6035I"):
            res = tn3270(msgid, text)
        elif msgid.startswith("DFHSO"):
            res = cics(msgid, text)
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


# ----------------------------------------------------------------------------
# Fast path for the canonical one-line AT-TLS layouts (syslogd at trace 255
# writes millions of them). ``FAST_BODY[msgid]`` matches what follows
# ``"<msgid> TTLS <word> "``; ``fast_fields`` turns the groups into fields the
# same way ``attls`` does. Anything else (lower-case hex, odd spacing) takes
# the general path.

_H = r"([0-9A-F]{8})"
_EV = r"([A-Za-z]+(?: [A-Za-z]+)*)(?: ([0-9A-F]{8}(?: \S+)*))? *$"
FAST_BODY = {
    "EZD1284I": rf"GRPID: {_H} ENVID: {_H} CONNID: {_H} RC: +(\d+) (Call|Get|Set) (\S+) -(?: (\S*(?: \S+)*))? *$",
    "EZD1283I": rf"GRPID: {_H} ENVID: {_H} CONNID: {_H} RC: +(\d+) {_EV}",
    "EZD1286I": rf"GRPID: {_H} ENVID: {_H} CONNID: {_H} LOCAL: (\S+) REMOTE: (\S+) "
                rf"JOBNAME: ([A-Z0-9$#@]+) USERID: ([A-Z0-9$#@]+) RULE: (\S+) RC: +(\d+) {_EV}",
    "EZD1281I": rf"CONNID: {_H} LOCAL: (\S+) REMOTE: (\S+) JOBNAME: ([A-Z0-9$#@]+) USERID: ([A-Z0-9$#@]+) "
                r"TYPE: (\S+) STATUS: (\S+(?: \S+)?) RULE: (\S+) ACTIONS: (.*)$",
    "EZD1282I": rf"GRPID: {_H} ENVID: {_H} CONNID: {_H} ([A-Za-z]+(?: [A-Za-z]+)*) ACTIONS: (.*)$",
    "EZD1285I": rf"CONNID: {_H} (\S+) (\S+)(?: (\S+))? *$",
}
_K1284 = ("grpid", "envid", "connid", "rc", "action", "func", "value")


def _ep(text: str) -> tuple[str, int] | None:
    ip, sep, port = text.rpartition("..")
    if not sep or not port.isdigit() or not ip:
        return None
    if ip[:7] in ("::FFFF:", "::ffff:") and "." in ip:
        ip = ip[7:]
    elif ":" in ip:
        ip = ip.lower()
    return ip, int(port)


def fast_fields(msgid: str, g: tuple) -> tuple[dict, str] | None:
    """Fields from the groups of a ``FAST_BODY`` match (None: use ``attls``)."""
    if msgid == "EZD1284I":
        f = dict(zip(_K1284, g))
        rc = f["rc"] = int(g[3])
        if g[6] is None:
            f["value"] = ""
        return f, ERROR if rc else INFO
    if msgid == "EZD1283I":
        rc = int(g[3])
        f = {"grpid": g[0], "envid": g[1], "connid": g[2], "rc": rc, "event": g[4]}
        if g[5]:
            f["add_data"] = g[5]
        return f, ERROR if rc else INFO
    if msgid == "EZD1286I":
        loc, rem = _ep(g[3]), _ep(g[4])
        if loc is None or rem is None:
            return None
        rc = int(g[8])
        f = {"grpid": g[0], "envid": g[1], "connid": g[2], "rc": rc, "event": g[9],
             "local_ip": loc[0], "local_port": loc[1], "remote_ip": rem[0], "remote_port": rem[1],
             "jobname": g[5], "userid": g[6], "rule": g[7]}
        if g[10]:
            f["add_data"] = g[10]
        return f, ERROR if rc else INFO
    if msgid == "EZD1281I":
        loc, rem = _ep(g[1]), _ep(g[2])
        if loc is None or rem is None:
            return None
        return ({"connid": g[0], "local_ip": loc[0], "local_port": loc[1], "remote_ip": rem[0],
                 "remote_port": rem[1], "jobname": g[3], "userid": g[4], "rule": g[7],
                 "type": g[5], "status": g[6], "actions": g[8].split()}, INFO)
    if msgid == "EZD1282I":
        acts = g[4].split()
        f = {"grpid": g[0], "envid": g[1], "connid": g[2], "event": g[3],
             "actions": [a for a in acts if not _HEXWORD.match(a)]}
        data = [a for a in acts if _HEXWORD.match(a)]
        if data:
            f["add_data"] = " ".join(data)
        return f, INFO
    if msgid == "EZD1285I":
        f = {"connid": g[0], "direction": g[1], "datatype": g[2]}
        if g[3]:
            f["hex"] = g[3]
        return f, INFO
    return None


_HEXCH = "0123456789ABCDEF"


def _id8(x: str) -> bool:
    return len(x) == 8 and not x.strip(_HEXCH)


def split_fields(msgid: str, kw: list[str]) -> tuple[dict, str] | None:
    """Fields of EZD1283I/EZD1284I/EZD1285I from the words after ``TTLS <word>``
    (the most frequent trace lines; a str.split is cheaper than a regex).
    None when the words are not in the canonical layout."""
    n = len(kw)
    if msgid == "EZD1285I":
        if n < 4 or kw[0] != "CONNID:" or not _id8(kw[1]):
            return None
        f = {"connid": kw[1], "direction": kw[2], "datatype": kw[3]}
        if n > 4:
            f["hex"] = "".join(kw[4:])
        return f, INFO
    if (n < 9 or kw[0] != "GRPID:" or kw[2] != "ENVID:" or kw[4] != "CONNID:" or kw[6] != "RC:"
            or not kw[7].isdigit() or not (_id8(kw[1]) and _id8(kw[3]) and _id8(kw[5]))):
        return None
    rc = int(kw[7])
    if msgid == "EZD1284I":
        if n < 11 or kw[10] != "-" or kw[8] not in ("Call", "Get", "Set"):
            return None
        return ({"grpid": kw[1], "envid": kw[3], "connid": kw[5], "rc": rc, "action": kw[8],
                 "func": kw[9], "value": " ".join(kw[11:])}, ERROR if rc else INFO)
    if msgid == "EZD1283I":
        i = 8
        while i < n and kw[i].isalpha() and not _HEXWORD.match(kw[i]):
            i += 1
        f = {"grpid": kw[1], "envid": kw[3], "connid": kw[5], "rc": rc, "event": " ".join(kw[8:i])}
        if i < n:
            f["add_data"] = " ".join(kw[i:])
        return f, ERROR if rc else INFO
    return None
