"""Themes: TOML files mapped onto textual.theme.Theme, with our own variables
(``rc-error``, ``cert-expired``, ``ring-default`` ...) so no stylesheet or pane
hard-codes a colour.

A theme file holds the Theme fields at the top level and our variables in a
``[variables]`` table. Unknown keys are rejected with the file and key named.
"""

from __future__ import annotations

import dataclasses
import tomllib
import weakref
from pathlib import Path

from textual.theme import Theme

# Our variables and their defaults (used by Textual's built-in themes too).
# related-bg and selected-bg are chosen so that a 16- or 8-colour terminal still
# shows them apart from the background and from each other (blue and cyan
# there); tests/test_tui_colours.py checks every theme file for this.
DEFAULTS = {
    "rc-error": "#ff5f5f",
    "rc-ok": "#5fd75f",
    "rc-warning": "#ffd75f",
    "cert-valid": "#5fd75f",
    "cert-expiring": "#ffd75f",
    "cert-expired": "#ff5f5f",
    "cert-weak": "#ff5f5f",
    "ring-default": "#5fd7ff",
    "ring-missing": "#ff8700",
    "related-bg": "#0a2f6e",
    "selected-bg": "#0a7a7a",
    "cursor-bg": "#5f5f87",
    "system-fg": "#87afff",
    "time-fg": "#8a8a8a",
    "command-fg": "#ffffaf",
}

_FIELDS = {f.name for f in dataclasses.fields(Theme)}


class ThemeError(Exception):
    """A theme file that cannot be used; the message names file and key."""


def load_theme(path: Path) -> Theme:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ThemeError(f"{path}: unknown key {unknown[0]!r} (allowed: "
                         f"{', '.join(sorted(_FIELDS))})")
    if "name" not in data or "primary" not in data:
        raise ThemeError(f"{path}: 'name' and 'primary' are required")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError(f"{path}: 'variables' must be a table")
    bad = sorted(k for k in variables if k not in DEFAULTS and not _textual_variable(k))
    if bad:
        raise ThemeError(f"{path}: unknown variable {bad[0]!r} in [variables] (ours: "
                         f"{', '.join(sorted(DEFAULTS))})")
    for key, value in [*data.items(), *variables.items()]:
        if key in ("name", "dark", "luminosity_spread", "text_alpha", "variables", "ansi"):
            continue
        if not isinstance(value, str):
            raise ThemeError(f"{path}: {key!r} must be a colour string")
        try:
            from textual.color import Color

            Color.parse(value)
        except Exception:
            if key in _FIELDS or not _textual_variable(key):
                raise ThemeError(f"{path}: {key!r} = {value!r} is not a colour") from None
    try:
        return Theme(**data)
    except (TypeError, ValueError) as exc:
        raise ThemeError(f"{path}: {exc}") from None


_TEXTUAL_VARS: set[str] = set()


def _textual_variable(name: str) -> bool:
    """Textual's own design variables (``footer-background``, ``block-cursor-...``)."""
    if not _TEXTUAL_VARS:
        _TEXTUAL_VARS.update(Theme(name="probe", primary="#000000").to_color_system().generate())
    return name in _TEXTUAL_VARS


def theme_dirs() -> list[Path]:
    from tlsworkbench import paths

    return [paths.themes_dir(), paths.user_config_dir() / "themes"]


def load_all(dirs: list[Path] | None = None) -> tuple[list[Theme], list[str]]:
    """Every theme in the directories (later ones override earlier by name), and
    the errors of the files that could not be used."""
    themes: dict[str, Theme] = {}
    errors: list[str] = []
    for d in dirs if dirs is not None else theme_dirs():
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.toml")):
            try:
                th = load_theme(path)
            except ThemeError as exc:
                errors.append(str(exc))
                continue
            themes[th.name] = th
    return list(themes.values()), errors


class OwnThemes:
    """Mixin of the app: only the themes the workbench styles (themes/ and the
    user's theme folder, set in ``_own_themes``) are available, not Textual's
    own, whose highlights would keep our dark defaults (QA2 11: unreadable in
    textual-light, catppuccin-latte). The palette's theme list reads this."""

    @property
    def available_themes(self) -> dict:
        ours = getattr(self, "_own_themes", None)
        everything = super().available_themes
        kept = {n: t for n, t in everything.items() if n in ours} if ours else {}
        return kept or everything


def color(app, name: str) -> str:
    """The current theme's value of one of our variables (for Rich styles)."""
    cache = _COLOURS.get(app)
    if cache is None or cache[0] != app.theme:
        cache = _COLOURS[app] = (app.theme, app.get_css_variables())
    return cache[1].get(name) or DEFAULTS.get(name, "default")


_COLOURS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""App -> (theme name, its CSS variables), worked out once per theme."""
