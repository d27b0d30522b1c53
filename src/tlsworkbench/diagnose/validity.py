"""RC 401: a certificate on the path is expired or not yet valid at the time of
the failure (seed Error #6). Judged at the failure's time, never at "now"."""

from __future__ import annotations

from datetime import datetime

from tlsworkbench.model import CertInfo, Connection, Finding

from . import fixes as fx
from .causes import MEDIUM, STRONG, WEAK, Score, finding
from .common import next_steps, norm_dn, rc_list, refresh_steps, rerun, ring_of, where
from .evidence import Context
from .renewal import issuer_of, plan as renewal_plan

RCS = {401}


def rules(ctx: Context) -> list[Finding]:
    conns = [c for c in ctx.failing if set(c.rcs) & RCS]
    if not conns:
        return []
    by_cert: dict[int, tuple[CertInfo, str, list[Connection]]] = {}
    unexplained: list[Connection] = []
    for conn in conns:
        when = ctx.when(conn)
        bad = []
        for cert in _path_certs(ctx, conn):
            state = _state(cert, when)
            if state:
                bad.append((cert, state))
        if not bad:
            unexplained.append(conn)
            continue
        for cert, state in bad:
            slot = by_cert.setdefault(id(cert), (cert, state, []))
            slot[2].append(conn)
    out = [_finding(ctx, cert, state, cs) for cert, state, cs in by_cert.values()]
    covered = {cid for f in out for cid in f.connections}
    rest = [c for c in unexplained if c.id not in covered]
    if rest:
        out.append(_unknown(ctx, rest))
    return out


def _state(cert: CertInfo, when: datetime | None) -> str | None:
    if when is None:
        return None
    if cert.not_after is not None and when > _aware(cert.not_after):
        return "expired"
    if cert.not_before is not None and when < _aware(cert.not_before):
        return "not-yet-valid"
    return None


def _aware(t: datetime) -> datetime:
    from datetime import timezone

    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _path_certs(ctx: Context, conn: Connection) -> list[CertInfo]:
    """Certificates a failing handshake of ``conn`` can involve: its own ring's, the
    partner's ring's, and the CAs that issued them."""
    out: list[CertInfo] = []
    seen: set[int] = set()

    def add(c):
        if c is not None and id(c) not in seen:
            seen.add(id(c))
            out.append(c)

    for c in (conn, ctx.peer(conn)):
        if c is None:
            continue
        owner, name, _ = ring_of(ctx, c)
        ring = ctx.ring(f"{owner}/{name}", c.system) if owner and name else None
        if ring is None:
            continue
        for e in ring.entries:
            o = e.owner.upper()
            o = o[3:-1] if o.startswith("ID(") else o
            add(ctx.cert(e.label, o, c.system) or ctx.cert(e.label, o))
    if not out:
        # no ring evidence: certificates the session lists for the server's user / the system
        user = (conn.user or "").upper()
        for c in ctx.certs(conn.system):
            if (c.owner or "").upper() in (user, "CERTAUTH") or len(ctx.s.certs) <= 3:
                add(c)
    for c in list(out):  # issuers
        want = norm_dn(c.issuer)
        for ca in ctx.s.certs:
            if want and norm_dn(ca.subject) == want:
                add(ca)
    return out


def _finding(ctx: Context, cert: CertInfo, state: str, conns: list[Connection]) -> Finding:
    conn = conns[0]
    when = ctx.when(conn)
    ev = [cert.record] + [rid for c in conns for rid in ctx.rc_records(c)]
    systems = sorted({c.system for c in conns if c.system})
    score = Score(0.6).support(STRONG, "the certificate's dates exclude the failure time")
    if len(systems) > 1:
        score.support(WEAK, "RC 401 on both sides")
    owner = (cert.owner or "?").upper()
    lab = cert.label or cert.subject or "?"
    if state == "expired":
        what = (f"expired on {cert.not_after:%Y/%m/%d %H:%M:%S}, before the failure on "
                f"{when:%Y-%m-%d %H:%M}")
        cause = "certificate-expired"
    else:
        what = (f"becomes valid only on {cert.not_before:%Y/%m/%d %H:%M:%S}, after the failure on "
                f"{when:%Y-%m-%d %H:%M}")
        cause = "certificate-not-yet-valid"
    is_ca = owner == "CERTAUTH" or cert.is_ca
    text = [f"Certificate {lab!r} (owner {owner}, subject {cert.subject or '?'}) {what}."]
    for c in conns:
        text.append(f"{where(c)}: {rc_list(c, ctx)}.")
    text.append("System SSL RC 401: a certificate is expired or not yet valid. The dates are compared "
                "with the time of the failure, not with today.")
    commands, verify, steps = [], [], []
    if state == "expired" and not is_ca:
        ca = issuer_of(ctx, cert)
        srv = next((c for c in conns if c.role == "server"), conn)
        r_owner, r_name, _ = ring_of(ctx, srv)
        got = renewal_plan(ctx, cert, when, conn, ring=(r_owner, r_name))
        commands += got.commands()
        text.append(got.words)
        _, _, pol = ring_of(ctx, srv)
        commands += refresh_steps(ctx, srv, pol)
        verify = [fx.RacdcertList(owner, lab).command(), rerun(srv)]
        if ca is not None and _state(ca, datetime.now(tz=_aware(when).tzinfo)):
            steps.append(f"The issuing CA {ca.label!r} is itself out of date today; renew it first.")
    elif state == "expired":
        text.append("It is a CA certificate: renew the CA and reissue what it signed, on every ring "
                    "that trusts it.")
        verify = [fx.RacdcertListchain("CERTAUTH", lab).command()]
        steps.append("Find what the CA signed: RACDCERT LISTCHAIN for each server certificate.")
    else:
        text.append("Check the clock of the system that rejected it, or wait until the start date.")
        verify = [fx.RacdcertList(owner, lab).command()]
    peers = {p.id for p in (ctx.peer(c) for c in conns) if p is not None}
    return finding(cause, "error", " ".join(text), rcs=[rc for c in conns for rc in c.rcs], evidence=ev,
                   connections=[c.id for c in conns] + sorted(peers - {c.id for c in conns}),
                   commands=commands, verify=verify, score=score, next_steps=steps)


def _unknown(ctx: Context, conns: list[Connection]) -> Finding:
    conn = conns[0]
    score = Score(0.45).against(MEDIUM, "no certificate in the session is out of date at that time")
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: a certificate on the path is expired or not yet "
            "valid, but none of the certificates in the session is out of date at "
            f"{ctx.when(conn):%Y-%m-%d %H:%M}." if ctx.when(conn) else
            f"{where(conn)} failed with {rc_list(conn, ctx)}: a certificate is expired or not yet valid."]
    text.append("The certificate is probably the partner's (or a CA of its chain) that the session does "
                "not hold.")
    steps = next_steps(ctx, skip=())
    steps.insert(0, "Display the certificates of both rings with RACDCERT LIST and compare their Start "
                    "and End Dates with the failure time (also the CA certificates).")
    ev = [rid for c in conns for rid in ctx.rc_records(c)]
    return finding("certificate-expired", "error", " ".join(text), rcs=[rc for c in conns for rc in c.rcs],
                   evidence=ev, connections=[c.id for c in conns], score=score, next_steps=steps,
                   title="Certificate expired or not yet valid (which one is not in the session)")
