"""The connections of a columnar read, joined after every file is read.

ingest/columnar.py leaves, per batch of lines, *runs* of routine lines of one
connection (``Joiner.segs``: one row per run, with the fields of its first line
and what the rest add) and the lines with a CONNID that it takes the long way
(``Joiner.deferred``). Here they become connections, in two ways:

* a (system, CONNID) none of whose lines went the long way, whose runs all come
  from one stack and one file, with times that never go back and never leave a
  day's gap between two runs, is joined in polars. For such a key the join rule
  (``Joiner.join``, ``latest_joinable``) comes down to one thing: a run that
  starts with a map line (EZD1281I) starts a new connection when the connection
  it would join is already mapped, and every other run joins the latest
  connection. So the connection of a run is ``max(maps so far - 1, 0)``, and a
  group-by gives each connection's first and last time, GRPID, ENVID, map
  fields and lines: the rows of ``Joiner.table`` (``READ_SCHEMA``), no Python
  object per connection;
* every other key is joined by the rule itself, run over its runs and long-way
  lines in line order (``Joiner.join`` and ``Joiner._take``): the ``Conn``
  objects of ``Joiner.conns``, as the line-by-line path makes them.

tests/test_columnar.py holds both to the line-by-line path on generated files
with reused, interleaved and contradicting CONNIDs.
"""

from __future__ import annotations

from array import array
from datetime import datetime, timedelta

from tlsworkbench.ingest.attls_fast import _tag_stack
from tlsworkbench.model.conntable import thaw
from tlsworkbench.model.correlate_base import Conn

_DAY = 86400  # REUSE_GAP in seconds
_EPOCH = datetime(1970, 1, 1)
_LOW = (1 << 32) - 1
ROWS_AS_OBJECTS = False
"""True: the rows made Conn objects again (the tests' object-only reading)."""


def settle(j) -> None:
    import polars as pl

    deferred = sorted(j.deferred or (), key=lambda d: d[0])
    j.deferred = None  # the rule joins from here on
    segs = pl.concat(j.segs, how="vertical_relaxed") if j.segs else None
    j.segs = []
    if segs is None:
        for d in deferred:
            j._take(d[1], d[3], d[2], d[0] & ~_LOW)
        return
    if deferred:  # the deferred lines take part as runs of their own, without lines
        segs = pl.concat([segs, _pseudo(j, deferred)], how="diagonal_relaxed").with_columns(
            dfr=pl.col("dfr").fill_null(False), ep=pl.col("ep").fill_null(False))
    else:
        segs = segs.with_columns(dfr=pl.lit(False), ep=pl.lit(False))
    # sorted by key then line; ``kid`` numbers the keys, and per-key running
    # values come from whole-column ones (no window over string keys: slow)
    segs = segs.sort(["sys", "cid", "o"])
    same = ((pl.col("sys") == pl.col("sys").shift(1)) & (pl.col("cid") == pl.col("cid").shift(1))).fill_null(False)
    segs = segs.with_columns(same=same).with_columns(kid=(~pl.col("same")).cast(pl.UInt64).cum_sum())
    t0 = segs["tmin"].min()
    # the largest tmax of the key before this run: kid << 32 | (tmax - t0), cumulated
    kid = pl.col("kid").cast(pl.Int64) * (1 << 32)
    packed = (kid + (pl.col("tmax") - t0)).cum_max()
    prev_max = pl.when(pl.col("same")).then(packed.shift(1) - kid + t0)
    m = (pl.col("d") == "1").cast(pl.UInt32)
    msum = m.cum_sum()
    maps = msum - pl.when(~pl.col("same")).then(msum - m).forward_fill()  # maps so far in the key
    segs = segs.with_columns(cn=(maps.cast(pl.Int64) - 1).clip(lower_bound=0), maps=maps)
    odd = (pl.col("same") & ((pl.col("stack") != pl.col("stack").shift(1))
                             | (pl.col("a") != pl.col("a").shift(1))
                             | (pl.col("tmin") < prev_max) | (pl.col("ts") > prev_max + _DAY)).fill_null(False)
           | pl.col("ts").is_null()
           # a line with endpoints (EZD1286I) in a connection not mapped yet: a later
           # map line may not join it, the rule decides
           | (pl.col("ep") & (pl.col("maps") == 0)))
    odd_k = segs.filter(odd)["kid"].unique().implode()
    # a connection with a deferred line is joined by the rule, the rest of its key in polars
    gid = pl.col("kid").cast(pl.Int64) * (1 << 32) + pl.col("cn")
    py = segs.filter(pl.col("dfr") & ~pl.col("kid").is_in(odd_k)).select(gid)["kid"].unique().implode()
    segs = segs.with_columns(odd=pl.col("kid").is_in(odd_k) | gid.is_in(py)).filter(~pl.col("dfr"))
    rule = segs.filter(pl.col("odd")).sort("o")
    simple = segs.filter(~pl.col("odd"))
    del segs
    _replay(j, rule, deferred)
    table = _bulk(simple) if simple.height else None
    if j.table is not None and table is not None:
        table = pl.concat([j.table, table], how="vertical")
    j.table = table if table is None or table.height else None
    if ROWS_AS_OBJECTS:
        thaw(j)


def _pseudo(j, deferred: list):
    """The deferred lines as runs without lines (``dfr``), for the analysis of their keys:
    ``d`` "1" for a map line, ``ep`` for a line with endpoints (EZD1286I)."""
    import polars as pl

    rows = {"o": [], "a": [], "sys": [], "cid": [], "stack": [], "d": [], "ts": [], "ep": []}
    for o, g, aid, _n in deferred:
        t = j._time(g[0])
        rows["o"].append(o)
        rows["a"].append(aid)
        rows["sys"].append(g[1])
        rows["cid"].append(g[8] or g[9] or g[10] or g[22])
        rows["stack"].append(g[3] or _tag_stack(g[2]))
        rows["d"].append("1" if g[10] is not None else "x")
        rows["ts"].append(None if t is None else (t - _EPOCH) // timedelta(seconds=1))
        rows["ep"].append(g[25] is not None)
    f = pl.DataFrame(rows, schema={"o": pl.UInt64, "a": pl.String, "sys": pl.String, "cid": pl.String,
                                   "stack": pl.String, "d": pl.String, "ts": pl.Int64, "ep": pl.Boolean})
    return f.with_columns(tmin=pl.col("ts"), tmax=pl.col("ts"), dfr=pl.lit(True))


def _bulk(simple):
    """The connections of the keys joined in polars (see the module's notes)."""
    import polars as pl

    first_map = (pl.col("d") == "1")
    simple = simple.with_columns(  # still in key and line order
        same=((pl.col("sys") == pl.col("sys").shift(1)) & (pl.col("cid") == pl.col("cid").shift(1)))
        .fill_null(False))
    # most connections are one run: those are rows as they are, only the others are grouped
    start = (~pl.col("same") | (pl.col("cn") != pl.col("cn").shift(1))).fill_null(True)
    simple = simple.with_columns(start=start).with_columns(
        alone=pl.col("start") & pl.col("start").shift(-1).fill_null(True))
    names = ("sys", "cid", "order", "stack", "first", "last", "grpid", "envid",
             "li", "lp", "ri", "rp", "job", "user", "typ", "rule", "mapped", "art", "lines")
    one = simple.filter(pl.col("alone")).select(
        "sys", "cid", pl.col("o").alias("order"), "stack", pl.col("tmin").alias("first"),
        pl.col("tmax").alias("last"), pl.col("g").alias("grpid"), pl.col("e").alias("envid"),
        "li", "lp", "ri", "rp", "job", "user", "typ", "rule", first_map.alias("mapped"),
        pl.col("a").alias("art"), "lines")
    many = simple.filter(~pl.col("alone"))
    del simple
    conns = one
    if many.height:
        grouped = many.group_by(["kid", "cn"]).agg(
            pl.col("sys").first(), pl.col("cid").first(),
            pl.col("o").first().alias("order"), pl.col("stack").first(),
            pl.col("tmin").min().alias("first"), pl.col("tmax").max().alias("last"),
            pl.col("g").drop_nulls().first().alias("grpid"), pl.col("e").drop_nulls().first().alias("envid"),
            *(pl.col(c).filter(first_map).first().alias(c) for c in
              ("li", "lp", "ri", "rp", "job", "user", "typ", "rule")),
            first_map.any().alias("mapped"), pl.col("a").first().alias("art"),
            pl.col("lines").list.explode(keep_nulls=False, empty_as_null=False).alias("lines"))
        conns = pl.concat([one, grouped.select(names)], how="vertical_relaxed")
    typ = pl.col("typ").str.to_lowercase()
    us = pl.Datetime("us")
    return conns.sort("order").select(
        "order", pl.col("sys").alias("system"), "stack", pl.col("cid").alias("connid"), "job", "user",
        "rule", "grpid", "envid", pl.col("li").alias("lip"), pl.col("lp").cast(pl.Int64).alias("lport"),
        pl.col("ri").alias("rip"), pl.col("rp").cast(pl.Int64).alias("rport"),
        (pl.col("first") * 1_000_000).cast(us).alias("first"),
        (pl.col("last") * 1_000_000).cast(us).alias("last"), "mapped",
        pl.when(typ.str.starts_with("in")).then(pl.lit("server"))
        .when(typ.str.starts_with("out")).then(pl.lit("client")).otherwise(None).alias("role_hint"),
        "art", pl.col("lines").cast(pl.List(pl.UInt32)))


def _replay(j, rule, deferred: list) -> None:
    """The runs of ``rule`` and the deferred lines through the join rule, in line order."""
    cols = rule.to_dict(as_series=False) if rule.height else None
    k_seg = rule.height
    a = b = 0
    join = j.join
    by_cid = j.by_cid if j.by_cid is not None else {}
    j.by_cid = by_cid
    dts: dict = {}

    def dt(s):
        d = dts.get(s)
        if d is None:
            d = dts[s] = _EPOCH + timedelta(seconds=s)
        return d

    while a < k_seg or b < len(deferred):
        if b < len(deferred) and (a >= k_seg or deferred[b][0] < cols["o"][a]):
            o, g, aid, n = deferred[b]
            j._take(g, n, aid, o & ~_LOW)
            b += 1
            continue
        o = cols["o"][a]
        aid = cols["a"][a]
        n = o & _LOW
        base = o & ~_LOW
        d = cols["d"][a]
        t0 = dt(cols["ts"][a])
        system, cid, stack = cols["sys"][a], cols["cid"][a], cols["stack"][a]
        if d == "1":
            local = (cols["li"][a], cols["lp"][a])
            remote = (cols["ri"][a], cols["rp"][a])
            c = join(system, stack, cid, "EZD1281I", local, remote, t0, None, None,
                     (cols["job"][a], cols["user"][a], cols["typ"][a], cols["rule"][a]), o, aid)
        elif d == "5":
            c = join(system, stack, cid, None, None, None, t0, None, None, None, o, aid)
        else:
            c = join(system, stack, cid, None, None, None, t0, cols["g0"][a], cols["e0"][a], None, o, aid)
        lines = cols["lines"][a]
        a += 1
        if len(lines) > 1:
            got = by_cid.get((system, cid))
            if (got if type(got) is Conn else got[-1]) is not c:
                # joined an older connection of the CONNID: the rest line by line
                _add(c, aid, n)
                texts = dict(j.arts[aid].some_lines(lines[1:]))
                for k in lines[1:]:
                    j.one(k, texts.get(k, ""), aid, base)
                continue
            tmin, tmax = cols["tmin"][a - 1], cols["tmax"][a - 1]
            if tmin != cols["ts"][a - 1]:
                tmin = dt(tmin)
                if c.first is None or tmin < c.first:
                    c.first = tmin
            if tmax != cols["ts"][a - 1]:
                tmax = dt(tmax)
                if c.last is None or tmax > c.last:
                    c.last = tmax
            g, e = cols["g"][a - 1], cols["e"][a - 1]
            if c.grpid is None and g is not None:
                c.grpid = g
            if c.envid is None and e is not None:
                c.envid = e
        if c.art == aid:
            c.lines.extend(lines)
        else:
            for k in lines:
                _add(c, aid, k)


def _add(c: Conn, aid: str, n: int) -> None:
    if c.art != aid:
        if c.more is None:
            c.more = {}
        c.more.setdefault(aid, array("I")).append(n)
    else:
        c.lines.append(n)

