"""Where bundled resources and the user's files live."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "tlsworkbench"
_PKG = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # In a wheel the folder is copied into the package; in a source checkout
    # (editable install, tests) it sits at the top of the repository.
    inside = _PKG / name
    if inside.is_dir():
        return inside
    return _PKG.parent.parent / name


def themes_dir() -> Path:
    return _bundled("themes")


def sample_sessions_dir() -> Path:
    return _bundled("sample_sessions")


def default_session() -> Path:
    return sample_sessions_dir() / "mixed.tlswb"


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def user_state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP, appauthor=False))
