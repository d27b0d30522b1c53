"""The end of correlation for the connections kept as rows (model/conntable.py):
peers among rows, ids in order of first appearance over objects and rows, role
and key ring from the policy, in polars; the result is a ``ConnSet``.

What ``correlate._Builder._finish`` does for each object, done here for the rows
as a whole: the same rules (``correlate_base.role_from_ports``, ``owned``, the
peer rule of ``_peers`` for the common case of one connection on each side).
"""

from __future__ import annotations

from array import array
from datetime import datetime

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
    table, or null).

    The groups are found on a 64-bit hash of the endpoints (a small frame, not
    the table): a collision only makes a group look bigger, which sends it to
    the Python rule; a pair of single rows is checked on the endpoints themselves."""
    import polars as pl

    if not rows["order"].is_sorted():
        rows = rows.sort("order")
    n = rows.height
    known = pl.all_horizontal(pl.col(k).is_not_null() for k in _KEY)
    small = rows.select(
        _r=pl.int_range(pl.len(), dtype=pl.UInt32), first=pl.col("first"), ok=known,
        kh=_hash("lip", "lport", "rip", "rport"), bh=_hash("rip", "rport", "lip", "lport"),
        same=(pl.col("lip") == pl.col("rip")) & (pl.col("lport") == pl.col("rport")),
    ).filter(pl.col("ok"))
    peer = pl.repeat(None, n, dtype=pl.UInt32, eager=True)
    if not small.height:
        return [], rows.with_columns(_peer=peer)
    cnt = small.group_by("kh").agg(nk=pl.len())
    objkeys = [(lo[0], lo[1], re_[0], re_[1]) for (lo, re_) in by_pair
               if lo and re_ and lo[1] is not None and re_[1] is not None]
    if objkeys:
        od = pl.DataFrame(objkeys, schema={k: rows.schema[k] for k in _KEY}, orient="row")
        objh = od.select(h=_hash("lip", "lport", "rip", "rport"))["h"].unique()
    else:
        objh = pl.Series("h", [], dtype=pl.UInt64)
    f = small.join(cnt, on="kh", how="left", maintain_order="left").join(
        cnt.rename({"kh": "bh", "nk": "nb"}), on="bh", how="left", maintain_order="left").with_columns(
        pl.col("nb").fill_null(0), objk=pl.col("kh").is_in(objh.implode()),
        objb=pl.col("bh").is_in(objh.implode()))
    hard = ((pl.col("nb") > 0) | pl.col("objb")) & (
        (pl.col("nk") > 1) | (pl.col("nb") > 1) | pl.col("objk") | pl.col("objb") | pl.col("same"))
    hard_r = f.filter(hard)["_r"]
    simple = f.filter(~hard & (pl.col("nb") == 1)).select("_r", "first", "kh", "bh")
    if simple.height:
        # one row on each side: paired when their first times are within the window
        m = simple.join(simple.select(bh=pl.col("kh"), _o=pl.col("_r"), ofirst=pl.col("first")),
                        on="bh", how="inner")
        near = (pl.col("first").is_null() | pl.col("ofirst").is_null()
                | ((pl.col("first") - pl.col("ofirst")).abs() <= pl.lit(window)))
        m = m.filter(near).select("_r", "_o")
        if m.height:  # the endpoints themselves swapped (not only their hashes)
            keys = rows.select(_KEY).with_row_index("_r")
            m = m.join(keys, on="_r").join(
                keys.rename({"_r": "_o", **{k: "o_" + _BACK[k] for k in _KEY}}), on="_o")
            m = m.filter(pl.all_horizontal(pl.col(k) == pl.col("o_" + k) for k in _KEY))
            peer = peer.scatter(m["_r"], m["_o"])
    promoted = []
    if hard_r.len():
        keep = pl.repeat(True, n, dtype=pl.Boolean, eager=True).scatter(hard_r, False)
        promoted = to_conns(rows.filter(~keep))
        rows = rows.filter(keep)
        newidx = keep.cast(pl.Int64).cum_sum() - 1
        peer = newidx.gather(peer).cast(pl.UInt32).filter(keep)
        for c in promoted:
            c.reset()
            if c.local and c.remote:
                by_pair.setdefault((c.local, c.remote), []).append(c)
    return promoted, rows.with_columns(_peer=peer)


def _hash(a: str, b: str, c: str, d: str):
    import polars as pl

    return pl.concat_str([pl.col(a), pl.col(b).cast(pl.String), pl.col(c), pl.col(d).cast(pl.String)],
                         separator="|").hash(seed=13)


def ids_and_slot(obj_orders: list[int], rows):
    """Positions of the objects (sorted by ``order``) and of the rows (sorted by
    ``order``) in the whole set; ``slot`` as ConnSet wants it."""
    import polars as pl

    ro = rows["order"].cast(pl.UInt64)
    oo = pl.Series(obj_orders, dtype=pl.UInt64)
    obj_pos = (ro.search_sorted(oo, side="left").cast(pl.Int64)
               + pl.int_range(len(oo), dtype=pl.Int64, eager=True))
    row_pos = (oo.search_sorted(ro, side="left").cast(pl.Int64)
               + pl.int_range(len(ro), dtype=pl.Int64, eager=True))
    slot = pl.repeat(0, len(oo) + len(ro), dtype=pl.Int64, eager=True)
    slot = slot.scatter(row_pos, pl.int_range(len(ro), dtype=pl.Int64, eager=True))
    slot = slot.scatter(obj_pos, -1 - pl.int_range(len(oo), dtype=pl.Int64, eager=True))
    return obj_pos.to_list(), row_pos, array("q", slot.to_list())


def finish_rows(rows, row_pos, roles: dict, policy, env_kr: dict | None = None):
    """The rows' table in ``ROW_COLUMNS``: ids, peers, role and key ring (of the
    environment's key ring line before the connection started (``env_kr``:
    (system, GRPID, ENVID) -> (times, key rings), as ``_attach_env`` gives it to
    objects), else of the policy)."""
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
    got = rows.select("rule", "system").join(pol, on=["rule", "system"], how="left",
                                             nulls_equal=True, maintain_order="left")
    rows = rows.with_columns(got["prole"], got["pkr"])
    lp, rp = pl.col("lport"), pl.col("rport")
    lwk, rwk = lp.is_in(list(WELL_KNOWN)), rp.is_in(list(WELL_KNOWN))
    by_ports = (pl.when(pl.col("lip").is_null() | pl.col("rip").is_null() | lp.is_null() | rp.is_null())
                .then(None)
                .when(lwk & ~rwk).then(pl.lit("server"))
                .when(rwk & ~lwk).then(pl.lit("client"))
                .when((lp < 1024) & (rp >= 1024)).then(pl.lit("server"))
                .when((rp < 1024) & (lp >= 1024)).then(pl.lit("client"))
                .otherwise(None))
    rows = rows.with_columns(ekr=_env_keyrings(rows, env_kr or {}))
    kr, user = pl.coalesce(pl.col("ekr"), pl.col("pkr")), pl.col("user")
    keyring = (pl.when(kr.is_null()).then(None)
               .when(kr.str.contains("/", literal=True) | kr.str.starts_with("*")
                     | user.is_null() | (user == "")).then(kr)
               .otherwise(user + pl.lit("/") + kr))
    rows = rows.with_columns(role=pl.coalesce(pl.col("prole"), by_ports, pl.col("role_hint")),
                             keyring=keyring)
    return rows.select(ROW_COLUMNS)


def conn_set(objs, rows, slot):
    return ConnSet(objs, rows, slot) if rows is not None and rows.height else ConnSet(objs)


def _env_keyrings(rows, env_kr: dict):
    """Per row, the key ring of its environment's last key ring line at or before
    its first time (the first line when none is before; the last when it has no time)."""
    import polars as pl

    out = pl.repeat(None, rows.height, dtype=pl.String, eager=True)
    if not env_kr or not rows.height:
        return out
    cols = ["system", "grpid", "envid"]
    kdf = pl.DataFrame([list(k) for k in env_kr], schema={c: rows.schema[c] for c in cols},
                       orient="row")
    sub = rows.select(cols + ["first"]).with_row_index("_i").join(
        kdf, on=cols, how="semi", nulls_equal=True)
    for key, part in sub.partition_by(cols, as_dict=True, maintain_order=True).items():
        got = env_kr.get(tuple(key))
        if got is None:
            continue
        times, krs = got
        ts = pl.Series(times, dtype=part["first"].dtype)
        first = part["first"].fill_null(datetime.max)
        i = (ts.search_sorted(first, side="right").cast(pl.Int64) - 1).clip(0)
        out = out.scatter(part["_i"], pl.Series(krs, dtype=pl.String).gather(i))
    return out
