"""What the workbench tells about files: the toast line of a file that was not
read fully (its name once), and where a screenshot goes.

File names are untrusted text: the toasts show them literally (``app.notify``
never reads markup)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePath


def problem(art) -> str:
    """``path: what is wrong`` for a damaged, empty, binary or partly read file.
    A reader's note that starts with the file's name already (``junk.bin: binary
    content...``) does not say it a second time."""
    path = str(art.path)
    note = str(art.note or "").strip()
    if not note:
        return f"{path}: {art.unparsed} lines not understood"
    name = PurePath(path.replace("\\", "/")).name
    for said in (path, name):
        if said and note.startswith(said + ": "):
            note = note[len(said) + 2:]
            break
    return f"{path}: {note}"


def data_dir() -> Path:
    """The user's data folder for the workbench (created when needed)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("tlsworkbench", appauthor=False))


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def screenshot_dir(asked: str | Path | None = None) -> Path:
    """Where a screenshot is saved: the folder asked for, else the current
    folder when it can be written, else the user data folder (made when
    missing), else the temporary folder. Never the Downloads folder, which a
    server often lacks."""
    for folder in ([Path(asked)] if asked else []) + [Path.cwd(), data_dir()]:
        if _writable(folder):
            return folder
    return Path(tempfile.gettempdir())
