"""``tlsworkbench bundle PATH... -o FILE.tlswb``: one session file to mail."""

from __future__ import annotations

import sys

from tlsworkbench.words import counted


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="artifact files, folders or .tlswb session files")
    p.add_argument("-o", "--output", required=True, metavar="FILE.tlswb",
                   help="session file to write")
    p.add_argument("--force", action="store_true",
                   help="overwrite OUTPUT even when it is not a session file")


def run(args) -> int:
    from tlsworkbench.commands.common import check_inputs, check_output
    from tlsworkbench import sessionfile
    from tlsworkbench.cli import UsageError
    from tlsworkbench.engine import load

    check_inputs(args.paths)
    out = check_output(args.output, inputs=args.paths, name="the session file")
    from tlsworkbench.commands.common import warn_unreadable

    try:
        session = load(args.paths)
        warn_unreadable(session, command=args.command)
        sessionfile.save(session, out, force=args.force)
    except sessionfile.SessionFileError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    from tlsworkbench.ingest.common import printable

    for art in session.artifacts:
        if "Private key removed" in art.note:
            print(f"note: {printable(art.path)}: private key removed (never stored)", file=sys.stderr)
    n = len(session.artifacts)
    print(f"wrote {printable(str(out))}: {counted(n, 'artifact')}, "
          f"{counted(len(session.connections), 'connection')}")
    return 0
