"""``tlsworkbench export PATH... -o OUT.tlswb [--redact] [--map FILE]``.

Without ``--redact`` this writes the artifacts as they are (like ``bundle``).
With ``--redact`` every address, host name, user id, job name, ring, label, DN
value and serial is replaced by a consistent stand-in, the output is scanned
for any original value (the export fails and names it when one is left), and
the map of stand-ins to real values goes to a separate file
(``OUT.tlswb.map.json`` unless ``--map`` says otherwise).
"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="artifact files, folders or .tlswb session files")
    p.add_argument("-o", "--output", required=True, metavar="OUT.tlswb", help="session file to write")
    p.add_argument("--redact", action="store_true",
                   help="replace names and addresses by consistent stand-ins (checked for leaks)")
    p.add_argument("--map", metavar="FILE",
                   help="where to write the map of stand-ins (default: OUT.tlswb.map.json); "
                        "never send it with the export")
    p.add_argument("--force", action="store_true",
                   help="overwrite OUTPUT even when it is not a session file")
    p.add_argument("--json", action="store_true", help="write the result as JSON")


def run(args) -> int:
    from tlsworkbench.commands.common import check_inputs, check_output
    from tlsworkbench import jsonout
    from tlsworkbench.cli import UsageError

    check_inputs(args.paths)
    if args.map and not args.redact:
        raise UsageError("--map only makes sense with --redact")
    out = check_output(args.output, inputs=args.paths, name="the export")
    if not args.redact:
        from tlsworkbench.commands import bundle

        return bundle.run(args)
    from tlsworkbench.redact import RedactError, default_map_path, export_redacted

    map_path = check_output(args.map if args.map else default_map_path(args.output),
                            "a file name for the map", inputs=args.paths, also=[out],
                            name="the map file", kind="map")
    from tlsworkbench.commands.common import warn_unreadable
    from tlsworkbench.engine import open_session
    from tlsworkbench.sessionfile import SessionFileError

    try:
        session = open_session(args.paths)
    except SessionFileError as exc:
        raise UsageError(str(exc)) from None
    warn_unreadable(session, command="export")
    try:
        result = export_redacted(session, out, map_path, force=args.force, inputs=args.paths)
    except RedactError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        jsonout.write({
            "output": str(result.out_path), "map": str(result.map_path),
            "artifacts": [{"source": s, "name": n} for s, n in result.artifacts],
            "dropped": [{"source": s, "why": w} for s, w in result.dropped],
            "values_replaced": result.values,
            "causes_before": result.causes_before, "causes_after": result.causes_after,
            "same_causes": result.same_causes, "notes": result.notes,
        })
    else:
        from tlsworkbench.ingest.common import printable

        n = len(result.artifacts)
        print(f"wrote {printable(str(result.out_path))}: {n} artifact{'s' if n != 1 else ''}, "
              f"{result.values} values replaced; leak check passed")
        print(f"map of stand-ins: {printable(str(result.map_path))} (keep it; do not send it)")
        for src, why in result.dropped:
            print(f"left out {printable(str(src))}: {printable(str(why))}")
        print("diagnosis: " + ("same causes as the original" if result.same_causes else
                               f"differs (before {result.causes_before}, after {result.causes_after})"))
        for note in result.notes:
            print(f"note: {printable(str(note))}", file=sys.stderr)
    return 0
