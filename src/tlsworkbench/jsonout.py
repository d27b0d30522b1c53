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
from collections.abc import Iterator
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
                if isinstance(item, Raw):
                    w("    " + item)
                else:
                    w("    " + (enc(item) if key in long else _indent(dumps(item), "    ")))
                sep = ",\n"
            w("[]" if sep == "[\n" else "\n  ]")
        w(",\n" if k < len(keys) - 1 else "\n")
    w("}\n")


class Raw(str):
    """An item of a long list that is JSON text already (``write_long`` writes it as is)."""

    __slots__ = ()


_CONN_KEYS = ("id", "system", "job", "user", "local", "remote", "rule", "connid", "rcs", "peer", "keyring")
_CHUNK = 65536


def connections(conns, item, errs: dict) -> Iterator:
    """The ``connections`` of ``diagnose --json`` in id order: ``item(c)`` (a dict with
    ``_CONN_KEYS``) for each object of ``conns`` and, for the rows of a ConnSet, the
    same dict as compact JSON text built in polars (a run of rows is one ``Raw``, the
    items joined as ``write_long`` joins them), never a Connection.
    ``errs``: id -> codes of the ERROR findings that name it (the row's ``rcs``)."""
    from tlsworkbench.model.connset import objects, rows_of

    table = rows_of(conns)
    if table is None:
        for c in conns:
            yield item(c)
        return
    objs, slot = objects(conns), conns._slot
    base, lines, run = 0, [], []  # run: row texts in a row, written as one item
    for s in slot:
        if s < 0:
            if run:
                yield Raw(_SEP.join(run))
                run = []
            yield item(objs[~s])
            continue
        if not base <= s < base + len(lines):
            if s < base:  # rows out of table order: one at a time
                run.append(_row_lines(table.slice(s, 1), errs)[0])
                continue
            if run:
                yield Raw(_SEP.join(run))
                run = []
            base = s
            lines = _row_lines(table.slice(s, _CHUNK), errs)
        run.append(lines[s - base])
    if run:
        yield Raw(_SEP.join(run))


_SEP = ",\n    "
"""Between two items of a long list, as ``write_long`` writes them."""


def _row_lines(part, errs: dict) -> list[str]:
    """Compact JSON text of each row of ``part`` (as ``json.dumps(item)`` gives it)."""
    import polars as pl

    def ep(ip, port):
        ipc, pc = pl.col(ip), pl.col(port).cast(pl.String)
        return (pl.when(pc.is_null()).then(ipc)
                .when(ipc.str.contains(":", literal=True)).then(pl.concat_str([pl.lit("["), ipc, pl.lit("]:"), pc]))
                .otherwise(pl.concat_str([ipc, pl.lit(":"), pc])))

    names = [k for k in _CONN_KEYS if k != "rcs"]
    strings = part.select([ep("lip", "lport").alias("local"), ep("rip", "rport").alias("remote")]
                          + [pl.col(k).cast(pl.String) for k in names if k not in ("local", "remote")])
    odd = strings.select(pl.col(k).str.contains(r"[\x00-\x1f]").any() for k in names).row(0)
    cols = {}
    for k, bad in zip(names, odd):
        if bad:  # rare: control characters, escaped as json escapes them
            cols[k] = pl.lit(pl.Series(k, [_ENC(v) for v in strings[k].to_list()], dtype=pl.String))
        else:
            esc = pl.col(k).str.replace_all("\\", "\\\\", literal=True).str.replace_all('"', '\\"', literal=True)
            cols[k] = pl.when(pl.col(k).is_null()).then(pl.lit("null")).otherwise(
                pl.concat_str([pl.lit('"'), esc, pl.lit('"')]))
    want = {cid: _ENC(list(rcs)) for cid, rcs in errs.items() if rcs is not None}
    ids = part["id"]
    if want and ids.is_in(list(want)).any():
        cols["rcs"] = pl.lit(pl.Series("rcs", [want.get(i, "[]") for i in ids.to_list()], dtype=pl.String))
    else:
        cols["rcs"] = pl.lit("[]")
    pieces = []
    for k, key in enumerate(_CONN_KEYS):
        pieces.append(pl.lit(("{" if k == 0 else ", ") + f'"{key}": '))
        pieces.append(cols[key])
    pieces.append(pl.lit("}"))
    return strings.select(pl.concat_str(pieces).alias("json"))["json"].to_list()


_ENC = json.JSONEncoder(ensure_ascii=False).encode


def _indent(text: str, pad: str) -> str:
    return text.replace("\n", "\n" + pad)
