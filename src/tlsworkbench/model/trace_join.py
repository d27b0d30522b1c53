"""Join decoded trace handshakes to connections.

``join(session)`` runs after correlation has built ``session.connections``. A
handshake belongs to the connection whose remote endpoint is the handshake's
peer (address, and port when both know it), on the same system when both name
one; among several, the one whose job or stack is the traced job and whose time
is nearest wins. When times do not decide (a console side without timestamps, or a
trace without them), order does: the handshakes of one peer address and port go to
its connections in the order both appear, each connection taken once. It sets ``Handshake.connection`` and appends the handshake id to
``Connection.handshakes``; handshake ids are made unique across artifacts first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(minutes=5)


def join(session) -> None:
    if not session.handshakes:
        return
    _unique_ids(session.handshakes)
    conns = _candidates(session.connections, [hs.peer for hs in session.handshakes
                                              if hs.peer is not None and hs.peer.ip])
    by_ip: dict[str, list] = {}
    for c in conns:
        if c.remote is not None and c.remote.ip:
            by_ip.setdefault(_norm(c.remote.ip), []).append(c)
    taken: set[str] = set()
    for hs in session.handshakes:
        hs.connection = None
        if hs.peer is None:
            continue
        best, best_score = None, None
        for c in by_ip.get(_norm(hs.peer.ip), []):
            score = _score(hs, c)
            if score is None:
                continue
            # equal scores (no times to tell them apart): the first connection not yet
            # taken by an earlier handshake, so the n-th handshake meets the n-th connection
            score = score + (c.id not in taken,)
            if best_score is None or score > best_score:
                best, best_score = c, score
        if best is not None:
            taken.add(best.id)
            hs.connection = best.id
            if hs.id not in best.handshakes:
                best.handshakes.append(hs.id)
    from .rowquery import promote

    session.connections = promote(session.connections, [c for c in conns if c.handshakes])


def _candidates(conns, peers: list) -> list:
    """The connections a handshake may join, in id order: every object, and of the
    rows of a ConnSet only those whose remote address is a handshake's peer (and port,
    when both know it: ``_score`` turns the others down)."""
    from .connset import objects, rows_of

    table = rows_of(conns)
    if table is None:
        return list(conns)
    import polars as pl

    from .rowquery import object_positions

    any_port = sorted({_norm(p.ip) for p in peers})
    with_port = sorted({f"{_norm(p.ip)} {p.port}" for p in peers if p.port is not None})
    any_port = [ip for ip in any_port if any(p.port is None and _norm(p.ip) == ip for p in peers)] \
        if with_port else any_port
    rip = pl.col("rip").cast(pl.String).str.strip_chars().str.to_lowercase()
    rip = pl.when(rip.str.starts_with("::ffff:")).then(rip.str.slice(7)).otherwise(rip)
    ips = {_norm(p.ip) for p in peers}
    keep = (rip.is_in(any_port) | (pl.col("rport").is_null() & rip.is_in(list(ips)))
            | pl.concat_str([rip, pl.lit(" "), pl.col("rport").cast(pl.String)]).is_in(with_port))
    hit = table.with_row_index("_r").filter(keep.fill_null(False)).select("_r", "pos")
    made = conns._rows(hit["_r"].to_list())
    pairs = list(zip(object_positions(conns), objects(conns)))
    pairs += [(k, made[r]) for r, k in zip(hit["_r"].to_list(), hit["pos"].to_list())]
    pairs.sort(key=lambda p: p[0])
    return [c for _, c in pairs]


def _score(hs, c) -> tuple | None:
    if hs.peer.port is not None and c.remote.port is not None and hs.peer.port != c.remote.port:
        return None
    if hs.system and c.system and hs.system.upper() != c.system.upper():
        return None
    gap = _gap(hs.start or hs.end, c.first_time, c.last_time)
    if gap is not None and gap > WINDOW:
        return None
    job = (hs.job or "").upper()
    same_job = bool(job) and job in {(c.stack or "").upper(), (c.job or "").upper()}
    port_known = hs.peer.port is not None and c.remote.port is not None
    return (port_known, same_job, -(gap.total_seconds() if gap is not None else 1e9))


def _gap(t: datetime | None, first: datetime | None, last: datetime | None) -> timedelta | None:
    if t is None or (first is None and last is None):
        return None
    first = first or last
    last = last or first
    try:
        if first <= t <= last:
            return timedelta(0)
        return min(abs(t - first), abs(t - last))
    except TypeError:  # aware against naive times: no judgement
        return None


def _norm(ip: str) -> str:
    ip = ip.strip().lower()
    return ip[7:] if ip.startswith("::ffff:") else ip


def _unique_ids(handshakes: list) -> None:
    seen = {hs.id for hs in handshakes}
    if len(seen) == len(handshakes):
        return
    for n, hs in enumerate(handshakes, 1):
        hs.id = f"h{n}"
