"""Where the tool may write: one check for every output (reports, session files
from ``bundle`` and ``export``, redaction maps, and the workbench's save, export
and save-fix actions).

An output is refused, with a one-line :class:`OutputError`, when it

* is empty, a folder, or in a folder that does not exist;
* resolves to one of the inputs, or to any file under an input folder (the
  evidence is never overwritten, however the path is spelled: ``..``, symbolic
  links, a hard link to an input file);
* exists and is not a regular file: a character or block device (``/dev/null``,
  also for root), a FIFO, a socket, or a ``/proc/self/fd/N`` link to one; and
  anything under ``/dev``, ``/proc`` or ``/sys``;
* lies inside the installed package (the bundled sample sessions, the themes);
* (``kind="report"`` or ``kind="map"``) exists and is not an earlier output of
  that kind: a session file (readable, damaged or from a newer version), a log
  or any other file is never replaced by a report or a map; only a report
  written by tlsworkbench (or a redaction map) is.

:func:`check` returns the path to write: symbolic links resolved, so that the
atomic rename replaces the file the link points to, not the link.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

_SYSTEM = (Path("/dev"), Path("/proc"), Path("/sys"))


class OutputError(Exception):
    """An output path that must not be written; the message is one line."""


def check(path: str | Path, inputs: Iterable[str | Path] = (), what: str = "the output",
          also: Iterable[str | Path] = (), kind: str | None = None) -> Path:
    """The resolved path to write ``what`` to, or OutputError.

    ``inputs``: files and folders read for this output (never overwritten);
    ``also``: other outputs of the same run (the output must differ from each);
    ``kind``: "report" or "map" to refuse replacing a file of another kind."""
    if path is None or not str(path).strip():
        raise OutputError(f"{what}: no file name given")
    given = Path(os.path.expanduser(str(path)))
    try:
        real = Path(os.path.realpath(given))
    except (OSError, ValueError) as exc:
        raise OutputError(f"{what}: cannot use {given} ({exc})") from None
    for system in _SYSTEM:
        if _under(real, system) or _under(given.absolute(), system):
            raise OutputError(f"refusing to write {what} to {given}: it is a system file, "
                              "not a regular file")
    st = _stat(real)
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{given} is a folder; give a file name for {what}")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"refusing to write {what} to {given}: it is not a regular file "
                              f"({_kind(st.st_mode)})")
    if not real.parent.is_dir():
        raise OutputError(f"cannot write {given}: the folder {given.parent} does not exist")
    for inp in inputs:
        _not_input(real, st, Path(os.path.expanduser(str(inp))), given, what)
    for other in also:
        if other is not None and Path(os.path.realpath(Path(other))) == real:
            raise OutputError(f"{what} {given} would be written twice in one run; give another name")
    for folder in package_folders():
        if _under(real, folder):
            raise OutputError(f"refusing to write {what} to {given}: it is inside the installed "
                              "tlsworkbench package; give another file name")
    if kind is not None and st is not None:
        _may_replace(real, given, what, kind)
    return real


_REPORT_MARK = b"by tlsworkbench."
_MAP_MARK = b'"tlsworkbench-redaction-map"'


def _may_replace(real: Path, given: Path, what: str, kind: str) -> None:
    """Refuse to replace an existing file that is not an earlier ``kind`` output."""
    try:
        with open(real, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        head = b""
    if head.startswith(b"PK") or real.suffix.lower() == ".tlswb" or given.suffix.lower() == ".tlswb":
        raise OutputError(f"refusing to write {what} to {given}: it is a session file; "
                          "give another file name")
    if not head:
        return
    mark = _MAP_MARK if kind == "map" else _REPORT_MARK
    if mark not in head:
        name = "redaction map" if kind == "map" else "report"
        raise OutputError(f"refusing to write {what} to {given}: the file exists and is not a "
                          f"tlsworkbench {name}; give another file name or remove it first")


def is_protected(path: str | Path) -> bool:
    """A file the workbench must not overwrite without asking for a new name
    (the bundled samples, anything in the package)."""
    try:
        real = Path(os.path.realpath(Path(path)))
    except (OSError, ValueError):
        return True
    return any(_under(real, f) for f in package_folders())


def package_folders() -> list[Path]:
    """The installed package and the resources it bundles (in a source checkout
    the samples and themes sit next to ``src``)."""
    from tlsworkbench import paths

    out = [Path(os.path.realpath(paths._PKG))]
    for folder in (paths.sample_sessions_dir(), paths.themes_dir()):
        out.append(Path(os.path.realpath(folder)))
    return out


def _not_input(real: Path, st, inp: Path, given: Path, what: str) -> None:
    try:
        inp_real = Path(os.path.realpath(inp))
    except (OSError, ValueError):
        return
    if real == inp_real:
        raise OutputError(f"refusing to write {what} to {given}: it is an input; "
                          "give another file name")
    ist = _stat(inp_real)
    if ist is None:
        return
    if stat.S_ISDIR(ist.st_mode):
        if _under(real, inp_real):
            raise OutputError(f"refusing to write {what} to {given}: it is inside the input "
                              f"folder {inp}; write it somewhere else")
    elif st is not None and (st.st_dev, st.st_ino) == (ist.st_dev, ist.st_ino):
        raise OutputError(f"refusing to write {what} to {given}: it is the same file as the "
                          f"input {inp}")


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _stat(path: Path):
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
