"""z/OSMF, Zowe, Liberty and other Java users of RACF key rings: their log lines
about the ring (R_datalib / IRRSDL00 codes, the JCERACFKS private-key message),
and their keyring settings (``safkeyring://owner/ring``).

Log lines (layouts in docs/formats.md, section "z/OSMF, Zowe, Liberty"):

* Zowe: ``2026-12-05 10:15:03.413 <ZWED:16779301> ZWESVUSR WARN (...) ZWED0148E -
  Exception thrown when reading SAF keyring, e= ... R_datalib call failed:
  function code: 01, SAF rc: 8, RACF rc: 8, RACF rsn: 44``; ``ZWES1060W Failed
  to init TLS environment, rc=N(text)``; ``ZWED0149E`` (ring reference missing).
* Java (API ML, keytool, Liberty): ``java.io.IOException: R_datalib (IRRSDL00)
  error: <text> (8, 8, 44)``; ``The private key of <label> is not available or
  no authority to access the private key``.
* Liberty / z/OSMF: ``[date time zone] thread class E CWPKI0033E: The keystore
  located at safkeyring://... did not load ...``.

Settings (same reader): zowe.yaml ``zowe.certificate.keystore.file`` /
``truststore.file`` / ``alias`` / ``type``, and Liberty ``server.xml``
``<keyStore location="safkeyring://owner/ring" type="JCERACFKS" .../>``. One
``AppConfig`` per file with the keystore ring.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterable, Iterator

from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.model.entities import AppConfig

KIND = "zowe"
FAMILY = "zowe"
ERROR, WARNING, INFO = "error", "warning", "info"

_ZOWE_LINE = re.compile(r"^\s*(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.\d+)?\s+<(ZWE\w*):?\d*>\s+"
                        r"([A-Z0-9$#@]{1,8})\s+(\w+)\s+(?:\([^)]*\)\s+)?(.*)$")
_LIBERTY = re.compile(r"^\s*\[(\d{1,2})/(\d{1,2})/(\d{2,4}),?\s+(\d{1,2}):(\d\d):(\d\d)[:.]\d+\s*\w*\]\s+"
                      r"[0-9A-Fa-f]+\s+\S+\s+([A-Z])\s+(.*)$")
_MSGID = re.compile(r"\b((?:ZWE[A-Z]{1,2}|CWPKI|CWWK[A-Z]|IZUG)\d{3,5}[A-Z])\b")
_RDATALIB = re.compile(r"SAF rc:\s*(\d+),\s*RACF rc:\s*(\d+),\s*RACF rsn:\s*(\d+)", re.IGNORECASE)
_RDATALIB_JAVA = re.compile(r"R_datalib\s*\(IRRSDL(?:00|64)\)\s*error:\s*([^(]*?)\s*\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)",
                            re.IGNORECASE)
_FUNC_CODE = re.compile(r"function code:\s*(\d+)", re.IGNORECASE)
_PRIVKEY = re.compile(r"private key of\s+(.+?)\s+is not available", re.IGNORECASE)
_RING = re.compile(r"safkeyring(?:jce|jcecca|jcehybrid|hybrid|hw)?:/{1,4}(?:([^/\s&\"']{1,64})/)?([^/\s&\"',]{1,237})",
                   re.IGNORECASE)
"""``safkeyring://owner/ring`` and the Java 11 forms (``safkeyringjce://``, ``safkeyringjcecca://``,
``safkeyringjcehybrid://``; Liberty also writes ``safkeyringhybrid:/ring`` with one slash)."""
_GSK_RC = re.compile(r"\brc=\s*(-?\d+)\s*\(([^)]*)\)")
_RING_REF = re.compile(r'keyringName\s+"([^"]*)"', re.IGNORECASE)

FUNCTIONS = {"01": "DataGetFirst", "02": "DataGetNext", "03": "DataAbortQuery", "04": "CheckStatus",
             "05": "GetUpdateCode", "06": "NewRing", "07": "DataPut", "08": "DataRemove", "09": "DelRing"}


def message(msgid: str | None, text: str) -> tuple[dict, str]:
    """Fields and severity of a Zowe / Liberty / Java key ring line."""
    f: dict = {"family": FAMILY}
    m = _RDATALIB.search(text)
    if m:
        f["saf_rc"], f["racf_rc"], f["racf_rsn"] = (int(g) for g in m.groups())
    m = _RDATALIB_JAVA.search(text)
    if m:
        f["saf_rc"], f["racf_rc"], f["racf_rsn"] = int(m.group(2)), int(m.group(3)), int(m.group(4))
        f["reason"] = m.group(1)
    if "saf_rc" in f:
        f["function"] = "R_datalib"
        mf = _FUNC_CODE.search(text)
        code = mf.group(1).zfill(2) if mf else "01"
        f["datalib_function"] = FUNCTIONS.get(code, code)
        f["rdatalib"] = f"{f['saf_rc']}/{f['racf_rc']}/{f['racf_rsn']}"
    m = _PRIVKEY.search(text)
    if m:
        f["label"] = m.group(1).strip("'\"")
        f["private_key"] = "not available"
    ring = ring_of(text)
    if ring:
        f["ring"] = ring
    else:
        m = _RING_REF.search(text)
        if m and "/" in m.group(1):
            owner, _, ring = m.group(1).partition("/")
            f["ring"] = f"{owner.upper()}/{ring}"
    if msgid == "ZWES1060W":
        m = _GSK_RC.search(text)
        if m:
            f["rc"] = int(m.group(1))
            f["function"] = "gsk_environment_init"
    sev = INFO
    if msgid and msgid[-1:] == "E" or "saf_rc" in f and f["saf_rc"] or "private_key" in f:
        sev = ERROR
    elif msgid and msgid[-1:] == "W":
        sev = WARNING
    if not ({"saf_rc", "private_key", "rc", "ring"} & f.keys()):
        f.pop("family", None)  # names no ring and no code: no connection of its own
    return f, sev


def wanted(text: str) -> bool:
    return bool(_MSGID.search(text) or "R_datalib" in text or "private key of" in text)


# -- the reader ----------------------------------------------------------------------
_YAML = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:\s*(.*?)\s*$")
_XML_KS = re.compile(r"<keyStore\b([^>]*)>", re.IGNORECASE)
_XML_SSL = re.compile(r"<ssl\b([^>]*)>", re.IGNORECASE)
_TAGS = ("<keyStore", "<ssl ")
_XML_ATTR = re.compile(r'(?<!\w)(\w{1,64})\s{0,8}=\s{0,8}"([^"]{0,4096})"')
_YAML_KEYS = {"certificate.keystore.file": "KEYSTORE", "certificate.keystore.type": "KEYSTORE_TYPE",
              "certificate.keystore.alias": "KEYSTORE_ALIAS", "certificate.truststore.file": "TRUSTSTORE",
              "certificate.truststore.type": "TRUSTSTORE_TYPE", "job.name": "JOBNAME",
              "keyring.name": "KEYRING_NAME", "keyring.owner": "KEYRING_OWNER",
              "externalDomains": "EXTERNAL_DOMAINS"}


def sniff(head: list[str], name: str) -> int:
    score = 0
    for line in head:
        if _ZOWE_LINE.match(line) or "safkeyring:" in line.lower() or "R_datalib" in line:
            score += 30
        elif "<keyStore" in line or "JCERACFKS" in line or _LIBERTY.match(line) and "CWPKI" in line:
            score += 30
    return min(score, 92) if score >= 30 else 0


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    settings: dict = {}
    where: dict = {}
    path: list[tuple[int, str]] = []
    held: list[str] = []  # an XML tag continued on the next lines
    start = 0
    for n, text in lines:
        try:
            tag = next((t for t in _TAGS if text.lstrip().startswith(t)), None)
            if held or (tag and ">" not in text.split(tag, 1)[1]):
                held.append(text.strip())
                start = start or n
                if ">" not in (text.split(tag, 1)[-1] if tag else text) and len(held) < 12:
                    continue
                text, held, n0 = " ".join(held), [], start
                start = 0
                item = _line(n0, text, art, settings, where, path)
                art.records += n - n0
            else:
                item = _line(n, text, art, settings, where, path)
            if item is None:
                art.records += 1
            else:
                yield item
        except Exception as exc:  # never raise on input
            yield Unparsed(art.id, n, text, f"line not read: {exc}")
    yield from _config(art, settings, where)


def _line(n: int, text: str, art: Artifact, settings: dict, where: dict, path: list) -> Record | None:
    m = _ZOWE_LINE.match(text)
    lm = _LIBERTY.match(text) if m is None else None
    if m or lm or wanted(text) and not text.lstrip().startswith(("<", "#")) and ":" not in text[:1]:
        body = m.group(6) if m else (lm.group(8) if lm else text.strip())
        mid = _MSGID.search(body)
        msgid = mid.group(1) if mid else None
        if msgid is None and not ("R_datalib" in body or "private key of" in body):
            return None
        fields, sev = message(msgid, body)
        t = None
        if m:
            t = _time(f"{m.group(1)} {m.group(2)}")
            fields["userid"] = m.group(4)
            fields["component"] = m.group(3)
            if m.group(5).upper() in ("ERROR", "SEVERE") and sev == INFO:
                sev = ERROR
        elif lm:
            t = _liberty_time(lm)
        return Record(artifact=art.id, line=n, kind="message", text=text.rstrip(), msgid=msgid,
                      system=art.system, time=t, job=settings.get("JOBNAME"), severity=sev, fields=fields)
    sm = _XML_SSL.search(text)
    if sm:
        alias = dict(_XML_ATTR.findall(sm.group(1))).get("serverKeyAlias", "")
        if alias:
            settings.setdefault("KEYSTORE_ALIAS", alias)
            where.setdefault("KEYSTORE_ALIAS", f"{art.id}:{n}")
            return _rec(art, n, text, "KEYSTORE_ALIAS", alias)
        return None
    km = _XML_KS.search(text)
    if km:
        attrs = dict(_XML_ATTR.findall(km.group(1)))
        loc = attrs.get("location", "")
        if loc:
            key = "KEYSTORE" if "KEYSTORE" not in settings else f"KEYSTORE_{attrs.get('id', n)}"
            settings[key] = loc
            where[key] = f"{art.id}:{n}"
            if attrs.get("type"):
                settings.setdefault("KEYSTORE_TYPE", attrs["type"])
            return _rec(art, n, text, key, loc)
        return None
    ym = _YAML.match(text)
    if ym and not text.lstrip().startswith("#"):
        indent, key, value = len(ym.group(1)), ym.group(3), ym.group(4).split(" #")[0].strip().strip("'\"")
        while path and path[-1][0] >= indent:
            path.pop()
        path.append((indent, key))
        dotted = ".".join(k for _, k in path)
        for suffix, name in _YAML_KEYS.items():
            if dotted.endswith(suffix) and value:
                settings[name] = value
                where[name] = f"{art.id}:{n}"
                return _rec(art, n, text, name, value)
    return None


def _rec(art: Artifact, n: int, text: str, keyword: str, value: str) -> Record:
    return Record(artifact=art.id, line=n, kind="appconfig", text=text.rstrip(), system=art.system,
                  severity=INFO, fields={"family": FAMILY, "keyword": keyword, "value": value})


def ring_of(value: str) -> str | None:
    """``safkeyring://ZWESVUSR/ZoweKeyring`` -> ``ZWESVUSR/ZoweKeyring``; None when not a ring."""
    m = _RING.search(value or "")
    if not m:
        return None
    return f"{m.group(1).upper()}/{m.group(2)}" if m.group(1) else m.group(2)


def _config(art: Artifact, settings: dict, where: dict) -> Iterator:
    ks = settings.get("KEYSTORE") or next((v for k, v in settings.items() if k.startswith("KEYSTORE_")
                                           and "safkeyring" in str(v).lower()), None)
    if not ks and not settings.get("KEYRING_NAME"):
        return
    ring = ring_of(ks or "")
    if ring is None and settings.get("KEYRING_NAME"):
        owner = settings.get("KEYRING_OWNER", "")
        ring = f"{owner.upper()}/{settings['KEYRING_NAME']}" if owner else settings["KEYRING_NAME"]
    rid = where.get("KEYSTORE") or where.get("KEYRING_NAME") or next(iter(where.values()))
    yield AppConfig(family=FAMILY, record=rid, system=art.system, job=settings.get("JOBNAME"),
                    role="server", keyring=ring or ks, settings=dict(settings), lines=dict(where))


def _time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _liberty_time(m: re.Match) -> datetime | None:
    try:
        mon, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        return datetime(year, mon, day, int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None
