"""The server's own certificate: not on the ring (RC 6, seed Error #3) or its
private key not usable (RC 428, seed Error #4: the certificate's owner is not the
user the server runs under; or ICSF started after TCP/IP)."""

from __future__ import annotations

from tlsworkbench.model import CertInfo, Connection, Finding, RingEntry

from . import fixes as fx
from .causes import MEDIUM, STRONG, WEAK, Score, finding
from .common import (partner, issuer_label, next_steps, rc_list, rebuild_steps, recycle_note, refresh_steps, rerun,
                     ring_in_evidence, ring_of, ring_words, verify_ring, where)
from .evidence import Context
from .keyaccess import as_commands, key_level, lst_profile, rdatalib_fix, started_steps

NOT_FOUND_RCS = {6, 407}
NO_KEY_RCS = {428}


def rules(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    groups: dict[tuple, list[Connection]] = {}
    for conn in ctx.failing:
        hit = set(conn.rcs)
        if hit & NOT_FOUND_RCS:
            kind = "label"
        elif hit & NO_KEY_RCS:
            kind = "key"
        else:
            continue
        owner, name, _ = ring_of(ctx, conn)
        groups.setdefault((kind, conn.system, owner, name, conn.job), []).append(conn)
    for (kind, *_), conns in groups.items():
        out.append(_not_on_ring(ctx, conns) if kind == "label" else _no_key(ctx, conns))
    return out


def _owner_id(entry_owner: str | None) -> str:
    o = (entry_owner or "").strip().upper()
    if o.startswith("ID(") and o.endswith(")"):
        return o[3:-1]
    return o


def _peer_text(ctx: Context, conns, score: Score, ev: list[str]) -> tuple[list[str], list[str]]:
    text, ids = [], []
    for c in conns:
        p = ctx.peer(c)
        if p is None:
            continue
        ids.append(p.id)
        if p.rcs:
            score.support(WEAK, f"the partner saw RC {p.rcs[0]}")
            ev += ctx.rc_records(p)
            text.append(f"{partner(p, True)} reports RC {p.rcs[0]}: it only "
                        "learnt that this side gave up.")
            break
    if not ids:
        text.append("The partner (not in the session) would report RC 438, an internal error "
                    "reported by the remote side.")
    return text, ids


# -- RC 6: no certificate --------------------------------------------------------------------
def _not_on_ring(ctx: Context, conns: list[Connection]) -> Finding:
    conn = conns[0]
    owner, name, pol, key, ring = ring_in_evidence(ctx, conn)
    ev = [rid for c in conns for rid in ctx.rc_records(c)]
    score = Score(0.45).support(WEAK, "RC 6: key label not found")
    label = pol.cert_label
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: System SSL found no certificate to use on "
            f"{ring_words(owner, name)}"
            + (f" under label {label!r}." if label else " (no label asked: the ring's default).")]
    wanted: CertInfo | None = None
    user, uev, usrc = ctx.job_user(conn)
    commands, verify, steps = [], [], []
    if ring is None:
        score.against(MEDIUM, "no LISTRING of the ring")
        text.append("The session has no RACDCERT LISTRING of that ring to show what is on it.")
        who = owner or user
        steps = next_steps(ctx) or [f"RACDCERT ID({who}) LISTRING({name or '*'})" if who else
                                    "RACDCERT ID(owner) LISTRING(*) (owner is a placeholder: the "
                                    "user the server runs under)"]
    else:
        ev.append(ring.record)
        personal = ring.personal()
        default = next((e for e in personal if e.default), None)
        if label and not any(e.label == label for e in ring.entries):
            score.support(STRONG, "the label is not on the ring")
            text.append(f"RACDCERT LISTRING shows no {label!r} on {key}.")
        elif not label and default is None:
            score.support(STRONG, "no default PERSONAL certificate on the ring")
            have = ", ".join(f"{e.label!r} ({e.usage})" for e in ring.entries) or "nothing"
            text.append(f"RACDCERT LISTRING of {key} shows {have}: no PERSONAL certificate marked DEFAULT.")
        else:
            score.against(STRONG, "the ring has the certificate")
            e = next((e for e in ring.entries if e.label == label), None) if label else default
            c = ctx.cert(e.label, _owner_id(e.owner), conn.system) if e else None
            if c is not None and (c.status or "").upper() == "NOTRUST":
                score.support(STRONG + MEDIUM, "the certificate is NOTRUST, so the ring does not return it")
                ev.append(c.record)
                text.append(f"{e.label!r} is on the ring but RACF marks it NOTRUST; System SSL does not "
                            "return NOTRUST certificates from a ring.")
                commands.append(fx.RacdcertAlterTrust(_owner_id(e.owner), e.label).command())
                commands += refresh_steps(ctx, conn, pol)
            else:
                text.append("The ring does list it now: it was probably connected after the AT-TLS "
                            "environment was built, so the environment must be rebuilt.")
                commands += refresh_steps(ctx, conn, pol)
            verify = verify_ring(owner, name) + [rerun(conn)]
            more, pids = _peer_text(ctx, conns, score, ev)
            text += more
            return finding("certificate-not-on-ring", "error", " ".join(text), rcs=_rcs(conns), evidence=ev,
                           connections=[c.id for c in conns] + pids, commands=commands, verify=verify,
                           score=score, next_steps=steps)
        wanted = _candidate(ctx, conn, label, user, owner)
        if wanted is not None:
            score.support(MEDIUM, "RACDCERT LIST shows the certificate exists")
            ev.append(wanted.record)
            cown = (wanted.owner or "?").upper()
            text.append(f"RACDCERT LIST shows {wanted.label!r} exists (owner {cown}"
                        + (", private key YES" if wanted.private_key else "")
                        + (f", end date {wanted.not_after:%Y/%m/%d}" if wanted.not_after else "")
                        + "), but it is not connected to the ring.")
            commands.append(fx.RacdcertConnect(cown, wanted.label, name, owner, "PERSONAL",
                                               default=not label).command())
            if user and cown != user and owner and name:
                ev += uev
                level = key_level(cown, user)
                text.append(f"Warning: {conn.job or 'the server'} runs as {user} ({usrc}) but the "
                            f"certificate belongs to {cown}. Connected alone, the next attempt fails "
                            f"with RC 428: the private key belongs to {cown}, and through FACILITY a "
                            f"user gets only the keys of its own certificates. So the fix also gives {user} {level} to the ring's RDATALIB "
                            f"profile {lst_profile(owner, name)}; or connect a certificate owned by {user} "
                            f"instead, or run the job as {cown}.")
                commands += as_commands(rdatalib_fix(ctx, owner, name, user, level, conn.system))
                steps.append(f"Alternative to the RDATALIB access: RACDCERT ID({user}) GENCERT a server "
                             f"certificate for {user}, signed by the same CA, and connect that one.")
                steps += started_steps(ctx, conn, cown)
            commands += refresh_steps(ctx, conn, pol)
        else:
            text.append("No certificate in the session's RACDCERT LIST output fits; create or import "
                        "the server certificate and connect it.")
            steps.append(f"List the candidates: RACDCERT ID({user or owner or 'user'}) LIST")
        verify = verify_ring(owner, name) + [rerun(conn)]
        if commands:
            steps.append(recycle_note(conn))
    more, pids = _peer_text(ctx, conns, score, ev)
    text += more
    return finding("certificate-not-on-ring", "error", " ".join(text), rcs=_rcs(conns), evidence=ev,
                   connections=[c.id for c in conns] + pids, commands=commands, verify=verify, score=score,
                   next_steps=steps)


def _candidate(ctx: Context, conn: Connection, label: str | None, user: str | None,
               ring_owner: str | None) -> CertInfo | None:
    certs = [c for c in ctx.certs(conn.system)
             if (c.owner or "").upper() != "CERTAUTH" and c.private_key is not False]
    if label:
        certs = [c for c in certs if c.label == label]
    if not certs:
        return None

    def rank(c: CertInfo):
        own = (c.owner or "").upper()
        return (own == (user or ""), own == (ring_owner or ""), bool(c.private_key))
    return sorted(certs, key=rank, reverse=True)[0]


def _rcs(conns) -> list[int]:
    return [rc for c in conns for rc in c.rcs]


# -- RC 428: no private key ---------------------------------------------------------------
def _no_key(ctx: Context, conns: list[Connection]) -> Finding:
    conn = conns[0]
    owner, name, pol, key, ring = ring_in_evidence(ctx, conn)
    ev = [rid for c in conns for rid in ctx.rc_records(c)]
    score = Score(0.4).support(WEAK, "RC 428: no usable private key")
    user, uev, usrc = ctx.job_user(conn)
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: System SSL could not use the private key of "
            f"the certificate on {ring_words(owner, name)}."]
    commands, verify, steps = [], [], []
    entry: RingEntry | None = None
    if ring is not None:
        ev.append(ring.record)
        label = pol.cert_label
        entry = next((e for e in ring.entries if e.label == label), None) if label else \
            next((e for e in ring.personal() if e.default), None)
    cert = ctx.cert(entry.label, _owner_id(entry.owner), conn.system) if entry else None
    if entry is not None and entry.record:
        ev.append(entry.record)
    if cert is not None:
        ev.append(cert.record)
    cown = _owner_id(entry.owner) if entry else (cert.owner.upper() if cert and cert.owner else None)
    if entry is None:
        score.against(MEDIUM, "the certificate in use is not known")
        text.append("The session does not show which certificate the ring hands out (no LISTRING "
                    "of the ring).")
        who = owner or user
        steps = next_steps(ctx) or [f"RACDCERT ID({who}) LISTRING({name or '*'})" if who else
                                    "RACDCERT ID(owner) LISTRING(*) (owner is a placeholder: the "
                                    "user the server runs under)"]
    elif user and cown and cown != user and owner and name:
        site = cown in ("SITE", "CERTAUTH")
        score.support(STRONG, f"the certificate is a {cown} certificate" if site else
                      "the certificate's owner is not the server's user")
        if uev and usrc != "USERID of the AT-TLS message":
            score.support(MEDIUM, f"{usrc} shows the user")
        ev += uev
        level = key_level(cown, user)
        if site:
            text.append(f"The ring's {'default ' if entry.default else ''}certificate {entry.label!r} is a "
                        f"{cown} certificate, and {conn.job or 'the server'} runs as {user} ({usrc}). "
                        f"RACF gives out the private key of a {cown} certificate only to a user with "
                        f"CONTROL to the ring's RDATALIB profile {lst_profile(owner, name)} (or, when the ring "
                        "is checked through FACILITY, CONTROL to IRR.DIGTCERT.GENCERT); without it "
                        "System SSL gets the certificate but no key. This is a RACF access problem, not ICSF.")
        else:
            text.append(f"The ring's {'default ' if entry.default else ''}PERSONAL certificate "
                        f"{entry.label!r} belongs to {cown}, but {conn.job or 'the server'} runs as {user} "
                        f"({usrc}). Through FACILITY IRR.DIGTCERT.LISTRING a user gets only the private keys "
                        "of its own certificates, so System SSL finds no key.")
        if cert is not None and cert.private_key:
            score.support(MEDIUM, "RACDCERT LIST shows Private Key: YES")
            text.append(f"RACDCERT LIST shows Private Key: YES for {entry.label!r}: the key exists, "
                        "the access to it is the problem (not ICSF).")
        text.append(f"The least disruptive fix gives {user} {level} to the RDATALIB profile "
                    f"{lst_profile(owner, name)}, which lets it use that key without changing the certificate "
                    "or the user the job runs as.")
        commands += as_commands(rdatalib_fix(ctx, owner, name, user, level, conn.system))
        commands += rebuild_steps(ctx, conn, pol)
        if not site:
            own_cert = next((c for c in ctx.certs(conn.system) if (c.owner or "").upper() == user
                             and c.private_key and c.label == entry.label), None)
            alt = [f.render() for f, _ in owner_fixes(ctx, user, entry, cert, name, owner, conn,
                                                      have_own=own_cert is not None)]
            steps.append(f"Alternative: re-issue the certificate to {user} and connect that one "
                         "instead: " + " ; ".join(a.replace(" -\n  ", " ") for a in alt) + ".")
        steps += started_steps(ctx, conn, cown if not site else user)[:0 if site else 1]
        if not site:
            steps.append(f"Delete {cown}'s copy (RACDCERT {fx._who(cown)} DELETE(LABEL({fx.quote(entry.label)}))) "
                         "only if nothing else uses it.")
        steps.append(recycle_note(conn))
    elif cert is not None and cert.private_key is False:
        score.support(STRONG, "RACDCERT LIST shows Private Key: NO")
        text.append(f"RACDCERT LIST shows Private Key: NO for {entry.label!r}: the certificate was added "
                    "without its private key (e.g. exported as a plain certificate instead of PKCS#12).")
        steps.append(f"Import it again with its key: RACDCERT {fx._who(cown)} ADD('dsn') PASSWORD('pw') "
                     f"WITHLABEL({fx.quote(entry.label)}) from a PKCS#12 copy, then connect it ('dsn' "
                     "and 'pw' are placeholders: the data set holding the PKCS#12 copy and its password).")
    else:
        score.against(MEDIUM, "owner and key look right")
        text.append(f"The certificate {entry.label!r} is owned by {cown or '?'}"
                    + (f", the user {conn.job or 'the server'} runs as," if cown == user else "")
                    + " and has a private key as far as the session shows. A known variant: the key is "
                    "in ICSF and ICSF started after TCP/IP (or changed while it ran), so AT-TLS did not "
                    "pick it up. Raise GroupUserInstance in the group action and F PAGENT,UPDATE.")
        commands += refresh_steps(ctx, conn, pol, racf_classes=(), group=True)
        steps += next_steps(ctx)
        steps.append("Check that ICSF was up before the TCP/IP stack (its start messages in SYSLOG).")
    if not user:
        steps.append(f"Show who {conn.job or 'the server'} runs as: SDSF DA (Owner column) or "
                     f"RLIST STARTED {conn.job or 'job'}.* STDATA")
    verify = verify_ring(owner, name)
    if any(c.text.startswith("PERMIT ") and "CLASS(RDATALIB)" in c.text for c in commands):
        verify.append(fx.Rlist("RDATALIB", lst_profile(owner, name), "AUTHUSER").command())
    elif entry is not None and user:
        verify.append(fx.RacdcertList(user, entry.label).command())
    verify.append(rerun(conn))
    more, pids = _peer_text(ctx, conns, score, ev)
    text += more
    return finding("private-key-unavailable", "error", " ".join(text), rcs=_rcs(conns), evidence=ev,
                   connections=[c.id for c in conns] + pids, commands=commands, verify=verify, score=score,
                   next_steps=steps)


def owner_fixes(ctx: Context, user: str, entry: RingEntry, cert: CertInfo | None, ring: str | None,
                ring_owner: str | None, conn: Connection | None = None,
                have_own: bool = False) -> list[tuple]:
    """(fix, purpose or None) that give ``user`` a certificate of its own on the ring in
    place of ``entry`` (owned by someone else): remove the other user's certificate
    from the ring, create one for ``user`` with the same label and subject signed by
    the same CA (unless ``have_own``), and connect it as the ring's default."""
    cown = _owner_id(entry.owner)
    out: list[tuple] = [(fx.RacdcertRemove(cown, entry.label, ring, ring_owner), None)]
    if not have_own:
        ca_label = _issuer_label(ctx, cert, conn) if conn is not None else issuer_label(ctx, cert, None)
        self_signed = cert is not None and bool(cert.issuer) and _same_dn(cert.issuer, cert.subject)
        if not ca_label and not self_signed:
            from .renewal import PLACEHOLDER_CA
            ca_label = PLACEHOLDER_CA
        out.append((fx.RacdcertGencert(user, entry.label, subject=_subject_rdns(cert), signwith_label=ca_label,
                                       size=max(cert.key_size or 2048, 2048) if cert else 2048,
                                       altname=_altnames(cert)),
                    f"Create the server certificate for {user} (same label and subject"
                    + (f", signed by {ca_label!r}" if ca_label else ", self-signed as the old one")
                    + (". PLACEHOLDER: the issuing CA is not in the session; put its label in "
                       "SIGNWITH before running it" if fx.is_placeholder(ca_label) else "") + ")."))
    out.append((fx.RacdcertConnect(user, entry.label, ring, ring_owner, "PERSONAL", default=True), None))
    return out


def _same_dn(a: str | None, b: str | None) -> bool:
    from .common import norm_dn

    return bool(a) and norm_dn(a) == norm_dn(b)


def _issuer_label(ctx: Context, cert: CertInfo | None, conn: Connection) -> str | None:
    from .common import issuer_label, norm_dn

    got = issuer_label(ctx, cert, conn)
    if got or cert is None or not cert.issuer:
        return got

    want = norm_dn(cert.issuer)
    for c in ctx.certs(conn.system):
        if (c.owner or "").upper() == "CERTAUTH" and norm_dn(c.subject) == want and c.label:
            return c.label
    ring_owner, ring_name, _ = ring_of(ctx, conn)
    ring = ctx.ring(f"{ring_owner}/{ring_name}", conn.system) if ring_owner else None
    if ring is not None:
        cas = [e for e in ring.entries if e.usage == "CERTAUTH"]
        if len(cas) == 1:
            return cas[0].label
    return None


def _subject_rdns(cert: CertInfo | None) -> dict:
    if cert is None or not cert.subject:
        return {}
    out: dict = {}
    for part in cert.subject.split(","):
        k, _, v = part.strip().partition("=")
        k = k.strip().upper()
        if k in ("CN", "OU", "O", "L", "SP", "C", "T") and k not in out and v:
            out[k] = v.strip()
    return out


def _altnames(cert: CertInfo | None) -> dict:
    if cert is None:
        return {}
    out: dict = {}
    for s in cert.san:
        t, _, v = s.partition(":")
        t = t.upper()
        if t == "IP" and "IP" not in out:
            out["IP"] = v
        elif t in ("DNS", "DOMAIN") and "DOMAIN" not in out:
            out["DOMAIN"] = v.lstrip(".")
    return out
