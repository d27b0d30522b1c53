"""IBM MQ for z/OS: the channel initiator's TLS messages, and the queue manager's
TLS settings (SSLKEYR and the channels' TLS attributes).

Messages (read through ``msgfields.parse_message``; layouts in docs/formats.md,
section "MQ for z/OS"):

* ``CSQX620E cpf csect System SSL error, channel name, connection conname (ip)
  function 'gsk_...' RC=rc``: the System SSL function and its return code.
* ``CSQX599E cpf csect Channel name ended abnormally`` and the other CSQX6nn
  channel messages (CSQX630E-CSQX645E: TLS required, cipher specs, certificates,
  peer names): ``channel``, ``conname``, the queue manager from the command prefix.

Configuration (this module's reader, kind ``mq``): ``DISPLAY QMGR`` output
(``QMNAME(..) ... SSLKEYR(..)``), ``ALTER QMGR SSLKEYR(..)`` commands (CSQINP2
members), ``DEFINE``/``DISPLAY CHANNEL`` with ``CONNAME``, ``SSLCIPH``,
``CERTLABL``, ``SSLCAUTH``. One ``AppConfig`` for the queue manager (its channel
initiator ``<qmgr>CHIN`` owns the ring); channels are kept in its settings.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import Artifact, Record, Unparsed
from tlsworkbench.model.entities import AppConfig

KIND = "mq"
FAMILY = "mq"
ERROR, WARNING, INFO = "error", "warning", "info"

# -- messages ----------------------------------------------------------------------
_HEAD = re.compile(r"^(CSQ[A-Z]\d{3}[A-Z])\s+([-+!.?%&*@$#=]?)([A-Z0-9$#@]{1,7})\s+(CSQ[A-Z0-9]{1,5})?\s*")
_CHANNEL = re.compile(r"\bchannel\s+'?([A-Za-z0-9._%/?*-]+?)'?(?=[,\s]|$)", re.IGNORECASE)
_CONN = re.compile(r"\bconnection\s+([^\s(,]*)\s*(?:\(\s*([0-9A-Fa-f:.]+)\s*\))?", re.IGNORECASE)
_FUNC = re.compile(r"function\s+'?([A-Za-z_][A-Za-z_0-9]*)'?", re.IGNORECASE)
_RC = re.compile(r"\bRC=\s*(X'[0-9A-Fa-f]+'|[0-9A-Fa-f]{8}|-?\d+)")
_CONNAME_PORT = re.compile(r"^(.*)\((\d{1,5})\)$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")

FAILURES = {"CSQX620E", "CSQX599E", "CSQX630E", "CSQX631E", "CSQX633E", "CSQX634E", "CSQX635E",
            "CSQX636E", "CSQX637E", "CSQX638E", "CSQX639E", "CSQX640E", "CSQX641E", "CSQX642E",
            "CSQX644E", "CSQX645E", "CSQX646E"}


def _code(text: str) -> int | None:
    try:
        if text[:2].upper() == "X'":
            return int(text[2:].rstrip("'"), 16)
        if len(text) == 8 and not text.lstrip("-").isdigit():
            v = int(text, 16)
            return v - (1 << 32) if v & 0x80000000 else v
        return int(text)
    except ValueError:
        return None


def message(msgid: str, text: str) -> tuple[dict, str]:
    """Fields and severity of a CSQXnnn message (text joined, id first)."""
    f: dict = {"family": FAMILY}
    m = _HEAD.match(text)
    if m:
        if len(m.group(3)) <= 4:  # a queue manager name has at most 4 characters
            f["qmgr"] = m.group(3).upper()
        if m.group(2):  # the command prefix (CPF) the queue manager writes before its name
            f["cpf"] = m.group(2) + m.group(3).upper()
        if m.group(4):
            f["csect"] = m.group(4)
    m = _CHANNEL.search(text)
    if m and m.group(1).lower() not in ("initiator", "name", "is", "for"):
        f["channel"] = m.group(1)
    m = _CONN.search(text)
    if m and (m.group(1) or m.group(2)):
        conname = m.group(1)
        if conname:
            f["conname"] = conname
            mp = _CONNAME_PORT.match(conname)
            if mp:
                host, port = mp.group(1), int(mp.group(2))
                f["remote_port"] = port
                f["remote_ip" if _IPV4.match(host) else "remote_host"] = host
            elif _IPV4.match(conname):
                f["remote_ip"] = conname
            elif conname and not conname.startswith("?"):
                f["remote_host"] = conname
        if m.group(2):
            f["remote_ip"] = m.group(2)
    m = _FUNC.search(text)
    if m:
        f["function"] = m.group(1)
    m = _RC.search(text)
    if m and msgid == "CSQX620E":
        rc = _code(m.group(1))
        if rc is not None:
            f["rc"] = rc
    if f.get("qmgr"):
        f["jobname"] = f["qmgr"] + "CHIN"
    sev = ERROR if msgid in FAILURES or "rc" in f else {"E": ERROR, "W": WARNING}.get(msgid[-1:], INFO)
    if sev == INFO and "rc" not in f:
        f.pop("family", None)  # not a TLS failure: no connection of its own
    return f, sev


# -- configuration -----------------------------------------------------------------
_QMGR_ATTRS = ("QMNAME", "SSLKEYR", "SSLTASKS", "SSLCRLNL", "SSLRKEYC", "SSLFIPS", "CERTLABL", "CERTQSGL")
_CHL_ATTRS = ("CHLTYPE", "CONNAME", "SSLCIPH", "SSLCAUTH", "SSLPEER", "CERTLABL", "TRPTYPE", "XMITQ")
_CMD = re.compile(r"^\s*(?:[-+!.?%&*@$#=]?[A-Z0-9$#@]{1,4}\s+)?(ALTER|DISPLAY|DIS|DEFINE|DEF)\s+(QMGR|CHANNEL|CHL)\b",
                  re.IGNORECASE)
_MSG = re.compile(r"^\s*CSQM4\d\dI\s+([-+!.?%&*@$#=]?[A-Z0-9$#@]{1,4})\b")
_CPF = re.compile(r"^\s*(?:CSQ[A-Z0-9]{4,5}\s+)?([-+!.?%&*@$#=][A-Z0-9$#@]{1,4})\s")
_QM_FROM = re.compile(r"\bQMNAME\(\s*([A-Z0-9$#@._]{1,48})\s*\)", re.IGNORECASE)
_CHAN_NAME = re.compile(r"\bCHANNEL\(\s*('?)([^()']+)\1\s*\)", re.IGNORECASE)


def _attrs(body: str) -> dict[str, str]:
    """``KEY(value)`` pairs, values with nested parentheses (``CONNAME(host(1414))``)."""
    out: dict[str, str] = {}
    for m in re.finditer(r"\b([A-Z]+)\(", body, re.IGNORECASE):
        i = j = m.end()
        depth = 1
        while j < len(body) and depth:
            depth += {"(": 1, ")": -1}.get(body[j], 0)
            j += 1
        value = body[i:j - 1 if depth == 0 else j].strip().strip("'").strip()
        out.setdefault(m.group(1).upper(), value)
    return out


def sniff(head: list[str], name: str) -> int:
    score = 0
    for line in head:  # lines that start with the command, display or attribute, not a log's prefix
        u = line.strip().upper()
        if u.startswith("SSLKEYR(") or (_CMD.match(line) or _MSG.match(line)) and "SSLKEYR(" in u:
            score += 60
        elif _CMD.match(line) or _MSG.match(line):
            score += 20
        elif u.startswith(("SSLCIPH(", "CONNAME(")):
            score += 20
    return min(score, 88) if score >= 40 else 0


def read(lines: Iterable[tuple[int, str]], art: Artifact) -> Iterator:
    qmgr: str | None = None
    settings: dict = {}
    where: dict = {}
    channels: dict = {}
    block: list | None = None  # [kind, first line, texts, last line]

    def close() -> Iterator:
        nonlocal block, qmgr
        if block is None:
            return
        kind, first, texts, last = block
        block = None
        body = " ".join(t.strip().rstrip("-+").strip() for t in texts)
        rid = f"{art.id}:{first}"
        attrs = _attrs(body)
        if kind == "QMGR":
            for key in _QMGR_ATTRS:
                if key in attrs:
                    settings[key] = attrs[key]
                    where[key] = rid
            qmgr = qmgr or attrs.get("QMNAME")
            keyword = "SSLKEYR" if "SSLKEYR" in attrs else "QMGR"
            value = attrs.get("SSLKEYR", attrs.get("QMNAME", ""))
        else:
            mc = _CHAN_NAME.search(body)
            name = mc.group(2).strip() if mc else "?"
            if len(attrs) >= 2:
                channels[name] = {k: attrs[k] for k in _CHL_ATTRS if k in attrs}
                where[f"CHANNEL {name}"] = rid
            keyword, value = "CHANNEL", name
        if keyword == "QMGR" and not value or keyword == "CHANNEL" and len(attrs) < 2:
            art.records += len(texts)  # a command echo: no settings in it
            return
        rec = Record(artifact=art.id, line=first, kind="appconfig", text="\n".join(texts),
                     end_line=last if last != first else 0, system=art.system, severity=INFO,
                     fields={"family": FAMILY, "keyword": keyword, "value": value})
        yield rec

    for n, text in lines:
        try:
            s = text.rstrip()
            cm = _CMD.match(s)
            mm = _MSG.match(s)
            if mm and block is not None and block[0] == "QMGR" and mm.group(0).strip().startswith("CSQM409I") \
                    and "QMNAME(" not in s.upper():
                # the queue manager display with each attribute as its own CSQM409I line (a
                # SYSLOG copy): the same display, one more attribute
                block[2].append(s[mm.end():])
                block[3] = n
                continue
            if cm or mm:
                mc = _CPF.match(s)
                if mc and "CPF" not in settings:
                    settings["CPF"] = mc.group(1)
                yield from close()
                if mm:
                    qmgr = qmgr or None
                    kind = "QMGR" if "QMNAME(" in s.upper() else ("CHANNEL" if "CHANNEL(" in s.upper() else None)
                    if kind is None and s.lstrip().startswith("CSQM409I") and "(" in s:
                        kind = "QMGR"  # CSQM409I is the queue manager display
                else:
                    kind = "QMGR" if cm.group(2).upper() == "QMGR" else "CHANNEL"
                if kind is None:
                    art.records += 1
                    continue
                block = [kind, n, [s], n]
                continue
            if block is not None and s.strip() and ("(" in s or s.strip().endswith(("-", "+"))):
                block[2].append(s)
                block[3] = n
                continue
            yield from close()
            art.records += 1
        except Exception as exc:  # never raise on input
            yield Unparsed(art.id, n, text, f"MQ configuration line not read: {exc}")
    yield from close()
    if settings or channels:
        qm = (qmgr or settings.get("QMNAME") or "").upper() or None
        all_settings = dict(settings)
        if channels:
            all_settings["CHANNELS"] = channels
        first = next(iter(where.values()), None) or f"{art.id}:1"
        yield AppConfig(family=FAMILY, record=first, system=art.system, job=f"{qm}CHIN" if qm else None,
                        role=None, keyring=settings.get("SSLKEYR") or None, settings=all_settings,
                        lines=dict(where))
