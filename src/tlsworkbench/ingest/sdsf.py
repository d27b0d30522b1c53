"""Reader for SDSF job panels and STARTED class profiles: who a job runs as.

- SDSF DA (and ST / H / O panels): the title line (``SDSF DA MVS3 ...``) gives
  the system; the column header (``NP JOBNAME StepName ProcStep JobID Owner``
  ...) gives the columns. Rows are matched to columns by position, anchored on
  the job id (``STC16246``) so that shifted columns and empty ones (an empty
  ProcStep) still read. A ``SysName`` / ``ASys`` / ``SAff`` column gives the
  system of each row. Each row yields a ``"job"`` Record and a ``JobInfo``.
- ``RLIST STARTED profile STDATA`` output (``USER= x``, ``GROUP= y``) and the
  commands ``RDEFINE`` / ``RALTER STARTED profile STDATA(USER(x) GROUP(y))``
  (continued with ``-`` or ``+``) yield a ``"started"`` Record and a
  ``StartedProfile``.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import JobInfo, Record, StartedProfile, Unparsed

KIND = "sdsf"

_I = re.IGNORECASE
TITLE = re.compile(r"^SDSF\s+(DA|ST|H|O|I|PS)\b\s*(\S*)", _I)
TITLE_OTHER = re.compile(r"^SDSF\s+(STATUS|HELD|OUTPUT|INPUT)\b", _I)
JOBID = re.compile(r"^(STC|JOB|TSU|J|S|T)\d{4,7}$", _I)
CMD = re.compile(r"^(RDEFINE|RDEF|RALTER|RALT)\s+STARTED\s+(.*)$", _I)
RLIST = re.compile(r"^(RLIST|RL)\s+STARTED\b", _I)
TSO_CMD = re.compile(r"^(SETROPTS|SETR|PERMIT|PE|RLIST|RL|LISTUSER|LU|ADDUSER|AU|ALTUSER|ALU|"
                     r"RDEFINE|RDEF|RALTER|RALT|SEARCH|SR)\b", _I)
_SYSNAME = re.compile(r"^[A-Z@#$][A-Z0-9@#$]{0,7}$", _I)
CLASS_ROW = re.compile(r"^STARTED\s+(\S+)(?:\s+\(G\))?\s*$", _I)
STDATA_KV = re.compile(r"^(USER|GROUP|TRUSTED|PRIVILEGED|TRACE)\s*=\s*(\S*)", _I)
NOISE = re.compile(r"^(COMMAND INPUT|PREFIX=|CLASS\s+NAME|-{3,}|LEVEL\s+OWNER|\d\d\s+\S+\s+\S+|"
                   r"STDATA INFORMATION|INSTALLATION DATA|APPLICATION DATA|AUDITING|NOTIFY|"
                   r"NO (INSTALLATION|APPLICATION)|SECLEVEL|CATEGORIES|SECLABEL|CREATION DATE|"
                   r"\d{2}/\d{2}/\d{2}|YOUR ACCESS|NONE|SUCCESS|READY|END$|\*{3,})", _I)
_SYS_COLS = ("sysname", "asys", "saff")
_BULLET = re.compile(r"^\s*[\u2022\u00b7]\s?")


def sniff(head: list[str], name: str) -> int:
    score = 0
    for line in head:
        s = _clean(line)
        if TITLE.match(s) and not s.upper().startswith("SDSF SYSLOG"):
            score = max(score, 70)
        if re.match(r"^NP\s+JOBNAME\b", s, _I):
            score = max(score, 90)
        if RLIST.match(s) or CMD.match(s) or s.upper().startswith("STDATA INFORMATION"):
            score = max(score, 85)
    return score


def _clean(line: str) -> str:
    return _BULLET.sub("", line.expandtabs()).rstrip()


class _Panel:
    def __init__(self, header: str):
        self.cols: list[tuple[str, int]] = []
        for m in re.finditer(r"\S+", header):
            self.cols.append((m.group().lower(), m.start()))
        self.names = [c for c, _ in self.cols]

    def row(self, text: str) -> dict[str, str]:
        tokens = [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]
        cols = [c for c in self.cols if c[0] != "np"]
        # an NP action character in the first column is not a job name
        if tokens and self.cols and self.cols[0][0] == "np" and len(cols) > 0 and \
                tokens[0][1] < cols[0][1] - 1 and len(tokens[0][0]) <= 2 and len(tokens) > 1:
            tokens = tokens[1:]
        out: dict[str, str] = {}
        names = [c for c, _ in cols]
        jid = next((i for i, (t, _) in enumerate(tokens) if JOBID.match(t)), None)
        if jid is not None and "jobid" in names:
            j = names.index("jobid")
            out["jobid"] = tokens[jid][0]
            self._assign(tokens[:jid], cols[:j], out)
            self._assign(tokens[jid + 1:], cols[j + 1:], out)
        else:
            self._assign(tokens, cols, out)
        return out

    @staticmethod
    def _assign(tokens, cols, out) -> None:
        """Give each token the nearest column at or after the previous one (a
        token that starts inside a column's span is at distance 0)."""
        ci = 0
        for k, (tok, pos) in enumerate(tokens):
            left = len(tokens) - k  # tokens still to place, including this one
            best = None
            last = len(cols) - left + 1 if len(cols) >= left else len(cols)
            for c in range(ci, last):
                start = cols[c][1]
                nxt = cols[c + 1][1] if c + 1 < len(cols) else 10**6
                d = 0 if start <= pos < nxt else abs(start - pos)
                if best is None or d < best[0]:
                    best = (d, c)
            if best is None:
                return
            out[cols[best[1]][0]] = tok
            ci = best[1] + 1


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    """Read SDSF panels and STARTED profiles; see the module docstring."""
    system = art.system
    panel: _Panel | None = None
    prof: dict | None = None  # RLIST output in progress
    cmd: list | None = None   # (first line, [texts])

    def end_profile():
        nonlocal prof
        p, prof = prof, None
        if p and p.get("user"):
            yield from _started(art, p["line"], p["text"], p["profile"], p["user"], p.get("group"),
                                p.get("end", 0), system)

    for num, raw in lines:
        try:
            s = _clean(raw).strip()
            if cmd is not None:
                cmd[1].append(raw)
                if not _continues(raw):
                    yield from _command(art, cmd[0], cmd[1], system)
                    cmd = None
                continue
            if not s:
                continue
            m = TITLE.match(s)
            if m or TITLE_OTHER.match(s):
                if m and m.group(1).upper() == "DA" and m.group(2):
                    system = m.group(2).upper()
                panel = None
                art.records += 1
                continue
            if re.match(r"^NP\s+JOBNAME\b", s, _I) or re.match(r"^JOBNAME\s+(StepName|JobID)\b", s, _I):
                panel = _Panel(_clean(raw))
                art.records += 1
                continue
            m = CMD.match(s)
            if m:
                yield from end_profile()
                if _continues(raw):
                    cmd = (num, [raw])
                else:
                    yield from _command(art, num, [raw], system)
                continue
            if RLIST.match(s):
                yield from end_profile()
                yield Record(art.id, num, "command", raw, system=system, fields={"command": "RLIST"})
                continue
            m = CLASS_ROW.match(s)
            if m:
                yield from end_profile()
                prof = {"line": num, "text": [raw], "profile": m.group(1)}
                continue
            m = STDATA_KV.match(s)
            if m and prof is not None:
                key, value = m.group(1).lower(), m.group(2)
                if key in ("user", "group") and value:
                    prof[key] = value.upper()
                    prof["text"].append(raw)
                    prof["end"] = num
                else:
                    art.records += 1
                continue
            m = TSO_CMD.match(s)
            if m:
                yield from end_profile()
                yield Record(art.id, num, "command", raw, system=system,
                             fields={"command": m.group(1).upper()})
                continue
            if panel is not None and not NOISE.match(s):
                yield from _job(art, num, raw, panel, system)
                continue
            if NOISE.match(s) or prof is not None:
                art.records += 1
                continue
            yield Unparsed(art.id, num, raw, "not an SDSF panel line or STARTED profile")
        except Exception as exc:
            yield Unparsed(art.id, num, raw, f"could not read this line ({type(exc).__name__})")
    try:
        if cmd is not None:
            yield from _command(art, cmd[0], cmd[1], system)
        yield from end_profile()
    except Exception as exc:
        yield Unparsed(art.id, 0, "", f"could not finish the file ({type(exc).__name__})")


def _continues(text: str) -> bool:
    t = text.rstrip()
    return t.endswith("-") or t.endswith("+")


def _job(art, num: int, raw: str, panel: _Panel, system: str | None):
    cols = panel.row(_clean(raw))
    job = cols.get("jobname")
    if not job or not re.match(r"^[A-Z@#$][A-Z0-9@#$]{0,7}$", job, _I):
        yield Unparsed(art.id, num, raw, "SDSF row without a job name")
        return
    sysname = next((cols[c].upper() for c in _SYS_COLS if cols.get(c) and _SYSNAME.match(cols[c])),
                   None) or system
    owner = cols.get("owner")
    step = cols.get("stepname") or cols.get("procstep")
    fields = {"jobname": job.upper(), "owner": owner.upper() if owner else None,
              "jobid": cols.get("jobid"), "step": step}
    yield Record(art.id, num, "job", raw, system=sysname, job=job.upper(), fields=fields)
    yield JobInfo(jobname=job.upper(), owner=owner.upper() if owner else None, record=f"{art.id}:{num}",
                  system=sysname, jobid=cols.get("jobid"), step=step)


def _command(art, num: int, texts: list[str], system):
    joined = " ".join(t.rstrip().rstrip("-+") for t in texts)
    m = CMD.match(_clean(joined).strip())
    if not m:
        yield Unparsed(art.id, num, "\n".join(texts), "not an RDEFINE/RALTER STARTED command")
        return
    rest = m.group(2)
    pm = re.match(r"\s*(\([^)]*\)|'[^']*'|\S+)", rest)
    profiles = pm.group(1).strip("()'").split() if pm else []
    um = re.search(r"\bUSER\(\s*([^)\s]+)\s*\)", rest, _I)
    gm = re.search(r"\bGROUP\(\s*([^)\s]+)\s*\)", rest, _I)
    if not profiles or not um:
        yield Record(art.id, num, "command", "\n".join(texts), end_line=num + len(texts) - 1
                     if len(texts) > 1 else 0, system=system, fields={"command": m.group(1).upper()})
        return
    for i, prof in enumerate(profiles):
        yield from _started(art, num, texts, prof.strip("'"), um.group(1).upper(),
                            gm.group(1).upper() if gm else None,
                            num + len(texts) - 1 if len(texts) > 1 else 0, system, first=i == 0)


def _started(art, num, texts, profile, user, group, end, system, first=True):
    if first:
        yield Record(art.id, num, "started", "\n".join(texts), end_line=end if end != num else 0,
                     system=system, fields={"profile": profile, "user": user, "group": group})
    yield StartedProfile(profile=profile, user=user, record=f"{art.id}:{num}", group=group,
                         system=system)
