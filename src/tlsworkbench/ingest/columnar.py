"""The bulk pass over the routine AT-TLS trace lines of a big syslogd file, in polars.

At trace level 255 nearly every line of such a file is a routine line of a
healthy connection (EZD1281I map, EZD1282I start, EZD1283I event with RC 0,
EZD1284I flow, EZD1285I data). A per-line Python loop over them
(``Joiner.filter_blocks``) costs seconds per million lines; here the lines are
taken in batches (``BATCH_LINES``) into a polars Series and:

1. one anchored pattern (``ROUTINE``, no captures: run by the regex DFA) picks
   the lines that are routine for certain: canonical BSD header, the layouts
   ``attls_fast._LINE`` takes as routine, printable ASCII only (so that the
   Rust and the Python meanings of ``\\S``, ``\\w`` and ``\\d`` agree), RC 0,
   no ``GSK_KEYRING_FILE``, not CONNID 00000000, ports a port can be;
2. their fields are cut out with literal finds and two short patterns;
3. they are sorted by (system, CONNID) and cut into *segments*: runs of lines
   of one connection that certainly join the connection the first line of the
   run joins (no EZD1281I inside, one stack, no day between two lines, no line
   of that CONNID handled the long way in between).

Nothing is joined here: each batch's segments are kept as a polars frame
(``Joiner.segs``) and the lines with a CONNID that go the long way are
classified by ``Joiner.one`` (which defers their join: ``Joiner.deferred``).
After every file is read, ingest/columnar_settle.py joins them: in polars for
the keys with nothing odd (rows of ``Joiner.table``, no Python object per
healthy connection), by the join rule (``Joiner.join``) in line order for the
rest. Every other line keeps the reference path: a BSD-headered line of another
daemon with nothing the reader reads is counted in bulk, and any other line
goes to the reader. The stream handed to the reader is the one
``Joiner.filter_blocks`` makes: the same lines, and ``(plain, routine)`` counts
before the next line the reader sees.

The cost in Python is per line handed to the reader, not per line or per
connection; memory is one batch of text plus the segments (about 32 MB for
200,000 connections). Measured in docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from tlsworkbench.ingest.attls_fast import _LINE, _TOKENS, NULL_ID, Joiner

BATCH_LINES = 1 << 16
"""Lines per polars batch: about 12 MiB of text at 190 bytes a line (a bigger
batch is hardly faster and holds more: 1 << 18 peaked 160 MB higher at 1M lines)."""
_DAY = 86400  # REUSE_GAP in seconds

# The header as attls_fast._LINE has it, then the message id (Rust regex syntax).
_H = (r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ [^\s\[:]+(?:\[\d+\])?: "
      r"(?:\d\d:\d\d:\d\d [A-Z0-9$#@]{1,8} +)?EZD128")
_G = r"I TTLS \w+ +GRPID: [0-9A-F]{8} ENVID: [0-9A-F]{8} CONNID: [0-9A-F]{8} "
ROUTINE = (_H + r"(?:2" + _G + r"[A-Za-z]+(?: [A-Za-z]+)* ACTIONS: "
           r"|3" + _G + r"RC: +0+ [A-Za-z]"
           r"|4" + _G + r"RC: +0+ (?:Call|Get|Set) \S+ -"
           r"|1I TTLS \w+ +CONNID: [0-9A-F]{8} LOCAL: [0-9A-Fa-f:.]+\.\.\d{1,5} "
           r"REMOTE: [0-9A-Fa-f:.]+\.\.\d{1,5} JOBNAME: [A-Z0-9$#@]+ USERID: [A-Z0-9$#@]+ "
           r"TYPE: [A-Za-z]+ STATUS: [A-Za-z]+(?: [A-Za-z]+)? RULE: [^\s:]+ ACTIONS: "
           r"|5I TTLS \w+ +CONNID: [0-9A-F]{8} \S+ \S+)[\x20-\x7e]*$")
"""A routine line for certain (the short branches and EZD1281I of ``_LINE``).
In EZD1281I the fields are narrower than ``_LINE``'s ``\\S+`` (an address,
letters, a rule without a colon), so that each one ends where the next field
name starts and literal finds cut them out; a line outside goes the long way."""
_HEAD = (r"^(?<tm>.{15}) (?<sys>\S+) (?<tag>[^\s\[:]+(?:\[\d+\])?): "
         r"(?:\d\d:\d\d:\d\d (?<stk>[A-Z0-9$#@]{1,8}) +)?EZD128(?<d>\d)I")
_PLAIN = (r"^(?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? "
          r"\S+ [^\s\[:]+(?:\[\d+\])?:[\x20-\x7e]*$")
"""A headered line the reader would only count (with no ``_TOKENS`` in it; the
header of ``attls_fast._NOTE``)."""
_EPOCH = datetime(1970, 1, 1)
_SEG_COLS = ("i", "d", "sys", "cid", "stack", "ts", "lines", "tmin", "tmax", "g0", "e0", "g", "e",
             "li", "lp", "ri", "rp", "job", "user", "typ", "rule")


def available() -> bool:
    try:
        import polars  # noqa: F401
    except ImportError:
        return False
    return True


def filter_columnar(joiner: Joiner, blocks: Iterable[tuple[int, list[str]]], art,
                    art_idx: int, batch_lines: int | None = None) -> Iterator:
    """``Joiner.filter_blocks`` with the bulk of the lines done in polars."""
    joiner.art_idx[art.id] = art_idx
    joiner.arts[art.id] = art
    if joiner.by_cid is None:
        joiner.by_cid = joiner.cid_map()
    st = _State(joiner, art, art_idx)
    batch_lines = batch_lines or BATCH_LINES
    batch: list[str] = []
    first = None
    for n, texts in blocks:
        if first is not None and n != first + len(batch):  # not consecutive: a batch of its own
            yield from st.batch(first, batch)
            batch, first = [], None
        if first is None:
            first = n
        batch.extend(texts)
        if len(batch) >= batch_lines:
            yield from st.batch(first, batch)
            batch, first = [], None
    if batch:
        yield from st.batch(first, batch)
    yield from st.close()


class _State:
    """What goes on from one batch to the next: the counts the reader has not
    been told yet and the time conversions."""

    def __init__(self, joiner: Joiner, art, art_idx: int):
        self.j = joiner
        self.art = art
        self.aid = art.id
        self.base = art_idx << 32
        self.plain = 0
        self.lazy = 0
        self.told = 0
        self.secs: dict[str, int | None] = {}  # header time -> seconds since 1970 (None: no time)
        if joiner.deferred is None:
            joiner.deferred = []

    def close(self) -> Iterator:
        if self.plain or self.lazy != self.told:
            yield self.plain, self.lazy - self.told
        self.j.lazy += self.lazy
        self.art.records += self.lazy
        self.j.times.clear()

    def _secs(self, keys) -> list:
        out = []
        secs = self.secs
        for k in keys:
            v = secs.get(k, False)
            if v is False:
                t = self.j._time(k)
                v = secs[k] = None if t is None else (t - _EPOCH) // timedelta(seconds=1)
            out.append(v)
        if len(secs) > 200_000:
            secs.clear()
        return out

    # -- one batch -------------------------------------------------------------------
    def batch(self, first: int, texts: list[str]) -> Iterator:
        try:
            seg, rest, before = self._frames(first, texts)
        except Exception:  # a bug or a polars limit, not bad input: read the batch line by line
            import logging

            logging.getLogger(__name__).exception("columnar pass failed; lines %d- read one by one", first)
            yield from self._slow(first, texts)
            return
        yield from self._stream(first, texts, seg, rest, before)

    def _slow(self, first: int, texts: list[str]) -> Iterator:
        """The batch line by line (``Joiner.one``), the same stream to the reader."""
        j, aid, base = self.j, self.aid, self.base
        for k, text in enumerate(texts):
            n = first + k
            if "CONNID: " in text and j.one(n, text, aid, base) is True:
                self.lazy += 1
                continue
            if self.plain or self.lazy != self.told:
                yield self.plain, self.lazy - self.told
                self.plain, self.told = 0, self.lazy
            yield n, text

    def _frames(self, first: int, texts: list[str]):
        """(segments, the other lines, routine lines before each other line) of a batch."""
        import polars as pl

        s = pl.Series("t", texts, dtype=pl.String)
        t = pl.col("t")
        df = pl.DataFrame({"t": s, "ok": s.str.contains(ROUTINE)}).with_row_index("i", first)  # i: line number
        rt = df.filter(pl.col("ok")).select(
            "i", t.str.extract_groups(_HEAD).alias("h"),
            t.str.find("CONNID: ", literal=True).alias("cp"),
            t.str.find("GRPID: ", literal=True).alias("gp"),
            t.str.contains("GSK_KEYRING_FILE", literal=True).alias("kr"),
            t.str.contains_any(["Call ", "Get ", "Set "]).alias("fn"),
            "t").unnest("h")
        rt = rt.with_columns(
            cid=t.str.slice(pl.col("cp") + 8, 8),
            g=t.str.slice(pl.col("gp") + 7, 8),
            e=t.str.slice(pl.col("gp") + 23, 8),
            stack=pl.coalesce("stk", pl.col("tag").str.split("[").list.first().str.to_uppercase()),
        )
        fp = {k: t.str.find(k, literal=True) for k in
              ("LOCAL: ", " REMOTE: ", " JOBNAME: ", " USERID: ", " TYPE: ", " STATUS: ", " RULE: ",
               " ACTIONS: ")}

        def cut(a: str, b: str):  # the text between two field names
            return t.str.slice(fp[a] + len(a), fp[b] - fp[a] - len(a))

        maps = rt.filter(pl.col("d") == "1").select(
            "i", loc=cut("LOCAL: ", " REMOTE: "), rem=cut(" REMOTE: ", " JOBNAME: "),
            job=cut(" JOBNAME: ", " USERID: "), user=cut(" USERID: ", " TYPE: "),
            typ=cut(" TYPE: ", " STATUS: "), rule=cut(" RULE: ", " ACTIONS: "))
        maps = maps.with_columns(
            li=pl.col("loc").str.extract(r"^(.*)\.\.", 1), lp=pl.col("loc").str.extract(r"\.\.(\d+)$", 1),
            ri=pl.col("rem").str.extract(r"^(.*)\.\.", 1), rp=pl.col("rem").str.extract(r"\.\.(\d+)$", 1),
        ).with_columns(pl.col("lp").cast(pl.Int64, strict=False), pl.col("rp").cast(pl.Int64, strict=False),
                       li=_norm_ip(pl.col("li")), ri=_norm_ip(pl.col("ri")))
        bad_map = maps.filter(pl.col("lp").is_null() | pl.col("rp").is_null()
                              | (pl.col("lp") > 65535) | (pl.col("rp") > 65535))["i"]
        if bad_map.len():
            maps = maps.filter(~pl.col("i").is_in(bad_map.implode()))
        tm_u = rt["tm"].unique()
        secs = rt["tm"].replace_strict(tm_u, pl.Series(self._secs(tm_u.to_list()), dtype=pl.Int64),
                                       return_dtype=pl.Int64).cast(pl.Int64)
        # the lines taken the long way after all (see the module's notes)
        bad = ((pl.col("cid") == NULL_ID) | pl.col("sys").str.contains(":", literal=True)
               | ((pl.col("d") == "4") & pl.col("kr")) | ((pl.col("d") == "3") & pl.col("fn"))
               | pl.col("ts").is_null())
        if bad_map.len():
            bad = bad | pl.col("i").is_in(bad_map.implode())
        rt = rt.with_columns(ts=secs).with_columns(bad=bad)
        good = rt.filter(~pl.col("bad")).select("i", "sys", "cid", "stack", "d", "ts",
                                                g=pl.when(pl.col("d").is_in(["2", "3", "4"])).then("g"),
                                                e=pl.when(pl.col("d").is_in(["2", "3", "4"])).then("e"))
        # every other line: plain (counted), long way (has a CONNID) or the reader's
        other = df.filter(~pl.col("ok")).select("i", "t")
        badr = rt.filter(pl.col("bad"))
        if badr.height:
            other = pl.concat([other, badr.select("i", "t")]).sort("i")
        rest = other.select(
            "i", "t",
            plain=t.str.contains(_PLAIN) & ~t.str.contains_any(list(_TOKENS)),
            cid=t.str.contains("CONNID: ", literal=True))
        # keys of the lines that go the long way and may join a connection
        long_i = rest.filter(pl.col("cid"))["i"].to_list()
        long_keys = []
        for i in long_i:
            m = _LINE.match("\n" + texts[i - first])
            if m is not None:
                g = m.groups()
                cid = g[8] or g[9] or g[10] or g[22]
                if cid is not None:
                    long_keys.append((i, g[1], cid))
        barrier = pl.DataFrame({"i": [k[0] for k in long_keys], "sys": [k[1] for k in long_keys],
                                "cid": [k[2] for k in long_keys]},
                               schema={"i": pl.UInt32, "sys": pl.String, "cid": pl.String})
        seg = _segments(good, barrier, maps) if good.height else None
        before = good["i"].search_sorted(rest["i"]).to_list() if good.height else [0] * rest.height
        return seg, rest, before

    def _stream(self, first: int, texts: list[str], seg, rest, before) -> Iterator:
        """The other lines in line order: counted, deferred (lines with a CONNID that
        ``Joiner.one`` takes: joined in ``settle``) or handed to the reader, with the
        routine lines before each one counted (``before``: how many routine lines of
        the batch lie before each of ``rest``'s lines)."""
        import polars as pl

        j = self.j
        aid = self.aid
        base = self.base
        if seg is not None:
            j.segs.append(seg.select(pl.lit(base, pl.UInt64).add(pl.col("i").cast(pl.UInt64)).alias("o"),
                                     pl.lit(aid).alias("a"), pl.exclude("i", "seg")))
        r_i = rest["i"].to_list()
        r_plain = rest["plain"].to_list()
        r_cid = rest["cid"].to_list()
        plain = self.plain
        lazy0 = self.lazy
        told = self.told
        extra = 0  # long-way lines taken as routine after all
        one = j.one
        for k, n in enumerate(r_i):
            if r_plain[k]:
                plain += 1
                continue
            if r_cid[k] and one(n, texts[n - first], aid, base) is True:
                extra += 1
                continue
            lazy = lazy0 + before[k] + extra
            if plain or lazy != told:
                yield plain, lazy - told
                plain, told = 0, lazy
            yield n, texts[n - first]
        self.plain, self.told = plain, told
        self.lazy = lazy0 + (seg["lines"].list.len().sum() if seg is not None else 0) + extra


def _norm_ip(ip):
    """correlate_base.norm_ip as a polars expression (the address has no blanks):
    ``::FFFF:1.2.3.4`` -> ``1.2.3.4``, IPv6 in lower case."""
    import polars as pl

    low = ip.str.to_lowercase()
    return (pl.when(low.str.starts_with("::ffff:") & low.str.contains(".", literal=True)).then(ip.str.slice(7))
            .when(ip.str.contains(":", literal=True)).then(low).otherwise(ip))


def _segments(good, barrier, maps):
    """Runs of routine lines of one connection (see the module's notes): one row
    each, with the fields of its first line and what the rest adds."""
    import polars as pl

    allr = pl.concat([good.with_columns(r=pl.lit(True)),
                      barrier.with_columns(r=pl.lit(False), stack=pl.lit(None, pl.String),
                                           d=pl.lit(None, pl.String), ts=pl.lit(None, pl.Int64),
                                           g=pl.lit(None, pl.String), e=pl.lit(None, pl.String))
                      .select(good.columns + ["r"])], how="vertical")
    # by key, then line: sorted on a hash of (system, CONNID), cheaper than on the
    # two strings; two keys with one hash only interleave, and ``same`` below
    # compares the strings, so each run is still one key's
    allr = allr.with_columns(k=pl.struct("sys", "cid").hash()).sort(["k", "i"])
    same = (pl.col("sys") == pl.col("sys").shift(1)) & (pl.col("cid") == pl.col("cid").shift(1))
    start = (~same.fill_null(False) | (pl.col("d") == "1") | ~pl.col("r").shift(1).fill_null(False)
             | (pl.col("stack") != pl.col("stack").shift(1)).fill_null(True)
             | (pl.col("ts") > pl.col("ts").shift(1) + _DAY).fill_null(True))
    allr = allr.with_columns(seg=start.cum_sum()).filter(pl.col("r"))
    g_ok = pl.col("g").filter(pl.col("g").is_not_null() & (pl.col("g") != NULL_ID))
    e_ok = pl.col("e").filter(pl.col("e").is_not_null() & (pl.col("e") != NULL_ID))
    seg = allr.group_by("seg").agg(
        pl.col("i").first(), pl.col("sys").first(), pl.col("cid").first(), pl.col("stack").first(),
        pl.col("d").first(), pl.col("ts").first(), pl.col("g").first().alias("g0"),
        pl.col("e").first().alias("e0"),
        pl.col("ts").min().alias("tmin"), pl.col("ts").max().alias("tmax"),
        g_ok.first().alias("g"), e_ok.first().alias("e"), pl.col("i").alias("lines"))
    seg = seg.join(maps.select("i", "li", "lp", "ri", "rp", "job", "user", "typ", "rule"),
                   on="i", how="left").sort("i")
    return seg
