"""``session.connections``: the connections of a session, most of them kept as columns.

A million-line AT-TLS trace holds about 200,000 healthy connections whose every
line is routine (map, start, flow, data). They carry nothing the diagnosis
needs, so correlation leaves them as rows of one polars table (``table``) and
makes a :class:`Connection` object only for the others (``objects``: every
connection with a record, a return code, a native family ...). A row becomes a
Connection when somebody asks for it (``get``, indexing, iteration); the object
is cached while anybody holds it, so asking twice gives the same object.

The set behaves as a read-only list of Connection in id order (``c1``, ``c2``
...), so code that walks every connection keeps working; code that only wants
connections with records or codes walks ``objects(conns)`` and never pays for the
rows. ``session.connections`` may also be a plain list (tests, the simulator):
the helpers below take either.

Columns of ``table`` (one row per healthy connection, in id order), as
``ROW_COLUMNS`` lists them: ``pos`` (0-based position in the whole set), the
fields of Connection that a row can have, ``first``/``last`` (naive datetimes),
``art`` and ``lines`` (the line numbers of its routine lines in that artifact).
"""

from __future__ import annotations

import weakref
from array import array
from collections.abc import Iterator, Sequence

from .connection import Connection, Endpoint

ROW_COLUMNS = ("pos", "id", "system", "stack", "job", "user", "lip", "lport", "rip", "rport", "rule",
               "grpid", "envid", "connid", "role", "peer", "keyring", "first", "last", "art", "lines")
"""The columns of ``ConnSet.table``, in this order."""


class ConnSet(Sequence):
    """Connections in id order: ``objs`` (materialised) and the rows of ``table``."""

    __slots__ = ("objs", "table", "_slot", "_cache", "_eps", "_ids", "__weakref__")

    def __init__(self, objs: list[Connection], table=None, slot: array | None = None):
        """``slot[k]`` says where the connection at position k is: ``>= 0`` a row of
        ``table``, ``< 0`` the object ``objs[~slot[k]]``. Without a table every
        connection is an object and ``slot`` is not needed."""
        self.objs = objs
        self.table = table if table is not None and table.height else None
        if self.table is None:
            slot = None
        self._slot = slot
        self._cache: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self._eps: dict = {}
        self._ids: dict | None = None

    # -- the list protocol ----------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slot) if self._slot is not None else len(self.objs)

    def __getitem__(self, k):
        if self._slot is None:
            return self.objs[k]
        if isinstance(k, slice):  # the rows among them made in one batch
            slot = self._slot[k]
            made = self._rows([s for s in slot if s >= 0])
            return [self.objs[~s] if s < 0 else made[s] for s in slot]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self._at(k)

    def __iter__(self) -> Iterator[Connection]:
        if self._slot is None:
            return iter(self.objs)
        return self._walk()

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return f"ConnSet({len(self.objs)} objects, {self.rows} rows)"

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, ConnSet)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    # -- what the set adds ------------------------------------------------------------
    @property
    def rows(self) -> int:
        """How many connections are kept as rows."""
        return self.table.height if self.table is not None else 0

    def get(self, cid: str) -> Connection | None:
        """The connection with this id (``"c17"``), a row materialised."""
        if self._slot is not None and cid[:1] == "c" and cid[1:].isdigit():
            k = int(cid[1:]) - 1
            if 0 <= k < len(self._slot):
                c = self._at(k)
                if c.id == cid:
                    return c
        if self._ids is None:
            self._ids = {c.id: c for c in self.objs}
        got = self._ids.get(cid)
        if got is not None or self.table is None:
            return got
        hit = self.table["id"].index_of(cid) if hasattr(self.table["id"], "index_of") else None
        return self._row(hit) if hit is not None else None

    def _at(self, k: int) -> Connection:
        s = self._slot[k]
        return self.objs[~s] if s < 0 else self._row(s)

    def _walk(self) -> Iterator[Connection]:
        objs = self.objs
        slot = self._slot
        chunk = 4096
        for start in range(0, len(slot), chunk):
            part = slot[start:start + chunk]
            rows = [s for s in part if s >= 0]
            made = self._rows(rows) if rows else {}
            for s in part:
                yield objs[~s] if s < 0 else made[s]

    def _row(self, r: int) -> Connection:
        got = self._cache.get(r)
        if got is None:
            got = self._rows([r])[r]
        return got

    def _rows(self, rows: list[int]) -> dict[int, Connection]:
        """Connections for rows ``rows`` of the table (from the cache when held)."""
        out: dict[int, Connection] = {}
        cache = self._cache
        need = []
        for r in rows:
            c = cache.get(r)
            if c is None:
                need.append(r)
            else:
                out[r] = c
        if not need:
            return out
        part = self.table[need] if len(need) > 1 else self.table.slice(need[0], 1)
        cols = part.select(ROW_COLUMNS[1:]).to_dict(as_series=False)
        eps = self._eps
        for j, r in enumerate(need):
            local = _endpoint(eps, cols["lip"][j], cols["lport"][j])
            remote = _endpoint(eps, cols["rip"][j], cols["rport"][j])
            lines = cols["lines"][j]
            c = Connection(
                cols["id"][j], cols["system"][j], cols["stack"][j], cols["job"][j], cols["user"][j],
                local, remote, cols["rule"][j], cols["grpid"][j], cols["envid"][j], cols["connid"][j],
                cols["role"][j], (), (), (), cols["peer"][j], cols["keyring"][j], cols["first"][j],
                cols["last"][j], [], array("I", lines) if lines else None,
                cols["art"][j] if lines else None, None)
            cache[r] = c
            out[r] = c
        return out


def _endpoint(eps: dict, ip, port):
    if ip is None:
        return None
    key = (ip, port)
    e = eps.get(key)
    if e is None:
        if len(eps) > 50_000:
            eps.clear()
        e = eps[key] = Endpoint(ip, port)
    return e


# -- helpers that take a ConnSet or a plain list -------------------------------------------
def objects(conns) -> list[Connection]:
    """The materialised connections: every one with a record, a return code, a native
    family or a peer among them; the rows of healthy routine connections are left out.
    For a plain list, the list itself."""
    return conns.objs if isinstance(conns, ConnSet) else conns


def rows_of(conns):
    """The polars table of the connections kept as rows, or None."""
    return conns.table if isinstance(conns, ConnSet) else None


def lookup(conns, cid: str) -> Connection | None:
    """The connection with id ``cid`` in a ConnSet or a list."""
    if isinstance(conns, ConnSet):
        return conns.get(cid)
    return next((c for c in conns if c.id == cid), None)
