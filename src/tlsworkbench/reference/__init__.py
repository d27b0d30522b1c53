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
from .codes import (
    FAMILY_LABELS, FAMILY_ORDER, RCODE_TEXT, SSL_INTERNAL_HIGH, SSL_INTERNAL_LOW, ContextNote, Entry,
    family_of, parse_code, parse_triple, resolve_family,
)
from .loader import ReferenceDataError, table

__all__ = [
    "ContextNote", "Entry", "FAMILY_LABELS", "ReferenceDataError",
    "all_entries", "describe", "families", "family_of", "get", "lookup", "parse_code",
    "resolve_family",
    "source_lists", "sources",
]

_WORD = re.compile(r"[\w.#@$/-]+")


def get(code: int, family: str | None = None) -> Entry | None:
    """The entry of a numeric code, in ``family`` or (None) the family the code
    belongs to by its value (see :func:`family_of`). ``family`` may be a
    reference family (``"gsk"``, ``"tn3270"``, ``"rdatalib"`` ...) or a family
    of the model or of a user (``"cics"``, ``"zowe"``, ``"R_datalib"``): the
    families that answer for it are tried in turn (see ``codes.FAMILY_ALIASES``).
    Codes of the AT-TLS and CMS ranges without an entry of their own get a
    generic range entry (``generic=True``)."""
    t = table()
    if not family:
        fams: tuple[str, ...] = (family_of(code),)
    elif family in FAMILY_LABELS:
        fams = (family,)
    else:
        fams = resolve_family(family) or ()
    for fam in fams:
        e = t.by_number.get((fam, code))
        if e is not None:
            return e
    for fam in fams:
        e = t.range_entry(code, fam)
        if e is not None:
            return e
    return None


def _families(family: str) -> tuple[str, ...]:
    fams = resolve_family(family)
    if fams:
        return fams
    return (family,) if family in FAMILY_LABELS else ()


def describe(rc: int, family: str | None = None) -> str:
    """One line for a finding: ``RC 428 (System SSL): ...``."""
    e = get(rc, family)
    if e is None:
        return f"RC {rc} ({FAMILY_LABELS[family_of(rc)]}): not in the reference."
    text = f"RC {e.code_text} ({e.family_label}): {e.meaning}"
    if not e.confirmed and "unconfirmed" not in e.meaning.lower():
        text += " (unconfirmed)"
    return text


def lookup(query: str, family: str | None = None) -> list[Entry]:
    """Every entry matching ``query``: a code in decimal or hex (``435``,
    ``1B3``, ``0x1B3``, ``X'1B3'``, ``0000019A``, ``0335304B``, ``-27``,
    ``134CC19E``), a TN3270 RCODE (``1030-01``), an R_datalib SAF/RACF triple
    (``8/8/44``), a message id (``EZD1287I``), a symbolic name
    (``GSK_ERR_BAD_DATE``), an event name (``Initial Handshake``), a cipher
    suite (``0A``, ``C02F``, IANA name) or, failing all of these, words
    searched in the meanings and actions.

    A code that means different things in different families (8 from System
    SSL, R_datalib and HWTH; 6002 from AT-TLS and TN3270) gives one entry per
    family; ``family`` (see :func:`get`) keeps only that family's."""
    found = _lookup((query or "").strip())
    if family:
        fams = _families(family)
        found = [e for e in found if e.family in fams]
        found.sort(key=lambda e: (fams.index(e.family), e.sort_key))
    return found


def _lookup(q: str) -> list[Entry]:
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
    rcode = RCODE_TEXT.fullmatch(q)
    if rcode:
        add(t.by_key.get(rcode.group(1).upper(), ()))
    triple = parse_triple(q)
    if triple:
        add(t.by_key.get(triple, ()))
    numeric: list[Entry] = []
    for value, _how in parse_code(q):
        if SSL_INTERNAL_LOW <= value <= SSL_INTERNAL_HIGH:
            value &= 0xFFF  # 134CCxxx: the internal form of System SSL code xxx
        exact = list(t.by_value.get(value, ()))
        for r in t.ranges:
            if r.low <= value <= r.high and not any(e.family == r.family for e in exact):
                exact.append(t.range_entry(value, r.family))
        numeric.extend(e for e in exact if e is not None and e not in numeric)
    numeric.sort(key=lambda e: (e.generic, e.sort_key))  # a code's own entries before ranges
    add(numeric)
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
        hay = " ".join((e.code_text, e.hex, e.name, e.meaning, e.action, e.where, e.section,
                        *e.aliases, *e.fields, *e.events,
                        *(c.when + " " + c.note for c in e.context))).lower()
        if all(w in hay for w in words):
            hits.append(e)
    hits.sort(key=lambda e: e.sort_key)
    return hits[:limit]


def all_entries() -> list[Entry]:
    """Every entry of the reference (not the generic range entries), in family order."""
    return sorted(table().entries, key=lambda e: e.sort_key)


def source_lists() -> dict[str, tuple[str, list]]:
    """Data file -> (family, the codes its sources list): the check list that
    the entries of each table are compared with (tests/test_reference_sources.py)."""
    return dict(table().source_codes)


def families() -> list[tuple[str, str]]:
    """(family, label) of every reference family, in listing order."""
    return [(f, FAMILY_LABELS[f]) for f in FAMILY_ORDER]


def sources() -> dict[str, dict]:
    """Source key -> ``{"title", "url", "zos"}``."""
    return dict(table().sources)
