"""``tlsworkbench preflight PATH... [--json] [--days N]``: check rings,
certificates and policy before anything fails.

Exit status: 0 when no check is an error, 1 when some check is an error (so a
batch job can test it), 2 for unusable arguments.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from tlsworkbench import jsonout


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="RACDCERT LIST/LISTRING output, policy or pasearch files, folders or .tlswb files")
    p.add_argument("--json", action="store_true", help="write the checks as JSON")
    p.add_argument("--days", type=int, default=60,
                   help="warn about certificates that end within this many days (default 60)")


def _clean(text: str) -> str:
    return "".join(ch if ch in " \n" or unicodedata.category(ch)[0] not in "CZ" else "?" for ch in text)


def run(args) -> int:
    from tlsworkbench.cli import UsageError
    from tlsworkbench.diagnose.preflight import run as preflight

    if args.days < 0:
        raise UsageError("preflight: --days must be 0 or more")
    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"no such file or folder: {p}")
    from tlsworkbench.ingest.loader import load

    try:
        session = load(args.paths)
    except Exception as exc:
        from tlsworkbench.sessionfile import SessionFileError

        if isinstance(exc, SessionFileError):
            raise UsageError(str(exc)) from None
        raise
    checks = preflight(session, days=args.days)
    if args.json:
        jsonout.write({"checks": [c.as_dict() for c in checks]})
    else:
        out = sys.stdout
        if not checks:
            out.write("preflight: no problems found in "
                      f"{len(session.rings)} rings, {len(session.certs)} certificates, "
                      f"{len(session.policy)} policy statements\n")
        for c in checks:
            out.write(f"{c.severity.upper():8} {_clean(c.title)}\n")
            for line in _clean(c.detail).split("\n"):
                out.write(f"         {line}\n")
            for cmd in c.commands:
                for line in _clean(cmd).split("\n"):
                    out.write(f"           {line}\n")
    return 1 if any(c.severity == "error" for c in checks) else 0
