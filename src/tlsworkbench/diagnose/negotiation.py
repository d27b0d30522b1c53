"""What the two sides could not agree on: cipher suites (402), protocol versions
(412), who speaks first (5004), TLS at all (5003), and client authentication
(5001, 5002)."""

from __future__ import annotations

from dataclasses import replace

from tlsworkbench.model import Connection, Finding

from . import clientauth
from . import fixes as fx
from . import suites
from .causes import MEDIUM, STRONG, WEAK, Score, finding
from .common import (line_of, next_steps, pagent_proc, pasearch_verify, policy_edit, rc_list, rerun,
                     where)
from .evidence import Context, PolicyView

PROTOS = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def rules(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    done: set[str] = set()
    for conn in ctx.failing:
        if conn.id in done:
            continue
        rcs = set(conn.rcs)
        p = ctx.peer(conn)
        if rcs & {402, 412, 422}:
            out.append(_suites(ctx, conn, p))
        elif 5004 in rcs:
            out.append(_timeout(ctx, conn, p))
        elif 5003 in rcs:
            out.append(_cleartext(ctx, conn))
        elif 5001 in rcs:
            out.append(clientauth.missing(ctx, conn))
        elif 5002 in rcs:
            out.append(clientauth.undefined(ctx, conn))
        else:
            continue
        done.add(conn.id)
        if p is not None and (set(p.rcs) & rcs):
            done.add(p.id)  # one finding for both sides of the same disagreement
    return out


def _suite_codes(names: list[str]) -> dict[int, str]:
    try:
        from tlsworkbench.tls.names import suite_by_spec
    except ImportError:
        suite_by_spec = None
    out: dict[int, str] = {}
    for n in names:
        got = suite_by_spec(n) if suite_by_spec else None
        if got:
            out[got[0]] = got[1]
        else:
            out[hash(n.upper()) & 0x7FFFFFFF | 0x10000] = n
    return out


def _offered(ctx: Context, conn: Connection, peer: Connection | None) -> tuple[dict[int, str], str | None]:
    """Suites a ClientHello of the trace offered (for this connection or its peer)."""
    try:
        from tlsworkbench.tls.names import suite_name
    except ImportError:
        def suite_name(c):
            return f"0x{c:04X}"
    ids = set(conn.handshakes) | (set(peer.handshakes) if peer else set())
    for h in ctx.s.handshakes:
        hid = getattr(h, "id", None)
        if ids and hid not in ids:
            continue
        for m in getattr(h, "messages", None) or []:
            if getattr(m, "handshake_type", None) == 1 and getattr(m, "cipher_suites", None):
                names = [n for n in m.cipher_suites if "SCSV" not in str(n)]
                return _suite_codes(names), getattr(m, "line", None)
        ch = getattr(h, "client_hello", None)
        suites = getattr(ch, "cipher_suites", None) if ch is not None else None
        suites = suites or getattr(h, "offered_suites", None) or getattr(h, "cipher_suites", None)
        if suites:
            codes = [int(getattr(s, "code", s)) for s in suites]
            rid = getattr(ch, "record", None) or getattr(h, "record", None)
            return {c: suite_name(c) for c in codes if c not in (0x00FF, 0x5600)}, rid
    return {}, None


def _on(pol: PolicyView) -> set[str]:
    return {p for p, v in pol.protocols.items() if str(v).lower() == "on"}


def _suites(ctx: Context, conn: Connection, peer: Connection | None) -> Finding:
    server, client = (conn, peer) if conn.role == "server" or peer is None else (peer, conn)
    if peer is not None and peer.role == "server":
        server, client = peer, conn
    spol = ctx.policy(server) if server else PolicyView()
    cpol = ctx.policy(client) if client else PolicyView()
    ev = ctx.rc_records(conn) + (ctx.rc_records(peer) if peer else [])
    score = Score(0.45).support(WEAK, "RC 402/412: nothing in common")
    s_codes = _suite_codes(spol.ciphers)
    c_codes = _suite_codes(cpol.ciphers)
    offered, hello_rec = _offered(ctx, conn, peer)
    if offered and not c_codes:
        c_codes = offered
    if hello_rec:
        ev.append(hello_rec)
        score.support(MEDIUM, "the trace shows the suites the client offered")
    for pol in (spol, cpol):
        if pol.cipher_record:
            ev.append(pol.cipher_record)
    s_on, c_on = _on(spol), _on(cpol)
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}."]
    if peer is not None and peer.rcs:
        text.append(f"The partner {where(peer)} saw {rc_list(peer, ctx)}.")
    cause = "cipher-mismatch"
    commands, verify, steps = [], [], []
    edits: list = []  # (system, Command): each side's F PAGENT,UPDATE follows its last edit
    proto_bad = bool(s_on and c_on and not (s_on & c_on))
    if proto_bad:
        cause = "protocol-mismatch"
        score.support(STRONG, "the enabled protocol versions do not overlap")
        text.append(f"The server side enables {', '.join(sorted(s_on))}; the client side enables "
                    f"{', '.join(sorted(c_on))}: no version in common.")
        best = max(s_on, key=PROTOS.index)
        if client is not None and cpol.env_action:
            kind, name = cpol.protocol_statement or ("TTLSEnvironmentAdvancedParms",
                                                     f"{cpol.env_action}/TTLSEnvironmentAdvancedParms")
            edits.append((client.system, policy_edit(
                ctx, kind, name, best, cpol.protocols.get(best, "Off"), "On",
                cpol.protocol_records.get(best), client.system).command(
                purpose=f"Enable {best} on the client side ({client.system}).")))
            # the suites are chosen for the versions in force after this edit
            cpol = replace(cpol, protocols={**cpol.protocols, best: "On"})
    if s_codes and c_codes:
        common = set(s_codes) & set(c_codes)
        if not common:
            score.support(STRONG if not proto_bad else WEAK, "the cipher suite lists do not overlap")
            text.append(("The cipher suite lists do not overlap either, so the new version alone "
                         "would still fail. " if proto_bad else "")
                        + "The server allows " + ", ".join(s_codes.values()) + "; the client offers "
                        + ", ".join(c_codes.values()) + ": no suite in common.")
            plan = _suite_plan(ctx, server, client, spol, cpol, s_codes, c_codes)
            text.append(plan.why)
            for side, pol, new_list, drop in plan.edits:
                if side is None or not pol.env_action:
                    continue
                kind, name = pol.cipher_statement or ("TTLSCipherParms", f"{pol.env_action}/TTLSCipherParms")
                purpose = (f"{side.system}: put {new_list[0]} first in the {side.role or ''} side's "
                           "V3CipherSuites; keep its other suites").replace("  ", " ")
                purpose += (f" except {', '.join(drop)} (weak)." if drop else ".")
                edits.append((side.system, policy_edit(
                    ctx, kind, name, "V3CipherSuites", " ".join(pol.ciphers) or None, new_list,
                    pol.cipher_record, side.system).command(purpose=purpose)))
            verify = [pasearch_verify()]
        elif not proto_bad:
            score.against(STRONG, "the lists have suites in common")
            text.append("The policies have suites in common (" + ", ".join(s_codes[c] for c in common)
                        + "): the certificate's key type may not fit them (an RSA key needs *_RSA_* "
                        "suites, an ECDSA key *_ECDSA_*), or the protocol version rules them out.")
            steps += next_steps(ctx)
    elif not proto_bad:
        score.against(MEDIUM, "one side's suites are not in the session")
        have = "server" if s_codes else "client" if c_codes else None
        if have:
            lst = s_codes if s_codes else c_codes
            text.append(f"Only the {have} side's suites are known: {', '.join(lst.values())}. The other "
                        "side's V3CipherSuites (pasearch -t) or a trace of its ClientHello would show "
                        "whether any of them is offered.")
        else:
            text.append("The session has neither side's cipher suites (policy V3CipherSuites or a "
                        "GSKSRVR trace of the ClientHello).")
        steps += ["Collect pasearch -t on both systems to compare V3CipherSuites and the TLSv1.x switches."]
        steps += next_steps(ctx)
    for i, (system, cmd) in enumerate(edits):
        commands.append(cmd)
        if not any(other == system for other, _ in edits[i + 1:]):
            commands.append(fx.pagent_update(pagent_proc(ctx, system)).command())
    verify.append(rerun(client or conn))
    conns = [conn.id] + ([peer.id] if peer else [])
    return finding(cause, "error", " ".join(text), rcs=conn.rcs + (peer.rcs if peer else []), evidence=ev,
                   connections=conns, commands=commands, verify=verify, score=score, next_steps=steps)


class _Plan:
    def __init__(self):
        self.why = ""
        self.edits: list = []  # (connection, PolicyView, new list, dropped weak suites)


def _server_key(ctx: Context, server: Connection | None, spol: PolicyView) -> str | None:
    if server is None:
        return None
    cert = ctx.cert(spol.cert_label, system=server.system) if spol.cert_label else None
    if cert is None:  # the ring's default certificate
        from .common import ring_of

        owner, name, _ = ring_of(ctx, server)
        ring = ctx.ring(f"{owner}/{name}", server.system) if owner and name else None
        entry = next((e for e in ring.personal() if e.default), None) if ring is not None else None
        if entry is not None:
            cert = ctx.cert(entry.label, None, server.system)
    kt = (getattr(cert, "key_type", None) or "").upper() if cert is not None else ""
    return "ECDSA" if kt.startswith("EC") else "RSA" if kt.startswith("RSA") else None


def _tls12(pol: PolicyView) -> bool:
    return str(pol.protocols.get("TLSv1.2", "On")).lower() != "off"


def _new_list(codes: dict[int, str], pick: str) -> tuple[list[str], list[str]]:
    """``pick`` first, then the side's own suites without the weak ones."""
    keep = [n for n in codes.values() if not suites.weak(n) and n != pick]
    drop = [n for n in codes.values() if suites.weak(n)]
    return [pick] + keep, drop


def _obsolete_note(codes: dict[int, str]) -> str:
    old = [n for n in codes.values() if suites.obsolete(n) and not suites.weak(n)]
    if not old:
        return ""
    return (f" {', '.join(old)} stays for other partners, but 3DES is obsolete (64-bit blocks): "
            "remove it once they all take AES.")


def _suite_plan(ctx, server, client, spol, cpol, s_codes, c_codes) -> _Plan:
    """Which side to change, and to which strong suite both sides could allow."""
    plan = _Plan()
    key = _server_key(ctx, server, spol)
    tls12 = _tls12(spol) and _tls12(cpol)
    s_best = suites.best(s_codes.values(), key=key, tls12=tls12)
    c_best = suites.best(c_codes.values(), key=key, tls12=tls12)
    weak_s = [f"{n} ({suites.weak(n)})" for n in s_codes.values() if suites.weak(n)]
    weak_c = [f"{n} ({suites.weak(n)})" for n in c_codes.values() if suites.weak(n)]
    if s_best and (not c_best or client is not None):
        lst, drop = _new_list(c_codes, s_best)
        plan.edits.append((client, cpol, lst, drop))
        plan.why = (f"Change the client side: the server already allows {s_best}, a strong suite"
                    + (" (AES-GCM)" if "_GCM_" in s_best else "")
                    + ("; the client's list holds none" if not c_best else
                       "; adding it on the client leaves the server's other partners alone")
                    + (f", and {', '.join(weak_c)} should go" if weak_c else "") + "."
                    + _obsolete_note(c_codes))
    elif c_best:
        lst, drop = _new_list(s_codes, c_best)
        plan.edits.append((server, spol, lst, drop))
        plan.why = (f"Change the server side: the client offers {c_best}, a strong suite, and the "
                    "server's list holds none" + (f"; {', '.join(weak_s)} should go" if weak_s else "")
                    + "." + _obsolete_note(s_codes))
    else:
        pick = next((n for n in suites.DEFAULT_STRONG[key or "RSA"]
                     if tls12 or not suites.needs_tls12(n)), suites.DEFAULT_STRONG["RSA"][-1])
        for side, pol, codes in ((server, spol, s_codes), (client, cpol, c_codes)):
            lst, drop = _new_list(codes, pick)
            plan.edits.append((side, pol, lst, drop))
        plan.why = (f"Neither side allows a strong suite: add {pick} on both sides"
                    + (" (the server's certificate has an " + key + " key)" if key else "")
                    + ", and drop the weak ones.")
    if not tls12 and s_best is None and c_best is None:
        plan.why += " One side has TLSv1.2 Off, so only suites without GCM or SHA-2 fit."
    return plan


def _outbound(ctx: Context, conn: Connection) -> bool | None:
    for r in ctx.conn_messages(conn, "EZD1281I"):
        t = (r.fields.get("type") or "").lower()
        if t.startswith("out"):
            return True
        if t.startswith("in"):
            return False
    if conn.local and conn.remote and conn.local.port and conn.remote.port:
        return conn.remote.port < conn.local.port and conn.remote.port < 1024 or None
    return None


def _timeout(ctx: Context, conn: Connection, peer: Connection | None) -> Finding:
    ev = ctx.rc_records(conn) + (ctx.rc_records(peer) if peer else [])
    score = Score(0.5).support(WEAK, "RC 5004: no TLS data before HandshakeTimeout")
    text = [f"{where(conn)} failed with {rc_list(conn, ctx)}: the handshake timer ran out before the partner "
            "sent any TLS data."]
    sides = [c for c in (conn, peer) if c is not None]
    roles = {c.id: (ctx.policy(c).handshake_role or "") for c in sides}
    commands, verify, steps = [], [], []
    if peer is not None:
        text.append(f"The partner {where(peer)} failed the same way ({rc_list(peer, ctx)}).")
        score.support(MEDIUM, "both sides timed out")
    out_side = next((c for c in sides if _outbound(ctx, c)), None)
    if all(roles.get(c.id, "").lower().startswith("server") for c in sides) and len(sides) == 2:
        score.support(STRONG, "both policies say HandshakeRole Server")
        text.append("Both policies say HandshakeRole Server, so each side waits for the other's "
                    "ClientHello. The side that opens the connection must be Client.")
    elif out_side is not None and roles.get(out_side.id, "").lower().startswith("server"):
        score.support(STRONG, "the side that connects out has HandshakeRole Server")
        text.append(f"{out_side.system} opens the connection but its policy says HandshakeRole Server.")
    elif peer is None:
        text.append("Only one side is in the session: a partner that is not using TLS (it waits for "
                    "application data) or that is also configured as handshake server gives this.")
        steps.append("Check the partner: does it use TLS on this port, and is its HandshakeRole Client?")
        steps += next_steps(ctx)
    if out_side is not None and roles.get(out_side.id, "").lower().startswith("server"):
        pol = ctx.policy(out_side)
        text.append((f"On {out_side.system}: " if out_side.system else "On that side: ") + f"{_role_where(ctx, pol)}.")
        ev += [x for x in (pol.env_handshake_role_record, pol.conn_handshake_role_record) if x]
        if pol.env_action and (pol.env_handshake_role or not pol.conn_handshake_role):
            commands.append(policy_edit(ctx, "TTLSEnvironmentAction", pol.env_action, "HandshakeRole",
                                        pol.env_handshake_role, "Client", pol.env_handshake_role_record,
                                        out_side.system).command())
        if pol.conn_action and pol.conn_handshake_role:
            commands.append(policy_edit(ctx, "TTLSConnectionAction", pol.conn_action, "HandshakeRole",
                                        pol.conn_handshake_role, "Client", pol.conn_handshake_role_record,
                                        out_side.system).command(
                purpose=f"{pol.conn_action} codes HandshakeRole too, and a connection action's value "
                        "overrides the environment action's: change it there as well."))
        commands.append(fx.pagent_update(pagent_proc(ctx, out_side.system)).command())
        verify = [pasearch_verify(), rerun(out_side)]
    conns = [c.id for c in sides]
    return finding("handshake-timeout", "error", " ".join(text), rcs=conn.rcs + (peer.rcs if peer else []),
                   evidence=ev, connections=conns, commands=commands, verify=verify, score=score,
                   next_steps=steps)


def _role_where(ctx: Context, pol: PolicyView) -> str:
    """Where HandshakeRole is set, naming each action and its line, and which one rules."""
    bits = []
    if pol.env_handshake_role:
        at = line_of(ctx, pol.env_handshake_role_record)
        bits.append(f"the environment action {pol.env_action} says HandshakeRole "
                    f"{pol.env_handshake_role}" + (f" ({at})" if at else ""))
    if pol.conn_handshake_role:
        at = line_of(ctx, pol.conn_handshake_role_record)
        bits.append(f"the connection action {pol.conn_action} says HandshakeRole "
                    f"{pol.conn_handshake_role}" + (f" ({at})" if at else "")
                    + (", and it overrides the environment action's" if pol.env_handshake_role else ""))
    return "; ".join(bits) or f"HandshakeRole is {pol.handshake_role}"


def _cleartext(ctx: Context, conn: Connection) -> Finding:
    text = (f"{where(conn)} failed with {rc_list(conn, ctx)}: the partner sent cleartext where TLS was "
            "expected (for example http:// to an https port, or a client without TLS). With "
            "ApplicationControlled On the application must read all cleartext before it starts the "
            "handshake.")
    steps = ["Make the client use TLS on this port (or point it at the cleartext port).",
             "If the protocol starts in cleartext (FTP AUTH TLS, TN3270 STARTTLS), the rule needs "
             "ApplicationControlled On."] + next_steps(ctx)
    return finding("cleartext-on-tls-port", "error", text, rcs=conn.rcs, evidence=ctx.rc_records(conn),
                   connections=[conn.id], score=Score(0.7), next_steps=steps)
