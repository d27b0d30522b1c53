"""Compact console lines: the message text without the column prefix of its
layout (SDSF SYSLOG/OPERLOG, JES2 job log, syslogd), plus what the prefix said
(time, system, job) for the console's own columns. Plain Python.

A line is matched only against the layouts its artifact uses (found once from
the artifact's first lines), with one compiled expression per layout. A line
that fits none is shown raw: nothing is ever dropped but the prefix columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tlsworkbench.ingest.console_layout import JOBLOG_CONT, JOBLOG_FIRST, SYSLOG_CONT, SYSLOG_FIRST
from tlsworkbench.ingest.syslogd import BSD, RFC5424

# The layouts are the readers' own (one table: ingest/console_layout.py for SDSF
# SYSLOG/OPERLOG and JES2 job logs, ingest/syslogd.py for syslogd headers). An
# SDSF panel copy has a blank column in front of a SYSLOG line.
# z/OS's own "hh:mm:ss STACK" in front of a syslogd message
_ZOS_BODY = re.compile(r"^\d\d:\d\d:\d\d +([A-Z0-9$#@]{1,8}) +(\S.*)$")

SYSLOG, JOBLOG, SYSLOGD = "syslog", "joblog", "syslogd"


@dataclass(frozen=True, slots=True)
class Compact:
    """One line as the compact view shows it."""

    text: str
    """The message text (from the message id on), or the raw line."""
    time: str = ""
    """hh:mm:ss[.hh] from the prefix ("" when the line has none)."""
    system: str = ""
    job: str = ""
    cont: bool = False
    """A continuation line of a multi-line message (shown indented)."""


def layouts(sample: list[str], kind: str = "") -> tuple[str, ...]:
    """The layouts an artifact uses, from its first lines."""
    if kind.startswith("syslogd"):
        return (SYSLOGD,)
    found = []
    if any(SYSLOG_FIRST.match(_unpad(ln)) for ln in sample):
        found.append(SYSLOG)
    if any(JOBLOG_FIRST.match(ln) for ln in sample):
        found.append(JOBLOG)
    if not found and any(BSD.match(ln) or RFC5424.match(ln) for ln in sample):
        found.append(SYSLOGD)
    return tuple(found)


def compact(line: str, kinds: tuple[str, ...]) -> Compact:
    """The compact form of ``line`` for an artifact with layouts ``kinds``."""
    for kind in kinds:
        got = _MATCHERS[kind](line)
        if got is not None:
            return got
    return Compact(line)


def _unpad(line: str) -> str:
    return line[1:] if line[:1] == " " else line


def _syslog(line: str) -> Compact | None:
    line = _unpad(line)
    m = SYSLOG_FIRST.match(line)
    if m:
        return Compact(m.group(9), m.group(6), m.group(4), m.group(7) or "")
    m = SYSLOG_CONT.match(line)
    if m:
        return Compact(m.group(5) or "", cont=True)
    return None


def _joblog(line: str) -> Compact | None:
    m = JOBLOG_FIRST.match(line)
    if m:
        return Compact(m.group(5), f"{m.group(1)}:{m.group(2)}:{m.group(3)}", "", m.group(4))
    m = JOBLOG_CONT.match(line)
    if m:
        return Compact(m.group(2), cont=True)
    return None


def _syslogd(line: str) -> Compact | None:
    m = BSD.match(line)
    if m is not None:
        time, host, prog, body = m.group(3), m.group(4), m.group(5), m.group(7)
    else:
        m = RFC5424.match(line)
        if m is None:
            return None
        stamp, host, prog, body = m.group(1), m.group(2), m.group(3), m.group(7)
        t = stamp.find("T")
        time = stamp[t + 1:t + 9] if t >= 0 else ""
    job = prog if prog != "-" else ""
    z = _ZOS_BODY.match(body)
    if z:
        job, body = z.group(1), z.group(2)
    return Compact(body, time, host if host != "-" else "", job[:8])


_MATCHERS = {SYSLOG: _syslog, JOBLOG: _joblog, SYSLOGD: _syslogd}
