"""``tlsworkbench trace PATH [--json]``: decode a GSKSRVR trace into handshake
ladders (who sent what, when, with which version and suite, where it stopped
and why), or the records and handshakes as JSON."""

from __future__ import annotations

import sys
from pathlib import Path

from tlsworkbench import jsonout
from tlsworkbench.words import counted



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
    from tlsworkbench.commands.common import warn_unreadable

    warn_unreadable(session, command="trace")
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
        _say(out, f"note: {traces} of {counted(len(session.artifacts), 'file')} in the folder were read as"
                  " GSKSRVR traces")
        for a in bad[:_MAX_NOTES]:
            _say(out, f"  not a trace: {a.path} ({a.kind})")
        if len(bad) > _MAX_NOTES:
            _say(out, f"  ... and {len(bad) - _MAX_NOTES} more")
    else:
        for a in bad:
            _say(out, f"note: {a.path} was read as {a.kind}, not as a GSKSRVR trace")
    if not session.handshakes:
        _say(out, f"{counted(len(session.trace_records), 'trace record')}, no handshakes found")
    for h in session.handshakes:
        for line in ladder(h):
            _say(out, line)
        out.write("\n")
    if session.unparsed:
        first = session.unparsed[0]
        _say(out, f"{counted(len(session.unparsed), 'line')} not understood (first: line "
                  f"{first.line}: {first.reason})")


def ladder(h) -> list[str]:
    """The lines of one handshake's ladder (plain text, not yet made printable;
    the one ladder renderer is ``model.ladder``)."""
    from tlsworkbench.engine import describe_rc
    from tlsworkbench.model.ladder import trace_lines

    return trace_lines(h, describe_rc)
