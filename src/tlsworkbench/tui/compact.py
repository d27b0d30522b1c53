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

# SDSF SYSLOG / OPERLOG: type, request type, routing codes, system, date, time,
# job id (may be missing), flags, then the text. An SDSF panel copy has a blank
# column in front.
_SYSLOG_FIRST = re.compile(
    r"^ ?[NMWXSOILC][A-Z ][0-9A-F]{7} ([A-Z0-9$#@]{1,8}) +(?:\d{5}|\d{7}) "
    r"(\d\d:\d\d:\d\d\.\d\d) (?:([A-Z$#@][A-Z0-9$#@]{0,7}) +)? *(?:[0-9A-F]{8} )? *(.*)$")
_SYSLOG_CONT = re.compile(r"^ ?[DE][A-Z ] +\d{1,8} [0-9A-F]{8}(?: +(.*))?$")
# JES2 job log: hh.mm.ss job id, text; continuation lines: blanks, the
# multi-line id, blanks, text.
_JOBLOG_FIRST = re.compile(r"^(\d\d)\.(\d\d)\.(\d\d) ([A-Z][A-Z0-9]{3,7}) {1,3}(.*)$")
_JOBLOG_CONT = re.compile(r"^ {1,9}\d{1,8} {2,}(\S.*)$")
# syslogd: BSD header (month day time host program[pid]:), then z/OS's own
# "hh:mm:ss STACK" in front of the message; or an RFC 5424 header.
_BSD = re.compile(r"^(?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} (\d\d:\d\d:\d\d)(?:\.\d+)? "
                  r"(\S+) ([^\s\[:]+)(?:\[\d+\])?: ?(.*)$")
_RFC5424 = re.compile(r"^<\d{1,3}>1 \S*T(\d\d:\d\d:\d\d)\S* (\S+) (\S+) \S+ \S+ "
                      r"(?:-|\[.*?\]) ?(.*)$")
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
    if any(_SYSLOG_FIRST.match(ln) for ln in sample):
        found.append(SYSLOG)
    if any(_JOBLOG_FIRST.match(ln) for ln in sample):
        found.append(JOBLOG)
    if not found and any(_BSD.match(ln) or _RFC5424.match(ln) for ln in sample):
        found.append(SYSLOGD)
    return tuple(found)


def compact(line: str, kinds: tuple[str, ...]) -> Compact:
    """The compact form of ``line`` for an artifact with layouts ``kinds``."""
    for kind in kinds:
        got = _MATCHERS[kind](line)
        if got is not None:
            return got
    return Compact(line)


def _syslog(line: str) -> Compact | None:
    m = _SYSLOG_FIRST.match(line)
    if m:
        return Compact(m.group(4), m.group(2), m.group(1), m.group(3) or "")
    m = _SYSLOG_CONT.match(line)
    if m:
        return Compact(m.group(1) or "", cont=True)
    return None


def _joblog(line: str) -> Compact | None:
    m = _JOBLOG_FIRST.match(line)
    if m:
        return Compact(m.group(5), f"{m.group(1)}:{m.group(2)}:{m.group(3)}", "", m.group(4))
    m = _JOBLOG_CONT.match(line)
    if m:
        return Compact(m.group(1), cont=True)
    return None


def _syslogd(line: str) -> Compact | None:
    m = _BSD.match(line) or _RFC5424.match(line)
    if m is None:
        return None
    time, host, prog, body = m.groups()
    job = prog if prog != "-" else ""
    z = _ZOS_BODY.match(body)
    if z:
        job, body = z.group(1), z.group(2)
    return Compact(body, time, host if host != "-" else "", job[:8])


_MATCHERS = {SYSLOG: _syslog, JOBLOG: _joblog, SYSLOGD: _syslogd}
