"""The end of correlation for the connections kept as rows (model/conntable.py):
peers among rows, ids in order of first appearance over objects and rows, role
and key ring from the policy, in polars; the result is a ``ConnSet``.

What ``correlate._Builder._finish`` does for each object, done here for the rows
as a whole: the same rules (``correlate_base.role_from_ports``, ``owned``, the
peer rule of ``_peers`` for the common case of one connection on each side).
"""

from __future__ import annotations

from array import array

from .conntable import to_conns
from .connset import ROW_COLUMNS, ConnSet
from .correlate_base import WELL_KNOWN

_KEY = ("lip", "lport", "rip", "rport")
_BACK = {"lip": "rip", "lport": "rport", "rip": "lip", "rport": "lport"}


def split_pairs(rows, by_pair: dict, window):
    """Settle peers among rows: returns (Conn objects for the rows whose pairing
    needs the Python rule of ``_peers``: a group of swapped endpoints with more
    than one connection on a side or with an object in it; the rest of the rows,
    sorted by ``order``, with column ``_peer``: the row index of its peer in that
    table, or null)."""
    import polars as pl

    rows = rows.sort("order").with_row_index("_r")
    full = rows.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in _KEY))
    objkeys = [(lo[0], lo[1], re_[0], re_[1]) for (lo, re_) in by_pair
               if lo and re_ and lo[1] is not None and re_[1] is not None]
    none = pl.lit(None, dtype=pl.UInt32)
    if not full.height:
        return [], rows.with_columns(_peer=none).drop("_r")
    cnt = full.group_by(list(_KEY)).agg(nk=pl.len())
    back = cnt.rename({**_BACK, "nk": "nb"})
    f = full.select("_r", "first", *_KEY).join(cnt, on=list(_KEY), how="left").join(
        back, on=list(_KEY), how="left").with_columns(pl.col("nb").fill_null(0))
    if objkeys:
        ok = pl.DataFrame(objkeys, schema={k: rows.schema[k] for k in _KEY}, orient="row").unique()
        ok = ok.with_columns(objk=pl.lit(True))
        f = f.join(ok, on=list(_KEY), how="left").join(
            ok.rename({**_BACK, "objk": "objb"}), on=list(_KEY), how="left")
        f = f.with_columns(pl.col("objk").fill_null(False), pl.col("objb").fill_null(False))
    else:
        f = f.with_columns(objk=pl.lit(False), objb=pl.lit(False))
    same = (pl.col("lip") == pl.col("rip")) & (pl.col("lport") == pl.col("rport"))
    hard = ((pl.col("nb") > 0) | pl.col("objb")) & (
        (pl.col("nk") > 1) | (pl.col("nb") > 1) | pl.col("objk") | pl.col("objb") | same)
    hard_r = f.filter(hard)["_r"]
    simple = f.filter(~hard & (pl.col("nb") == 1))
    # one row on each side: paired when their first times are within the window
    other = simple.select(*[pl.col(k).alias(_BACK[k]) for k in _KEY], _o=pl.col("_r"),
                          ofirst=pl.col("first"))
    m = simple.join(other, on=list(_KEY), how="inner")
    near = (pl.col("first").is_null() | pl.col("ofirst").is_null()
            | ((pl.col("first") - pl.col("ofirst")).abs() <= pl.lit(window)))
    m = m.filter(near).select("_r", "_o")
    promoted = []
    if hard_r.len():
        hard_df = hard_r.to_frame()
        promoted = to_conns(rows.join(hard_df, on="_r", how="semi", maintain_order="left"))
        rows = rows.join(hard_df, on="_r", how="anti", maintain_order="left")
        for c in promoted:
            c.reset()
            if c.local and c.remote:
                by_pair.setdefault((c.local, c.remote), []).append(c)
    rows = rows.join(m, on="_r", how="left")
    # ``_o`` is an index before the hard rows were taken out: renumber
    rows = rows.with_columns(_new=pl.int_range(pl.len(), dtype=pl.UInt32))
    remap = rows.select(_o=pl.col("_r"), _peer=pl.col("_new"))
    rows = rows.join(remap, on="_o", how="left").sort("_new").drop("_r", "_o", "_new")
    return promoted, rows


def ids_and_slot(obj_orders: list[int], rows):
    """Positions of the objects (sorted by ``order``) and of the rows (sorted by
    ``order``) in the whole set; ``slot`` as ConnSet wants it."""
    import numpy as np

    ro = rows["order"].to_numpy() if rows is not None and rows.height else np.zeros(0, np.uint64)
    oo = np.asarray(obj_orders, dtype=np.uint64)
    obj_pos = np.searchsorted(ro, oo, side="left") + np.arange(len(oo))
    row_pos = np.searchsorted(oo, ro, side="left") + np.arange(len(ro))
    slot = np.empty(len(oo) + len(ro), dtype=np.int64)
    slot[row_pos] = np.arange(len(ro))
    slot[obj_pos] = ~np.arange(len(oo))
    return obj_pos.tolist(), row_pos, array("q", slot.tobytes())


def finish_rows(rows, row_pos, roles: dict, policy):
    """The rows' table in ``ROW_COLUMNS``: ids, peers, role and key ring."""
    import polars as pl

    rows = rows.with_columns(pos=pl.Series(row_pos, dtype=pl.Int64))
    rows = rows.with_columns(id=pl.lit("c") + (pl.col("pos") + 1).cast(pl.String))
    ids = rows["id"]
    rows = rows.with_columns(peer=pl.when(pl.col("_peer").is_not_null()).then(
        ids.gather(rows["_peer"].fill_null(0))).otherwise(None))
    # the policy's role and key ring, asked once per (rule, system)
    combos = rows.filter(pl.col("rule").is_not_null()).select("rule", "system").unique()
    got = []
    for rule, system in combos.iter_rows():
        r = roles.get((rule, system))
        if r is None:
            r = roles[(rule, system)] = policy.lookup(rule, system)
        got.append((rule, system, r[0], r[1] or None))
    pol = pl.DataFrame(got, schema={"rule": pl.String, "system": rows.schema["system"],
                                    "prole": pl.String, "pkr": pl.String}, orient="row")
    rows = rows.join(pol, on=["rule", "system"], how="left", nulls_equal=True, maintain_order="left")
    lp, rp = pl.col("lport"), pl.col("rport")
    lwk, rwk = lp.is_in(list(WELL_KNOWN)), rp.is_in(list(WELL_KNOWN))
    by_ports = (pl.when(pl.col("lip").is_null() | pl.col("rip").is_null() | lp.is_null() | rp.is_null())
                .then(None)
                .when(lwk & ~rwk).then(pl.lit("server"))
                .when(rwk & ~lwk).then(pl.lit("client"))
                .when((lp < 1024) & (rp >= 1024)).then(pl.lit("server"))
                .when((rp < 1024) & (lp >= 1024)).then(pl.lit("client"))
                .otherwise(None))
    kr, user = pl.col("pkr"), pl.col("user")
    keyring = (pl.when(kr.is_null()).then(None)
               .when(kr.str.contains("/", literal=True) | kr.str.starts_with("*")
                     | user.is_null() | (user == "")).then(kr)
               .otherwise(user + pl.lit("/") + kr))
    rows = rows.with_columns(role=pl.coalesce(pl.col("prole"), by_ports, pl.col("role_hint")),
                             keyring=keyring)
    return rows.select(ROW_COLUMNS)


def conn_set(objs, rows, slot):
    return ConnSet(objs, rows, slot) if rows is not None and rows.height else ConnSet(objs)
