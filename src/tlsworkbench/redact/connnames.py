"""The names the connections of a session carry (rule, job, user, stack, key ring,
addresses), for the redaction's list of sensitive values."""

from __future__ import annotations

from .collect import add_host, add_racf, add_ring
from .textnames import add_rule


def add_connections(sens, conns) -> None:
    """The names the connections carry, added in id order. The rows of a ConnSet are
    read as columns: each value only where it first appears (a repeated add is a no-op),
    so the result is the same as walking every connection."""
    from tlsworkbench.model.connset import objects, rows_of

    calls = ((add_rule, "rule"), (add_racf, "job"), (add_racf, "user"), (add_racf, "stack"),
             (add_ring, "keyring"), (add_host, "lip"), (add_host, "rip"))

    def values(c):
        return (c.rule, c.job, c.user, c.stack, c.keyring, c.local.ip if c.local is not None else None,
                c.remote.ip if c.remote is not None else None)

    table = rows_of(conns)
    if table is None:
        for c in conns:
            for (fn, _), v in zip(calls, values(c)):
                fn(sens, v)
        return
    import polars as pl

    from tlsworkbench.model.rowquery import object_positions

    events = [(k, j, v) for c, k in zip(objects(conns), object_positions(conns))
              for j, v in enumerate(values(c)) if v is not None]
    for j, (_, col) in enumerate(calls):
        first = table.select(col, "pos").drop_nulls(col).group_by(col).agg(pl.col("pos").min())
        events.extend((k, j, v) for v, k in zip(first[col].to_list(), first["pos"].to_list()))
    events.sort(key=lambda e: (e[0], e[1]))
    for _, j, v in events:
        calls[j][0](sens, v)
