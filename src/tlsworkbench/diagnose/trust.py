"""RC 8 / 435 (and 109, 417): the validating side cannot build a chain to a trusted
CA: the issuing CA is not on its ring, or it is there but NOTRUST."""

from __future__ import annotations

from tlsworkbench.model import CertInfo, Connection, Finding

from . import fixes as fx
from .causes import MEDIUM, STRONG, WEAK, Score, finding
from .common import (partner as partner_name, next_steps, norm_dn, rc_list, refresh_steps, rerun,
                     ring_in_evidence, ring_of, ring_words, verify_ring, where)
from .evidence import Context

RCS = {8, 435, 109, 417}


def _oid(o: str) -> str:
    o = o.upper()
    return o[3:-1] if o.startswith("ID(") and o.endswith(")") else o


def rules(ctx: Context) -> list[Finding]:
    out = []
    for conn in ctx.failing:
        if set(conn.rcs) & RCS:
            out.append(_one(ctx, conn))
    return out


def _trace_cert(ctx: Context, conn: Connection) -> CertInfo | None:
    """The partner's certificate as the GSKSRVR trace of this connection shows it (the
    first certificate the traced side received)."""
    if not conn.handshakes:
        return None
    hss = {h.id: h for h in ctx.s.handshakes}
    for hid in conn.handshakes:
        hs = hss.get(hid)
        if hs is None:
            continue
        recs = set(hs.records)
        got = [c for c in ctx.s.certs if c.source == "trace" and c.record in recs and c.issuer]
        leaf = [c for c in got if not c.is_ca] or got
        if leaf:
            return leaf[0]
    return None


def _partner_cert(ctx: Context, conn: Connection) -> CertInfo | None:
    traced = _trace_cert(ctx, conn)
    if traced is not None:
        return traced
    p = ctx.peer(conn)
    if p is not None:
        owner, name, pol = ring_of(ctx, p)
        ring = ctx.ring(f"{owner}/{name}", p.system) if owner and name else None
        if ring is not None:
            e = next((e for e in ring.personal() if e.default), None)
            if e is not None:
                c = ctx.cert(e.label, _oid(e.owner), p.system)
                if c is not None:
                    return c
    # no peer: a personal certificate of another system that names the remote address
    if conn.remote is not None:
        for c in ctx.s.certs:
            if f"IP:{conn.remote.ip}" in c.san and (c.owner or "").upper() != "CERTAUTH":
                return c
    return None


def _one(ctx: Context, conn: Connection) -> Finding:
    owner, name, pol, key, ring = ring_in_evidence(ctx, conn)
    ev = ctx.rc_records(conn)
    score = Score(0.45).support(WEAK, "RC says the certificate could not be validated")
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: it could not validate the partner's "
            "certificate against the CA certificates on its "
            + ring_words(owner, name).replace("the key ring", "key ring") + "."]
    commands, verify, steps = [], [], []
    partner = _partner_cert(ctx, conn)
    cas_on_ring: list[tuple] = []
    if ring is not None:
        ev.append(ring.record)
        for e in ring.entries:
            if e.usage == "CERTAUTH" or _oid(e.owner) == "CERTAUTH":
                cas_on_ring.append((e, ctx.cert(e.label, "CERTAUTH", conn.system)))
    notrust = [(e, c) for e, c in cas_on_ring if c is not None and (c.status or "").upper() == "NOTRUST"]
    if partner is not None:
        ev.append(partner.record)
        issuer = norm_dn(partner.issuer)
        text.append(f"The partner presents {partner.label or partner.subject!r}, issued by "
                    f"{partner.issuer or '?'}.")
        match = [(e, c) for e, c in cas_on_ring if c is not None and norm_dn(c.subject) == issuer]
        if ring is None:
            score.against(MEDIUM, "no LISTRING of the validating ring")
            text.append("The session has no LISTRING of that ring.")
            steps += next_steps(ctx) or [f"RACDCERT ID({owner or 'owner'}) LISTRING({name or '*'})"]
        elif match and (match[0][1].status or "").upper() == "NOTRUST":
            e, c = match[0]
            score.support(STRONG + MEDIUM, "the issuing CA is on the ring but NOTRUST")
            ev.append(c.record)
            text.append(f"The issuing CA {e.label!r} is on the ring but NOTRUST: System SSL ignores it.")
            commands.append(fx.RacdcertAlterTrust("CERTAUTH", e.label).command())
        elif match:
            score.against(STRONG, "the issuing CA is on the ring and trusted")
            text.append(f"The issuing CA {match[0][0].label!r} is on the ring and trusted; an "
                        "intermediate CA may be missing, or the ring changed after the environment "
                        "was built.")
            if partner.owner and partner.label:
                steps.append(f"Check the chain: RACDCERT {fx._who(_oid(partner.owner))} "
                             f"LISTCHAIN(LABEL({fx.quote(partner.label)})) on the partner's system.")
            else:
                steps.append("Check the chain on the partner's system: RACDCERT ID(owner) "
                             "LISTCHAIN(LABEL('label')) (owner and label are placeholders: the "
                             "partner certificate's, as its RACDCERT LIST shows them).")
        else:
            score.support(STRONG, "no CA with the issuer's name on the ring")
            known = next((c for c in ctx.certs(conn.system) if (c.owner or "").upper() == "CERTAUTH"
                          and norm_dn(c.subject) == issuer), None)
            if known is not None and ring is not None:
                ev.append(known.record)
                score.support(MEDIUM, "the CA is defined to RACF on this system")
                text.append(f"The CA {known.label!r} is defined on {conn.system or 'this system'} "
                            f"(status {known.status or '?'}) but not connected to {key}.")
                commands.append(fx.RacdcertConnect("CERTAUTH", known.label, name, owner, "CERTAUTH").command())
                if (known.status or "").upper() == "NOTRUST":
                    commands.append(fx.RacdcertAlterTrust("CERTAUTH", known.label).command())
            else:
                cn = (partner.issuer or "CA").split(",")[0].split("=")[-1]
                label = cn[:32]
                dsn = f"{(owner or 'USER')}.CACERT"
                text.append(f"No CA certificate with that name is on {key}"
                            + (f" or defined on {conn.system}." if ctx.certs(conn.system) else "."))
                commands += [
                    fx.RacdcertAdd(dsn, "CERTAUTH", label).command(
                        purpose=f"Add the issuing CA (exported from the partner's system with RACDCERT "
                                f"CERTAUTH EXPORT ... FORMAT(CERTB64) into {dsn}) as trusted."),
                    fx.RacdcertConnect("CERTAUTH", label, name, owner, "CERTAUTH").command()]
    else:
        if notrust:
            e, c = notrust[0]
            score.support(MEDIUM, "a CA on the ring is NOTRUST")
            ev.append(c.record)
            text.append(f"The partner's certificate is not in the session, but {e.label!r} on the ring is "
                        "NOTRUST, which System SSL ignores.")
            commands.append(fx.RacdcertAlterTrust("CERTAUTH", e.label).command())
        else:
            score.against(MEDIUM, "the partner's certificate is not in the session")
            text.append("The partner's certificate is not in the session, so its issuer is unknown.")
        steps.append("On the partner: RACDCERT LIST of its certificate shows the Issuer's Name; that CA "
                     f"must be on {key} and TRUST.")
        steps += next_steps(ctx)
    if commands:
        _, _, pol = ring_of(ctx, conn)
        commands += refresh_steps(ctx, conn, pol)
        verify = verify_ring(owner, name) + [rerun(conn)]
    p = ctx.peer(conn)
    conns = [conn.id]
    if p is not None:
        conns.append(p.id)
        if p.rcs:
            score.support(WEAK, "the partner saw the connection end")
            ev += ctx.rc_records(p)
            text.append(f"{partner_name(p, True)} saw RC {p.rcs[0]} because this side "
                        "closed the connection.")
    return finding("ca-not-trusted", "error", " ".join(text), rcs=conn.rcs, evidence=ev, connections=conns,
                   commands=commands, verify=verify, score=score, next_steps=steps)
