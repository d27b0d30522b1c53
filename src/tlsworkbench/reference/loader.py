"""Load the reference data files shipped in ``reference/data`` once, and index them.

The files are JSON, one per family (see docs/reference-sources.md); they are
read with importlib.resources so they work from a wheel as well as a checkout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .codes import HEX8_FAMILIES, NUMERIC_FAMILIES, ContextNote, Entry

DATA_FILES = ("atls.json", "gsk.json", "deprecated.json", "cms.json", "tn3270.json",
              "rdatalib.json", "hwth.json", "ftp.json",
              "messages.json", "events.json", "errno.json")
SOURCES_FILE = "sources.json"
REQUIRED_KEYS = ("code", "meaning", "action", "confirmed", "source")


_HEXDIGITS = frozenset("0123456789abcdefABCDEF")


class ReferenceDataError(ValueError):
    """A shipped data file is malformed (a packaging or editing mistake)."""


@dataclass(frozen=True, slots=True)
class CodeRange:
    low: int
    high: int
    family: str
    meaning: str
    action: str
    confirmed: bool
    source: str
    section: str = ""


@dataclass(slots=True)
class Table:
    entries: list[Entry] = field(default_factory=list)
    by_number: dict[tuple[str, int], Entry] = field(default_factory=dict)
    by_value: dict[int, list[Entry]] = field(default_factory=dict)
    by_key: dict[str, list[Entry]] = field(default_factory=dict)
    ranges: list[CodeRange] = field(default_factory=list)
    sources: dict[str, dict] = field(default_factory=dict)
    source_codes: dict[str, tuple[str, list]] = field(default_factory=dict)
    """Data file -> (family, the codes its sources list): the check list a
    test compares the entries with."""
    _generic: dict[tuple[str, int], Entry] = field(default_factory=dict)

    def add(self, e: Entry) -> None:
        self.entries.append(e)
        if isinstance(e.code, int):
            self.by_number[(e.family, e.code)] = e
            self.by_value.setdefault(e.code, []).append(e)
        else:
            self._key(e.code, e)
        for k in (e.name, *e.aliases):
            if k:
                self._key(k, e)

    def _key(self, key: str, e: Entry) -> None:
        lst = self.by_key.setdefault(key.strip().upper(), [])
        if e not in lst:
            lst.append(e)

    def range_entry(self, code: int, family: str | None = None) -> Entry | None:
        """A generic entry for a code of a documented range that has no entry of its own."""
        for r in self.ranges:
            if r.low <= code <= r.high and (family is None or family == r.family):
                key = (r.family, code)
                if key not in self._generic:
                    self._generic[key] = Entry(
                        code=code, family=r.family, name="", meaning=r.meaning,
                        action=r.action, confirmed=r.confirmed, source=r.source,
                        generic=True, section=r.section)
                return self._generic[key]
        return None


def _read(name: str) -> dict:
    text = resources.files("tlsworkbench.reference").joinpath("data", name).read_text("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(f"reference data {name}: {exc}") from None


def _entry(raw: dict, family: str, fname: str) -> Entry:
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise ReferenceDataError(f"reference data {fname}: entry {raw.get('code')!r} lacks {missing}")
    fam = raw.get("family", family)
    code = raw["code"]
    if fam in HEX8_FAMILIES and isinstance(code, str):
        code = int(code, 16)
    elif fam in NUMERIC_FAMILIES and isinstance(code, str) and code.startswith("X'"):
        code = int(code[2:-1], 16)
    context = tuple(ContextNote(c["when"], c["note"], c.get("side", ""))
                    for c in raw.get("context", ()))
    if fam == "event" and raw.get("phase"):
        context = (ContextNote(f"phase: {raw['phase']}",
                               _SIDE_NOTES.get(raw.get("side", ""), ""),
                               raw.get("side", "")),) + context
    return Entry(
        code=code, family=fam, name=raw.get("name", ""),
        meaning=raw["meaning"], action=raw["action"],
        confirmed=bool(raw["confirmed"]), source=raw["source"],
        events=tuple(raw.get("events", ())),
        see=tuple(str(s) for s in raw.get("see", ())),
        context=context, aliases=tuple(raw.get("aliases", ())),
        where=raw.get("where", ""), section=raw.get("section", ""),
        fields=tuple(raw.get("fields", ())), not_found=bool(raw.get("not_found", False)),
        origin=fname,
    )


_SIDE_NOTES = {
    "local": "points at the configuration of the side that reports it",
    "partner": "points at the partner's configuration",
    "either": "the failing side can be either one; compare both systems' messages",
}


@lru_cache(maxsize=1)
def table() -> Table:
    """The reference, loaded on first use and kept."""
    t = Table()
    for fname in DATA_FILES:
        doc = _read(fname)
        family = doc.get("family", "")
        for raw in doc.get("entries", ()):
            t.add(_entry(raw, family, fname))
        for r in doc.get("ranges", ()):
            low, high = (int(v, 16) if isinstance(v, str) else v for v in (r["low"], r["high"]))
            t.ranges.append(CodeRange(low, high, r["family"], r["meaning"], r["action"],
                                      bool(r["confirmed"]), r["source"], r.get("section", "")))
        if "source_codes" in doc:
            t.source_codes[fname] = (family, list(doc["source_codes"]))
    t.sources = _read(SOURCES_FILE).get("sources", {})
    return t


def source_list_problems(t: Table | None = None) -> list[str]:
    """Differences between each table's entries and the codes its sources
    list (``source_codes``): a code the sources name without an entry, an
    entry no source lists, or counts that differ. [] when they agree."""
    t = t or table()
    problems: list[str] = []
    for fname, (family, codes) in sorted(t.source_codes.items()):
        listed = {_norm(c, family) for c in codes}
        have = [e for e in t.entries if e.origin == fname]
        keys = {_norm(e.code, e.family) for e in have}
        for c in sorted(listed - keys, key=str):
            problems.append(f"{fname}: source lists {c} but the table has no entry")
        for c in sorted(keys - listed, key=str):
            problems.append(f"{fname}: entry {c} is not in source_codes")
        if len(codes) != len(have):
            problems.append(f"{fname}: {len(have)} entries, {len(codes)} source codes")
    return problems


def _norm(code, family: str) -> str:
    if isinstance(code, int) and family in HEX8_FAMILIES:
        return f"{code:08X}"
    if isinstance(code, str) and len(code) == 8 and all(c in _HEXDIGITS for c in code):
        return code.upper()
    if isinstance(code, str) and code.startswith("X'"):
        return str(int(code[2:-1], 16))
    return str(code)
