"""Indexes and pairing for model/correlate_native.py: items kept in time order
per key (``ByTime``), and the pairing of native connections with their
partners (local and remote swapped, or a client that knows only the server's
address with the one server at that time)."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta

from .connection import Connection, Endpoint
from .correlate_base import close, gap

WINDOW = timedelta(seconds=120)
"""How far apart the two sides of one attempt may be (as in correlate_native)."""


class ByTime:
    """Items per key kept in time order, so that "those close to t" is a bisect,
    never a scan of every item of the key (a server shared by thousands of
    connections). Items without a time are few (client output without
    timestamps): at most ``CAP`` of them are offered."""

    CAP = 64

    def __init__(self):
        self.times: dict = {}
        self.items: dict = {}
        self.untimed: dict = {}

    def add(self, key, t, item) -> None:
        if t is None:
            self.untimed.setdefault(key, []).append(item)
            return
        ts = self.times.setdefault(key, [])
        its = self.items.setdefault(key, [])
        x = _secs(t)
        i = bisect.bisect_right(ts, x)
        ts.insert(i, x)
        its.insert(i, item)

    def near(self, key, t) -> list:
        out = self.untimed.get(key, ())[-self.CAP:]
        ts = self.times.get(key)
        if not ts:
            return list(out)
        its = self.items[key]
        if t is None:
            return [*out, *its[:self.CAP]]
        x = _secs(t)
        w = WINDOW.total_seconds()
        return [*out, *its[bisect.bisect_left(ts, x - w):bisect.bisect_right(ts, x + w)]]


_EPOCH = datetime(1900, 1, 1)


def _secs(t: datetime) -> float:
    if t.tzinfo is not None:
        t = t.replace(tzinfo=None)
    return (t - _EPOCH).total_seconds()


def pair(conns: list[Connection], natives: list[Connection]) -> None:
    """Pair each unpaired native connection with its partner: local and remote
    swapped, else a server whose local address is the client's remote, else the
    one native server of the family on another system at the same time. Every
    lookup is by key and time (``_ByTime``)."""
    by_pair, by_local, servers = ByTime(), ByTime(), ByTime()
    for c in conns:
        if c.local and c.remote:
            by_pair.add((_k(c.local), _k(c.remote)), c.first_time, c)
        if c.local and c.local.port is not None:
            by_local.add(_k(c.local), c.first_time, c)
    for c in natives:
        if c.role == "server":
            servers.add(c.family, c.first_time, c)
    for c in natives:
        if c.peer or c.remote is None or c.remote.port is None:
            continue
        cands = []
        if c.local and c.local.port is not None:
            cands = by_pair.near((_k(c.remote), _k(c.local)), c.first_time)
        if not cands and (c.local is None or c.local.port is None):
            cands = [o for o in by_local.near(_k(c.remote), c.first_time)
                     if o.system != c.system or o.system is None]
        best, best_gap = None, None
        for o in cands:
            if o is c or o.peer or not close(c.first_time, o.first_time, WINDOW):
                continue
            g = gap(c.first_time, o.first_time)
            if best is None or g < best_gap:
                best, best_gap = o, g
        if best is None and c.role == "client" and (c.local is None or c.local.port is None):
            best = _server_of(c, servers.near(c.family, c.first_time))
        if best is not None:
            c.peer, best.peer = best.id, c.id


def _server_of(c: Connection, near: list[Connection]) -> Connection | None:
    """A client that knows only the server's address, and a server that knows
    only the client's (FTP's EZYFS50I): the one server connection of the family
    on another system at the same time."""
    hits = [o for o in near if o is not c and o.peer is None
            and (o.system != c.system or o.system is None)
            and (o.local is None or o.local.port is None or o.local.port == c.remote.port)
            and close(c.first_time, o.first_time, WINDOW)]
    return hits[0] if len(hits) == 1 else None


def _k(e: Endpoint) -> tuple:
    return (e.ip, e.port)
