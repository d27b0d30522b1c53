"""Argument checks the headless commands share: they turn unusable paths into
a one-line UsageError (exit 2) before any work starts."""

from __future__ import annotations

from pathlib import Path


def check_inputs(paths) -> None:
    """Every input path must exist (file or folder)."""
    from tlsworkbench.cli import UsageError

    for p in paths:
        if not Path(p).exists():
            raise UsageError(f"no such file or folder: {p}")


def check_output(path, what: str = "a file name ending in .tlswb") -> Path:
    """An output path must name a file in a folder that exists."""
    from tlsworkbench.cli import UsageError

    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give {what}")
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: the folder {out.parent} does not exist")
    return out


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
