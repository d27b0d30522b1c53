"""The report as Markdown (for a ticket, a mail or a wiki).

All text from the artifacts is untrusted: inline text has Markdown and HTML
specials escaped, control characters made visible; evidence lines and commands
go into fenced blocks whose fence is longer than any backtick run inside.
"""

from __future__ import annotations

import re

from tlsworkbench.ingest.common import printable as engine_printable
from tlsworkbench.model.ladder import ladder_lines
from tlsworkbench.words import counted

from .build import Report

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LEAD = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)](?:\s|$)))")


def printable(text) -> str:
    """Untrusted text with control characters made visible; line ends kept."""
    text = "" if text is None else str(text)
    return "\n".join(engine_printable(line) for line in text.split("\n"))


def inline(text) -> str:
    """Untrusted text for a Markdown paragraph, table cell or heading."""
    t = printable(text).replace("\n", " ")
    t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    t = _SPECIAL.sub(r"\\\1", t)
    return _LEAD.sub(lambda m: m.group(1) + "\\" + m.group(2), t)


def block(lines: list[str], lang: str = "") -> list[str]:
    body = [printable(x) for x in lines]
    longest = max((len(m) for x in body for m in re.findall(r"`+|~+", x)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + lang] + body + [fence]


def render(rep: Report) -> str:
    out: list[str] = []
    w = out.append
    w(f"# {inline(rep.title)}")
    w("")
    w(f"Created {inline(rep.created)} by tlsworkbench. "
      f"{counted(rep.connections, 'connection')}, {rep.failing} failing, {counted(len(rep.findings), 'finding')}.")
    if rep.redacted:
        w("")
        w("**Redacted:** addresses, host names, user ids, job names, rings, labels, DN values and "
          "serials are stand-ins. The sender keeps the map to the real values.")
    w("")
    w("## Summary")
    w("")
    if rep.findings:
        w("| # | Severity | Cause | Finding | RC | Confidence |")
        w("|---|---|---|---|---|---|")
        for f in rep.findings:
            w(f"| {inline(f.id)} | {inline(f.severity)} | {inline(f.cause)} | {inline(f.title)} | "
              f"{inline(', '.join(str(r) for r in f.rcs))} | {f.confidence:.0%} |")
    else:
        w("No failures found.")
    for f in rep.findings:
        w("")
        w(f"## {inline(f.id)}: {inline(f.title)}")
        w("")
        w(f"*Cause* `{_code(f.cause)}`, *severity* {inline(f.severity)}, "
          f"*confidence* {f.confidence:.0%}.")
        w("")
        w(inline(f.explanation))
        if f.rc_meanings:
            w("")
            for m in f.rc_meanings:
                w(f"- {inline(m)}")
        if f.evidence:
            w("")
            w("### Evidence")
            for ev in f.evidence:
                w("")
                w(f"{inline(ev.artifact)}" + (f" line {ev.line}" if ev.line else "") + ":")
                w("")
                out.extend(block(ev.text.split("\n")))
        if f.commands:
            w("")
            w("### Fix")
            for purpose, text in f.commands:
                w("")
                if purpose:
                    w(inline(purpose))
                    w("")
                out.extend(block(text.split("\n")))
        if f.verify:
            w("")
            w("### Check")
            w("")
            out.extend(block([line for t in f.verify for line in t.split("\n")]))
        if f.next_steps:
            w("")
            w("### Next steps")
            w("")
            for s in f.next_steps:
                w(f"- {inline(s)}")
    if rep.user_notes:
        w("")
        w("## Notes")
        w("")
        for n in rep.user_notes:
            w(f"- {inline(n.artifact)}" + (f" line {n.line}" if n.line else "") +
              f": {inline(n.text)}")
    if rep.ladders:
        w("")
        w("## Handshake ladders")
        for lad in rep.ladders:
            w("")
            w(f"### {inline(lad.title)}")
            w("")
            out.extend(block(ladder_lines(lad)))
    if rep.certs:
        w("")
        w("## Certificates")
        w("")
        w("| Label | Owner | Subject | Issuer | Serial | Valid from | Valid to | Key | SAN |")
        w("|---|---|---|---|---|---|---|---|---|")
        for c in rep.certs:
            w("| " + " | ".join(inline(x) for x in (
                c["label"] or "", c["owner"] or "", c["subject"] or "", c["issuer"] or "",
                c["serial"] or "", c["not_before"] or "", c["not_after"] or "", c["key"] or "",
                ", ".join(c["san"]))) + " |")
    w("")
    w("## Artifacts")
    w("")
    w("| Name | Kind | Encoding | Size | SHA-256 |")
    w("|---|---|---|---|---|")
    for a in rep.artifacts:
        w(f"| {inline(a['name'])} | {inline(a['kind'])} | {inline(a['encoding'])} | {a['size']} | "
          f"`{_code(a['sha256'])}` |")
    w("")
    for a in rep.artifacts:  # keys cut out on reading (ingest/privatekeys.py) are said here
        if "Private key removed" in (a["note"] or ""):
            w(f"- {inline(a['name'])}: private key removed (never kept)")
    w("")
    return "\n".join(out)


def _code(text) -> str:
    return printable(text).replace("`", "'").replace("\n", " ")
