"""The handshake ladder (who sent what) as data and plain text lines.

One module renders the ladder for every view: the workbench's timeline pane
(which adds colours around these lines), the Markdown and HTML reports, and
``tlsworkbench trace``. Nothing here knows Textual or Rich markup; the text is
not yet made printable (each caller does that where it writes).

* :func:`sender`: the one rule of who sent a message (a trace says ``in`` or
  ``out`` seen from the traced side, ``Handshake.role``);
* :func:`arrow`: one message as an arrow across a box ``width`` wide (timeline);
* :func:`summary` and :func:`notes`: one message in words (trace);
* :func:`trace_lines`: a whole handshake with its heading and result (trace);
* :class:`Ladder` / :class:`Rung` and :func:`ladder_lines`: the report's ladder
  of one connection pair, both sides' messages and messages on one time axis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LEFT = 40
"""Width of the client column in :func:`trace_lines`."""
REPORT_WIDTH = 44
"""Width of each side's column in :func:`ladder_lines`."""


def sender(msg, hs) -> str:
    """``"client"`` or ``"server"``: who sent the message. Trace messages say
    ``in``/``out`` seen from the traced side (``Handshake.role``; a handshake of
    unknown role is taken as traced on the server)."""
    role = (hs.role or "server").lower()
    other = "client" if role == "server" else "server"
    return role if msg.direction == "out" else other


def arrow(name: str, who: str, width: int) -> str:
    """A message sent by ``who`` as an arrow over ``width`` columns: the
    client's point right, the server's left."""
    name = name[:width - 6]
    dash = "\u2500" * max(2, width - len(name) - 2)
    return f"{name} {dash}\u25b6" if who == "client" else f"\u25c0{dash} {name}"


def cert_name(c: dict) -> str:
    name = c.get("subject") or (f"serial {c['serial']}" if c.get("serial") else "certificate")
    return f"{name} (only the start of it is in the dump)" if c.get("partial") else str(name)


def facts(msg) -> str:
    """Version, suite, offered suites and certificates of a message, in one line
    (empty when it has none of them)."""
    extra = []
    for label, v in (("version", msg.version), ("suite", msg.cipher_suite),
                     ("offered", ", ".join(msg.cipher_suites)),
                     ("certificates", ", ".join(map(cert_name, msg.certificates)))):
        if v:
            extra.append(f"{label} {v}")
    return "; ".join(extra)


def summary(m) -> str:
    """One message in a few words: type, version, suite, counts."""
    parts = [m.type]
    if m.version and m.type in ("ClientHello", "ServerHello", "HelloRetryRequest"):
        parts.append(m.version)
    if m.cipher_suite:
        parts.append(m.cipher_suite)
    if m.cipher_suites:
        parts.append(f"{len(m.cipher_suites)} suites")
    if m.certificates:
        parts.append(f"{len(m.certificates)} cert(s)")
    if not m.has_bytes:
        parts.append("(no dump)")
    return " ".join(parts)


def notes(m) -> list[str]:
    """The lines under a message: server name, certificates, alert, where the
    decoding stopped."""
    out = []
    if m.server_name:
        out.append(f"SNI {m.server_name}")
    for c in m.certificates:
        who = c.get("subject") or (f"serial {c['serial']}" if c.get("serial") else "?")
        out.append(f"cert {who}" + (" (partial)" if c.get("partial") else ""))
    alert = m.fields.get("alert")
    if alert:
        out.append(f"alert {alert}")
    if not m.complete:
        out.append(f"decoded up to byte {m.stopped_at}: {m.problem}")
    return out


def trace_lines(h, describe_rc: Callable[[int], str] | None = None) -> list[str]:
    """The lines of one handshake's ladder for ``tlsworkbench trace``.
    ``describe_rc`` names a return code (the reference layer, passed in)."""
    traced = f"{h.system or '?'} {h.job or '?'}"
    peer = str(h.peer) if h.peer else "peer ?"
    if h.role == "client":
        client, server = traced, peer
    else:
        client, server = peer, traced
    head = [f"Handshake {h.id}: {h.system or '?'} job {h.job} process {h.process} thread {h.thread}"
            + (f", connection {h.connection}" if h.connection else ""),
            f"  traced side: {h.role or 'role unknown'}; peer {peer}; "
            f"{h.start_text or '?'} .. {h.end_text or '?'}",
            "",
            f"  {'time':<16} {('client ' + client)[:LEFT]:<{LEFT}}    server {server}"]
    rows = []
    for m in h.messages:
        text = summary(m)
        if sender(m, h) == "client":
            rows.append(f"  {m.time_text:<16} {text[:LEFT]:<{LEFT}} -->")
            rows.extend(f"  {'':<16} {more[:LEFT]}" for more in notes(m))
        else:
            rows.append(f"  {m.time_text:<16} {'':<{LEFT}} <-- {text}")
            rows.extend(f"  {'':<16} {'':<{LEFT}}     {more}" for more in notes(m))
    tail = [""]
    neg = ", ".join(x for x in (h.version, h.cipher_suite) if x)
    if h.cipher_spec:
        neg += f" (System SSL spec {h.cipher_spec})"
    tail.append(f"  negotiated: {neg or 'not seen'}")
    if h.certificate_label:
        tail.append(f"  certificate label: {h.certificate_label}")
    if h.enabled_specs:
        tail.append(f"  enabled suites: {', '.join(h.enabled_specs)}")
    rc = f"rc {h.rc}" if h.rc is not None else "no rc in the trace"
    if h.rc and describe_rc is not None:
        meaning = describe_rc(h.rc)
        rc += f" ({meaning})" if meaning else ""
    tail.append(f"  result: {rc}")
    tail.append(f"  stopped: {h.stopped or 'before any message'}; why: {h.reason or 'unknown'}")
    return head + rows + tail


# -- the report's ladder of a connection pair ---------------------------------------------
@dataclass
class Rung:
    time: str
    side: str
    """``"left"`` (client) or ``"right"`` (server)."""
    text: str
    arrow: bool = False
    """True for a message that crosses the wire."""


@dataclass
class Ladder:
    title: str
    left: str
    right: str
    rungs: list[Rung] = field(default_factory=list)


def ladder_lines(lad: Ladder) -> list[str]:
    """A text ladder: client on the left, server on the right."""
    width = REPORT_WIDTH
    lines = [f"{'time':<12} {lad.left[:width]:<{width}} | {lad.right[:width]}"]
    lines.append("-" * (12 + 1 + width + 3 + width))
    for r in lad.rungs:
        t = (r.time or "")[:12]
        if r.arrow:
            text = f"{r.text} --->" if r.side == "left" else f"<--- {r.text}"
            lines.append(f"{t:<12} {text:^{2 * width + 3}}")
        elif r.side == "left":
            lines.append(f"{t:<12} {r.text[:width]:<{width}} |")
        else:
            lines.append(f"{t:<12} {'':<{width}} | {r.text}")
    return lines
