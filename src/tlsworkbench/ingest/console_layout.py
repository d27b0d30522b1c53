"""Line layouts of console logs (SDSF SYSLOG/OPERLOG, JES2 job logs, pasted
lines) and the console reader's ``sniff``; the reading is in console.py.

``job_owner``: the user a started task runs under, as its job log or the SYSLOG names
it (``IEF695I START proc WITH JOBNAME job IS ASSIGNED TO USER user, GROUP group``; MVS
System Messages, IEF695I: the user comes from the task's STARTED profile or
ICHRIN03). The reader turns it into an ``IEF695I`` record and a ``JobInfo``, what an
SDSF DA line gives, so a native server's user (a CICS region, an MQ channel
initiator) and a ring it names without an owner resolve without an SDSF file."""

from __future__ import annotations

import re

from tlsworkbench.ingest import msgfields
from tlsworkbench.ingest.common import MSGID_AT_START
from tlsworkbench.model import Record
from tlsworkbench.model.entities import JobInfo

# -- layouts ----------------------------------------------------------------------
SYSLOG_FIRST = re.compile(
    r"^([NMWXSOILC])([A-Z ])([0-9A-F]{7}) ([A-Z0-9$#@]{1,8}) +(\d{5}|\d{7}) "
    r"(\d\d:\d\d:\d\d\.\d\d) (?:([A-Z0-9$#@]{1,8}) +)? *(?:([0-9A-F]{8}) )? *(.*)$")
SYSLOG_CONT = re.compile(r"^([DE])([A-Z ]) +(\d{1,8}) ([0-9A-F]{8})(?: +(.*))?$")
JOBLOG_FIRST = re.compile(r"^(\d\d)\.(\d\d)\.(\d\d) ([A-Z][A-Z0-9]{3,7}) {1,3}(.*)$")
JOBLOG_CONT = re.compile(r"^ {1,9}(\d{1,8}) {2,}(\S.*)$")
JOBLOG_DATE = re.compile(r"----\s+\w+,\s+(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{4})\s+----")
JES2_HEADER = re.compile(r"J\s*E\s*S\s*2\s+J\s*O\s*B\s+L\s*O\s*G\s*-+\s*S\s*Y\s*S\s*T\s*E\s*M\s+((?:\S\s?){1,8}?)\s+-")
BULLET = re.compile(r"^\s*(?:[•·▪◦‣*\-]|\.|\d{1,2}[.)])\s+")
AT_SYSTEM = re.compile(r"^AT\s+([A-Z0-9$#@]{1,8})\s*(?:\([^)]*\))?\s*:\s*", re.IGNORECASE)
FTP_TRACE = re.compile(r"^(F[CU]\d{4})\s")
REPLY = re.compile(r"^(\d{3})[ -]\S")
STARTED = re.compile(r"^(?:\$HASP373\s+([A-Z0-9$#@]{1,8})\s+STARTED|IEF403I\s+([A-Z0-9$#@]{1,8})\s+-\s+STARTED"
                     r"|IEF695I\s+START\s+\S+\s+WITH JOBNAME\s+([A-Z0-9$#@]{1,8}))")

# Keywords that start the continuation lines of the messages we join in bare text.
EZD_CONT = re.compile(r"^(?:LOCAL|REMOTE|JOBNAME|USERID|GRPID|ENVID|CONNID|RULE|RC|ACTIONS|TYPE|STATUS):")
ICH_CONT = re.compile(
    r"^(?:\S+\s+CL\(|INSUFFICIENT ACCESS|ACCESS INTENT|FROM\s|DIGITAL CERTIFICATE|CERTIFICATE SERIAL|"
    r"SERIAL NUMBER|SUBJECT\(|ISSUER\(|RESOURCE NOT|JOB\(|STEP\()")
# Print and panel headers kept as plain lines in a SYSLOG.
HEADER = re.compile(
    r"^\s*(?:SDSF\b|COMMAND INPUT|\*{5,}|-{5,}|={5,}|PREFIX=|DISPLAY\s|RESPONSE=|NP\s|LOG\s|"
    r"J E S 2|JES2 JOB|PAGE\s+\d|\d+\s*$|IEE\d{3}I|Display Filter|TOP OF DATA|BOTTOM OF DATA)",
    re.IGNORECASE)

# Message text starts that may need reading: ours, and the job start messages
# that name a job id.
FAST_WANTED = msgfields.WANTED + ("$HASP373", "IEF403I", "IEF695I")


# -- sniff --------------------------------------------------------------------------
def sniff(head: list[str], name: str) -> int:
    lines = [ln for ln in head if ln.strip()]
    if not lines:
        return 0
    syslog = joblog = msgs = 0
    for ln in lines:
        if ln[:1] == " " and ln[1:2] != " ":
            ln = ln[1:]  # the blank column in front of an SDSF panel copy
        if SYSLOG_FIRST.match(ln) or SYSLOG_CONT.match(ln):
            syslog += 1
        elif JOBLOG_FIRST.match(ln) or JES2_HEADER.search(ln):
            joblog += 1
        else:
            t = _strip_prefix(ln)[0]
            if MSGID_AT_START.match(t) or FTP_TRACE.match(t):
                msgs += 1
    n = len(lines)
    if syslog * 2 >= n and syslog >= 1:
        return 90
    if joblog * 3 >= n and joblog >= 2:
        return 80
    if syslog + joblog + msgs == 0:
        return 0
    return 5 + min(15, (15 * (syslog + joblog + msgs)) // n)


def _strip_prefix(text: str) -> tuple[str, str | None]:
    """A pasted line without its bullet and ``AT SYS (ROLE):`` prefix; the system."""
    m = BULLET.match(text)
    if m:
        text = text[m.end():]
    system = None
    m = AT_SYSTEM.match(text)
    if m:
        system = m.group(1).upper()
        text = text[m.end():]
    return text.strip(), system


def _msgid_of(text: str) -> str | None:
    t = text.lstrip(" *@+")
    m = MSGID_AT_START.match(t)
    if m:
        return m.group(1)
    m = FTP_TRACE.match(t)
    if m:
        return m.group(1)
    return None


def _interesting(text: str) -> bool:
    return msgfields.wanted(text.lstrip(" *@+"))


def continues(o, text: str, body: str) -> bool:
    """Is the bare line ``text`` (message text ``body``) a continuation line of the open
    message ``o`` (a ``console._Msg``)?"""
    n = len(o.lines)
    if o.msgid in ("EZD1287I", "EZD1286I"):
        return bool(EZD_CONT.match(body)) and n < 8
    if o.msgid == "ICH408I":
        return bool(ICH_CONT.match(body)) and n < 8
    if o.msgid and o.msgid[:2] in ("FC", "FU") or o.msgid is None:
        # a trace line wrapped by the terminal: "reset. (errno2=0x74520442)"
        return n == 1 and "errno2" in body and _msgid_of(body) is None
    if text[:1] in " \t" and _msgid_of(body) is None and n < 8:
        return o.msgid is not None and o.msgid[:3] in ("EZZ", "DFH", "IRR", "CSQ", "DSN")
    return False


# -- the user a started task runs under ------------------------------------------------
ASSIGNED = re.compile(r"^IEF695I\s+START\s+(\S{1,8})\s+WITH\s+JOBNAME\s+([A-Z0-9$#@]{1,8})\s+IS\s+ASSIGNED\s+"
                      r"TO\s+USER\s+([A-Z0-9$#@]{1,8})(?:\s*,\s*GROUP\s+([A-Z0-9$#@]{1,8}))?")


def job_owner(art_id: str, n: int, body: str, line: str, system: str | None,
              jobid: str | None) -> tuple[Record, JobInfo] | None:
    """(record, job owner) of an IEF695I line ``body`` (the message text) at line ``n``;
    None for any other line."""
    if not n or not body.startswith("IEF695I"):
        return None
    m = ASSIGNED.match(body)
    if m is None:
        return None
    job, user, group = m.group(2), m.group(3), m.group(4)
    fields = {"jobname": job, "user": user, "proc": m.group(1).upper()}
    if group:
        fields["group"] = group
    if jobid:
        fields["jobid"] = jobid
    rec = Record(artifact=art_id, line=n, kind="message", text=(line or body).rstrip(), msgid="IEF695I",
                 system=system, time=None, job=job, severity="info", fields=fields)
    return rec, JobInfo(jobname=job, owner=user, record=f"{art_id}:{n}", system=system, jobid=jobid)
