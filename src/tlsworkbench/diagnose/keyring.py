"""Key ring cannot be opened: it does not exist (seed Error #1) or the user may
not read it (seed Error #2). Both end in System SSL RC 202 at environment init."""

from __future__ import annotations

from tlsworkbench.model import Connection, Finding

from . import fixes as fx
from .causes import MEDIUM, STRONG, WEAK, Score, finding
from .common import (partner, edit_distance, raclist_refresh, next_steps, pasearch_verify, policy_edit, rc_list,
                     rebuild_steps, recycle_note, rerun, ring_key, ring_of, ring_words, verify_ring, where)
from .evidence import Context

RING_RESOURCES = ("IRR.DIGTCERT.LISTRING", "IRR.DIGTCERT.LIST")


def rules(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    denied = _denials(ctx)
    used: set[str] = set()
    groups: dict[tuple, list[Connection]] = {}
    for conn in ctx.failing:
        if 202 not in conn.rcs:
            continue
        owner, name, _ = ring_of(ctx, conn)
        mine = [d for d in denied if _denial_fits(ctx, d, conn)]
        if mine:
            key = ("auth", conn.system, mine[0].id)
        else:
            key = ("ring", conn.system, owner, name)
        groups.setdefault(key, []).append(conn)
    for key, conns in groups.items():
        if key[0] == "auth":
            rec = next(d for d in denied if d.id == key[2])
            used.add(rec.id)
            out.append(_not_authorized(ctx, rec, conns))
        else:
            f = _not_found(ctx, conns)
            if f is not None:
                out.append(f)
    for d in denied:  # ICH408I with no failing connection joined
        if d.id not in used:
            out.append(_not_authorized(ctx, d, []))
    return out


# -- not found -----------------------------------------------------------------------------
def _not_found(ctx: Context, conns: list[Connection]) -> Finding | None:
    conn = conns[0]
    owner, name, pol = ring_of(ctx, conn)
    sysname = conn.system
    rings = ctx.rings(sysname)
    ev = [rid for c in conns for rid in ctx.rc_records(c)]
    flow = [r.id for c in conns for r in ctx.conn_messages(c, "EZD1284I")
            if (r.fields.get("func") or "").upper() == "GSK_KEYRING_FILE"]
    ev += flow
    if pol.keyring_record:
        ev.append(pol.keyring_record)
    peers = [p for p in (ctx.peer(c) for c in conns) if p is not None]
    score = Score(0.4)
    score.support(WEAK, "RC 202 at environment init")
    if flow:
        score.support(MEDIUM, "the EZD1284I flow names the ring")
    if any(5006 in c.rcs for c in conns):
        score.support(WEAK, "RC 5006: the environment could not be built")
    for p in peers:
        if set(p.rcs) & {406, 420, 438}:
            score.support(WEAK, f"{partner(p)} saw the connection end (RC {p.rcs[0]})")
            ev += ctx.rc_records(p)
    key = ring_key(owner, name)
    exists = ctx.ring(key, sysname) if owner else None
    guessed = not (conn.keyring or pol.keyring) and conn.id in ctx.assumed
    closest = None
    text: list[str] = []
    text.append(f"{where(conn)} failed with {rc_list(conn, ctx)}: System SSL could not open "
                + ("its key ring (the session does not name it)." if guessed and exists is not None
                   else f"{ring_words(owner, name)}."))
    if pol.keyring:
        held = (fx.statement_words("TTLSKeyringParms", pol.keyring_parms) if pol.keyring_parms
                else f"TTLSEnvironmentAction {pol.env_action}")
        at = f" ({held}" + (f", {_line(ctx, pol.keyring_record)})" if pol.keyring_record else ")")
        text.append(f"The AT-TLS policy names Keyring {pol.keyring}{at}.")
    if not rings:
        score.against(STRONG, "no RACDCERT LISTRING output: RC 202 may as well be a permission problem")
        text.append("The session holds no RACDCERT LISTRING output for this system, so it cannot "
                    "show whether the ring exists; RC 202 also means the user may not read it.")
    elif exists is not None and guessed:
        # the ring was inferred from the RACDCERT output itself: that it exists proves nothing
        # about the name the policy gives (QA 8); both causes stay open
        ev.append(exists.record)
        shown = ", ".join(r.key for r in rings[:6])
        text.append(f"The session holds neither the AT-TLS policy nor the EZD1284I flow, so the ring "
                    f"the rule names is not known; RACDCERT LISTRING shows {shown}, and the ring "
                    f"assumed below, {key}, is only a guess from that. Two causes remain open: the rule's Keyring is misspelt or "
                    "names a ring that does not exist (seed Error #1), or "
                    f"{conn.user or 'the user the job runs under'} may not read the ring (seed Error #2: "
                    "an ICH408I for it on the console). pasearch -t shows the Keyring and decides "
                    "between them.")
    elif exists is not None:
        score.against(STRONG, "the ring exists in LISTRING output")
        ev.append(exists.record)
        text.append(f"RACDCERT LISTRING shows {exists.key} exists, so the ring name is right: the "
                    f"user {conn.user or 'the job runs under'} probably may not read it (look for ICH408I), or the "
                    "ring was defined after the environment was built.")
    else:
        closest = _closest(key, rings)
        score.support(STRONG, "the ring is not among the rings RACDCERT LISTRING shows")
        if closest is not None:
            score.support(MEDIUM, f"{closest.key} is a near spelling")
            ev.append(closest.record)
            why = _difference(key, closest.key)
            text.append(f"No ring {key} exists in the RACDCERT LISTRING output, but "
                        f"{closest.key} does ({why}).")
        else:
            shown = ", ".join(r.key for r in rings[:6])
            text.append(f"No ring {key} exists in the RACDCERT LISTRING output (it shows {shown}).")
    for p in peers:
        if p.rcs:
            text.append(f"{partner(p, True)} saw RC {p.rcs[0]}: the connection "
                        "was reset by this side, the partner is not at fault.")
    if not peers:
        text.append(_unseen_partner(conn))
    if 5006 in conn.rcs:
        text.append("RC 5006 follows from it: the connection used an environment that failed to "
                    "initialise.")
    commands, verify = [], []
    if closest is not None and pol.env_action:
        new = closest.key
        commands.append(policy_edit(ctx, "TTLSKeyringParms" if pol.keyring_parms else "TTLSEnvironmentAction",
                                    pol.keyring_parms or pol.env_action, "Keyring", pol.keyring, new,
                                    pol.keyring_record, sysname).command())
        commands += rebuild_steps(ctx, conn, pol)
        verify = [pasearch_verify()] + verify_ring(closest.owner, closest.name) + [rerun(conn)]
    elif closest is not None:
        commands.append(fx.Operator(f"Change the key ring the application uses from {key} to "
                                    f"{closest.key}", "Point the application at the ring that exists.").command())
        verify = verify_ring(closest.owner, closest.name) + [rerun(conn)]
    elif exists is None and owner and name and rings:
        commands.append(fx.RacdcertAddring(owner, name).command(
            purpose=f"Create {owner}/{name} (only if the policy name is the one you want), then "
                    "connect the server certificate and its CA to it."))
        verify = verify_ring(owner, name)
    steps = []
    if guessed:
        steps.append("First show the Keyring the rule names: pasearch -t"
                     + (f" (rule {conn.rule})" if conn.rule else "") + " on "
                     + (sysname or "the system") + " (or the AT-TLS policy file). A name that differs "
                     "from every ring LISTRING shows is the cause (correct the policy); the same name "
                     f"means {conn.user or 'the user'} may not read it: look for ICH408I on the console "
                     "at the time of the failure, and check READ to IRR.DIGTCERT.LISTRING (FACILITY) or "
                     "to the ring's RDATALIB profile.")
    if score.final < 0.5 or guessed:
        steps += next_steps(ctx) or ["Display the rings: RACDCERT ID(" + (owner or "owner") + ") LISTRING(*)"]
    if commands:
        steps.append(recycle_note(conn))
    sev = "error"
    title = "Key ring could not be opened (not found, or not authorized)" if guessed and exists is not None \
        else None
    return finding("keyring-not-found", sev, " ".join(text), title=title, rcs=[rc for c in conns for rc in c.rcs],
                   evidence=ev, connections=[c.id for c in conns] + [p.id for p in peers],
                   commands=commands, verify=verify, score=score, next_steps=steps)


def _closest(key: str, rings):
    owner, _, name = key.partition("/")
    best, best_d = None, None
    for r in rings:
        if r.name == name and r.owner.upper() != owner.upper():
            d = edit_distance(owner.upper(), r.owner.upper())
        elif r.owner.upper() == owner.upper() and r.name.lower() == name.lower():
            d = 0.5  # only letter case differs: RACF ring names are case-sensitive
        else:
            d = edit_distance(key.upper(), r.key.upper()) + (0 if r.name.lower() == name.lower() else 1)
        if d <= max(3, len(key) // 4) and (best_d is None or d < best_d):
            best, best_d = r, d
    return best


def _difference(a: str, b: str) -> str:
    ao, _, an = a.partition("/")
    bo, _, bn = b.partition("/")
    if an == bn and ao.upper() != bo.upper():
        return f"owner {bo} instead of {ao}: the owner is misspelt in the policy"
    if ao.upper() == bo.upper() and an.lower() == bn.lower():
        return f"ring {bn} instead of {an}: RACF ring names are case-sensitive"
    return "a near spelling"


def _unseen_partner(conn: Connection) -> str:
    """What the partner that is not in the session saw: the connection reset. Only a z/OS
    partner using AT-TLS logs RC 406 (EZD1287I); a workstation client shows its own error."""
    from .common import is_environment_level

    if is_environment_level(conn):
        return ("The message is about the AT-TLS environment (LOCAL 0.0.0.0..0), not one "
                "connection: every connection that needs this environment fails until the ring can "
                "be opened, and each partner sees its connection reset.")
    remote = f" at {conn.remote}" if conn.remote else ""
    if conn.role == "server":
        return (f"The client{remote} (not in the session) saw the connection reset at the same "
                "time: that is a consequence, not a second fault (a z/OS client using AT-TLS would "
                "log RC 406).")
    return (f"The server{remote} (not in the session) saw the connection reset at the same time "
            "(RC 406 if it is a z/OS system using AT-TLS).")


def _line(ctx: Context, rid: str | None) -> str:
    from .common import line_of

    return line_of(ctx, rid)


# -- not authorized ----------------------------------------------------------------------------
def _denials(ctx: Context):
    out = []
    for r in ctx.s.records:
        if r.msgid != "ICH408I":
            continue
        res = (r.fields.get("resource") or "").upper()
        cls = (r.fields.get("cls") or "").upper()
        if (cls == "FACILITY" and res in RING_RESOURCES) or (cls == "RDATALIB" and res.endswith(".LST")):
            out.append(r)
    return out


def _denial_fits(ctx: Context, rec, conn: Connection) -> bool:
    if rec.id in conn.records:
        return True
    user = (rec.fields.get("user") or "").upper()
    if not user or user not in {(conn.user or "").upper(), (conn.job or "").upper()}:
        return False
    if rec.system and conn.system and rec.system != conn.system:
        return False
    if rec.time and conn.first_time:
        return abs((rec.time - conn.first_time).total_seconds()) <= 300
    return True


def _profile_fix(cls: str, res: str, matched: str, generic: bool, user: str, acc: str) -> list:
    """PERMIT on the profile that matched; below a generic one, first a discrete profile
    copied FROM it (never a bare profile that would take access away)."""
    if generic:
        return [fx.Rdefine(cls, res, from_profile=matched).command(
                    purpose=f"Define the discrete {res} as a copy of the generic {matched}: same "
                            "access list and UACC, so nobody loses access."),
                fx.Permit(res, cls, user, acc).command()]
    return [fx.Permit(res, cls, user, acc).command(
        purpose=f"Give {user} {acc} to {res} (the ICH408I shows that this profile exists and "
                "was checked).")]


def _not_authorized(ctx: Context, rec, conns: list[Connection]) -> Finding:
    f = rec.fields
    user = (f.get("user") or f.get("jobname") or "?").upper()
    res = f.get("resource") or "IRR.DIGTCERT.LISTRING"
    cls = (f.get("cls") or "FACILITY").upper()
    intent = (f.get("intent") or "READ").upper()
    allowed = (f.get("allowed") or "NONE").upper()
    sysname = rec.system or ctx.system_of(rec)
    score = Score(0.6).support(STRONG, "ICH408I names the key ring resource")
    ev = [rec.id]
    text = [f"RACF refused {user} {intent} access to {res} in class {cls} on {sysname or 'the system'} "
            f"(ICH408I, access allowed {allowed})."]
    conn = conns[0] if conns else None
    if conn is not None:
        for c in conns:
            ev += ctx.rc_records(c)
        if 202 in conn.rcs:
            score.support(MEDIUM, "RC 202 at environment init for the same user")
        owner, name, pol = ring_of(ctx, conn)
        text.append(f"So {where(conn)} could not open its "
                    f"{ring_words(owner, name).replace('the key ring', 'key ring')} and failed with "
                    f"{rc_list(conn, ctx)}.")
    else:
        owner = name = None
        pol = None
        text.append("No failing AT-TLS connection in the session joins it; an application that reads "
                    "this ring would fail environment init with RC 202.")
    peers = [p for p in (ctx.peer(c) for c in conns) if p is not None]
    for p in peers:
        if p.rcs:
            score.support(WEAK, f"the partner saw RC {p.rcs[0]}")
            ev += ctx.rc_records(p)
            text.append(f"{partner(p, True)} saw RC {p.rcs[0]} because this side "
                        "dropped the connection.")
    matched = f.get("profile") or res
    if cls == "RDATALIB":  # R_datalib folds the ring name: the profile is upper case
        res, matched = res.upper(), matched.upper()
    generic = matched != res or any(ch in matched for ch in "*%")
    if generic:
        score.support(WEAK, f"ICH408I names the generic profile {matched}")
        text.append(f"The profile that RACF checked is the generic {matched}, not a discrete "
                    f"{res}: a new bare {res} profile would take access away from everyone the "
                    f"generic allows, so the fix copies {matched} (RDEFINE ... FROM) and adds {user}.")
    if cls == "RDATALIB":
        prof = res
        ro, _, rn = prof[:-4].partition(".") if prof.upper().endswith(".LST") else (owner, "", name)
        if owner and name and (owner.upper(), name.upper()) == (ro, rn.upper()):
            ro, rn = owner.upper(), name  # the ring as LISTRING spells it
        text.append(f"The RDATALIB profile {prof} controls the ring {ro}/{rn}: READ lets {user} read the "
                    "ring, UPDATE also lets it use private keys of other users' certificates on it.")
        acc = intent if intent in ("READ", "UPDATE", "CONTROL") else "READ"
        commands = _profile_fix("RDATALIB", prof, matched, generic, user, acc)
        commands.append(raclist_refresh(ctx, ["RDATALIB"]))
    else:
        acc = intent if intent in ("READ", "UPDATE", "CONTROL") else "READ"
        if res.upper() == "IRR.DIGTCERT.LISTRING" and owner and user and owner.upper() != user:
            acc = "UPDATE" if acc == "READ" else acc  # another user's ring
        text.append(f"READ on {res} lets a user read its own rings; UPDATE is needed to read another "
                    "user's ring"
                    + (f" ({owner}/{name} belongs to {owner}, so {user} needs UPDATE)"
                       if owner and name and owner.upper() != user else "")
                    + ". From z/OS V1R8 on, RACF can also grant single rings through RDATALIB "
                    "<owner>.<ring>.LST instead.")
        commands = _profile_fix("FACILITY", res, matched, generic, user, acc)
        commands.append(raclist_refresh(ctx, ["FACILITY"]))
    if conn is not None and pol is not None:
        commands += rebuild_steps(ctx, conn, pol)
    verify = [fx.Rlist(cls, res if cls == "RDATALIB" else res, "AUTHUSER").command()]
    if conn is not None:
        verify.append(rerun(conn))
    return finding("keyring-not-authorized", "error", " ".join(text), rcs=[rc for c in conns for rc in c.rcs],
                   evidence=ev, connections=[c.id for c in conns] + [p.id for p in peers],
                   commands=commands, verify=verify, score=score)
