"""Which rows of the read table correlation makes objects after its first pass
(model/correlate.py ``_Builder._promote_late``): those an environment, client or
RACF record may reach. Each lookup of correlate.py looks only so far in time
(``_near``: [t - 5 s, t + WINDOW] and, when nothing is there, the three
connections either side; ``_attach_app``, ``_attach_racf`` and ``_nearest``:
WINDOW), so only the rows of the key in those windows are taken
(``conntable.near``), not every row of a busy environment or address."""

from __future__ import annotations

from datetime import datetime

from .conntable import near, take_rows
from .correlate_base import ep, keyring_of
from .correlate_client import app_groups


def promote_late(b, null_id: str, window, back) -> None:
    """Make objects of the rows builder ``b``'s environment (``b.env``), client
    (``b.app``) and RACF (``b.racf``) records may join, in order among the
    joiner's objects; note each environment's key ring lines in ``b.env_kr``."""
    art_sys = b.art_sys
    every = ("first", None, None)
    env_kr: dict = {}
    # key -> time windows a lookup may reach (conntable.near): _near looks at
    # [t - 5 s, t + WINDOW] and, when nothing is there, at the three connections
    # either side (pad=3); the close() tests of _attach_app / _attach_racf and
    # _nearest by endpoints look no further than window
    env: dict = {}
    pairs: dict = {}
    rips: dict = {}
    whos: dict = {}
    for _, r in b.env:
        f = r.fields
        system = r.system or art_sys.get(r.artifact)
        g, e = f.get("grpid"), f.get("envid")
        key = (system, g if g != null_id else None, e if e != null_id else None)
        t = r.time
        if key[1] or key[2]:
            env.setdefault(key, []).append(every if t is None else ("first", t - back, t + window))
            kr = keyring_of(f) if r.msgid == "EZD1284I" else None
            if kr:  # an environment's key ring goes to all its connections (rows: connrows)
                env_kr.setdefault(key, []).append((t, kr))
        if "local_ip" in f:
            lo = ep(f.get("local_ip"), f.get("local_port"))
            rem = ep(f.get("remote_ip"), f.get("remote_port"))
            if lo and rem:
                pairs[(*lo, *rem)] = [every]
    if b.app:
        for grp in app_groups(b.app, art_sys):
            if grp.first is None or grp.last is None:
                q = [every]
            else:
                q = [("last", grp.first - window, grp.first + window),
                     ("first", grp.last - window, grp.last + window)]
            if grp.remote:
                rips.setdefault((grp.remote[0],), []).extend(q)
            else:
                whos.setdefault((grp.job or "",), []).extend(q)
    for _, r in b.racf:
        f = r.fields
        who = (f.get("user") or f.get("jobname") or "").strip().upper()
        if who:
            t = r.time
            whos.setdefault((who,), []).append(every if t is None else ("first", t - window, t + window))
    for key, sets in env_kr.items():  # as _attach_env orders them
        sets.sort(key=lambda x: x[0] or datetime.min)
        b.env_kr[key] = ([t or datetime.min for t, _ in sets], [kr for _, kr in sets])
    rows = b.rows
    hits = [h for h in (near(rows, ("system", "grpid", "envid"), env, pad=3),
                        near(rows, ("lip", "lport", "rip", "rport"), pairs),
                        near(rows, ("rip",), rips), near(rows, ("user",), whos),
                        near(rows, ("job",), whos)) if h is not None]
    if not hits:
        return
    import polars as pl

    promoted, b.rows = take_rows(rows, pl.concat(hits))
    if not promoted:
        return
    n = b.n_seed
    head = list(zip(b.seed_orders, b.conns[:n]))
    for c in promoted:
        c.reset()
        head.append((c.order, c))
    head.sort(key=lambda x: x[0])
    b.conns[:n] = [c for _, c in head]
    b.n_seed = len(head)
    b.seed_orders = [o for o, _ in head]
