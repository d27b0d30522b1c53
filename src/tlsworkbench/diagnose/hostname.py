"""The client checks the server's host name (FTP SECURE_HOSTNAME REQUIRED, a
TN3270 emulator) and the server certificate does not name it: CMS status
0335304B (seed Error #5). The handshake itself succeeds; the client then quits."""

from __future__ import annotations

import re

from tlsworkbench.model import CertInfo, Connection, Finding, Record

from . import fixes as fx
from .causes import MEDIUM, STRONG, Score, finding
from .common import issuer_label, next_steps, norm_dn, raclist_refresh, refresh_steps, rerun, ring_of
from .evidence import Context
from tlsworkbench.model.connset import objects

CMS_HOST = "0335304B"
_HOSTISH = re.compile(r"\b([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+)\b")


def rules(ctx: Context) -> list[Finding]:
    hits = [r for r in ctx.s.records
            if (r.fields.get("cms_status") or "").upper() == CMS_HOST or CMS_HOST in r.text.upper()]
    if not hits:
        return []
    by_conn: dict[str, list[Record]] = {}
    owner_of = {rid: c for c in objects(ctx.s.connections) for rid in c.records}  # rows have none
    for r in hits:
        c = owner_of.get(r.id)
        by_conn.setdefault(c.id if c else r.id, []).append(r)
    out = []
    for key, recs in by_conn.items():
        conn = ctx.connection(key)
        out.append(_one(ctx, recs, conn))
    return out


def _host(ctx: Context, recs: list[Record], conn: Connection | None) -> tuple[str | None, str | None]:
    """(host name asked, record id that says it)."""
    for r in recs:
        h = r.fields.get("hostname")
        if h:
            return h, r.id
    pool = ctx.records_of(conn) if conn is not None else []
    same_art = [r for r in ctx.s.records if r.artifact == recs[0].artifact]
    for r in pool + same_art:
        h = r.fields.get("hostname") or r.fields.get("remote_host")
        if h and not re.fullmatch(r"[0-9.:]+", h):
            return h, r.id
    m = _HOSTISH.search(recs[0].text)
    if m:
        return m.group(1), recs[0].id
    return None, None


def _server_cert(ctx: Context, conn: Connection | None, remote_ip: str | None) -> CertInfo | None:
    if conn is not None:
        p = ctx.peer(conn)
        if p is not None:
            owner, name, _ = ring_of(ctx, p)
            ring = ctx.ring(f"{owner}/{name}", p.system) if owner and name else None
            e = next((e for e in ring.personal() if e.default), None) if ring else None
            if e is not None:
                o = e.owner.upper()
                c = ctx.cert(e.label, o[3:-1] if o.startswith("ID(") else o, p.system)
                if c is not None:
                    return c
    personal = [c for c in ctx.s.certs if (c.owner or "").upper() != "CERTAUTH" and not c.is_ca]
    if remote_ip:
        for c in personal:
            if f"IP:{remote_ip}" in c.san:
                return c
    mine = conn.system if conn is not None else None
    others = [c for c in personal if not mine or ctx.system_of(c) != mine]
    return others[0] if len(others) == 1 else None


def _match(cert: CertInfo, host: str):
    try:
        from tlsworkbench.x509.hostname import system_ssl_match
    except ImportError:
        system_ssl_match = None
    if system_ssl_match is not None:
        try:
            v = system_ssl_match(cert, host)
            return v.matched, v.sentence, list(v.tried)
        except Exception:
            pass
    names = [s.split(":", 1)[1] for s in cert.san if s.upper().startswith(("DNS:", "DOMAIN:"))]
    cn = [p.split("=", 1)[1] for p in (cert.subject or "").split(",") if p.strip().upper().startswith("CN=")]
    h = host.lower()
    ok = any(n.lower() == h or (n.startswith(".") and h.endswith(n.lower())) for n in names + cn)
    return ok, "", [f"DNS:{n}" for n in names] + [f"CN={c}" for c in cn]


def _one(ctx: Context, recs: list[Record], conn: Connection | None) -> Finding:
    host, host_rec = _host(ctx, recs, conn)
    remote_ip = conn.remote.ip if conn is not None and conn.remote else None
    if remote_ip is None:
        for r in ctx.s.records:
            if r.artifact == recs[0].artifact and r.fields.get("remote_ip"):
                remote_ip = r.fields["remote_ip"]
                break
    cert = _server_cert(ctx, conn, remote_ip)
    ev = [r.id for r in recs] + ([host_rec] if host_rec else [])
    score = Score(0.6).support(MEDIUM, "CMS status 0335304B: certificate not valid for host")
    sysname = (conn.system if conn else None) or recs[0].system or ctx.system_of(recs[0])
    who = (conn.job if conn else None) or "The client"
    text = [f"{who}{' on ' + sysname if sysname else ''} checks the server's host name and rejected the "
            f"server certificate for {host or 'the host it connected to'}"
            + (f" ({remote_ip})" if remote_ip else "") + ": CMS status 0335304B, certificate not valid "
            "for host. The TLS handshake itself completed; the client then ended the session."]
    commands, verify, steps = [], [], []
    if cert is not None:
        ev.append(cert.record)
        names = ", ".join([f"CN={c}" for c in _cns(cert)] + cert.san) or "no names"
        if host:
            ok, sentence, tried = _match(cert, host)
            if ok:
                score.against(STRONG + MEDIUM, "the certificate does name the host")
                text.append(f"Yet {cert.label or 'the certificate'!r} does name {host} ({sentence}); the "
                            "name the client compared was probably another one (a DNS lookup of the "
                            "address, a different alias).")
            else:
                score.support(STRONG, "the certificate's CN/SAN do not cover the host")
                text.append(f"The server certificate {cert.label!r} (owner {cert.owner or '?'}) carries "
                            f"{names}; none of them is {host}. The host name must be the subject's CN or a "
                            "DNS name of the subject alternative name.")
        else:
            text.append(f"The server certificate {cert.label!r} carries {names}.")
        owner = (cert.owner or "TCPIP").upper()
        if host and owner not in ("CERTAUTH",):
            peer = ctx.peer(conn) if conn is not None else None
            more, check, words = server_fix(ctx, cert, host, remote_ip, conn, peer)
            commands += more
            verify += check
            text.append(words)
    else:
        score.against(MEDIUM, "the server certificate is not in the session")
        steps.append("Display the server certificate (RACDCERT LIST on the server's system, or the "
                     "CERTIFICATE message of a GSKSRVR trace) and compare its CN and AltNames with "
                     f"{host or 'the host name'}.")
        steps += next_steps(ctx, skip=("console",))
    alt = client_names(cert, host) if cert is not None else []
    if alt:
        steps.append(f"Without a new certificate: on {sysname or 'the client'}, connect with a name the "
                     f"certificate carries ({alt[0]}: FTP {alt[0]}), which must resolve to "
                     f"{remote_ip or 'the server address'} (DNS, /etc/ipnodes: '{remote_ip or 'address'} "
                     f"{alt[0]}'). Turning the check off (FTP.DATA SECURE_HOSTNAME OPTIONAL) also ends the "
                     "failure, but the client then no longer knows whom it talks to.")
    else:
        steps.append(f"Without a new certificate: connect with a name the certificate carries and make it "
                     f"resolve (DNS, /etc/ipnodes: '{remote_ip or 'address'} <name>'), or set the client's "
                     "check to optional (FTP.DATA SECURE_HOSTNAME OPTIONAL) if policy allows.")
    if conn is not None:
        verify.append(rerun_as(conn, host))
    conns = [conn.id] if conn is not None else []
    if conn is not None and conn.peer:
        conns.append(conn.peer)
    return finding("hostname-mismatch", "error", " ".join(text), rcs=[], evidence=ev, connections=conns,
                   commands=commands, verify=verify, score=score, next_steps=steps)


LABEL_MAX = 32
"""RACF certificate labels are at most 32 characters (RACF CLR, RACDCERT WITHLABEL)."""


def new_label(label: str | None, suffix: str = " NEW") -> str:
    """A label for the re-issued certificate: the old one cut so that, with ``suffix``, it
    fits 32 characters, blanks squeezed and never two in a row where it was cut
    (``'FTPS server SYSB production NEW'``). Quoting, apostrophes doubled, is fixes.quote's."""
    base = " ".join((label or "SERVER").split())
    return base[:LABEL_MAX - len(suffix)].rstrip() + suffix


def kept_subject(cert: CertInfo, host: str) -> tuple[dict, dict, str, list]:
    """(SUBJECTSDN, ALTNAME, words, old IP names) of a server certificate that names ``host`` and keeps the
    name the old one served: its CN stays the CN, ``host`` becomes the DNS alternative name
    (RACDCERT ALTNAME takes one DOMAIN), the old IP alternative name stays. System SSL
    accepts either the CN or a DNS alternative name (x509/hostname.py), so clients that used
    the old name keep working."""
    old_cn = next(iter(_cns(cert)), None)
    subj = {"CN": old_cn if old_cn and old_cn.lower() != host.lower() and "*" not in old_cn else host}
    for part in (cert.subject or "").split(",")[1:]:
        k, _, v = part.strip().partition("=")
        if k.strip().upper() in ("OU", "O", "C") and v:
            subj[k.strip().upper()] = v.strip()
    alt = {"DOMAIN": host}
    old_ips = [x.split(":", 1)[1].strip() for x in cert.san if x.upper().startswith("IP:")]
    olds = [x.split(":", 1)[1].strip() for x in cert.san if x.upper().startswith(("DNS:", "DOMAIN:"))]
    dropped = [n for n in olds if n.lower() not in (subj["CN"].lower(), host.lower())]
    if subj["CN"] != host:
        words = (f"The new certificate keeps the name the old one served, {subj['CN']}, as its CN and "
                 f"adds {host} as its DNS alternative name, so clients that connect with either name "
                 "accept it (System SSL takes the CN or a DNS alternative name). A client that follows "
                 f"RFC 6125 ignores the CN once DNS alternative names exist: such a client must use {host}.")
    else:
        words = f"The new certificate names {host} in its CN and as its DNS alternative name."
    if dropped:
        words += (f" RACDCERT ALTNAME takes one DOMAIN, so the old alternative name"
                  f"{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} "
                  f"{'are' if len(dropped) > 1 else 'is'} not carried over: a client that uses "
                  f"{'them' if len(dropped) > 1 else 'it'} needs another certificate.")
    return subj, alt, words, old_ips


def server_fix(ctx: Context, cert: CertInfo, host: str, remote_ip: str | None, client: Connection | None,
               server: Connection | None) -> tuple[list, list, str]:
    """(commands, checks, words) that make the server present a certificate naming ``host``:
    the new certificate (names kept, see :func:`kept_subject`), signed like the old one;
    CONNECT as the ring's default; then the server's environment rebuilt (the DIGTRING /
    DIGTCERT refresh worded as conditional, the instance bump and F PAGENT,UPDATE, or the
    family's refresh / a stop and start), since a running server keeps the certificate it
    read. Shared by the AT-TLS rule and the native FTP client's check (diagnose/native.py)."""
    from tlsworkbench.model import Command

    owner = (cert.owner or "TCPIP").upper()
    label = new_label(cert.label)
    subj, alt, words, old_ips = kept_subject(cert, host)
    ip = remote_ip or (old_ips[0] if old_ips else None)
    if ip:
        alt["IP"] = ip
    ca = next((c for c in ctx.s.certs if norm_dn(c.subject) == norm_dn(cert.issuer) and c is not cert), None)
    ca_label = ca.label if ca is not None else issuer_label(ctx, cert, client)
    commands = _new_cert(owner, label, subj, alt, cert, ca, ca_label, host)
    verify: list = []
    ring = None
    pol = None
    if server is not None:
        po, pn, pol = ring_of(ctx, server)
        ring = (po, pn) if po and pn else None
    if ring is None and cert.rings:
        o, _, n = cert.rings[0].partition("/")
        ring = (o, n) if o and n else None
    if ring is not None:
        commands.append(fx.RacdcertConnect(owner, label, ring[1], ring[0], "PERSONAL", True).command())
        verify.append(fx.RacdcertListring(ring[0], ring[1]).command())
    if server is not None and pol is not None:
        commands += refresh_steps(ctx, server, pol)
    else:
        commands.append(raclist_refresh(ctx, ["DIGTRING", "DIGTCERT"]))
        where = f"{ring[0]}/{ring[1]}" if ring else "its key ring"
        commands.append(Command(
            text=f"Make the server that uses {where} build its TLS environment again",
            kind="manual", disruptive=True,
            purpose=("A running server keeps the certificate it read. For "
                     "AT-TLS raise EnvironmentUserInstance in the rule's TTLSEnvironmentAction and "
                     "F PAGENT,UPDATE; for an FTP server with TLSMECHANISM FTP stop and start it (P job, "
                     "then S procedure); for CICS PERFORM SSL REBUILD. The session does not show the "
                     "server's job or policy.")))
        words += (f" The server (not in the session) must then build its TLS environment again to "
                  f"present the new default certificate of {where}.")
    verify.append(fx.RacdcertList(owner, label).command())
    return commands, verify, words


def rerun_as(conn: Connection, host: str | None):
    """The check after the fix: the client connects again by the host name that failed
    (an FTP client: ``ftp host``), not by the address."""
    from tlsworkbench.model import Command

    if not host:
        return rerun(conn)
    if conn.family == "ftp" and conn.role == "client":
        return Command(text=f"ftp {host}", kind="shell",
                       purpose=f"Connect again by the host name that failed, {host} (not by the address): "
                               "the client checks that name against the new certificate.")
    job = conn.job or "the client"
    return Command(text=f"Re-run the connection ({job}) to {host} and look for EZD1287I / EZD1286I with RC 0",
                   kind="check", purpose=f"Connect again by the host name that failed, {host}.")


def client_names(cert: CertInfo, host: str | None) -> list[str]:
    """Host names the certificate carries that a client could connect with instead of
    ``host``: DNS subject alternative names, then a CN with a domain (no wildcards, no
    addresses). With FTP SECURE_HOSTNAME REQUIRED the client compares the name it
    connects to with the CN or a subject alternative name (IP CR, "SECURE_HOSTNAME (FTP
    client) statement")."""
    out = []
    for n in [s.split(":", 1)[1] for s in cert.san if s.upper().startswith(("DNS:", "DOMAIN:"))] + _cns(cert):
        n = n.strip()
        if ("." in n and "*" not in n and not re.fullmatch(r"[0-9.:]+", n)
                and (not host or n.lower() != host.lower()) and n not in out):
            out.append(n)
    return out


def client_fix(ctx: Context, f: Finding) -> list:
    """The client-side way out of ``f``: connect with a name the server certificate
    carries (``FTP name``). Empty when the certificate carries no such name."""
    from tlsworkbench.model import Command

    conn = next((ctx.connection(c) for c in f.connections if ctx.connection(c) is not None
                 and ctx.connection(c).role == "client"), None)
    recs = [r for r in (ctx.records_of(conn) if conn is not None else [])
            if (r.fields.get("cms_status") or "").upper() == CMS_HOST]
    if conn is None or not recs:
        return []
    host, _ = _host(ctx, recs, conn)
    cert = _server_cert(ctx, conn, conn.remote.ip if conn.remote else None)
    names = client_names(cert, host) if cert is not None else []
    if not names:
        return []
    return [Command(f"FTP {names[0]}", "operator",
                    f"On {conn.system or 'the client'}, {conn.job or 'the client'} connects as {names[0]}, a "
                    f"name the server certificate carries (it must resolve to the server's address).")]


def _new_cert(owner, label, subj, alt, cert, ca, ca_label, host) -> list:
    """The server certificate that names ``host``, signed like the old one: by the RACF
    CA (SIGNWITH); by an external CA (RACF holds it without a private key: a self-signed
    placeholder, GENREQ, the request sent, ADD of the answer); with a marked placeholder
    label when the issuer is not in the session; self-signed only when the old one was."""
    from .renewal import PLACEHOLDER_CA

    size = max(cert.key_size or 2048, 2048)
    self_signed = bool(cert.issuer) and norm_dn(cert.issuer) == norm_dn(cert.subject)
    if ca is not None and ca.private_key is False:
        dsn, new = f"{owner}.CERTREQ", f"{owner}.CERTNEW"
        return [
            fx.RacdcertGencert(owner, label, subject=subj, altname=alt, size=size).command(
                purpose=f"Create the key pair and a self-signed placeholder that names {host}; the "
                        f"external CA {ca.label or ca.subject!r} signs the real one (RACF holds only its "
                        "certificate, not its private key)."),
            fx.RacdcertGenreq(owner, label, dsn).command(),
            fx.Operator(f"Send {dsn} to the CA {ca.label or ca.subject!r} ({ca.subject or '?'}) and store "
                        f"the signed certificate it returns in {new}",
                        "The external CA signs the request.").command(),
            fx.RacdcertAdd(new, owner, label).command(
                purpose="Add the signed certificate under the same owner and label; it replaces the "
                        "placeholder and keeps its private key.")]
    sign = ca_label or (None if self_signed else PLACEHOLDER_CA)
    why = f"Create a server certificate that names {host}"
    if sign == PLACEHOLDER_CA:
        why += (". PLACEHOLDER: the CA that issued the old certificate is not in the session; put its "
                "label in SIGNWITH (RACDCERT CERTAUTH LIST shows it) before running it")
    elif sign is None:
        why += ", self-signed as the old one"
    return [fx.RacdcertGencert(owner, label, subject=subj, altname=alt, signwith_label=sign,
                               size=size).command(purpose=why + ".")]


def _cns(cert: CertInfo) -> list[str]:
    return [p.split("=", 1)[1] for p in (cert.subject or "").split(",") if p.strip().upper().startswith("CN=")]
