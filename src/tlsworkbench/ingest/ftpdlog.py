"""Reader for the FTP server's syslogd output: the daemon's and its sessions'
messages (EZYFS50I ``ID=FTPD100001 CONN starts Client IPaddr=...``, EZYFT96I
``TLS handshake failed``) and, with ``DEBUG SEC``, its trace lines
(``ftpd[pid]: XX1234 authClient: init failed with rc = 202 (...)``), which name
System SSL's result when the server uses ``TLSMECHANISM FTP``.

Everything the syslogd reader reads is read by it (this module hands it the
whole file); the trace lines it leaves plain are read here. Each session's
records get the session id of its EZYFS5nI lines (the daemon's job name and a
number: the job name is the FTP server's) and that job name.

Sources: IP Configuration Reference, "FTPLOGGING (FTP server) statement" and
the EZYFS messages (IP Messages Volume 4); FTP trace layout from the FTP
MustGather (IBM technote 358595) and IBM-MAIN posts.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.ingest import msgfields, syslogd
from tlsworkbench.model import Record, Unparsed

KIND = "ftpdlog"

TRACE = re.compile(r"^([A-Z]{2}\d{4})\s+(\w+):\s?")


def _ftpd(m) -> bool:
    return m is not None and m.group(5).lower().startswith("ftpd")


def sniff(head: list[str], name: str) -> int:
    lines = [ln for ln in head if ln.strip()]
    if not lines:
        return 0
    ftpd = sum(1 for ln in lines if _ftpd(syslogd.BSD.match(ln)))
    if any("EZD128" in ln for ln in lines):
        return 0  # an AT-TLS syslogd file: the syslogd reader's
    if ftpd * 2 >= len(lines):
        return 90
    if ftpd >= 3:
        return 50
    return 0


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    lines = list(lines)
    base = list(syslogd.read(iter(lines), art))
    done = {it.line for it in base if isinstance(it, (Record, Unparsed))}
    extra: list = []
    pid_of: dict[int, str | None] = {}
    for n, text in lines:
        if type(text) is not str:
            continue
        m = syslogd.BSD.match(text)
        if not _ftpd(m):
            continue
        pid_of[n] = m.group(6)
        if n in done:
            continue
        body = m.group(7).strip()
        t = TRACE.match(body)
        if t is None:
            continue
        try:
            fields, sev = msgfields.ftp(t.group(1), body)
        except Exception as exc:
            extra.append(Unparsed(art.id, n, text, f"trace line not read: {exc}"))
            continue
        if not fields.get("family"):
            continue  # a trace line with nothing of TLS in it stays plain
        fields["year_known"] = False
        extra.append(Record(artifact=art.id, line=n, kind="message", text=text.rstrip(),
                            msgid=t.group(1), system=m.group(4) or art.system,
                            time=syslogd._bsd_time(m.group(1), m.group(2), m.group(3)),
                            job=None, severity=sev, fields=fields))
    items = sorted(base + extra, key=lambda it: it.line)
    _sessions(items, pid_of)
    yield from items


def _sessions(items: list, pid_of: dict) -> None:
    """Session id and job name for the records of the FTP server: from each
    pid's EZYFS5nI lines; the daemon's EZYFS50I opens the session of the next
    trace lines of a pid that names none."""
    session_of_pid: dict[str, tuple] = {}
    for it in items:
        if isinstance(it, Record) and it.fields.get("session"):
            pid = pid_of.get(it.line)
            if pid and pid not in session_of_pid:
                session_of_pid[pid] = (it.fields["session"], it.fields.get("jobname")
                                       or it.fields["session"][:-5])
    current = None
    for it in items:
        if not isinstance(it, Record) or it.line not in pid_of:
            continue
        f = it.fields
        if f.get("session"):
            current = (f["session"], f.get("jobname") or f["session"][:-5])
        got = session_of_pid.get(pid_of[it.line]) or current
        if f.get("family") == "ftp":
            f.setdefault("role", "server")
            f["pid"] = pid_of[it.line]
        if got is not None:
            f.setdefault("session", got[0])
            f.setdefault("jobname", got[1])
            it.job = got[1]
        elif it.job and it.job.lower().startswith("ftpd"):
            it.job = None  # the syslogd tag, not a job name
