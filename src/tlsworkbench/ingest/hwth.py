"""z/OS Client Web Enablement Toolkit (HTTP enabler, HWTH services): the output
of a program whose HWTHCONN / HWTHRQST failed on TLS, and the TLS options it set.

The toolkit returns a return code (``HWTH_COMMUNICATION_ERROR`` ...) and fills a
diagnostic area with ``ServiceNum``, ``ReasonCode`` and ``ReasonDesc``; when the
failing service is System SSL the reason code is the System SSL return code.
Programs print these in their own words; the reader takes the usual shapes
(docs/formats.md, section "HWTH"):

* a failure line naming the service and the return code:
  ``hwthconn failed: rc=262 (X'106') HWTH_COMMUNICATION_ERROR`` or
  ``*ERROR* (hwthconn) ...`` followed by ``... rc: 106`` (hex, as IBM's REXX
  samples print it with D2X);
* the diagnostic area: ``ServiceNum: ..``, ``ReasonCode: ..``, ``ReasonDesc: ..``
  (with or without a ``DiagArea.`` / ``HWTH_`` prefix);
* the options set: ``HWTH_OPT_SSLKEY``, ``HWTH_OPT_SSLKEYTYPE``, ``HWTH_OPT_URI``,
  ``HWTH_OPT_PORT``, ``HWTH_OPT_SSLVERSION`` with their values, or REXX
  assignments such as ``sslKeyring = 'WEBCLNT/WebRing'``.

One ``Record`` (kind ``message``, ``family`` hwth) per failure, with ``hwth_rc``,
``diag`` (the reason code), ``rc`` (the System SSL code when the failing service
is System SSL), the endpoint from the options; one ``AppConfig`` with the ring.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterable, Iterator

from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.model.entities import AppConfig, JobInfo

KIND = "hwth"
FAMILY = "hwth"
ERROR, INFO = "error", "info"

_SERVICE = re.compile(r"\b(hwth(?:init|set|conn|rqst|disc|term|reset|slst))\b", re.IGNORECASE)
_FAIL = re.compile(r"\*ERROR\*|\bfail(?:ed|ure)?\b|\berror\b", re.IGNORECASE)
_RC = re.compile(r"\b(?:toolkit_rc|return\s*code|retcode|rc)\s*[:=]\s*(X'[0-9A-Fa-f]+'|0x[0-9A-Fa-f]+|[0-9A-Fa-f]+)"
                 r"(?:\s*\(\s*(?:X'|0x)([0-9A-Fa-f]+)'?\s*\))?", re.IGNORECASE)
_RC_NAME = re.compile(r"\b(HWTH_[A-Z_]+?(?:ERROR|INV|INVALID|NOT_ACTIVE|UNEXPECTED_ERROR|WARNING|OK))\b")
_DIAG = re.compile(r"(?<![\w.])[\w.]{0,40}?(ServiceNum|ReasonCode|ReasonDesc)\s{0,8}[:=]\s{0,8}(.{0,500})$",
                   re.IGNORECASE)
"""Bounded runs (the value is stripped by the caller): linear on hostile 64 KB lines."""
_OPT = re.compile(r"\b(HWTH_OPT_(?:SSLKEY|SSLKEYTYPE|URI|PORT|SSLVERSION|USE_SSL|SSLCIPHERSPECS|SSLKEYSTASHFILE))\b"
                  r"[\s:=,\"']+([^\s\"',]+)", re.IGNORECASE)
_ASSIGN = re.compile(r"^\s*(sslKeyring|safKeyRing|KeyRing|uri|port)\s*=\s*['\"]?([^'\";\s]+)", re.IGNORECASE)
_JCL = re.compile(r"^//([A-Z0-9$#@]{1,8})\s+JOB\b", re.IGNORECASE)
_STARTED = re.compile(r"\$HASP373\s+([A-Z0-9$#@]{1,8})\s+STARTED")
_JES_SYSTEM = re.compile(r"J\s*E\s*S\s*2\s+J\s*O\s*B\s+L\s*O\s*G\s*-+\s*S\s*Y\s*S\s*T\s*E\s*M\s+((?:\S\s?){1,8}?)\s+-")
_JES_DATE = re.compile(r"----\s+\w+,\s+(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{4})\s+----")
_IRR010I = re.compile(r"IRR010I\s+USERID\s+([A-Z0-9$#@]{1,8})\s+IS ASSIGNED")
_CLOCK = re.compile(r"\btime:?\s*(\d\d):(\d\d):(\d\d)\b", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                       "oct", "nov", "dec"), 1)}
_GSK = re.compile(r"gsk|ssl|tls|handshake|certificate|key ?ring", re.IGNORECASE)
# Names the toolkit's diagnostic area uses for a System SSL failure [U: the exact
# ServiceNum values are not confirmed; any text naming gsk/SSL/TLS counts].
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def sniff(head: list[str], name: str) -> int:
    score = 0
    for line in head:
        u = line.upper()
        if "HWTH_OPT_" in u or "HWTHCONN" in u or "HWTHRQST" in u or "HWTH_" in u and "REASON" in u:
            score += 25
        elif "SERVICENUM" in u or "REASONDESC" in u:
            score += 15
    return min(score, 90) if score >= 40 else 0


def _int(text: str, hexed: bool) -> int | None:
    t = text.strip().rstrip("'")
    try:
        if t[:2].upper() in ("X'", "0X"):
            return int(t[2:], 16)
        return int(t, 16) if hexed else int(t)
    except ValueError:
        return None


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    opts: dict = {}
    where: dict = {}
    job: str | None = None
    system: str | None = art.system
    day: date | None = None
    block: dict | None = None

    def close() -> Iterator:
        nonlocal block
        if block is None:
            return
        b, block = block, None
        yield _failure(art, b, opts, job, system, day)

    for n, text in lines:
        try:
            s = text.rstrip()
            mj = _JCL.match(s) or _STARTED.search(s)
            if mj:
                job = job or mj.group(1).upper()
            mu = _IRR010I.search(s)
            if mu and job:
                yield JobInfo(jobname=job, owner=mu.group(1).upper(), record=f"{art.id}:{n}",
                              system=system)
                continue
            mh = _JES_SYSTEM.search(s)
            if mh:
                system = mh.group(1).replace(" ", "")
            md = _JES_DATE.search(s)
            if md and md.group(2).lower() in _MONTHS:
                day = date(int(md.group(3)), _MONTHS[md.group(2).lower()], int(md.group(1)))
            first_opt = None
            for mo in _OPT.finditer(s):
                key = mo.group(1).upper()[9:]
                if key == "SSLKEY" and mo.group(2).upper().startswith("HWTH_"):
                    continue
                opts[key] = mo.group(2)
                where[f"HWTH_OPT_{key}"] = f"{art.id}:{n}"
                first_opt = first_opt or (key, mo.group(2))
            if first_opt and block is None:
                yield _setting(art, n, s, *first_opt)
                continue
            ma = _ASSIGN.match(s)
            if ma and block is None:
                key = {"sslkeyring": "SSLKEY", "safkeyring": "SSLKEY", "keyring": "SSLKEY"}.get(
                    ma.group(1).lower(), ma.group(1).upper())
                opts.setdefault(key, ma.group(2))
                where.setdefault(f"HWTH_OPT_{key}", f"{art.id}:{n}")
                yield _setting(art, n, s, key, ma.group(2))
                continue
            ms = _SERVICE.search(s)
            if ms and _FAIL.search(s) and not _OPT.search(s) and ("*ERROR*" in s or _RC.search(s)):
                yield from close()
                block = {"line": n, "end": n, "texts": [s], "service": ms.group(1).lower()}
                _absorb(block, s)
                continue
            if block is not None and s.strip() and (n - block["end"] <= 2) and (
                    _DIAG.search(s) or _RC.search(s) or _RC_NAME.search(s)):
                block["texts"].append(s)
                block["end"] = n
                _absorb(block, s)
                continue
            yield from close()
            if not (_OPT.search(s) or ma):
                art.records += 1
        except Exception as exc:  # never raise on input
            yield Unparsed(art.id, n, text, f"line not read: {exc}")
    yield from close()
    if opts.get("SSLKEY") or opts.get("URI"):
        first = where.get("HWTH_OPT_SSLKEY") or next(iter(where.values()))
        port = opts.get("PORT", "")
        yield AppConfig(family=FAMILY, record=first, system=system, job=job, role="client",
                        keyring=opts.get("SSLKEY"), port=int(port) if port.isdigit() else None,
                        settings={f"HWTH_OPT_{k}": v for k, v in opts.items()}, lines=dict(where))


def _absorb(block: dict, s: str) -> None:
    md = _DIAG.search(s)
    if md:
        block[md.group(1).lower()] = md.group(2).strip()
        return
    mn = _RC_NAME.search(s)
    if mn:
        block["rc_name"] = mn.group(1)
    mr = _RC.search(s)
    if mr and "hwth_rc" not in block:
        hexed = "toolkit_rc" in s.lower() or "d2x" in s.lower()
        if mr.group(2):
            block["hwth_rc"] = int(mr.group(2), 16)
        else:
            v = _int(mr.group(1), hexed)
            if v is not None:
                block["hwth_rc"] = v


def _failure(art: Artifact, b: dict, opts: dict, job: str | None, system: str | None,
             day: date | None) -> Record:
    f: dict = {"family": FAMILY, "function": b["service"].upper()}
    if "hwth_rc" in b:
        f["hwth_rc"] = b["hwth_rc"]
    if "rc_name" in b:
        f["hwth_rc_name"] = b["rc_name"]
    reason = b.get("reasoncode")
    if reason:
        m = re.match(r"(X'[0-9A-Fa-f]+'|0x[0-9A-Fa-f]+|-?\d+)", reason.strip())
        v = _int(m.group(1), False) if m else None
        if v is not None:
            f["diag"] = v
    if b.get("reasondesc"):
        f["reason"] = b["reasondesc"]
    if b.get("servicenum"):
        f["service"] = b["servicenum"]
    gsk_text = " ".join(str(b.get(k, "")) for k in ("servicenum", "reasondesc"))
    if "diag" in f and _GSK.search(gsk_text):
        f["rc"] = f["diag"]
        m = re.search(r"(gsk_\w+)", gsk_text)
        if m:
            f["function"] = m.group(1)
    uri = opts.get("URI", "")
    host = re.sub(r"^https?://", "", uri, flags=re.IGNORECASE).strip("[]/")
    if host:
        f["remote_ip" if _IPV4.match(host) else "remote_host"] = host
    if opts.get("PORT", "").isdigit():
        f["remote_port"] = int(opts["PORT"])
    if opts.get("SSLKEY"):
        f["ring"] = opts["SSLKEY"]
    if job:
        f["jobname"] = job
    text = "\n".join(b["texts"])
    t = None
    mc = _CLOCK.search(text)
    if mc and day is not None and int(mc.group(1)) < 24 and int(mc.group(2)) < 60 and int(mc.group(3)) < 60:
        t = datetime(day.year, day.month, day.day, int(mc.group(1)), int(mc.group(2)), int(mc.group(3)))
    return Record(artifact=art.id, line=b["line"], kind="message", text=text,
                  end_line=b["end"] if b["end"] != b["line"] else 0, msgid=None, system=system,
                  time=t, job=job, severity=ERROR, fields=f)


def _setting(art: Artifact, n: int, text: str, key: str, value: str) -> Record:
    return Record(artifact=art.id, line=n, kind="appconfig", text=text, system=art.system, severity=INFO,
                  fields={"family": FAMILY, "keyword": f"HWTH_OPT_{key}", "value": value})
