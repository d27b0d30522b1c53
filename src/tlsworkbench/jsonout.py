"""Shared helpers for the ``--json`` output of the headless commands.

Every command writes the same shapes for the same things: a time is an ISO 8601
string, a record id becomes ``{"artifact": <artifact path>, "line": n}`` and an
endpoint is ``"ip:port"``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tlsworkbench.model.records import split_record_id


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 text of a time (naive times stay naive: z/OS local time)."""
    return value.isoformat() if value is not None else None


def endpoint(ep) -> str | None:
    """``"ip:port"`` (``"[v6]:port"`` for IPv6) or ``None``."""
    return str(ep) if ep is not None else None


def evidence(session, rid: str) -> dict:
    """A record id as ``{"artifact": <path>, "line": n}``."""
    try:
        aid, line = split_record_id(rid)
    except ValueError:
        return {"artifact": rid, "line": None}
    art = session.artifact(aid) if session is not None else None
    return {"artifact": art.path if art is not None else aid, "line": line}


KIND_WORDS = {"racf": "racf", "operator": "operator", "policy": "policy-edit", "config": "config-edit",
              "shell": "shell", "check": "check", "jcl": "jcl", "manual": "manual"}
"""``Command.kind`` -> the kind ``diagnose --json`` shows (docs/fixes.md, "Commands in --json")."""
_MANUAL = ("SEND ", "CHANGE ", "SUBMIT ")


def command_kind(cmd) -> str:
    """``racf``, ``operator`` (an MVS console / product command), ``manual`` (a step a
    person does, not a command), ``policy-edit``, ``config-edit``, ``client`` (run on the
    client side: the FTP client again, a name to connect to), ``shell``, ``check``."""
    kind = getattr(cmd, "kind", "racf") or "racf"
    text = (getattr(cmd, "text", "") or "").lstrip()
    up = text.upper()
    if kind in ("operator", "shell") and up.startswith("FTP "):
        return "client"
    if kind in ("operator", "shell") and up.startswith(_MANUAL):
        return "manual"
    return KIND_WORDS.get(kind, kind)


def command_dict(cmd) -> dict:
    """One command as ``{"text", "kind", "purpose", "disruptive"}``."""
    return {"text": cmd.text, "kind": command_kind(cmd), "purpose": cmd.purpose or "",
            "disruptive": bool(cmd.disruptive)}


def default(obj: Any):
    """``json.dumps(default=...)`` hook for the types our model uses."""
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):
        return obj.hex()
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return str(obj)


def dumps(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, default=default, indent=indent, ensure_ascii=False)


def write(obj: Any, stream=None) -> None:
    """Write ``obj`` as JSON followed by a newline (stdout by default)."""
    stream = stream if stream is not None else sys.stdout
    stream.write(dumps(obj))
    stream.write("\n")


def write_long(obj: dict, long: tuple[str, ...] = (), stream=None) -> None:
    """Write a dict of lists as ``write`` does, except that the items of the lists
    named in ``long`` (tens of thousands of connections) are written one compact
    item per line: ``json.dumps`` with an indent runs json's pure-Python encoder,
    which took seconds for a 1M-line log; without one it is C. Values may be
    iterables (generators), so a long list is never held as dicts. The text
    parses to the same value as ``write`` gives."""
    stream = stream if stream is not None else sys.stdout
    w = stream.write
    enc = json.JSONEncoder(default=default, ensure_ascii=False).encode
    keys = list(obj)
    w("{\n")
    for k, key in enumerate(keys):
        value = obj[key]
        w(f"  {enc(key)}: ")
        if isinstance(value, (dict, str, int, float, bool)) or value is None:
            w(_indent(dumps(value), "  "))
        else:
            sep = "[\n"
            for item in value:
                w(sep)
                w("    " + (enc(item) if key in long else _indent(dumps(item), "    ")))
                sep = ",\n"
            w("[]" if sep == "[\n" else "\n  ]")
        w(",\n" if k < len(keys) - 1 else "\n")
    w("}\n")


def _indent(text: str, pad: str) -> str:
    return text.replace("\n", "\n" + pad)
