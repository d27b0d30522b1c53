"""Client authentication on the model: a server whose HandshakeRole in force is
ServerWithClientAuth and whose ClientAuthType is Required or SAFCheck asks for the
client's certificate (the same rules as diagnose/clientauth.py):

* the client sends the certificate its label names, else its ring's default PERSONAL
  certificate; none: RC 5001 on the server;
* with SAFCheck RACF on the server's system must find a user ID for it: a certificate
  RACF holds there under a user (same subject's and issuer's names), else a
  certificate name filter (RACDCERT MAP) whose subject and issuer filters equal the
  last RDNs of the certificate's names, used only while DIGTNMAP is active (as of the
  last refresh when it is RACLISTed); none: RC 5002.
"""

from __future__ import annotations

import re

from .state import Cert, State, View

_RDN_SPLIT = re.compile(r"[,;]\s*|\.(?=\s*[A-Za-z][A-Za-z0-9]{0,20}=)")


def rdns(dn: str | None) -> list[str]:
    """The RDNs of a DN written with commas or, as RACF displays it, with dots."""
    if not dn:
        return []
    return [" ".join(p.split()).upper() for p in _RDN_SPLIT.split(dn[:1000]) if p.strip()]


def _tail(dn: str | None, filt: str | None) -> bool:
    if not filt:
        return True
    want, got = rdns(filt), rdns(dn)
    return bool(want) and len(want) <= len(got) and got[len(got) - len(want):] == want


def _role(v: View) -> str:
    return (v.conn_role or v.env_role or "").lower()


def asks(v: View) -> bool:
    return _role(v) == "serverwithclientauth" and (v.client_auth or "").lower() in ("required", "safcheck")


def client_envs(st: State) -> None:
    """A server that asks for the client's certificate gets it from the client's
    environment: rebuilding that one is what makes a change on the client count."""
    for v in st.views.values():
        p = st.views.get(v.peer) if v.peer else None
        if p is not None and asks(v) and not v.partner_env:
            v.partner_env = p.env or p.job


def presents(st: State, client: View):
    """The certificate ``client`` sends: a Cert, None (it has none to send), or
    "unknown" (its ring or the certificate is not in the model)."""
    if not client.ring or "/" not in client.ring:
        return "unknown"
    ring = st.rings.get(tuple(client.ring.split("/", 1)))
    if ring is None:
        return "unknown"
    e = (next((e for e in ring.entries if e.label == client.label), None) if client.label else
         next((e for e in ring.entries if e.default and e.usage == "PERSONAL"), None))
    if e is None:
        return None
    return st.certs.get((e.owner, e.label), "unknown")


def mapped_user(st: State, cert: Cert, system: str | None) -> str | None:
    """The user ID RACF on ``system`` finds for ``cert`` (SAFCheck)."""
    for c in list(st.certs.values()) + st.extra_certs:
        if (c.owner not in ("CERTAUTH", "SITE") and c.system in (None, system)
                and rdns(c.subject) == rdns(cert.subject) and rdns(c.issuer) == rdns(cert.issuer)):
            return c.owner
    if "DIGTNMAP" not in st.active:
        return None
    live = st.maps if "DIGTNMAP" in st.raclisted else st.maps_db
    for user, sdn, idn in live:
        if _tail(cert.subject, sdn) and _tail(cert.issuer, idn):
            return user
    return None


def check(st: State, server: View, client: View) -> int:
    """0, 5001 or 5002 for a server that asks for the client's certificate."""
    if not asks(server):
        return 0
    got = presents(st, client)
    if got is None:
        return 5001
    if got == "unknown" or (server.client_auth or "").lower() != "safcheck":
        return 0
    return 0 if mapped_user(st, got, server.system) else 5002


def apply_map(st: State, who: str, ops: dict) -> str:
    """RACDCERT ID(user) MAP SDNFILTER(...) IDNFILTER(...): a new filter in the
    database, in use at once only when DIGTNMAP is active and not RACLISTed."""
    sdn, idn = ops.get("SDNFILTER"), ops.get("IDNFILTER")
    if not isinstance(sdn, str) and not isinstance(idn, str):
        raise ValueError("MAP needs SDNFILTER or IDNFILTER")
    st.maps_db.append((who, sdn if isinstance(sdn, str) else None, idn if isinstance(idn, str) else None))
    if "DIGTNMAP" not in st.active:
        when = "used once DIGTNMAP is active"
    elif "DIGTNMAP" in st.raclisted:
        when = "used after SETROPTS RACLIST(DIGTNMAP) REFRESH"
    else:
        when = "used at once"
    return f"certificates with subject {sdn or 'any'} issued by {idn or 'any'} map to {who} ({when})"
