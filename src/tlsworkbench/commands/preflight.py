"""``tlsworkbench preflight PATH... [--json] [--days N]``: check rings,
certificates and policy before anything fails.

Exit status: 0 when no check is an error, 1 when some check is an error (so a
batch job can test it) or the input holds nothing to check (no rings,
certificates or policy), 2 for unusable arguments or when no file could be read
at all. Files that could not be read are named (``note:`` lines, or
``"unreadable"`` in the JSON).
"""

from __future__ import annotations

import sys
import unicodedata

from tlsworkbench import jsonout
from tlsworkbench.commands.common import unreadable
from tlsworkbench.words import counted


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="RACDCERT LIST/LISTRING output, policy or pasearch files, folders or .tlswb files")
    p.add_argument("--json", action="store_true", help="write the checks as JSON")
    p.add_argument("--days", type=int, default=60,
                   help="warn about certificates that end within this many days (default 60)")


def _clean(text: str) -> str:
    return "".join(ch if ch in " \n" or unicodedata.category(ch)[0] not in "CZ" else "?" for ch in text)


def run(args) -> int:
    from tlsworkbench.commands.common import check_inputs
    from tlsworkbench.cli import UsageError
    from tlsworkbench.diagnose.preflight import run as preflight

    if args.days < 0:
        raise UsageError("preflight: --days must be 0 or more")
    check_inputs(args.paths)
    from tlsworkbench.engine import load

    try:
        session = load(args.paths)
    except Exception as exc:
        from tlsworkbench.sessionfile import SessionFileError

        if isinstance(exc, SessionFileError):
            raise UsageError(str(exc)) from None
        raise
    unread = unreadable(session)
    if session.artifacts and len(unread) == len(session.artifacts):
        raise UsageError("preflight: nothing could be read: "
                         + "; ".join(f"{_clean(path)} ({_clean(why)})" for path, why in unread[:5])
                         + (f"; and {len(unread) - 5} more" if len(unread) > 5 else ""))
    checks = preflight(session, days=args.days)
    nothing = not (session.rings or session.certs or session.policy)
    if args.json:
        jsonout.write({"checks": [c.as_dict() for c in checks],
                       "unreadable": [{"path": p, "reason": why} for p, why in unread]})
    else:
        out = sys.stdout
        for path, why in unread:
            out.write(f"note: could not read {_clean(path)}: {_clean(why)}\n")
        if nothing:
            out.write("preflight: nothing to check: the input holds no RACDCERT output, certificates "
                      "or AT-TLS policy\n")
        elif not checks:
            out.write("preflight: no problems found in "
                      f"{counted(len(session.rings), 'ring')}, {counted(len(session.certs), 'certificate')}, "
                      f"{counted(len(session.policy), 'policy statement')}"
                      + (" (the files noted above were not read)" if unread else "") + "\n")
        for c in checks:
            out.write(f"{c.severity.upper():8} {_clean(c.title)}\n")
            for line in _clean(c.detail).split("\n"):
                out.write(f"         {line}\n")
            for cmd in c.commands:
                for line in _clean(cmd).split("\n"):
                    out.write(f"           {line}\n")
    # 1: some check is an error, or nothing to check where checks were asked for
    return 1 if nothing or any(c.severity == "error" for c in checks) else 0
