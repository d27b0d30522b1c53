"""The return-code and message reference.

AT-TLS return codes (5001-5999, internal 6001-6999), System SSL function return
codes, CMS status codes (03353xxx), deprecated SSL API codes, message ids,
errno hints and AT-TLS event names, written in the project's own words, each
with what to check, whether it was confirmed against an IBM z/OS source, and
the source key (docs/reference-sources.md).

    >>> from tlsworkbench import reference
    >>> reference.describe(428)
    'RC 428 (System SSL): The key entry has no usable private key.'
    >>> [e.code for e in reference.lookup("X'1B3'")]
    [435]

Loaded once, lazily, from JSON files in ``reference/data``.
"""

from __future__ import annotations

import re

from .ciphers import cipher_entries
from .codes import FAMILY_LABELS, ContextNote, Entry, family_of, parse_code
from .loader import ReferenceDataError, table

__all__ = [
    "ContextNote", "Entry", "FAMILY_LABELS", "ReferenceDataError",
    "all_entries", "describe", "family_of", "get", "lookup", "parse_code", "sources",
]

_WORD = re.compile(r"[\w.#@$/-]+")


def get(code: int, family: str | None = None) -> Entry | None:
    """The entry of a numeric code, in ``family`` or (None) the family the code
    belongs to by its value (see :func:`family_of`). Codes of the AT-TLS ranges
    without an entry of their own get a generic range entry (``generic=True``)."""
    t = table()
    fam = family or family_of(code)
    e = t.by_number.get((fam, code))
    if e is None:
        e = t.range_entry(code, fam)
    return e


def describe(rc: int) -> str:
    """One line for a finding: ``RC 428 (System SSL): ...``."""
    e = get(rc)
    if e is None:
        return f"RC {rc} ({FAMILY_LABELS[family_of(rc)]}): not in the reference."
    text = f"RC {e.code_text} ({e.family_label}): {e.meaning}"
    if not e.confirmed and "unconfirmed" not in e.meaning.lower():
        text += " (unconfirmed)"
    return text


def lookup(query: str) -> list[Entry]:
    """Every entry matching ``query``: a code in decimal or hex (``435``,
    ``1B3``, ``0x1B3``, ``X'1B3'``, ``0000019A``, ``0335304B``, ``-27``), a
    message id (``EZD1287I``), a symbolic name (``GSK_ERR_BAD_DATE``), an event
    name (``Initial Handshake``), a cipher suite (``0A``, ``C02F``, IANA name)
    or, failing all of these, words searched in the meanings and actions."""
    q = (query or "").strip()
    if not q:
        return []
    t = table()
    found: list[Entry] = []

    def add(items) -> None:
        for e in items:
            if e is not None and e not in found:
                found.append(e)

    add(t.by_key.get(q.upper(), ()))
    add(t.by_key.get(" ".join(q.split()).upper(), ()))
    for value, _how in parse_code(q):
        exact = t.by_value.get(value, ())
        add(exact)
        if not any(e.family in ("atls", "atls-internal") for e in exact):
            add([t.range_entry(value)])
    add(cipher_entries(q))
    if found:
        return found
    return search_text(q)


def search_text(text: str, limit: int = 50) -> list[Entry]:
    """Entries whose text contains every word of ``text`` (case-insensitive)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return []
    hits = []
    for e in table().entries:
        hay = " ".join((e.code_text, e.name, e.meaning, e.action, e.where, *e.aliases,
                        *e.events, *(c.when + " " + c.note for c in e.context))).lower()
        if all(w in hay for w in words):
            hits.append(e)
    hits.sort(key=lambda e: e.sort_key)
    return hits[:limit]


def all_entries() -> list[Entry]:
    """Every entry of the reference (not the generic range entries), in family order."""
    return sorted(table().entries, key=lambda e: e.sort_key)


def sources() -> dict[str, dict]:
    """Source key -> ``{"title", "url", "zos"}``."""
    return dict(table().sources)
