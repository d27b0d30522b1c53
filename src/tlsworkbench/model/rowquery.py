"""Questions about ``session.connections`` that never make a Connection per row.

``session.connections`` is a :class:`~.connset.ConnSet` (objects and the polars rows
of healthy routine connections) or a plain list. The consumers that only care about
failing, recorded or native connections walk ``objects(conns)``; what the rows add
(positions, ids, strings, times) comes from here, read from the table in polars.
A row is never failing, has no records, no return codes and family ``attls``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .connset import ConnSet, objects, rows_of


def object_positions(conns) -> list[int]:
    """Position (0-based, id order) of each of ``objects(conns)``."""
    objs = objects(conns)
    slot = getattr(conns, "_slot", None) if isinstance(conns, ConnSet) else None
    if slot is None:
        return list(range(len(objs)))
    import numpy as np

    a = np.frombuffer(slot, dtype=np.dtype(slot.typecode)) if len(slot) else np.zeros(0, dtype=np.int64)
    where = np.flatnonzero(a < 0)
    out = [0] * len(objs)
    for k, s in zip(where.tolist(), a[where].tolist()):
        out[~s] = k
    return out


def positions(conns, ids: Iterable[str]) -> dict[str, int]:
    """Connection id -> position (id order) for those of ``ids`` in the set."""
    want = set(ids)
    if not want:
        return {}
    objs = objects(conns)
    out = {c.id: k for c, k in zip(objs, object_positions(conns)) if c.id in want}
    table = rows_of(conns)
    rest = want - out.keys()
    if table is not None and rest:
        import polars as pl

        hit = table.filter(pl.col("id").cast(pl.String).is_in(list(rest))).select("id", "pos")
        out.update(zip(hit["id"].to_list(), hit["pos"].to_list()))
    return out


def in_order(conns, picked: list, ids: Iterable[str]) -> list:
    """``picked`` (objects of ``conns``) and the rows with ids in ``ids``, materialised,
    in id order."""
    table = rows_of(conns)
    if table is None:
        return picked
    import polars as pl

    rest = set(ids) - {c.id for c in picked}
    if not rest:
        return picked
    hit = table.filter(pl.col("id").cast(pl.String).is_in(list(rest)))["id"].to_list()
    if not hit:
        return picked
    extra = [conns.get(cid) for cid in hit]
    want = [c.id for c in picked] + hit
    pos = positions(conns, want)
    return sorted(picked + [c for c in extra if c is not None], key=lambda c: pos.get(c.id, 1 << 62))


def row_latest(conns):
    """The latest ``last`` time of the rows (a naive datetime) or None."""
    table = rows_of(conns)
    if table is None:
        return None
    return table["last"].max()


def promote(conns, held: list):
    """``conns`` with the rows among ``held`` (materialised Connections that now carry
    something a row cannot, e.g. a joined handshake) kept as objects: a new ConnSet
    (same order and ids), or ``conns`` itself when none of them is a row."""
    table = rows_of(conns)
    if table is None or not held:
        return conns
    mine = {id(c) for c in conns.objs}
    new = {c.id: c for c in held if id(c) not in mine}
    if not new:
        return conns
    import polars as pl
    from array import array
    from bisect import bisect_left

    old = conns.objs
    gone = table.with_row_index("_r").filter(pl.col("id").cast(pl.String).is_in(list(new)))
    gone_rows = dict(zip(gone["_r"].to_list(), gone["id"].to_list()))
    ordered = sorted(gone_rows)
    objs: list = []
    slot = array(conns._slot.typecode)
    for s in conns._slot:  # objects stay in id order
        if s < 0 or s in gone_rows:
            slot.append(~len(objs))
            objs.append(old[~s] if s < 0 else new[gone_rows[s]])
        else:
            slot.append(s - bisect_left(ordered, s))
    keep = table.with_row_index("_r").filter(~pl.col("_r").is_in(ordered)).drop("_r")
    return ConnSet(objs, keep, slot)


class ConnMap:
    """``id -> Connection`` over a ConnSet or a list, for lookups by id: the objects in a
    dict, a row made (and kept) only when its id is asked for. ``failing``: the ids of
    the connections with a return code (never a row)."""

    def __init__(self, conns):
        self.all = conns
        self.objs = {c.id: c for c in objects(conns)}
        self.failing = {cid for cid, c in self.objs.items() if c.rcs}
        self._rows = rows_of(conns) is not None

    def get(self, cid, default=None):
        got = self.objs.get(cid)
        if got is None and self._rows and isinstance(cid, str):
            got = self.all.get(cid)
            if got is not None:
                self.objs[cid] = got
        return default if got is None else got

    def __contains__(self, cid) -> bool:
        return self.get(cid) is not None

    def __getitem__(self, cid):
        got = self.get(cid)
        if got is None:
            raise KeyError(cid)
        return got

    def __len__(self) -> int:
        return len(self.all)


def line_owners(conns, sizes: dict) -> dict:
    """Artifact id -> ``array('I')`` giving, per line, the position + 1 of the
    connection whose routine ``lines`` hold it (0: none), rows included (numpy)."""
    import numpy as np
    from array import array

    parts: dict[str, list] = {}
    for c, k in zip(objects(conns), object_positions(conns)):
        if c.lines:
            parts.setdefault(c.lines_art, []).append((np.asarray(c.lines, dtype=np.int64), k + 1))
        for aid, nums in (c.lines_more or {}).items():
            parts.setdefault(aid, []).append((np.asarray(nums, dtype=np.int64), k + 1))
    table = rows_of(conns)
    if table is not None:
        ex = table.select("art", "pos", "lines").explode("lines").drop_nulls(["art", "lines"])
        for (aid,), g in ex.partition_by("art", as_dict=True, maintain_order=True).items():
            parts.setdefault(aid, []).append((g["lines"].to_numpy().astype(np.int64),
                                              g["pos"].to_numpy().astype(np.int64) + 1))
    out = {}
    for aid, got in parts.items():
        size = sizes.get(aid, 0) + 1
        nums = np.concatenate([n for n, _ in got])
        ks = np.concatenate([np.broadcast_to(np.asarray(k, dtype=np.int64), n.shape) for n, k in got])
        order = np.argsort(ks, kind="stable")  # a later connection wins a line, as before
        nums, ks = nums[order], ks[order]
        keep = (nums >= 0) & (nums < size)
        arr = np.zeros(size, dtype=np.uint32)
        arr[nums[keep]] = ks[keep]
        a = array("I")
        a.frombytes(arr.tobytes())
        out[aid] = a
    return out


def ids_by(conns, column: str, norm=None) -> dict[str, list[str]]:
    """Value of ``column`` (``rule``, ``keyring``; ``norm`` applied) -> ids of the
    connections with it, in id order; the rows grouped in polars."""
    out: dict[str, list[str]] = {}
    table = rows_of(conns)
    if table is None:
        for c in conns:
            v = getattr(c, column)
            if v:
                k = norm(v) if norm else v
                out.setdefault(k, []).append(c.id)
        return out
    import polars as pl

    found: dict[str, list] = {}
    for c, k in zip(objects(conns), object_positions(conns)):
        v = getattr(c, column)
        if v:
            found.setdefault(norm(v) if norm else v, []).append(([k], [c.id]))
    g = (table.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
         .group_by(column, maintain_order=True).agg(pl.col("pos"), pl.col("id")))
    for v, ps, ids in zip(g[column].to_list(), g["pos"].to_list(), g["id"].to_list()):
        found.setdefault(norm(v) if norm else v, []).append((ps, ids))
    firsts = []
    for key, chunks in found.items():
        if len(chunks) == 1:
            ps, ids = chunks[0]
        else:
            pairs = sorted((p, i) for ps, ids in chunks for p, i in zip(ps, ids))
            ps, ids = [p for p, _ in pairs], [i for _, i in pairs]
        firsts.append((ps[0] if ps else 0, key, ids))
    firsts.sort(key=lambda t: t[0])
    return {key: ids for _, key, ids in firsts}


def peers_of(conns) -> dict[str, str]:
    """Connection id -> its peer's id, for every connection that has one, in id order."""
    table = rows_of(conns)
    if table is None:
        return {c.id: c.peer for c in conns if c.peer}
    import polars as pl

    got = [(k, c.id, c.peer) for c, k in zip(objects(conns), object_positions(conns)) if c.peer]
    rows = table.filter(pl.col("peer").is_not_null() & (pl.col("peer") != "")).select("pos", "id", "peer")
    got += zip(rows["pos"].to_list(), rows["id"].to_list(), rows["peer"].to_list())
    got.sort(key=lambda t: t[0])
    return {cid: peer for _, cid, peer in got}


def first_values(conns, column: str) -> list:
    """The distinct non-empty values of ``column`` over the connections, in order of
    first appearance (id order), the rows read as a column."""
    table = rows_of(conns)
    got: list = []
    if table is None:
        seen: set = set()
        for c in conns:
            v = getattr(c, column)
            if v and v not in seen:
                seen.add(v)
                got.append(v)
        return got
    import polars as pl

    firsts: dict = {}
    for c, k in zip(objects(conns), object_positions(conns)):
        v = getattr(c, column)
        if v and v not in firsts:
            firsts[v] = k
    g = (table.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
         .group_by(column).agg(pl.col("pos").min()))
    for v, k in zip(g[column].to_list(), g["pos"].to_list()):
        if v not in firsts or k < firsts[v]:
            firsts[v] = k
    return sorted(firsts, key=firsts.get)


def head(conns, n: int) -> list:
    """The first ``n`` connections (id order) as a list (a ConnSet's slice makes the rows
    among them in one batch)."""
    return list(conns[:n])
