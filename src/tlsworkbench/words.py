"""Counts in the project's sentences: "1 line", "2 lines" (never "1 lines")."""

from __future__ import annotations

_IRREGULAR = {"policy statement": "policy statements", "is": "are", "was": "were"}


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, plural unless ``n`` is 1: ``counted(1, "connection")`` ->
    ``"1 connection"``; ``counted(3, "entry", "entries")`` -> ``"3 entries"``; thousands
    separated: ``"2,100 records"``."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {plural or _IRREGULAR.get(noun) or noun + 's'}"
