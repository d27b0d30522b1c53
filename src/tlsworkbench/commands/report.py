"""``tlsworkbench report PATH... --format md|html [-o FILE] [--redact] [--map FILE]``:
a ticket-ready report of the diagnosis (findings with evidence, explanation and
fix, handshake ladders, certificate facts, artifacts with checksums)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="artifact files, folders or .tlswb session files")
    p.add_argument("--format", choices=("md", "html"), default="md", help="report format (default md)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")
    p.add_argument("--redact", action="store_true",
                   help="report on a redacted copy (stand-ins for names and addresses)")
    p.add_argument("--map", metavar="FILE",
                   help="with --redact: where to write the map of stand-ins "
                        "(default: FILE.map.json next to the report; none when writing to stdout)")
    p.add_argument("--title", default="TLS diagnosis", help="report title")


def run(args) -> int:
    from tlsworkbench.commands.common import check_inputs, check_output
    from tlsworkbench.cli import UsageError
    from tlsworkbench.engine import open_session
    from tlsworkbench.report import redacted_session, render

    check_inputs(args.paths)
    if args.map and not args.redact:
        raise UsageError("--map only makes sense with --redact")
    out = check_output(args.output, "a file name for the report", inputs=args.paths,
                       name="the report", kind="report") if args.output else None
    map_path = None
    if args.redact and (args.map or out is not None):
        map_path = check_output(args.map or (str(args.output) + ".map.json"),
                                "a file name for the map", inputs=args.paths,
                                also=[out] if out is not None else [], name="the map file",
                                kind="map")
    from tlsworkbench.sessionfile import SessionFileError

    try:
        session = open_session(args.paths)
    except SessionFileError as exc:
        raise UsageError(str(exc)) from None
    from tlsworkbench.commands.common import warn_unreadable

    warn_unreadable(session, command="report")
    red = None
    if args.redact:
        from tlsworkbench.redact import RedactError

        try:
            session, red = redacted_session(session)
        except RedactError as exc:
            raise UsageError(str(exc)) from None
    text = render(session, args.format, title=args.title, redacted=args.redact)
    if red is not None:
        from tlsworkbench.redact.scan import Scanner

        from tlsworkbench.redact.scan import rendered_forms

        scanner = Scanner(red.sensitive, exact_case=True)
        leaks = [lk for form in rendered_forms(text, args.format)
                 for lk in scanner.text(form, "the report")]
        if leaks:
            raise UsageError(f"redaction check failed: {leaks[0]}; nothing was written")
    from tlsworkbench.atomicfile import write_atomic
    from tlsworkbench.redact.export import write_map

    if red is not None and map_path is not None:  # the map first: a report is never left without it
        try:
            write_map(map_path, red, out or Path("report"))
        except OSError as exc:
            raise UsageError(f"cannot write {map_path}: {exc.strerror or exc}") from None
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            write_atomic(out, text.encode("utf-8"))
        except OSError as exc:
            if map_path is not None:
                map_path.unlink(missing_ok=True)
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    from tlsworkbench.ingest.common import printable

    if red is not None:
        if map_path is not None:
            print(f"map of stand-ins: {printable(str(map_path))} (keep it; do not send it)", file=sys.stderr)
        else:
            print("note: no map written (give --map FILE to keep one)", file=sys.stderr)
    if out is not None:
        print(f"wrote {printable(str(out))}", file=sys.stderr)
    return 0
