"""The console filter: what ``f`` reads (``sys:MVS3 job:FTPT1 rc:435 ...``).

``rc:`` takes a code as the return-code pane does: decimal (``435``), hex with
a letter in it (``1B3``) or written as hex (``0x1B3``, ``X'1B3'``). Several
``rc:`` terms are a union (``rc:428 rc:435``: lines with either code); a term
that is not a code is an error the console shows (never a silent empty view).
``job:`` names a job (a prefix): it keeps every line of that job's connections
and every line that carries that job name itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tlsworkbench.reference.codes import parse_code

_KEYS = ("sys", "system", "job", "rule", "rc", "connid", "sev", "severity")
_SEVERITIES = ("info", "warning", "error")
_BARE_HEX = re.compile(r"[0-9A-Fa-f]{1,8}")

HELP = ("sys:MVS3  job:NAME (every line of that job's connections)  rule:TEXT  "
        "rc:435 / rc:1B3 / rc:X'1B3' (several rc: terms: any of them)  connid:7CC  "
        "sev:error  other words: text")


def codes_of(value: str) -> set[int] | None:
    """The codes ``value`` can mean, or None when it is not a code. Bare hex
    needs a digit in it (``1AC``), so that a word (``abc``) is not a code."""
    v = value.strip()
    if _BARE_HEX.fullmatch(v) and not any(c.isdigit() for c in v):
        return None
    got = {n for n, _how in parse_code(v)}
    return got or None


@dataclass
class Filter:
    """What the console shows; empty fields match everything."""

    system: str = ""
    job: str = ""
    rule: str = ""
    rcs: frozenset = frozenset()
    """Return codes: a line passes with any of them."""
    connid: str = ""
    severity: str = ""
    text: str = ""
    errors: list[str] = field(default_factory=list)
    """Terms that could not be read (shown to the user; the filter is not applied)."""

    @property
    def rc(self) -> int | None:
        """The one return code asked for (None: none or several)."""
        return next(iter(self.rcs)) if len(self.rcs) == 1 else None

    @classmethod
    def parse(cls, query: str) -> "Filter":
        """``sys:MVS3 job:FTPT1 rule:FTP rc:6 connid:7CC sev:error free words``."""
        f = cls()
        words = []
        rcs: set[int] = set()
        for tok in query.split():
            key, sep, value = tok.partition(":")
            key = key.lower()
            if not (sep and value and key in _KEYS):
                words.append(tok)
            elif key in ("sys", "system"):
                f.system = value.upper()
            elif key == "job":
                f.job = value.upper()
            elif key == "rule":
                f.rule = value
            elif key == "rc":
                got = codes_of(value)
                if got is None:
                    f.errors.append(f"rc:{value} is not a return code (decimal 435, hex 1B3, "
                                    f"0x1B3 or X'1B3')")
                else:
                    rcs |= got
            elif key == "connid":
                f.connid = value.upper().lstrip("0")
            else:
                f.severity = value.lower()
                if f.severity not in _SEVERITIES:
                    f.errors.append(f"sev:{value} is not a severity ({', '.join(_SEVERITIES)})")
        f.rcs = frozenset(rcs)
        f.text = " ".join(words)
        return f

    @property
    def routine_out(self) -> bool:
        """No routine AT-TLS line (RC 0 or none, severity info) can pass."""
        return bool((self.rcs and 0 not in self.rcs)
                    or (self.severity and self.severity != "info"))

    @property
    def empty(self) -> bool:
        return not (self.system or self.job or self.rule or self.rcs or self.connid
                    or self.severity or self.text)


def hint(session) -> str:
    """The filter field's placeholder: the keys, with an example from the
    session's own connections (a failing one first) so it never names a system
    or job the session does not have."""
    from tlsworkbench.model.rowquery import head

    conns = head(getattr(session, "connections", None) or [], 5000)  # not every row
    conns.sort(key=lambda c: not getattr(c, "rcs", None))
    example = []
    for c in conns:
        job = str(getattr(c, "job", None) or "")
        if job.isalnum() and not example:  # a name from a file: only a plain one
            example.append(f"job:{job}")
            rcs = [r for r in (getattr(c, "rcs", None) or []) if isinstance(r, int) and r]
            if rcs:
                example.append(f"rc:{rcs[0]}")
    sample = f" (e.g. {' '.join(example)})" if example else ""
    return "type to filter by sys: job: rule: rc: connid: sev: or words" + sample
