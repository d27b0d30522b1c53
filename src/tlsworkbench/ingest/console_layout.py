"""Line layouts of console logs (SDSF SYSLOG/OPERLOG, JES2 job logs, pasted
lines) and the console reader's ``sniff``; the reading is in console.py."""

from __future__ import annotations

import re

from tlsworkbench.ingest import msgfields
from tlsworkbench.ingest.common import MSGID_AT_START

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
