"""Turn an all-object ``session.connections`` into a ConnSet with rows (issue 13).

Until correlation leaves healthy connections as rows itself, the consumers are
tested with this: every healthy pure connection (no records, no codes, no
events, no handshakes, family ``attls``, its routine ``lines`` in one artifact)
becomes a row of the table in ``ROW_COLUMNS``; the others stay objects.
``rows_patch`` makes every session loaded while it is active look like that (it
wraps the trace join, which runs right after correlation).
"""

from __future__ import annotations

import contextlib
from array import array

import polars as pl

from tlsworkbench.model.connset import ROW_COLUMNS, ConnSet, objects

SCHEMA = {"pos": pl.Int64, "id": pl.String, "system": pl.String, "stack": pl.String, "job": pl.String,
          "user": pl.String, "lip": pl.String, "lport": pl.Int64, "rip": pl.String, "rport": pl.Int64,
          "rule": pl.String, "grpid": pl.String, "envid": pl.String, "connid": pl.String,
          "role": pl.String, "peer": pl.String, "keyring": pl.String, "first": pl.Datetime("us"),
          "last": pl.Datetime("us"), "art": pl.String, "lines": pl.List(pl.UInt32)}


def pure(c) -> bool:
    """A connection a row can stand for."""
    return (not c.records and not c.rcs and not c.events and not c.handshakes and c.family == "attls"
            and bool(c.lines) and not c.lines_more and c.assumed_keyring is None)


def as_rows(conns) -> ConnSet:
    """``conns`` (a list of Connection in id order) as a ConnSet with its pure ones as rows."""
    conns = list(objects(conns)) if isinstance(conns, ConnSet) and not conns.rows else list(conns)
    objs, slot = [], array("q")
    cols: dict[str, list] = {k: [] for k in ROW_COLUMNS}
    for k, c in enumerate(conns):
        if not pure(c):
            slot.append(~len(objs))
            objs.append(c)
            continue
        slot.append(len(cols["pos"]))
        row = {"pos": k, "id": c.id, "system": c.system, "stack": c.stack, "job": c.job, "user": c.user,
               "lip": c.local.ip if c.local else None, "lport": c.local.port if c.local else None,
               "rip": c.remote.ip if c.remote else None, "rport": c.remote.port if c.remote else None,
               "rule": c.rule, "grpid": c.grpid, "envid": c.envid, "connid": c.connid, "role": c.role,
               "peer": c.peer, "keyring": c.keyring, "first": c.first_time, "last": c.last_time,
               "art": c.lines_art, "lines": list(c.lines)}
        for key in ROW_COLUMNS:
            cols[key].append(row[key])
    table = pl.DataFrame(cols, schema=SCHEMA)
    return ConnSet(objs, table, slot)


def rowify(session):
    """``session`` with its connections as a ConnSet with rows (caches reset)."""
    session.connections = as_rows(session.connections)
    session._lookup = {}
    session.__dict__.pop("_engine_index", None)
    return session


@contextlib.contextmanager
def rows_patch():
    """While active, every correlated session gets its healthy pure connections as rows."""
    from tlsworkbench.model import trace_join

    real = trace_join.join

    def join(session):
        rowify(session)
        return real(session)

    trace_join.join = join
    try:
        yield
    finally:
        trace_join.join = real
