"""The limits a session file must keep before anything in it is unpacked or
believed: sizes and packing ratio of its members, one artifact per member, and
the type of every manifest field (a file written by hand or by an attacker gets
a one-line error, never a traceback)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tlsworkbench.errors import SessionFileError

MAX_MEMBER = 8 << 30
"""No artifact in a session file may unpack to more than this (8 GiB)."""
MAX_TOTAL = 16 << 30
"""All artifacts of one session file together (16 GiB)."""
MAX_RATIO = 250
"""Unpacked bytes per packed byte above ``_RATIO_FREE``: real logs pack 5-30 to 1,
a deflate bomb about 1000 to 1."""
_RATIO_FREE = 1 << 20
MAX_MANIFEST = 64 << 20
"""The manifest itself (64 MiB holds far more entries than any session)."""


def _error():
    return SessionFileError


def check_sizes(path: Path, name, size: int, packed: int, budget) -> None:
    """A member that unpacks past the caps is refused before it is held."""
    limit = MAX_MEMBER if budget is None else min(MAX_MEMBER, budget[0])
    if size > limit:
        raise _error()(f"{path} is refused: artifact {name} unpacks to more than "
                       f"{limit >> 20} MiB")
    if size > _RATIO_FREE and size > MAX_RATIO * max(packed, 1):
        raise _error()(f"{path} is refused: artifact {name} unpacks more than "
                       f"{MAX_RATIO} times its packed size (a zip bomb?)")


def check_members(path: Path, zf: zipfile.ZipFile, manifest: dict) -> None:
    """Each member is named once in the archive and used by one artifact only
    (100 entries pointing at one 100 MB member would unpack it 100 times)."""
    names = zf.namelist()
    if len(names) != len(set(names)):
        raise _error()(f"{path} is damaged: a member name appears twice in the archive")
    seen: set[str] = set()
    for entry in manifest["artifacts"]:
        member = entry.get("member")
        if not member or entry.get("missing"):
            continue
        if str(member) in seen:
            raise _error()(f"{path} is damaged: two artifacts share the member {member}")
        seen.add(str(member))


_ENTRY_TEXT = ("id", "name", "member", "note", "sha256")


def check_types(path: Path, m: dict) -> None:
    """Every field the loader reads has the type it expects: ``notes`` an object
    of strings, ``bookmarks`` a list of strings, each artifact's fields strings
    (or absent), ``size`` a number, ``missing`` and ``pkcs12`` true/false."""
    def bad(what: str):
        return _error()(f"{path} has a damaged manifest ({what} has the wrong type)")

    notes = m.get("notes", {})
    if notes is not None and (not isinstance(notes, dict)
                              or not all(isinstance(v, str) for v in notes.values())):
        raise bad("notes")
    marks = m.get("bookmarks", [])
    if marks is not None and (not isinstance(marks, list)
                              or not all(isinstance(b, str) for b in marks)):
        raise bad("bookmarks")
    for key in ("selected_finding", "incident_time", "saved"):
        if m.get(key) is not None and not isinstance(m[key], str):
            raise bad(key)
    for i, entry in enumerate(m["artifacts"], 1):
        for key in _ENTRY_TEXT:
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise bad(f"artifact {i}: {key}")
        if entry.get("size") is not None and (not isinstance(entry["size"], int)
                                              or isinstance(entry["size"], bool)):
            raise bad(f"artifact {i}: size")
        for key in ("missing", "pkcs12"):
            if entry.get(key) is not None and not isinstance(entry[key], bool):
                raise bad(f"artifact {i}: {key}")
