"""What the console filter asks of a connection, for every connection at once.

In a big syslogd file the routine AT-TLS lines are judged by their connection
(``LogIndex._routine_match``): its system, CONNID, job and rule. When the session's
connections are a ConnSet (issue 13) most of them are polars rows; making a
Connection per line to read four fields costs seconds on a 1M-line file, so the
verdicts are worked out once per filter: objects in Python, rows in polars.
"""

from __future__ import annotations

PASS = 1
"""CONNID, job and (when the connection names one) system pass."""
NO_SYSTEM = 2
"""The connection names no system: the artifact's system is judged instead."""
RULE = 4
"""The rule contains the filter's rule text."""


def verdicts(conns, flt) -> bytearray:
    """Per connection number (position + 1, as ``LogIndex._conn_of`` holds them) the
    bits above for filter ``flt``; index 0 is unused."""
    import numpy as np
    import polars as pl

    from tlsworkbench.model.connset import objects, rows_of
    from tlsworkbench.model.rowquery import object_positions

    out = np.zeros(len(conns) + 1, dtype=np.uint8)
    rule = (flt.rule or "").lower()
    for c, k in zip(objects(conns), object_positions(conns)):
        ok = not flt.system or not c.system or c.system.upper() == flt.system
        ok = ok and not (flt.connid and str(c.connid or "").lstrip("0") != flt.connid)
        ok = ok and not (flt.job and not (c.job or "").upper().startswith(flt.job))
        out[k + 1] = (PASS if ok else 0) | (NO_SYSTEM if not c.system else 0) | \
            (RULE if rule and rule in (c.rule or "").lower() else 0)
    table = rows_of(conns)
    if table is not None and table.height:
        s = lambda name: pl.col(name).cast(pl.String)  # noqa: E731
        ok = pl.lit(True)
        if flt.system:
            ok = ok & (s("system").is_null() | (s("system") == "")
                       | (s("system").str.to_uppercase() == flt.system)).fill_null(True)
        if flt.connid:
            ok = ok & (s("connid").fill_null("").str.strip_chars_start("0") == flt.connid)
        if flt.job:
            ok = ok & s("job").fill_null("").str.to_uppercase().str.starts_with(flt.job)
        bits = pl.when(ok).then(PASS).otherwise(0) + \
            pl.when(s("system").fill_null("") == "").then(NO_SYSTEM).otherwise(0)
        if rule:
            bits = bits + pl.when(s("rule").fill_null("").str.to_lowercase()
                                  .str.contains(rule, literal=True)).then(RULE).otherwise(0)
        got = table.select(pl.col("pos").cast(pl.Int64) + 1, bits.cast(pl.UInt8).alias("bits"))
        out[got["pos"].to_numpy()] = got["bits"].to_numpy()
    return bytearray(out.tobytes())
