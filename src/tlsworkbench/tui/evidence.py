"""Record ids (``a8:3``) as the file and line they name, as the CLI shows
evidence (``diagnose``: ``path:line``). The file name comes from the input:
callers put the text through ``text.plain`` (shown literally, never markup)."""

from __future__ import annotations

from pathlib import PurePath

from tlsworkbench.model.records import split_record_id

from .text import printable


def where(session, rid: str) -> str:
    """``name:line`` of the file a record id names (its last path part), or the
    id itself when the session does not know the artifact."""
    try:
        aid, line = split_record_id(rid)
    except ValueError:
        return printable(str(rid))
    art = session.artifact(aid) if session is not None else None
    if art is None:
        return printable(str(rid))
    name = PurePath(str(art.path).replace("\\", "/")).name or str(art.path)
    return f"{printable(name)}:{line}"


def fitted(text: str, room: int) -> str:
    """``text`` cut from the left to ``room`` cells (an ellipsis in front), ""
    when fewer than 8 are left: the end of a file name and the line matter."""
    if len(text) <= room:
        return text
    if room < 8:
        return ""
    return "…" + text[-(room - 1):]


def listed(session, rids, limit: int = 20) -> str:
    """Evidence ids as ``name:line (id)``, comma separated, at most ``limit``."""
    out = [f"{where(session, r)} ({r})" for r in list(rids)[:limit]]
    more = len(rids) - limit
    return ", ".join(out) + (f" and {more} more" if more > 0 else "")
