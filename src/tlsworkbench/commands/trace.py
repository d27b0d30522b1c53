"""``tlsworkbench trace PATH [--json]``: decode a GSKSRVR trace into handshake
ladders (who sent what, when, with which version and suite, where it stopped
and why), or the records and handshakes as JSON."""

from __future__ import annotations

import sys
from pathlib import Path

from tlsworkbench import jsonout

LEFT = 40  # width of the client column


def add_arguments(p) -> None:
    p.add_argument("path", metavar="PATH",
                   help="a GSKSRVR trace (IPCS CTRACE FULL output), or a folder holding traces")
    p.add_argument("--json", action="store_true", help="write records and handshakes as JSON")


def run(args) -> int:
    from tlsworkbench.cli import UsageError

    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {args.path}")
    if not (path.is_file() or path.is_dir()):
        raise UsageError(f"not a file or folder: {args.path}")
    session = load(path)
    if args.json:
        jsonout.write(to_json(session))
    else:
        write_text(session, sys.stdout, folder=path.is_dir())
    # README: exit 1 when nothing is found where something was asked for.
    return 0 if session.handshakes else 1


def load(path: Path):
    """The session of one trace file, or of every file in a folder (correlated,
    so handshakes know connections)."""
    from tlsworkbench.engine import load as load_paths

    return load_paths([path])


# -- JSON -----------------------------------------------------------------------
def to_json(session) -> dict:
    return {
        "records": [
            {"line": t.line, "system": t.system, "time": _time(t), "kind": t.kind, "job": t.job,
             "process": t.process, "thread": t.thread, "function": t.function,
             "text": list(t.detail)}
            for t in session.trace_records
        ],
        "handshakes": [
            {"job": h.job, "thread": h.thread, "peer": jsonout.endpoint(h.peer), "rc": h.rc,
             "connection": h.connection,
             "messages": [_message(m) for m in h.messages]}
            for h in session.handshakes
        ],
    }


def _time(t) -> str:
    return t.time.isoformat() if t.time is not None else t.time_text


def _line(rid: str) -> int | None:
    try:
        return int(rid.rpartition(":")[2])
    except ValueError:
        return None


def _message(m) -> dict:
    return {
        "line": _line(m.line), "direction": m.direction, "type": m.type,
        "handshake_type": m.handshake_type, "version": m.version,
        "cipher_suites": list(m.cipher_suites), "cipher_suite": m.cipher_suite,
        "extensions": list(m.extensions), "server_name": m.server_name,
        "certificates": [{k: c.get(k) for k in ("subject", "issuer", "serial", "not_before",
                                                "not_after", "sha256")}
                         for c in m.certificates],
    }


# -- text ladder ----------------------------------------------------------------
_MAX_NOTES = 20


def _say(out, text: str) -> None:
    """Write ``text`` line by line, each made printable on its own, so our own
    line ends stay line ends while those inside untrusted text become visible."""
    from tlsworkbench.ingest.common import printable

    for line in text.split("\n"):
        out.write(printable(line) + "\n")


def write_text(session, out, folder: bool = False) -> None:
    bad = [a for a in session.artifacts if a.kind not in ("gsktrace",)]
    traces = len(session.artifacts) - len(bad)
    if folder:
        _say(out, f"note: {traces} of {len(session.artifacts)} files in the folder were read as"
                  " GSKSRVR traces")
        for a in bad[:_MAX_NOTES]:
            _say(out, f"  not a trace: {a.path} ({a.kind})")
        if len(bad) > _MAX_NOTES:
            _say(out, f"  ... and {len(bad) - _MAX_NOTES} more")
    else:
        for a in bad:
            _say(out, f"note: {a.path} was read as {a.kind}, not as a GSKSRVR trace")
    if not session.handshakes:
        _say(out, f"{len(session.trace_records)} trace records, no handshakes found")
    for h in session.handshakes:
        for line in ladder(h):
            _say(out, line)
        out.write("\n")
    if session.unparsed:
        first = session.unparsed[0]
        _say(out, f"{len(session.unparsed)} lines not understood (first: line "
                  f"{first.line}: {first.reason})")


def ladder(h) -> list[str]:
    """The lines of one handshake's ladder (plain text, not yet made printable)."""
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
        from_client = (m.direction == "in") == (h.role != "client")
        text = _describe(m)
        if from_client:
            rows.append(f"  {m.time_text:<16} {text[:LEFT]:<{LEFT}} -->")
            rows.extend(f"  {'':<16} {more[:LEFT]}" for more in _more(m))
        else:
            rows.append(f"  {m.time_text:<16} {'':<{LEFT}} <-- {text}")
            rows.extend(f"  {'':<16} {'':<{LEFT}}     {more}" for more in _more(m))
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
    if h.rc:
        from tlsworkbench.engine import describe_rc

        meaning = describe_rc(h.rc)
        rc += f" ({meaning})" if meaning else ""
    tail.append(f"  result: {rc}")
    tail.append(f"  stopped: {h.stopped or 'before any message'}; why: {h.reason or 'unknown'}")
    return head + rows + tail


def _describe(m) -> str:
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


def _more(m) -> list[str]:
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
