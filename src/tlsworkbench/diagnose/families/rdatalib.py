"""What an R_datalib (IRRSDL00) SAF/RACF return and reason code means for a server that
reads its RACF key ring itself (z/OSMF, Zowe, Liberty, Java JCERACFKS), and the finding
it gives with the session's RACDCERT evidence (diagnose/families/zowe.py calls these).

Meanings (z/OS Security Server RACF Callable Services, "R_datalib: Return and reason
codes", Table 1 for every function and Table 2 for DataGetFirst / DataGetNext; in
the project's words):

* 8/8/8: the caller is not authorized to the service (FACILITY IRR.DIGTCERT.LISTRING,
  or the ring's RDATALIB profile when that class is active).
* 8/8/28: the ring name or the RACF user ID in the call is in error (ring names are
  case-sensitive): the ring as named is not there.
* 8/8/44 (DataGetFirst/DataGetNext): no certificate with the status asked for; IBM
  names an empty ring, or no certificate on it matching what was asked (a label not
  connected, a NOTRUST certificate, no default). From DataGetNext it only marks the end
  of the ring (also Broadcom article 26481: normal in a trace).
* 8/8/48: an output area was too short; the caller asks again with a larger one (normal).
* 8/8/84: "profile for ring not found" in Java's wording (not in the tables the session
  could read: unconfirmed); treated as 8/8/28.
* 8/8/4, 12, 16, 20, 24, 72, 92: parameter, environment or internal errors of the call;
  8/8/96: a STEPLIB/JOBLIB library is not APF-authorized. No ring change fixes them.
"""

from __future__ import annotations

from tlsworkbench.diagnose import fixes as fx
from tlsworkbench.diagnose.causes import MEDIUM, STRONG, WEAK, Score, finding
from tlsworkbench.diagnose.common import norm_dn
from tlsworkbench.model import Connection, Finding

NOT_AUTHORIZED = {(8, 8, 8)}
RING_NAME = {(8, 8, 28), (8, 8, 84)}
MEANINGS = {
    (8, 8, 4): "a parameter list error in the call",
    (8, 8, 12): "an internal error (RACF's recovery got control)",
    (8, 8, 16): "R_datalib could not set up its recovery environment",
    (8, 8, 20): "the function code is not defined",
    (8, 8, 24): "the parameter list version is not supported",
    (8, 8, 72): "the caller is not in task mode",
    (8, 8, 92): "an internal error",
    (8, 8, 96): "a library in the STEPLIB or JOBLIB concatenation is not APF-authorized",
}


def _triple(code) -> str:
    return "/".join(str(c) for c in code)


def ring_name(ctx, conn: Connection, code, ev: list[str], who: dict) -> Finding:
    """8/8/28 (and 8/8/84): the ring as named does not exist for that owner."""
    try:
        from tlsworkbench.diagnose.keyring import _closest
    except ImportError:  # the ring rule changed (engineer "fix"): no suggestion, the rest stands
        def _closest(key, rings):
            low = key.lower()
            return next((r for r in rings if r.key.lower() == low), None)
    ring, owner = who["ring"], who["owner"]
    meaning = ("the ring name or the user ID in the call is in error" if code == (8, 8, 28) else
               "the profile of the ring was not found (Java's wording; IBM's table row was not "
               "available to confirm it)")
    score = Score(0.65).support(STRONG, f"R_datalib {_triple(code)}: ring name or owner wrong")
    text = [f"{who['name']} could not read its key ring: R_datalib (IRRSDL00) answered SAF/RACF "
            f"{_triple(code)}: {meaning}. The ring {ring or '(not named)'} is not there as written "
            "(RACF ring names are case-sensitive)."]
    _where_ring(ctx, conn, ring, score, text, ev, _closest)
    if who["cfg"] is not None:
        text.append(f"The ring comes from {who['words']}.")
    verify = [fx.RacdcertListring(owner, "*").command()] if owner else []
    return finding("keyring-not-found", "error", " ".join(text), evidence=ev, connections=[conn.id],
                   score=score, verify=verify)


def _where_ring(ctx, conn, ring, score: Score, text: list[str], ev: list[str], closest) -> None:
    exists = ctx.ring(ring, conn.system) if ring and "/" in ring else None
    rings = ctx.rings(conn.system)
    if exists is not None:
        score.against(STRONG, "the ring exists in LISTRING output")
        text.append(f"RACDCERT LISTRING shows {exists.key}, so check the owner and the exact name.")
        ev.append(exists.record)
    elif rings and ring:
        near = closest(ring, rings)
        if near is not None:
            score.support(MEDIUM, "a ring with a close name exists")
            text.append(f"RACDCERT LISTRING shows {near.key} instead (RACF ring names are "
                        "case-sensitive).")
            ev.append(near.record)


def not_authorized(ctx, conn: Connection, ev: list[str], who: dict) -> Finding:
    """8/8/8: not authorized to the service."""
    ring, owner, user = who["ring"], who["owner"], who["user"]
    uid = (user or "the server's user").upper()
    score = Score(0.65).support(STRONG, "R_datalib 8/8/8: not authorized")
    text = [f"{who['name']} may not read its key ring {ring or ''}: R_datalib answered SAF/RACF 8/8/8, "
            f"not authorized to the service. {uid} needs READ to IRR.DIGTCERT.LISTRING in FACILITY (or "
            "to <owner>.<ring>.LST in RDATALIB when that class is active) for its own ring; UPDATE for "
            "another user's ring."]
    found = ctx.ring(ring, conn.system) if ring else None
    if found is not None:
        score.support(MEDIUM, "the ring exists in LISTRING output")
        ev.append(found.record)
    cmds = listring_access(ctx, uid, owner) if user else []
    return finding("keyring-not-authorized", "error", " ".join(text), evidence=ev, connections=[conn.id],
                   commands=cmds, score=score)


def listring_access(ctx, uid: str, owner: str | None) -> list:
    """RLIST first, PERMIT (READ for the own ring, UPDATE for another user's), conditional
    FACILITY refresh."""
    from tlsworkbench.diagnose.common import raclist_refresh

    access = "READ" if not owner or owner.upper() == uid else "UPDATE"
    # no ICH408I in the session says which profile RACF checked (a generic such as
    # IRR.DIGTCERT.* is common): look before the PERMIT, which fails on a missing profile
    return [fx.Rlist("FACILITY", "IRR.DIGTCERT.LISTRING", "AUTHUSER").command(
                purpose="Check first which profile covers IRR.DIGTCERT.LISTRING (RLIST names a "
                        "generic one such as IRR.DIGTCERT.* if that is what matches). If none "
                        "does, define it first: RDEFINE FACILITY IRR.DIGTCERT.LISTRING UACC(NONE); "
                        "if only a generic one does, RDEFINE FACILITY IRR.DIGTCERT.LISTRING "
                        "FROM(<generic>) so nobody loses access."),
            fx.Permit("IRR.DIGTCERT.LISTRING", "FACILITY", uid, access).command(),
            raclist_refresh(ctx, ["FACILITY"])]


def keystore_not_loaded(ctx, conn: Connection, rec, ev: list[str], who: dict) -> Finding | None:
    """Liberty's CWPKI0033E (the keystore did not load) for a safkeyring whose ring and label
    LISTRING shows: Liberty reads the ring through R_datalib (JCERACFKS), not System SSL, and
    the likeliest cause left is that the server user may not read it."""
    ring_key, owner, user = who["ring"], who["owner"], who["user"]
    ring = ctx.ring(ring_key, conn.system) if ring_key and "/" in ring_key else None
    if ring is None or not user:
        return None
    ev.append(ring.record)
    pol = ctx.policy(conn)
    label = pol.cert_label
    entry = next((e for e in ring.entries if e.label == label), None) if label else ring.default_entry()
    if entry is None:
        return None
    ev.append(entry.record)
    uid = user.upper()
    text = (f"{who['name']} could not load its keystore {ring_key} (CWPKI0033E). Liberty reads a "
            "safkeyring through RACF's R_datalib service (JCERACFKS), not through System SSL, so "
            "there is no System SSL return code and a GSKSRVR trace would show nothing. RACDCERT "
            f"LISTRING shows the ring exists and holds {entry.label!r}"
            + (f" (the serverKeyAlias)" if label else " as its default") + ", so the likeliest cause "
            f"left is that {uid} may not read the ring: it needs READ to IRR.DIGTCERT.LISTRING in "
            "FACILITY for its own ring (UPDATE for another user's), or to the ring's "
            "<owner>.<ring>.LST profile in RDATALIB when that class is active. The message itself "
            "does not say which check failed: a RACF trace of R_datalib (or an ICH408I on the "
            "console) confirms it.")
    score = Score(0.45).support(MEDIUM, "the ring and its certificate are in LISTRING output")
    steps = [f"Confirm before changing access: take a RACF trace of the R_datalib callable service "
             "for the server's job (the RACF operator command SET TRACE with CALLABLE and JOBNAME, "
             "with GTF recording the RACF user records; RACF Diagnosis Guide, \"Obtaining trace "
             "records using the SET TRACE command\"), restart the server and read the SAF/RACF return "
             f"and reason codes of DataGetFirst; or look for ICH408I for {uid} on the console at the "
             "time of the message. Not a GSKSRVR trace: System SSL is not involved."]
    return finding("keyring-not-authorized", "error", text, evidence=ev, connections=[conn.id],
                   commands=listring_access(ctx, uid, owner), score=score, next_steps=steps,
                   verify=[fx.RacdcertListring(owner or uid, ring.name).command()])


def no_certificate(ctx, conn: Connection, rec, ev: list[str], who: dict) -> Finding:
    """8/8/44 from DataGetFirst: the ring gave no certificate with the status asked for. The
    LISTRING output says which: an empty ring, a label that is not on it, no default, a
    NOTRUST certificate; or, when the owner's rings are listed without it, no such ring."""
    ring_key, owner = who["ring"], who["owner"]
    fn = rec.fields.get("datalib_function") or "DataGetFirst"
    ring = ctx.ring(ring_key, conn.system) if ring_key and "/" in ring_key else None
    pol = ctx.policy(conn)
    label = pol.cert_label
    head = (f"{who['name']} could not read a certificate from its key ring {ring_key or '(not named)'}: "
            f"R_datalib {fn} answered SAF/RACF 8/8/44, no certificate with the status asked for (the "
            "ring is empty, or nothing on it matches the request).")
    text, commands, steps = [head], [], []
    score = Score(0.5).support(WEAK, "R_datalib 8/8/44")
    cause = "certificate-not-on-ring"
    if ring is None:
        mine = [r for r in ctx.rings(conn.system) if owner and r.owner.upper() == owner.upper()]
        if mine:
            try:
                from tlsworkbench.diagnose.keyring import _closest
            except ImportError:
                def _closest(key, rings):
                    return None
            cause = "keyring-not-found"
            text.append(f"RACDCERT LISTRING lists {owner}'s rings ({', '.join(r.name for r in mine)}) and "
                        f"{ring_key} is not among them: there is no such ring to read, so no certificate.")
            _where_ring(ctx, conn, ring_key, score, text, ev, _closest)
            score.support(MEDIUM, "the owner's rings are listed without it")
        else:
            score.against(MEDIUM, "no LISTRING of the ring")
            steps.append(f"RACDCERT ID({owner or 'owner'}) LISTRING(*) shows whether the ring exists and "
                         "what is connected to it.")
    else:
        ev.append(ring.record)
        _judge(ctx, conn, ring, label, pol, score, text, commands, steps, ev)
    if who["cfg"] is not None:
        text.append(f"The ring comes from {who['words']}.")
    verify = [fx.RacdcertListring(owner, ring.name if ring else "*").command()] if owner else []
    return finding(cause, "error", " ".join(text), evidence=ev, connections=[conn.id], commands=commands,
                   verify=verify, score=score, next_steps=steps)


def _judge(ctx, conn, ring, label, pol, score: Score, text, commands, steps, ev) -> None:
    """The ring exists: say why it gave no certificate and connect what is missing."""
    personal = ring.personal()
    if not ring.entries:
        score.support(STRONG + MEDIUM, "LISTRING shows the ring is empty")
        text.append(f"RACDCERT LISTRING shows {ring.key} exists but is empty: no certificate is "
                    "connected to it.")
        _connect(ctx, conn, ring, label, commands, steps, ev, with_ca=True)
    elif label and not any(e.label == label for e in ring.entries):
        score.support(STRONG, "the label asked for is not on the ring")
        have = ", ".join(repr(e.label) for e in ring.entries)
        text.append(f"The ring holds {have}, but not {label!r}, the certificate asked for by "
                    f"{pol.cert_label_words or 'the configuration'}.")
        _connect(ctx, conn, ring, label, commands, steps, ev, with_ca=False)
    elif not label and not any(e.default for e in personal):
        score.support(STRONG, "no default PERSONAL certificate and no alias named")
        text.append(f"The ring has no PERSONAL certificate marked DEFAULT and the configuration names no "
                    "alias, so there is no server certificate to hand out.")
        steps.append("Connect the server certificate again with DEFAULT (RACDCERT ID(owner) CONNECT(... "
                     "DEFAULT)), or name its label as the keystore alias.")
    else:
        entry = next((e for e in ring.entries if e.label == label), None) if label else \
            next((e for e in personal if e.default), None)
        owner = (entry.owner or "").upper() if entry else ""
        owner = owner[3:-1] if owner.startswith("ID(") else owner
        cert = ctx.cert(entry.label, owner, conn.system) if entry else None
        if cert is not None and (cert.status or "").upper() == "NOTRUST":
            score.support(STRONG, "the certificate is NOTRUST")
            ev.append(cert.record)
            text.append(f"{entry.label!r} is on the ring but marked NOTRUST; R_datalib does not return "
                        "NOTRUST certificates.")
            commands.append(fx.RacdcertAlterTrust(owner, entry.label).command())
            commands.append(fx.SetroptsRefresh(["DIGTCERT"]).command())
        else:
            score.against(MEDIUM, "the ring looks usable in this LISTRING")
            text.append("The LISTRING in the session shows a usable certificate, so the ring probably "
                        "changed after the server read it: restart the server and check again.")


def _connect(ctx, conn, ring, label, commands, steps, ev, with_ca: bool) -> None:
    """Connect the server's certificate (the one the label names, else one of the ring owner's
    with a private key) and, for an empty ring, the CA that issued it."""
    owner = ring.owner.upper()
    certs = [c for c in ctx.certs(conn.system) if (c.owner or "").upper() not in ("CERTAUTH", "")
             and c.private_key is not False and (not label or c.label == label)]
    certs.sort(key=lambda c: ((c.owner or "").upper() == owner, bool(c.private_key)), reverse=True)
    if not certs:
        steps.append(f"List the candidates (RACDCERT ID({owner}) LIST) and connect the server certificate "
                     f"to {ring.key} as PERSONAL DEFAULT.")
        if with_ca:  # an empty ring; a label missing from a full ring is the alias's to fix
            _connect_unseen(ctx, ring, label, commands, with_ca)
        return
    cert = certs[0]
    ev.append(cert.record)
    commands.append(fx.RacdcertConnect((cert.owner or owner).upper(), cert.label, ring.name, owner,
                                       "PERSONAL", default=True).command())
    want = norm_dn(cert.issuer)
    ca = next((c for c in ctx.certs(conn.system) if (c.owner or "").upper() == "CERTAUTH"
               and want and norm_dn(c.subject) == want), None)
    if with_ca and ca is not None and not any(e.label == ca.label for e in ring.entries):
        ev.append(ca.record)
        commands.append(fx.RacdcertConnect("CERTAUTH", ca.label, ring.name, owner, "CERTAUTH").command())
    commands.append(fx.SetroptsRefresh(["DIGTRING", "DIGTCERT"]).command())


SERVER_LABEL = "<label of the server certificate>"
CA_LABEL = "<label of the issuing CA>"


def _connect_unseen(ctx, ring, alias, commands, with_ca: bool) -> None:
    """The certificates are not in the session (no RACDCERT LIST): the same CONNECT commands
    with marked placeholder labels, and sentences that say what is assumed."""
    from tlsworkbench.diagnose.common import raclist_refresh

    owner = ring.owner.upper()
    asked = (f" The configuration asks for the alias {alias!r}: if {owner} owns a certificate "
             f"labelled {alias!r}, that is the label to put in.") if alias else ""
    commands.append(fx.RacdcertConnect(owner, SERVER_LABEL, ring.name, owner, "PERSONAL", default=True).command(
        purpose=f"Connect the server certificate to {ring.key} as its default PERSONAL certificate. "
                f"{SERVER_LABEL} is a placeholder: no RACDCERT LIST of the certificate is in the "
                f"session.{asked} Assumed: the certificate belongs to {owner}, the ring's owner (another "
                "user's certificate needs ID(that user) in CONNECT and UPDATE to the ring)."))
    if with_ca:
        commands.append(fx.RacdcertConnect("CERTAUTH", CA_LABEL, ring.name, owner, "CERTAUTH").command(
            purpose=f"Connect the CA that issued the server certificate to {ring.key}, so the server can "
                    f"send its chain. {CA_LABEL} is a placeholder: the issuer is not in the session "
                    "(RACDCERT LIST of the server certificate shows it as Issuer's Name)."))
    commands.append(raclist_refresh(ctx, ["DIGTRING"]))


def unusual(ctx, conn: Connection, code, ev: list[str], who: dict) -> Finding:
    """A code no ring change fixes (parameter, environment, internal, APF)."""
    meaning = MEANINGS.get(tuple(code), "a code the R_datalib tables give no ring meaning for")
    text = (f"{who['name']} failed to read its key ring {who['ring'] or ''}: R_datalib answered SAF/RACF "
            f"{_triple(code)}, {meaning}. This is not a ring, certificate or access problem.")
    steps = (["Make every library of the server's STEPLIB/JOBLIB APF-authorized (or drop the one that "
              "is not), then restart it."] if tuple(code) == (8, 8, 96) else
             ["Collect the server's log and a RACF trace of R_datalib for IBM support."])
    return finding("unexplained-failure", "error", text, evidence=ev, connections=[conn.id],
                   score=Score(0.4), next_steps=steps)
