"""The read table: healthy read-time connections kept as rows of a polars table.

A big syslogd file's healthy connections (every line routine, not failing, no
kept record joined to them, all lines in one artifact) need no object while
nothing joins them. ``freeze`` moves such ``Conn`` objects of the read-time
joiner (ingest/attls_fast.Joiner) into ``joiner.table`` (columns
``READ_COLUMNS``); correlation (model/correlate.py) turns a row back into a
``Conn`` (``take``) only when a record asks for it, and makes the rest rows of
``ConnSet.table`` (model/conntable_finish.py).

A row stands for a ``Conn`` with ``lines`` set, ``pos`` empty, ``fail`` and
``filled`` False and no key ring.
"""

from __future__ import annotations

from array import array
from datetime import datetime
from operator import attrgetter

from .correlate_base import Conn

READ_COLUMNS = ("order", "system", "stack", "connid", "job", "user", "rule", "grpid", "envid",
                "lip", "lport", "rip", "rport", "first", "last", "mapped", "role_hint", "art",
                "lines")
"""The columns of ``Joiner.table``, in this order."""


def schema():
    import polars as pl

    s, i = pl.String, pl.Int64
    return {"order": pl.UInt64, "system": s, "stack": s, "connid": s, "job": s, "user": s,
            "rule": s, "grpid": s, "envid": s, "lip": s, "lport": i, "rip": s, "rport": i,
            "first": pl.Datetime("us"), "last": pl.Datetime("us"), "mapped": pl.Boolean,
            "role_hint": s, "art": s, "lines": pl.List(pl.UInt32)}


def rows_table(joiner):
    """``joiner.table`` or None (a joiner of an older reader has no such attribute)."""
    t = getattr(joiner, "table", None)
    return t if t is not None and t.height else None


def freeze(joiner) -> int:
    """Move every eligible ``Conn`` of ``joiner.conns`` into ``joiner.table`` (after
    the table the read side may have made). Returns how many were moved."""
    if joiner is None:
        return 0
    try:
        import polars as pl
    except ImportError:
        return 0
    held = {id(c) for c in joiner.at.values()}
    keep: list[Conn] = []
    move: list[Conn] = []
    k_, m_ = keep.append, move.append
    for c in joiner.conns:  # healthy and pure: not failing, no record, lines in one artifact
        if c.fail or c.more is not None or c.pos or c.rcs or c.keyring is not None or not c.lines \
                or id(c) in held:
            k_(c)
        else:
            m_(c)
    if not move:
        return 0
    get = attrgetter("order", "system", "stack", "connid", "job", "user", "rule", "grpid", "envid",
                     "first", "last", "mapped", "role_hint", "art")
    names = ("order", "system", "stack", "connid", "job", "user", "rule", "grpid", "envid", "first",
             "last", "mapped", "role_hint", "art")
    cols = dict(zip(names, map(list, zip(*map(get, move)))))
    none = (None, None)
    lo = [c.local or none for c in move]
    re_ = [c.remote or none for c in move]
    cols["lip"], cols["lport"] = (list(x) for x in zip(*lo))
    cols["rip"], cols["rport"] = (list(x) for x in zip(*re_))
    lines = [c.lines for c in move]
    flat = array("I", b"".join(map(bytes, lines)))
    lens = list(map(len, lines))
    sch = schema()
    df = pl.DataFrame(cols, schema={k: sch[k] for k in READ_COLUMNS[:-1]})
    df = df.with_columns(lines=_lists(flat, lens), mapped=pl.col("mapped").fill_null(False))
    old = rows_table(joiner)
    if old is not None:  # the read side's rows first (both in the same types)
        df = pl.concat([old.select(READ_COLUMNS).cast(sch), df], how="vertical")
    joiner.table = df
    joiner.conns = keep
    joiner.by_cid = None
    return len(move)


def _lists(flat: array, lens: list[int]):
    """A List(UInt32) Series from the values one after the other and each list's length."""
    import polars as pl

    vals = pl.Series("v", flat, dtype=pl.Int64).cast(pl.UInt32)
    idx = pl.select(pl.int_range(len(lens), dtype=pl.UInt32).repeat_by(
        pl.Series(lens, dtype=pl.UInt32)).explode()).to_series()
    got = pl.DataFrame({"g": idx, "v": vals}).group_by("g", maintain_order=True).agg(pl.col("v"))
    return got["v"].alias("lines")


def to_conns(df) -> list[Conn]:
    """Read-time ``Conn`` objects for the rows of ``df`` (columns ``READ_COLUMNS``)."""
    out: list[Conn] = []
    if df is None or not df.height:
        return out
    cols = df.select(READ_COLUMNS).to_dict(as_series=False)
    for j in range(df.height):
        c = Conn(cols["system"][j], cols["order"][j], False)
        c.stack = cols["stack"][j]
        c.connid = cols["connid"][j]
        c.job = cols["job"][j]
        c.user = cols["user"][j]
        c.rule = cols["rule"][j]
        c.grpid = cols["grpid"][j]
        c.envid = cols["envid"][j]
        ip = cols["lip"][j]
        c.local = (ip, cols["lport"][j]) if ip is not None else None
        ip = cols["rip"][j]
        c.remote = (ip, cols["rport"][j]) if ip is not None else None
        c.first = cols["first"][j]
        c.last = cols["last"][j]
        c.mapped = bool(cols["mapped"][j])
        c.role_hint = cols["role_hint"][j]
        c.art = cols["art"][j]
        c.lines = array("I", cols["lines"][j] or ())
        out.append(c)
    return out


def thaw(joiner) -> None:
    """Rows back to objects (another file is read into a session already finished:
    its lines may join these connections)."""
    t = rows_table(joiner)
    if t is None:
        return
    back = to_conns(t.sort("order"))
    joiner.table = None
    conns = sorted([*joiner.conns, *back], key=lambda c: c.order)
    joiner.conns = conns
    joiner.by_cid = None


def take(table, picks):
    """Split ``table`` into (Conn objects of the rows some key asks for, the rest).
    ``picks``: a list of (columns, keys): rows whose values in those columns are
    one of the keys (tuples; None matches a missing value)."""
    import polars as pl

    if table is None or not picks:
        return [], table
    t = table.with_row_index("_r")
    hit = None
    for cols, keys in picks:
        if not keys:
            continue
        kdf = pl.DataFrame([list(k) for k in keys], schema={c: table.schema[c] for c in cols},
                           orient="row")
        got = t.select("_r", *cols).join(kdf.unique(), on=list(cols), how="semi", nulls_equal=True)
        hit = got["_r"] if hit is None else pl.concat([hit, got["_r"]])
    if hit is None or not hit.len():
        return [], table
    hit = hit.unique().to_frame()
    taken = t.join(hit, on="_r", how="semi", maintain_order="left").drop("_r")
    rest = t.join(hit, on="_r", how="anti", maintain_order="left").drop("_r")
    return to_conns(taken), rest


def near(table, cols: tuple, wants: dict, pad: int = 0):
    """Row indices of ``table`` that a time-bound lookup may reach: rows whose values
    in ``cols`` are a key of ``wants`` and whose time lies in one of the key's
    windows, with ``pad`` rows either side (in the order of that time, then
    ``order``: what a neighbour search looks at), and every row with no time.
    ``wants``: key -> list of (column "first" or "last", lo, hi); lo None: every
    row of the key."""
    import polars as pl

    if table is None or not wants:
        return None
    kdf = pl.DataFrame([list(k) for k in wants], schema={c: table.schema[c] for c in cols},
                       orient="row")
    sub = table.with_row_index("_r").select("_r", "order", "first", "last", *cols).join(
        kdf, on=list(cols), how="semi", nulls_equal=True)
    if not sub.height:
        return None
    out = []
    parts = sub.partition_by(list(cols), as_dict=True, maintain_order=True)
    lowest = datetime(1, 1, 1)
    for key, part in parts.items():
        qs = wants.get(tuple(key))
        if qs is None:
            continue
        if any(q[1] is None for q in qs):
            out.append(part["_r"])
            continue
        for col in {q[0] for q in qs}:
            s = part.with_columns(fm=pl.col(col).fill_null(lowest)).sort(["fm", "order"])
            fms = s["fm"]
            los = pl.Series([q[1] for q in qs if q[0] == col], dtype=fms.dtype)
            his = pl.Series([q[2] for q in qs if q[0] == col], dtype=fms.dtype)
            a = (fms.search_sorted(los, side="left").cast(pl.Int64) - pad).clip(0)
            b = (fms.search_sorted(his, side="right").cast(pl.Int64) + pad).clip(upper_bound=s.height)
            idx = pl.select(pl.int_ranges(a, pl.max_horizontal(a, b))).to_series().explode().drop_nulls()
            out.append(s["_r"].gather(idx.unique()))
            out.append(s.filter(pl.col(col).is_null())["_r"])
    return pl.concat(out).unique() if out else None


def take_rows(table, hits):
    """``take`` by row indices (``near``'s)."""
    if table is None or hits is None or not hits.len():
        return [], table
    hit = hits.unique().to_frame("_r")
    t = table.with_row_index("_r")
    taken = t.join(hit, on="_r", how="semi", maintain_order="left").drop("_r")
    rest = t.join(hit, on="_r", how="anti", maintain_order="left").drop("_r")
    return to_conns(taken), rest
