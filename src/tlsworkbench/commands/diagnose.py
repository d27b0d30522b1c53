"""``tlsworkbench diagnose PATH... [--json]``: read, correlate, diagnose, report."""

from __future__ import annotations

import sys

from tlsworkbench import jsonout
from tlsworkbench.ingest.common import printable


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="artifact files, folders or .tlswb session files")
    p.add_argument("--json", action="store_true", help="write the result as JSON")


def run(args) -> int:
    from tlsworkbench.commands.common import check_inputs
    from tlsworkbench.engine import open_session

    check_inputs(args.paths)
    session = _open(open_session, args.paths)
    from tlsworkbench.commands.common import warn_unreadable

    warn_unreadable(session, command="diagnose")
    if args.json:
        jsonout.write_long(to_json(session, lazy=True), long=("connections",))
    else:
        write_text(session, sys.stdout)
    return 0


def _open(open_session, paths):
    from tlsworkbench.cli import UsageError

    try:
        return open_session(paths)
    except Exception as exc:  # a session file that cannot be used, and the like
        from tlsworkbench.sessionfile import SessionFileError

        if isinstance(exc, SessionFileError):
            raise UsageError(str(exc)) from None
        raise


# -- JSON -----------------------------------------------------------------------------
def to_json(session, lazy: bool = False) -> dict:
    """The ``--json`` result; ``lazy``: the connections as a generator (written
    one by one by ``jsonout.write_long``, never all held as dicts)."""
    endpoint = jsonout.endpoint
    errs = error_codes(session)

    def item(c) -> dict:
        return {"id": c.id, "system": c.system, "job": c.job, "user": c.user,
                "local": endpoint(c.local), "remote": endpoint(c.remote),
                "rule": c.rule, "connid": c.connid, "rcs": list(c.rcs) or list(errs.get(c.id, ())),
                "peer": c.peer, "keyring": c.keyring}

    # lazy: the rows of healthy connections are written as JSON text made in polars
    conns = jsonout.connections(session.connections, item, errs) if lazy \
        else [item(c) for c in session.connections]
    return {
        "artifacts": [
            {"path": a.path, "kind": a.kind, "encoding": a.encoding, "records": a.records,
             "unparsed": a.unparsed, "note": a.note}
            for a in session.artifacts
        ],
        "connections": conns,
        "findings": [
            {"id": f.id, "cause": f.cause, "severity": f.severity, "title": f.title,
             "explanation": f.explanation, "rc": list(f.rcs),
             "evidence": [jsonout.evidence(session, rid) for rid in f.evidence],
             "commands": [cmd.text for cmd in f.commands],
             # additions to the shape (never remove the keys above)
             "confidence": round(f.confidence, 2), "connections": list(f.connections),
             "verify": [cmd.text for cmd in f.verify], "next_steps": list(f.next_steps),
             "proof": getattr(f, "proof", ""), "explained_by": getattr(f, "explained_by", None),
             "assumptions": list(getattr(f, "assumptions", []) or []),
             # the same commands with what each is (docs/fixes.md, "Commands in --json")
             "steps": [jsonout.command_dict(cmd) for cmd in f.commands],
             "verify_steps": [jsonout.command_dict(cmd) for cmd in f.verify]}
            for f in session.findings
        ],
    }


def error_codes(session) -> dict[str, list[int]]:
    """Connection id -> the codes of the ERROR findings that name it: a connection an
    error finding explains is failing even when no line of it carries a System SSL code
    (a host name check, an R_datalib failure)."""
    out: dict[str, list[int]] = {}
    for f in session.findings:
        if f.severity != "error":
            continue
        for cid in f.connections:
            have = out.setdefault(cid, [])
            have.extend(rc for rc in f.rcs if rc not in have)
    return out


# -- text -------------------------------------------------------------------------------


def write_text(session, out) -> None:
    w = out.write
    w("Artifacts\n")
    rows = [(a.id, a.kind, a.encoding, str(a.records), str(a.unparsed), printable(a.path))
            for a in session.artifacts]
    _table(w, ("id", "kind", "encoding", "records", "unparsed", "path"), rows)
    for a in session.artifacts:
        if a.note:
            w(f"  {a.id}: {printable(a.note)}\n")
    from tlsworkbench.model.connection import failing as failing_of

    errs = error_codes(session)
    failing = failing_of(session.connections, session.findings)
    w(f"\nConnections: {len(session.connections)} ({len(failing)} failing)\n")
    shown = failing if len(session.connections) > 50 else session.connections
    rows = [(c.id, c.system or "?", c.job or "", c.user or "", str(c.local or ""), str(c.remote or ""),
             ",".join(str(r) for r in (c.rcs or errs.get(c.id, ()))), c.peer or "",
             c.keyring or (f"{c.assumed_keyring} (assumed)" if c.assumed_keyring else ""))
            for c in shown[:200]]
    _table(w, ("id", "system", "job", "user", "local", "remote", "rc", "peer", "keyring"),
           [tuple(printable(x) for x in r) for r in rows])
    if len(shown) > 200:
        w(f"  ... {len(shown) - 200} more\n")
    w(f"\nFindings: {len(session.findings)}\n")
    for f in session.findings:
        rcs = f" (RC {', '.join(str(r) for r in f.rcs)})" if f.rcs else ""
        w(f"\n[{f.id}] {f.severity.upper()}: {printable(f.title)}{rcs}"
          f"  (cause {f.cause}, confidence {f.confidence:.0%})\n")
        w(f"  {printable(f.explanation)}\n")
        if f.evidence:
            w("  Evidence:\n")
            for rid in f.evidence[:20]:
                ev = jsonout.evidence(session, rid)
                rec = session.record(rid)
                text = getattr(rec, "text", "") if rec is not None else ""
                w(f"    {printable(str(ev['artifact']))}:{ev['line']}\n")
                for line in (text or "").split("\n")[:8]:
                    w(f"      | {printable(line)}\n")
        _commands(w, "Fix", f.commands)
        if getattr(f, "proof", ""):
            w(f"  Proof on the model of the evidence:\n    {printable(f.proof)}\n")
        _commands(w, "Then check", f.verify)
        if f.next_steps:
            w("  Next steps:\n")
            for step in f.next_steps:
                w(f"    - {printable(step)}\n")
    if not session.findings:
        w("  no failures found\n")


_TAGS = {"operator": "operator command", "manual": "manual step, not a command",
         "policy-edit": "policy edit", "config-edit": "configuration edit", "client": "on the client",
         "shell": "shell"}


def _commands(w, heading: str, commands) -> None:
    if not commands:
        return
    w(f"  {heading}:\n")
    for cmd in commands:
        kind = jsonout.command_kind(cmd)
        tag = "" if kind in ("racf", "check") else f"[{_TAGS.get(kind, kind)}] "
        about = tag + cmd.purpose + (" (disruptive)" if cmd.disruptive else "")
        if about.strip():
            w(f"    * {printable(about.strip())}\n")
        for line in cmd.text.split("\n"):
            w(f"      {printable(line)}\n")


def _table(w, head, rows) -> None:
    widths = [len(h) for h in head]
    for r in rows:
        for i, cell in enumerate(r):
            widths[i] = min(max(widths[i], len(cell)), 60)
    w("  " + "  ".join(h.ljust(widths[i]) for i, h in enumerate(head)).rstrip() + "\n")
    for r in rows:
        w("  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() + "\n")
