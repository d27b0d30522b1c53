"""The report as one self-contained HTML file: inline CSS (with print rules),
no scripts, no external links or fonts. Every piece of text is escaped."""

from __future__ import annotations

from html import escape

from .build import Report
from tlsworkbench.model.ladder import ladder_lines
from tlsworkbench.words import counted

from .markdown import printable

CSS = """
:root { --fg:#1b1b1b; --muted:#5a5a5a; --line:#c9c9c9; --err:#a40000; --warn:#8a5a00; --ok:#1d6b2f;
        --code:#f4f4f4; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; border-bottom: 2px solid var(--fg); padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta, .muted { color: var(--muted); }
.banner { border: 1px solid var(--warn); padding: .5rem .8rem; background: #fff8e6; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: .25rem .4rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #ececec; }
pre { background: var(--code); border: 1px solid var(--line); padding: .5rem .7rem; overflow-x: auto;
      font: 12px/1.35 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
      white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.sev-error { color: var(--err); font-weight: 600; }
.sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--ok); }
section.finding { border-left: 4px solid var(--line); padding-left: .8rem; margin: 1.2rem 0; }
section.finding.error { border-left-color: var(--err); }
section.finding.warning { border-left-color: var(--warn); }
.ev-src { font-size: 12px; color: var(--muted); margin: .4rem 0 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; color: #000; }
  h2 { page-break-after: avoid; break-after: avoid; }
  section.finding, pre, table, tr { page-break-inside: avoid; break-inside: avoid; }
  pre { white-space: pre-wrap; border-color: #999; background: #fff; }
  .banner { background: #fff; }
  a { color: #000; text-decoration: none; }
}
"""


def e(text) -> str:
    return escape(printable(text), quote=True)


def _pre(lines: list[str]) -> str:
    return "<pre>" + "\n".join(e(x) for x in lines) + "</pre>"


def render(rep: Report) -> str:
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html>")
    w('<html lang="en"><head><meta charset="utf-8">')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
    w(f"<title>{e(rep.title)}</title><style>{CSS}</style></head><body>")
    w(f"<h1>{e(rep.title)}</h1>")
    w(f'<p class="meta">Created {e(rep.created)} by tlsworkbench. {counted(rep.connections, "connection")}, '
      f"{rep.failing} failing, {counted(len(rep.findings), 'finding')}.</p>")
    if rep.redacted:
        w('<p class="banner"><strong>Redacted:</strong> addresses, host names, user ids, job names, '
          "rings, labels, DN values and serials are stand-ins. The sender keeps the map to the real "
          "values.</p>")
    w("<h2>Summary</h2>")
    if rep.findings:
        w("<table><thead><tr><th>#</th><th>Severity</th><th>Cause</th><th>Finding</th><th>RC</th>"
          "<th>Confidence</th></tr></thead><tbody>")
        for f in rep.findings:
            w(f'<tr><td><a href="#{e(f.id)}">{e(f.id)}</a></td>'
              f'<td class="sev-{e(f.severity)}">{e(f.severity)}</td><td><code>{e(f.cause)}</code></td>'
              f"<td>{e(f.title)}</td><td>{e(', '.join(str(r) for r in f.rcs))}</td>"
              f"<td>{f.confidence:.0%}</td></tr>")
        w("</tbody></table>")
    else:
        w("<p>No failures found.</p>")
    for f in rep.findings:
        w(f'<section class="finding {e(f.severity)}" id="{e(f.id)}">')
        w(f"<h2>{e(f.id)}: {e(f.title)}</h2>")
        w(f'<p class="muted">Cause <code>{e(f.cause)}</code>, severity '
          f'<span class="sev-{e(f.severity)}">{e(f.severity)}</span>, confidence {f.confidence:.0%}.</p>')
        w(f"<p>{e(f.explanation)}</p>")
        if f.rc_meanings:
            w("<ul>" + "".join(f"<li>{e(m)}</li>" for m in f.rc_meanings) + "</ul>")
        if f.evidence:
            w("<h3>Evidence</h3>")
            for ev in f.evidence:
                w(f'<p class="ev-src">{e(ev.artifact)}' + (f" line {ev.line}" if ev.line else "") + "</p>")
                w(_pre(ev.text.split("\n")))
        if f.commands:
            w("<h3>Fix</h3>")
            for purpose, text in f.commands:
                if purpose:
                    w(f"<p>{e(purpose)}</p>")
                w(_pre(text.split("\n")))
        if f.verify:
            w("<h3>Check</h3>")
            w(_pre([line for t in f.verify for line in t.split("\n")]))
        if f.next_steps:
            w("<h3>Next steps</h3><ul>" + "".join(f"<li>{e(s)}</li>" for s in f.next_steps) + "</ul>")
        w("</section>")
    if rep.user_notes:
        w("<h2>Notes</h2><ul>")
        for n in rep.user_notes:
            where = e(n.artifact) + (f" line {n.line}" if n.line else "")
            w(f"<li>{where}: {e(n.text)}</li>")
        w("</ul>")
    if rep.ladders:
        w("<h2>Handshake ladders</h2>")
        for lad in rep.ladders:
            w(f"<h3>{e(lad.title)}</h3>")
            w(_pre(ladder_lines(lad)))
    if rep.certs:
        w("<h2>Certificates</h2>")
        w("<table><thead><tr><th>Label</th><th>Owner</th><th>Subject</th><th>Issuer</th><th>Serial</th>"
          "<th>Valid from</th><th>Valid to</th><th>Key</th><th>SAN</th></tr></thead><tbody>")
        for c in rep.certs:
            cells = (c["label"], c["owner"], c["subject"], c["issuer"], c["serial"], c["not_before"],
                     c["not_after"], c["key"], ", ".join(c["san"]))
            w("<tr>" + "".join(f"<td>{e(x or '')}</td>" for x in cells) + "</tr>")
        w("</tbody></table>")
    w("<h2>Artifacts</h2>")
    w("<table><thead><tr><th>Name</th><th>Kind</th><th>Encoding</th><th>Size</th><th>SHA-256</th>"
      "</tr></thead><tbody>")
    for a in rep.artifacts:
        w(f"<tr><td>{e(a['name'])}</td><td>{e(a['kind'])}</td><td>{e(a['encoding'])}</td>"
          f"<td>{e(a['size'])}</td><td><code>{e(a['sha256'])}</code></td></tr>")
    w("</tbody></table>")
    for a in rep.artifacts:  # keys cut out on reading (ingest/privatekeys.py) are said here
        if "Private key removed" in (a["note"] or ""):
            w(f"<p>{e(a['name'])}: private key removed (never kept)</p>")
    w("</body></html>")
    return "\n".join(out) + "\n"
