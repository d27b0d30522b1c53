"""Client authentication: the server asks for the client's certificate (HandshakeRole
ServerWithClientAuth) and ClientAuthType Required or SAFCheck rejects what it got.

* RC 5001: the client sent no certificate. An AT-TLS client sends the certificate its
  policy's CertificateLabel names, else its ring's default certificate (IP CG,
  TTLSEnvironmentAdvancedParms / TTLSConnectionAdvancedParms, CertificateLabel), so
  the fix gives the client's ring a default PERSONAL certificate owned by the client's
  user: one the evidence shows (CONNECT ... DEFAULT), else a new one signed by a CA the
  server trusts (GENCERT SIGNWITH), then the client's environment is rebuilt.
* RC 5002: ClientAuthType SAFCheck, and the certificate maps to no RACF user ID on the
  server's system. RACF finds the user from a certificate defined with RACDCERT ADD
  under that user, else from a certificate name filter (RACDCERT MAP, a DIGTNMAP
  profile) that matches the subject's and issuer's names; filters are used only when
  DIGTNMAP is active, and a change takes effect after SETROPTS RACLIST(DIGTNMAP)
  REFRESH (RACF CLR, RACDCERT MAP; RACF SAG, "DIGTNMAP general resource profiles";
  IBM MQ for z/OS, "Setting up a certificate name filter").
"""

from __future__ import annotations

from dataclasses import dataclass

from tlsworkbench.model import Connection, Finding

from . import fixes as fx
from .fixes import Fix, _who, quote
from .causes import STRONG, Score, finding
from .common import next_steps, norm_dn, raclisted, rc_list, refresh_steps, ring_of, where
from .evidence import Context


@dataclass
class RacdcertMap(Fix):
    """A certificate name filter: certificates whose subject's and issuer's names match
    map to ``user`` (RACF CLR, RACDCERT MAP; a DIGTNMAP profile)."""

    user: str
    sdn: str | None
    idn: str | None
    label: str

    def tokens(self):
        toks = ["RACDCERT", _who(self.user), "MAP"]
        if self.sdn:
            toks.append(f"SDNFILTER({quote(self.sdn)})")
        if self.idn:
            toks.append(f"IDNFILTER({quote(self.idn)})")
        return toks + [f"WITHLABEL({quote(self.label)})", "TRUST"]

    def describe(self):
        return (f"Map certificates with subject {self.sdn or 'any'} issued by {self.idn or 'any'} to "
                f"{self.user.upper()} (a certificate name filter).")


def _client_side(ctx: Context, conn: Connection):
    """(client connection, its user, ring owner, ring name, policy) when the partner
    of the server ``conn`` is in the session."""
    peer = ctx.peer(conn)
    if peer is None:
        return None, None, None, None, None
    owner, name, pol = ring_of(ctx, peer)
    user = (peer.user or ctx.job_user(peer)[0] or "").upper() or None
    return peer, user, owner, name, pol


def _personal(ctx: Context, user: str, system: str | None):
    """A certificate the client's user owns with its private key (RACDCERT LIST)."""
    for c in ctx.s.certs:
        o = (c.owner or "").upper()
        o = o[3:-1] if o.startswith("ID(") and o.endswith(")") else o
        if (c.source == "racdcert" and c.label and o == user and not c.is_ca
                and c.private_key is not False and ctx.same_system(c, system)):
            return c
    return None


def _server_ca(ctx: Context, conn: Connection, client_system: str | None):
    """A CA on the server's ring that RACF on the client's system holds with its private
    key (so RACF there can sign with it); None when the evidence shows none."""
    owner, name, _ = ring_of(ctx, conn)
    ring = ctx.ring(f"{owner}/{name}", conn.system) if owner and name else None
    if ring is None:
        return None
    for e in ring.entries:
        if (e.usage or "").upper() != "CERTAUTH" and (e.owner or "").upper() != "CERTAUTH":
            continue
        ca = ctx.cert(e.label, "CERTAUTH", conn.system)
        if ca is None:
            continue
        mine = next((c for c in ctx.s.certs if (c.owner or "").upper() == "CERTAUTH" and c.private_key
                     and norm_dn(c.subject) == norm_dn(ca.subject) and ctx.same_system(c, client_system)),
                    None)
        if mine is not None:
            return mine
    return None


def _presented_label(ctx: Context, peer, owner, name) -> str | None:
    """Label of the default PERSONAL certificate of the client's ring."""
    if peer is None or not owner or not name:
        return None
    ring = ctx.ring(f"{owner}/{name}", peer.system)
    e = next((e for e in ring.personal() if e.default), None) if ring is not None else None
    return e.label if e is not None else None


def missing(ctx: Context, conn: Connection) -> Finding:
    pol = ctx.policy(conn)
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: the server asks for the client's "
            f"certificate (HandshakeRole ServerWithClientAuth, ClientAuthType "
            f"{pol.client_auth or 'Required or SAFCheck'}) and the client sent none. An AT-TLS client "
            "sends the certificate its CertificateLabel names, else its key ring's default certificate."]
    score = Score(0.75)
    commands, verify, steps = [], [], []
    peer, user, owner, name, cpol = _client_side(ctx, conn)
    if peer is not None and user and owner and name:
        ring = ctx.ring(f"{owner}/{name}", peer.system)
        default = next((e for e in ring.personal() if e.default), None) if ring is not None else None
        if ring is not None and default is None:
            score.support(STRONG, "the client's ring has no default PERSONAL certificate")
            text.append(f"The client's ring {owner}/{name} on {peer.system or 'its system'} has no "
                        "default PERSONAL certificate, so it has nothing to send.")
        cert = _personal(ctx, user, peer.system)
        if cert is not None:
            text.append(f"{user} owns {cert.label!r} with its private key: connect it to the ring as "
                        "its default.")
            commands.append(fx.RacdcertConnect(user, cert.label, name, owner, "PERSONAL", True).command())
        else:
            from .renewal import PLACEHOLDER_CA

            ca = _server_ca(ctx, conn, peer.system)
            label = f"{user} Client"[:32]
            why = f"Create a client certificate for {user}"
            if ca is not None:
                why += f", signed by {ca.label!r}, a CA the server's ring trusts"
            else:
                why += (". PLACEHOLDER: no CA the server trusts is held with its private key on "
                        f"{peer.system or 'the client system'} in the session; put the label of a CA "
                        "the server's ring trusts in SIGNWITH")
            commands.append(fx.RacdcertGencert(user, label, subject={"CN": user}, size=2048,
                                               signwith_label=ca.label if ca is not None else PLACEHOLDER_CA,
                                               keyusage="HANDSHAKE").command(purpose=why + "."))
            commands.append(fx.RacdcertConnect(user, label, name, owner, "PERSONAL", True).command())
        commands += refresh_steps(ctx, peer, cpol)
        verify.append(fx.RacdcertListring(owner, name).command())
    else:
        show = (f"RACDCERT ID({owner}) LISTRING({name})" if owner and name else
                "RACDCERT ID(user) LISTRING(ring) (user and ring are placeholders: the client's user "
                "and its Keyring)")
        steps.append(f"On the client: {show} must show a PERSONAL certificate with DEFAULT YES; its "
                     "issuer must be on the server's ring.")
    steps += next_steps(ctx)
    conns = [conn.id] + ([peer.id] if peer is not None else [])
    return finding("client-certificate-missing", "error", " ".join(text), rcs=conn.rcs,
                   evidence=ctx.rc_records(conn), connections=conns, commands=commands, verify=verify,
                   score=score, next_steps=steps)


def undefined(ctx: Context, conn: Connection) -> Finding:
    rec = next((r for r in ctx.s.records if r.msgid == "ICH408I" and r.fields.get("serial")
                and ctx.same_system(r, conn.system)), None)
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: ClientAuthType SAFCheck, and the client's "
            "certificate is not defined to RACF on this system (or not mapped to a user)."]
    ev = ctx.rc_records(conn)
    score = Score(0.65)
    subject = issuer = None
    if rec is not None:
        ev.append(rec.id)
        score.support(STRONG, "ICH408I: digital certificate is not defined")
        subject, issuer = rec.fields.get("subject"), rec.fields.get("issuer")
        text.append(f"RACF ICH408I names it: serial {rec.fields.get('serial')}, subject "
                    f"{subject or '?'}, issuer {issuer or '?'}.")
    peer, user, owner, name, _ = _client_side(ctx, conn)
    if (not subject or not issuer) and peer is not None and owner and name:
        ring = ctx.ring(f"{owner}/{name}", peer.system)
        e = next((e for e in ring.personal() if e.default), None) if ring is not None else None
        c = ctx.cert(e.label, None, peer.system) if e is not None else None
        if c is not None and c.subject and c.issuer:
            subject, issuer = c.subject, c.issuer
            text.append(f"The client presents {c.label!r} (subject {subject}, issuer {issuer}).")
    commands, steps = [], []
    if user and subject and issuer:
        text.append(f"Map it to {user}, the user the client runs as (assumed: the same user ID exists "
                    f"on {conn.system or 'the server system'} and is the one the client should act as).")
        commands.append(RacdcertMap(user, subject, issuer, f"{user} client"[:32]).command())
        if "DIGTNMAP" in raclisted(ctx):
            commands.append(fx.SetroptsRefresh(["DIGTNMAP"]).command())
        else:
            commands.append(fx.SetroptsClassact(["DIGTNMAP"]).command(
                purpose="Certificate name filters are used only when DIGTNMAP is active; RACLIST it so "
                        "that a REFRESH puts later changes into effect (harmless if it is active already)."))
        cert_label = _presented_label(ctx, peer, owner, name)
        if cert_label and peer is not None:
            dsn = f"{user}.CLIENT.CER"
            steps.append(f"Or define the certificate itself for {user} on {conn.system or 'this system'}: on "
                         f"{peer.system or 'the client'} RACDCERT ID({user}) EXPORT(LABEL('{cert_label}')) "
                         f"DSN('{dsn}') FORMAT(CERTB64), send the data set, then RACDCERT ID({user}) "
                         f"ADD('{dsn}') TRUST WITHLABEL('{cert_label}') (RACF uses a certificate it holds "
                         "under a user before any name filter).")
        else:
            steps.append("Or define the certificate itself for the user on this system: RACDCERT "
                         f"ID({user}) ADD('dsn') TRUST WITHLABEL('...') with the certificate exported from "
                         "the client into the data set.")
    else:
        label = "CLIENT CERT"
        commands = [fx.RacdcertAdd("USERID.CLIENT.CERT", "CLIENTUSER", label).command(
            purpose="Define the client's certificate (exported from the client into the data set) for the "
                    "user it should map to; replace USERID.CLIENT.CERT and CLIENTUSER."),
                    fx.SetroptsRefresh(["DIGTCERT"]).command()]
        steps.append("Or define a certificate name filter: RACDCERT MAP ... for the issuer.")
    conns = [conn.id] + ([peer.id] if peer is not None else [])
    return finding("client-certificate-not-defined", "error", " ".join(text), rcs=conn.rcs, evidence=ev,
                   connections=conns, commands=commands, score=score, next_steps=steps)
