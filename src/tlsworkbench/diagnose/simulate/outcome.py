"""What a connection would get from the modelled state: 0, or the System SSL / AT-TLS
return code of the first rule it breaks (the same rules docs/fixes.md cites):

* 202: the ring does not exist, or the user may not read it (RDATALIB <owner>.<ring>.LST
  READ when that profile exists and the class is active and RACLISTed; else FACILITY
  IRR.DIGTCERT.LISTRING, READ for one's own ring, UPDATE for another user's);
* 6: no certificate under the label, no default PERSONAL certificate, or it is NOTRUST;
* 428: no private key, or the user may not have it (own certificate; RDATALIB UPDATE for
  another user's, CONTROL for SITE/CERTAUTH; through FACILITY only one's own, SITE and
  CERTAUTH keys with CONTROL to IRR.DIGTCERT.GENCERT);
* 401: the certificate (or the partner's) ends before today;
* 8: no trusted CA on the ring with the partner certificate's issuer name;
* CMS 0335304B (a client that checks the host name): the certificate the server
  presents names neither the host in a DNS subject alternative name nor in the CN;
* then the handshake, when both sides' policies are in the model: 5004 when both
  sides' HandshakeRole in force (the connection action's, else the environment
  action's) is a server role, so each waits for the other's ClientHello; the code
  the connection saw (402 when it saw none) when the TLS versions switched On, or the
  V3CipherSuites lists, have nothing in common.

An environment built before the last change keeps the old state: its connections get
what they got before until the environment is rebuilt (instance raised and installed,
or the application restarted).
"""

from __future__ import annotations

from tlsworkbench.diagnose.common import PEER_RCS, norm_dn
from tlsworkbench.diagnose.keyaccess import key_level

from .state import HOST_FAIL, LEVELS, Ring, State, View


def judge(st: State, v: View) -> int | None:
    """The return code the state gives ``v`` now (None: the model cannot tell)."""
    if not v.ring or "/" not in v.ring:
        # own ring unknown: only what the partner presents can be judged
        pc = _partner_cert(st, v)
        if pc is None:
            return None
        return 401 if pc.not_after and pc.not_after < st.today else _new_issuer(v, pc)
    owner, name = v.ring.split("/", 1)
    ring = st.rings.get((owner, name))
    unknown = False
    if ring is None:
        if "*" in st.ring_systems or (v.system or "") in st.ring_systems:
            return 202
        ring, unknown = Ring(owner, name), True  # not shown: judge only the access to it
    user = (v.user or "").upper()
    rd = st.rdatalib(ring)
    if rd is not None:
        if rd.level(user, st) < LEVELS["READ"]:
            return 202
    else:
        prof = st.profile("FACILITY", "IRR.DIGTCERT.LISTRING")
        need = LEVELS["READ"] if user == owner else LEVELS["UPDATE"]
        if prof is not None and prof.level(user, st) < need:
            return 202
    if unknown:  # the ring's contents are not shown: only the partner's dates can be judged
        pc = _partner_cert(st, v)
        if pc is None:
            return 0
        return 401 if pc.not_after and pc.not_after < st.today else _new_issuer(v, pc)
    if (v.role or "") == "server" or v.label:
        e = (next((e for e in ring.entries if e.label == v.label), None) if v.label else
             next((e for e in ring.entries if e.default and e.usage == "PERSONAL"), None))
        if e is None:
            return 6
        c = st.certs.get((e.owner, e.label))
        if c is not None and (c.status or "") == "NOTRUST":
            return 6
        if c is not None and c.private_key is False:
            return 428
        if user and not _key_ok(st, rd, user, e.owner):
            return 428  # a user the evidence does not show is not judged here
        if c is not None and c.not_after and c.not_after < st.today:
            return 401
    if v.partner_cert is not None:
        pc = _partner_cert(st, v)
        if pc is not None and pc.not_after and pc.not_after < st.today:
            return 401
        issuer = pc.issuer if pc is not None else v.partner_issuer
    else:
        issuer = v.partner_issuer
    if issuer:
        want = norm_dn(issuer)
        ok = unknown_ca = False
        for e in ring.entries:
            if e.usage != "CERTAUTH" and e.owner != "CERTAUTH":
                continue
            c = st.certs.get((e.owner, e.label))
            if c is None:
                unknown_ca = True  # a CA whose subject the session does not show
            elif norm_dn(c.subject) == want and (c.status or "TRUST") != "NOTRUST":
                ok = True
        if not ok and not unknown_ca:
            return 8
    return 0


def _new_issuer(v: View, pc) -> int | None:
    """The validating side's CAs are not in the model: a partner certificate from the
    issuer it accepted before is judged trusted; a new self-signed one cannot be on its
    ring (RC 8); another issuer: the model cannot tell (None)."""
    if not v.partner_issuer or not pc.issuer or norm_dn(pc.issuer) == norm_dn(v.partner_issuer):
        return 0
    return 8 if norm_dn(pc.issuer) == norm_dn(pc.subject) else None


def _presented(st: State, server: View):
    """The certificate ``server`` presents now: its label, else its ring's default
    PERSONAL certificate (None: the model does not hold it)."""
    ring = st.rings.get(tuple(server.ring.split("/", 1))) if server.ring and "/" in server.ring else None
    if ring is None:
        return None
    e = (next((e for e in ring.entries if e.label == server.label), None) if server.label else
         next((e for e in ring.entries if e.default and e.usage == "PERSONAL"), None))
    return st.certs.get((e.owner, e.label)) if e is not None else None


def _partner_cert(st: State, v: View):
    """What the partner presents: as the partner's ring holds it now (a CONNECT ...
    DEFAULT changes it), else the certificate the evidence showed."""
    p = st.views.get(v.peer) if v.peer else None
    if p is not None and (p.role or "") == "server":
        got = _presented(st, p)
        if got is not None:
            return got
    return st.certs.get(v.partner_cert) if v.partner_cert else None


def _key_ok(st: State, rd, user: str, cert_owner: str) -> bool:
    if rd is not None:
        return rd.level(user, st) >= LEVELS[key_level(cert_owner, user)]
    if cert_owner == user:
        return True
    if cert_owner in ("SITE", "CERTAUTH"):
        prof = st.profile("FACILITY", "IRR.DIGTCERT.GENCERT")
        return prof is not None and prof.level(user, st) >= LEVELS["CONTROL"]
    return False


def evaluate(st: State, stale_aware: bool = True) -> dict[str, int | None]:
    """connection id -> return code. A connection whose codes only say "the partner
    ended it" gets 0 when its partner succeeds, else what it saw."""
    out: dict[str, int | None] = {}
    for cid, v in st.views.items():
        own = [rc for rc in v.observed if rc not in PEER_RCS]
        if v.observed and not own:
            continue
        stale = st.built.get(v.env or v.job, 0) < st.version
        if v.partner_env:  # what the partner presents comes from the partner's environment
            stale = stale and st.built.get(v.partner_env, 0) < st.version
        if stale_aware and stale and st.version:
            out[cid] = own[0] if own else 0  # the old environment is still in use
            continue
        rc = judge(st, v)
        if rc in (0, None):
            rc = negotiate(st, v) or rc
        out[cid] = rc
    return out


def _names_host(st: State, server: View, host: str) -> bool:
    """Does the certificate the server presents (its ring's default PERSONAL, or its
    label) name ``host``? Not known (no ring, no certificate): judged as it does."""
    from tlsworkbench.diagnose.hostname import _match

    c = _presented(st, server)
    if c is None:
        return True
    return bool(_match(c, host)[0])


def _role(v: View) -> str:
    return (v.conn_role or v.env_role or "").lower()


def negotiate(st: State, v: View) -> int:
    """What the handshake with the partner gives (0: nothing the model can see fails)."""
    p = st.views.get(v.peer) if v.peer else None
    if p is None:
        return 0
    own = [rc for rc in v.observed if rc not in PEER_RCS]
    if v.want_host and not _names_host(st, p, v.want_host):
        return HOST_FAIL
    if _role(v).startswith("server") and _role(p).startswith("server"):
        return 5004
    mine = {k for k, val in v.protocols.items() if str(val).lower() == "on"}
    theirs = {k for k, val in p.protocols.items() if str(val).lower() == "on"}
    if mine and theirs and not mine & theirs:
        return own[0] if own else 402
    from tlsworkbench.diagnose.negotiation import _suite_codes

    a, b = _suite_codes(list(v.ciphers)), _suite_codes(list(p.ciphers))
    if a and b and not set(a) & set(b):
        return own[0] if own else 402
    from .clientauth import check

    return check(st, v, p)


def with_peers(st: State, got: dict, peers: dict) -> dict:
    for cid, v in st.views.items():
        if cid in got:
            continue
        p = peers.get(cid)
        prc = got.get(p) if p else None
        got[cid] = 0 if prc == 0 else (v.observed[0] if v.observed else 0)
    return got
