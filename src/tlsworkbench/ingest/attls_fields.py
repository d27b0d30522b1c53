"""Fields of the AT-TLS messages EZD1281I-EZD1287I.

``attls(msgid, text)`` reads any layout (continuation lines joined with blanks,
values up to the next keyword). The fast path (``FAST_BODY`` + ``fast_fields``,
``split_fields``) reads the canonical one-line layouts that syslogd at trace
255 writes by the million, and must give the same fields.
"""

from __future__ import annotations

import re

from tlsworkbench.ingest.common import hex8, parse_endpoint

ERROR, INFO = "error", "info"

ATTLS_IDS = {"EZD1281I", "EZD1282I", "EZD1283I", "EZD1284I", "EZD1285I", "EZD1286I", "EZD1287I"}

# ----------------------------------------------------------------------------
# AT-TLS (EZD1281I-EZD1287I)

# Keywords of the AT-TLS messages, in the order they appear.
_KEYS = ("GRPID", "ENVID", "CONNID", "LOCAL", "REMOTE", "JOBNAME", "USERID",
         "TYPE", "STATUS", "RULE", "ACTIONS", "RC")
_KEY_RE = re.compile(r"(?<!\S)(" + "|".join(_KEYS) + r"):")
_HEXWORD = re.compile(r"^[0-9A-Fa-f]{8}$")


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
            if f["hex"][:2] == "15":
                f.update(alert_fields(f["hex"]))
    return f, sev


def alert_fields(hexdata: str) -> dict:
    """The TLS alert in the data of an EZD1285I line: a record of content type 21
    (``15``), version, length 2, then level (1 warning, 2 fatal) and description
    (RFC 5246 section 7.2, RFC 8446 section 6). ``15030200020228`` is a fatal
    handshake_failure (40). An alert sent after the keys are in use is encrypted
    (length more than 2): only ``alert_encrypted`` is said then. {} when the data
    is not an alert record."""
    h = "".join(hexdata.split()).upper()
    if len(h) < 10 or h[:2] != "15" or h.strip(_HEXCH):
        return {}
    version, length = int(h[2:6], 16), int(h[6:10], 16)
    if version >> 8 != 3:
        return {}
    if length != 2:
        return {"alert_encrypted": True}
    if len(h) < 14:
        return {}
    from tlsworkbench.tls.names import ALERT_DESCRIPTIONS, ALERT_LEVELS

    level, desc = int(h[10:12], 16), int(h[12:14], 16)
    return {"alert_level": ALERT_LEVELS.get(level, f"level {level}"), "alert": desc,
            "alert_name": ALERT_DESCRIPTIONS.get(desc, f"alert {desc}")}



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
            if g[3][:2] == "15":
                f.update(alert_fields(g[3]))
        return f, INFO
    return None


_HEXCH = "0123456789ABCDEF"


def _id8(x: str) -> bool:
    return len(x) == 8 and not x.strip(_HEXCH)


def _keep(value: str, _default: str) -> str:
    return value


def split_fields(msgid: str, kw: list[str], cache: dict | None = None) -> tuple[dict, str] | None:
    """Fields of EZD1283I/EZD1284I/EZD1285I from the words after ``TTLS <word>``
    (the most frequent trace lines; a str.split is cheaper than a regex).
    None when the words are not in the canonical layout. With ``cache`` (a dict
    the caller keeps), repeated values are stored once: a trace repeats the
    same ids, functions and values on thousands of lines."""
    s = cache.setdefault if cache is not None else _keep
    n = len(kw)
    if msgid == "EZD1285I":
        if n < 4 or kw[0] != "CONNID:" or not _id8(kw[1]):
            return None
        f = {"connid": s(kw[1], kw[1]), "direction": s(kw[2], kw[2]), "datatype": s(kw[3], kw[3])}
        if n > 4:
            f["hex"] = "".join(kw[4:])
            if kw[4][:2] == "15":
                f.update(alert_fields(f["hex"]))
        return f, INFO
    if n < 9 or kw[0] != "GRPID:" or kw[2] != "ENVID:" or kw[4] != "CONNID:" or kw[6] != "RC:" \
            or not kw[7].isdigit():
        return None
    ids = kw[1] + kw[3] + kw[5]
    if len(ids) != 24 or ids.strip(_HEXCH):
        return None
    rc = int(kw[7])
    if msgid == "EZD1284I":
        if n < 11 or kw[10] != "-" or kw[8] not in ("Call", "Get", "Set"):
            return None
        value = " ".join(kw[11:])
        return ({"grpid": s(kw[1], kw[1]), "envid": s(kw[3], kw[3]), "connid": s(kw[5], kw[5]), "rc": rc,
                 "action": s(kw[8], kw[8]), "func": s(kw[9], kw[9]), "value": s(value, value)},
                ERROR if rc else INFO)
    if msgid == "EZD1283I":
        i = 8
        while i < n and kw[i].isalpha() and not _HEXWORD.match(kw[i]):
            i += 1
        event = " ".join(kw[8:i])
        f = {"grpid": s(kw[1], kw[1]), "envid": s(kw[3], kw[3]), "connid": s(kw[5], kw[5]), "rc": rc,
             "event": s(event, event)}
        if i < n:
            f["add_data"] = " ".join(kw[i:])
        return f, ERROR if rc else INFO
    return None
