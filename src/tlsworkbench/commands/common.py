"""Argument checks the headless commands share: they turn unusable paths into
a one-line UsageError (exit 2) before any work starts."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def check_inputs(paths) -> None:
    """Every input path must be given (not empty), exist, and be a regular
    file or a folder: a FIFO, ``/dev/zero`` or a socket would hang or never end."""
    from tlsworkbench.cli import UsageError

    for p in paths:
        if not str(p).strip():
            raise UsageError("an empty path was given; name a file or folder "
                             "(use . for the current folder)")
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise UsageError(f"no such file or folder: {p}") from None
        except OSError as exc:
            raise UsageError(f"cannot read {p}: {exc.strerror or exc}") from None
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            raise UsageError(f"cannot read {p}: not a regular file or folder")
        try:  # a file or folder named on the command line must be readable
            if stat.S_ISDIR(st.st_mode):
                os.scandir(p).close()
            else:
                open(p, "rb").close()
        except OSError as exc:
            raise UsageError(f"cannot read {p}: {exc.strerror or exc}") from None


def unreadable(session) -> list[tuple[str, str]]:
    """(path, reason) of each file no reader could use (no record came out of
    it: binary junk, an empty file, no permission)."""
    out = []
    for a in session.artifacts:
        if a.records or a.kind not in ("unknown", "unreadable"):
            continue
        if str(a.path).lower().endswith(".md"):
            continue  # a folder's README: documentation, not input
        first = next((u for u in session.unparsed if u.artifact == a.id), None)
        out.append((a.path, first.reason if first is not None else f"read as {a.kind}"))
    return out


def nothing_read(session, command: str) -> None:
    """UsageError (exit 2, one line) when inputs were given and none of them
    could be read at all; a report of "no failures" would be a false all-clear."""
    from tlsworkbench.cli import UsageError
    from tlsworkbench.ingest.common import printable

    unread = unreadable(session)
    if session.artifacts and len(unread) == len(session.artifacts):
        raise UsageError(f"{command}: nothing could be read: "
                         + "; ".join(f"{printable(str(p))} ({printable(str(why))})"
                                     for p, why in unread[:5])
                         + (f"; and {len(unread) - 5} more" if len(unread) > 5 else ""))


def warn_unreadable(session, out=None, command: str | None = None) -> int:
    """One line on stderr naming the inputs that could not be read (binary
    junk, an empty file, a file or folder without permission, a FIFO); how
    many. With ``command``: UsageError when no input could be read at all."""
    import sys

    from tlsworkbench.ingest.common import printable

    if command is not None:
        nothing_read(session, command)
    bad = [p for p, _ in unreadable(session)]
    bad += [a.path for a in session.artifacts if a.kind == "unreadable" and a.path not in bad]
    if bad:
        n = len(session.artifacts)
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        print(f"tlsworkbench: warning: {len(bad)} of {n} input{'s' if n != 1 else ''} could not "
              f"be read: {', '.join(printable(str(b)) for b in bad[:5])}{more} (see the notes)",
              file=out or sys.stderr)
    return len(bad)


def check_output(path, what: str = "a file name ending in .tlswb", inputs=(), also=(),
                 name: str = "the output", kind: str | None = None) -> Path:
    """An output path must name a regular file in a folder that exists, that is
    no input, no file under an input folder, no device and not inside the
    installed package (tlsworkbench.outputs). Returns the path to write."""
    from tlsworkbench.cli import UsageError
    from tlsworkbench.outputs import OutputError, check

    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give {what}")
    try:
        return check(out, inputs, name, also, kind=kind)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
