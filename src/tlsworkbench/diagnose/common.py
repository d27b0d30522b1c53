"""Pieces every rule uses: how to name a connection, the refresh step after a
RACF change, the seed's order of what to collect next, small text helpers."""

from __future__ import annotations

import re

from tlsworkbench.model import Command, Connection

from . import fixes as fx
from .evidence import Context, PolicyView
from .policyfix import restart_steps  # noqa: F401  (common is where the rules look for it)

PEER_RCS = {406, 420, 437, 438, 439}
"""Codes that say "the partner ended it" rather than what went wrong here."""


def partner(p: Connection, first: bool = False) -> str:
    """``"the partner BATCHCLI on MVS1"``; the job and the system only when known
    (never ``"on None"``). ``first``: capitalised, to start a sentence."""
    s = "the partner" + (f" {p.job}" if p.job else "") + (f" on {p.system}" if p.system else "")
    return s[0].upper() + s[1:] if first else s


def where(conn: Connection) -> str:
    """``FTPT1 (user TCPIP) on MVS3, 192.168.20.93:21 with 192.168.20.91:1034, rule R``."""
    bits = []
    who = conn.job or "the application"
    if is_environment_level(conn):
        who = "the AT-TLS environment of " + who
    if conn.user and conn.user != conn.job:
        who += f" (user {conn.user})"
    bits.append(who)
    if conn.system:
        bits.append(f"on {conn.system}")
    s = " ".join(bits)
    if conn.local and conn.remote and not is_environment_level(conn):
        s += f", {conn.local} with {conn.remote}"
    if conn.rule:
        s += f", rule {conn.rule}"
    return s


def is_environment_level(conn: Connection) -> bool:
    """An EZD1286I/EZD1287I about an AT-TLS environment rather than one connection:
    LOCAL 0.0.0.0..0 (no address, no port). It belongs to the connections it blocks."""
    loc = conn.local
    return loc is not None and loc.ip in ("0.0.0.0", "::") and not loc.port


def side(conn: Connection) -> str:
    role = conn.role or ""
    return f"{role} " if role in ("client", "server") else ""


def rc_list(conn: Connection, ctx: Context | None = None) -> str:
    """``RC 428 (Connection Init)``: each return code with the event it was reported
    for, when ``ctx`` (the diagnosis running) can show the connection's records."""
    pairs: list[tuple[int, str]] = []
    if ctx is not None:
        for r in ctx.records_of(conn):
            rc = r.fields.get("rc")
            if rc and rc in conn.rcs:
                ev = r.fields.get("event") or ""
                if (rc, ev) not in pairs and not any(p[0] == rc and not ev for p in pairs):
                    pairs = [p for p in pairs if not (p[0] == rc and not p[1])] + [(rc, ev)]
    if not pairs:
        pairs = [(rc, "") for rc in conn.rcs]
    seen = {rc for rc, _ in pairs}
    pairs += [(rc, "") for rc in conn.rcs if rc not in seen]
    return ", ".join(f"RC {rc}" + (f" ({ev})" if ev else "") for rc, ev in pairs) or "no return code"


def owner_of(keyring: str | None, user: str | None) -> tuple[str | None, str | None]:
    """(owner, ring name) of a policy Keyring value; no owner means the user's own ring."""
    if not keyring:
        return None, None
    if "/" in keyring and not keyring.startswith("/"):
        o, _, n = keyring.partition("/")
        return o.upper(), n
    return (user.upper() if user else None), keyring


UNNAMED_RING = "(not named in the evidence)"


def ring_words(owner: str | None, name: str | None) -> str:
    """``key ring FTPD/Server_RING``, or words that say the ring is not known."""
    if owner and name:
        return f"key ring {owner}/{name}"
    if name:
        return f"key ring {name}"
    return f"the key ring {UNNAMED_RING}"


def ring_of(ctx: Context, conn: Connection) -> tuple[str | None, str | None, PolicyView]:
    """(owner, name, policy view) of the ring ``conn`` uses: from the connection (flow),
    the policy, or, when neither names it, inferred from the RACF output (infer.py: the
    assumption is recorded and shown with the finding)."""
    pol = ctx.policy(conn)
    kr = conn.keyring or pol.keyring
    owner, name = owner_of(kr, conn.user)
    if not kr:
        from .infer import ring as infer_ring

        got = infer_ring(ctx, conn)
        if got is not None:
            owner, name = got
    return owner, name, pol


def ring_key(owner: str | None, name: str | None) -> str:
    """``owner/ring`` when both are known, else what is known (or the placeholder)."""
    return f"{owner}/{name}" if owner and name else (name or UNNAMED_RING)


def ring_in_evidence(ctx: Context, conn: Connection):
    """The ring a connection's environment uses, as the evidence names it:
    ``(owner, name, policy view, key, KeyRing or None)``."""
    owner, name, pol = ring_of(ctx, conn)
    key = ring_key(owner, name)
    ring = ctx.ring(key, conn.system) if owner and name else None
    return owner, name, pol, key, ring


def pagent_proc(ctx: Context, system: str | None) -> str:
    got = [j.jobname.upper() for j in ctx.s.jobs if j.jobname.upper().startswith("PAGENT")
           and ctx.same_system(j, system)]
    return got[0] if got else "PAGENT"


def refresh_steps(ctx: Context, conn: Connection, pol: PolicyView, racf_classes=("DIGTRING", "DIGTCERT"),
                  group: bool = False) -> list[Command]:
    """After a RACF change: refresh the classes that are RACLISTed, then make AT-TLS build
    the environment again (raise the instance number and F PAGENT,UPDATE), or, when the
    policy is not in the session, say that the application must be restarted."""
    out: list[Command] = []
    if racf_classes:
        out.append(raclist_refresh(ctx, racf_classes))
    out.extend(rebuild_steps(ctx, conn, pol, group=group))
    return out


def raclisted(ctx: Context) -> set[str]:
    """Classes the evidence shows RACLISTed: the ``RACLIST CLASSES =`` line of SETROPTS LIST
    output kept in the session, and RDATALIB when an ICH408I names it (RACF checks that
    class only when it is active and RACLISTed). Worked out once per diagnosis."""
    got = getattr(ctx, "_raclisted", None)
    if got is not None:
        return got
    got = set()
    for r in ctx.s.records:
        if r.msgid == "ICH408I":
            if (r.fields.get("cls") or "").upper() == "RDATALIB":
                got.add("RDATALIB")
            continue
        text = r.text or ""
        if "RACLIST CLASSES" in text.upper():
            m = re.search(r"RACLIST CLASSES\s*=\s*([A-Z0-9@#$ ]+)", text.upper())
            if m and "NONE" not in m.group(1).split():
                got |= set(m.group(1).split())
    for a in ctx.s.artifacts:  # SETROPTS LIST output no reader claims: read its few lines
        if a.kind != "unknown":
            continue
        try:
            lines = [a.line(n) for n in range(1, min(a.line_count, 400) + 1)]
        except Exception:
            continue
        for text in lines:
            m = re.search(r"\bRACLIST CLASSES\s*=\s*([A-Z0-9@#$ ]+)", (text or "").upper())
            if m and "NONE" not in m.group(1).split():
                got |= set(m.group(1).split())
    ctx._raclisted = got
    return got


def raclist_refresh(ctx: Context | None, classes) -> Command:
    """``SETROPTS RACLIST(...) REFRESH``, worded as conditional for the classes the
    evidence does not show RACLISTed (RACF reads an un-RACLISTed class from the database,
    so the step is needed only when it is RACLISTed)."""
    classes = [c.upper() for c in classes]
    known = raclisted(ctx) if ctx is not None else set()
    cmd = fx.SetroptsRefresh(list(classes)).command()
    unsure = [c for c in classes if c not in known]
    if unsure:
        usual = ", as FACILITY nearly always is" if "FACILITY" in unsure else ""
        cmd.purpose += (f" Needed only if {', '.join(unsure)} "
                        f"{'is' if len(unsure) == 1 else 'are'} RACLISTed{usual}: SETROPTS LIST shows "
                        "the RACLISTed classes, the session does not. For a class that is not "
                        "RACLISTed RACF answers with a message and changes nothing.")
    return cmd


def rebuild_steps(ctx: Context, conn: Connection, pol: PolicyView, group: bool = False) -> list[Command]:
    """Make AT-TLS use the change: AT-TLS keeps an environment until it is unused (10 to
    20 minutes) or its action is stale (replaced), so F PAGENT,UPDATE alone changes
    nothing when the policy text did not change. Raise the instance number first; without
    the policy in the session, the application must be restarted."""
    out: list[Command] = []
    if group and pol.group_action:
        out.append(policy_edit(ctx, "TTLSGroupAction", pol.group_action, "GroupUserInstance",
                               pol.group_instance, fx.bump(pol.group_instance),
                               pol.group_instance_record or pol.group_record, conn.system).command())
    elif pol.env_action:
        out.append(policy_edit(ctx, "TTLSEnvironmentAction", pol.env_action, "EnvironmentUserInstance",
                               pol.env_instance, fx.bump(pol.env_instance),
                               pol.env_instance_record or pol.env_record, conn.system).command(
            purpose=f"Raise EnvironmentUserInstance of {pol.env_action} so AT-TLS builds the "
                    "environment again and reads the ring anew."))
    else:
        out += restart_steps(conn)
        return out
    out.append(fx.pagent_update(pagent_proc(ctx, conn.system)).command(
        purpose="Make Policy Agent install the changed policy: the changed instance number makes "
                "the old environment stale, so new connections get a new one."))
    return out


def started_profile(ctx: Context, conn: Connection):
    """The STARTED profile that matched the job (from RLIST STARTED / SDSF output), the
    most specific first; None when the session shows none."""
    from .evidence import _started_matches

    job = (conn.job or "").upper()
    hits = [p for p in ctx.s.started if job and _started_matches(p.profile, job)
            and ctx.same_system(p, conn.system)]
    if not hits:
        return None
    return max(hits, key=lambda p: len(p.profile.replace("*", "").replace("%", "")))


def recycle_note(conn: Connection) -> str:
    job = conn.job or "the server"
    return (f"Instead of the instance number and F PAGENT,UPDATE you can recycle {job} "
            "(disruptive: every connection of it drops).")


def policy_edit(ctx: Context, kind: str, name: str, param: str, old, new, rid: str | None,
                system: str | None) -> fx.PolicyEdit:
    """A :class:`PolicyEdit` for the statement ``kind name`` that knows its line, the
    type of its parent when it was written inline, and whether only pasearch (the
    installed policy) shows it, in which case the edit says where the file is."""
    sysname = system
    same = [p for p in ctx.statements(kind, sysname) if p.name == name]
    kinds = {a.id: a.kind for a in ctx.s.artifacts}

    def from_pasearch(rec: str | None) -> bool:
        return bool(rec) and kinds.get(rec.rpartition(":")[0]) == "pasearch"

    in_file = [p for p in same if not from_pasearch(p.record)]
    if rid and from_pasearch(rid) and in_file:
        # the file holds the statement too: point at its line, that is what gets edited
        st = in_file[0]
        rid = st.lines.get(next((k for k in st.params if k.lower() == param.lower()), param), st.record)
    installed_only = bool(same) and not in_file or (not same and from_pasearch(rid))
    parent_kind = None
    if "/" in name:
        top = name.split("/")[0]
        ref = f"{name.split('/')[1]}Ref".lower()
        parent = next((p for p in ctx.s.policy if p.name == top and ctx.same_system(p, sysname)
                       and any(k.lower() == ref for k in p.params)), None)
        parent_kind = parent.kind if parent is not None else None
    policy_file = None
    if installed_only:
        cfg = [p for p in ctx.statements("TTLSConfig", sysname) if p.get("Path") or p.name]
        policy_file = (cfg[0].get("Path") or cfg[0].name) if cfg else None
    return fx.PolicyEdit(kind, name, param, old, new, line_of(ctx, rid), system,
                         parent_kind=parent_kind, installed_only=installed_only,
                         policy_file=policy_file)


def line_of(ctx: Context, rid: str | None) -> str:
    """``MVS3.pagent-ttls.conf line 34`` for a record id."""
    if not rid or ":" not in rid:
        return ""
    aid, _, line = rid.rpartition(":")
    art = ctx.s.artifact(aid)
    name = art.path.replace("\\", "/").rsplit("/", 1)[-1] if art is not None else aid
    return f"{name} line {line}"


def issuer_label(ctx: Context, cert, conn: Connection | None) -> str | None:
    """Label of the CA that issued ``cert``: a CERTAUTH certificate with the issuer's
    name, else the only CERTAUTH entry of the ring that holds ``cert``."""
    if cert is None:
        return None
    want = norm_dn(cert.issuer)
    if want and want == norm_dn(cert.subject):
        return None  # self-signed
    for c in ctx.s.certs:
        if c is not cert and want and norm_dn(c.subject) == want and c.label:
            return c.label
    for ring in ctx.s.rings:
        if any(e.label == cert.label for e in ring.entries):
            cas = [e for e in ring.entries if e.usage == "CERTAUTH"]
            if len(cas) == 1:
                return cas[0].label
    return None


def verify_ring(owner: str | None, ring: str | None) -> list[Command]:
    if not owner:
        return []
    return [fx.RacdcertListring(owner, ring or "*").command()]


def rerun(conn: Connection) -> Command:
    job = conn.job or "the client"
    return Command(text=f"Re-run the connection ({job}) and look for EZD1287I / EZD1286I with RC 0",
                   kind="check", purpose="Confirm the handshake now completes.")


def pasearch_verify() -> Command:
    return Command(text="pasearch -t", kind="shell",
                   purpose="Check that the installed policy shows the new values.")


NEXT_STEPS = [
    ("console", "Collect the MVS console (SDSF SYSLOG/OPERLOG) of both systems around the failure: "
                "EZD1287I from each side, ICH408I from RACF."),
    ("syslogd", "Raise Trace to 255 in the rule's TTLSConnectionAction (F PAGENT,UPDATE), re-run, and "
                "collect the syslogd file with EZD1281I-EZD1286I (the EZD1284I flow shows the key ring "
                "and every System SSL call)."),
    ("racdcert", "Display the RACF side: {listring}; then, for each certificate listed, "
                 "RACDCERT LIST with the owner and label shown there; and SDSF DA for the user the "
                 "job runs under."),
    ("gsktrace", "As a last resort take a GSKSRVR component trace of the TCP/IP job (CTRACE "
                 "COMP(GSKSRVR)) to see the hello messages and the certificates exchanged."),
]


def next_steps(ctx: Context, skip=()) -> list[str]:
    """The seed's order of collecting more evidence, without what the session already holds."""
    kinds = getattr(ctx, "_artifact_kinds", None)  # once per diagnosis, not once per finding
    if kinds is None:
        kinds = ctx._artifact_kinds = {a.kind for a in ctx.s.artifacts}
    have = {
        "console": bool(kinds & {"console", "syslog", "joblog"}),
        "syslogd": "syslogd" in kinds,
        "racdcert": "racdcert" in kinds or bool(ctx.s.rings or ctx.s.certs),
        "gsktrace": "gsktrace" in kinds or bool(ctx.s.trace_records),
    }
    out = []
    for key, text in NEXT_STEPS:
        if have.get(key) or key in skip:
            continue
        if key == "racdcert":
            text = text.format(listring=_listring_commands(ctx))
        out.append(text)
    return out


def _listring_commands(ctx: Context) -> str:
    """``RACDCERT ID(FTPD) LISTRING(Server_RING)`` for each ring the failing connections
    use (from the policy or EZD1284I); the owner's ``LISTRING(*)`` when only the user is
    known; a command with marked placeholders only when nothing is known."""
    got = getattr(ctx, "_listring_text", None)  # the same for every finding: once per diagnosis
    if got is None:
        got = ctx._listring_text = _listring_text(ctx)
    return got


def _listring_text(ctx: Context) -> str:
    seen: list[str] = []
    for conn in ctx.failing:
        owner, name, _ = ring_of(ctx, conn)
        if owner and owner.startswith("*"):
            continue  # virtual ring (*AUTH*/*): nothing to list
        if owner and name and name != "*":
            cmd = f"RACDCERT ID({owner.upper()}) LISTRING({name})"
        elif owner or conn.user:
            cmd = f"RACDCERT ID({(owner or conn.user).upper()}) LISTRING(*)"
        else:
            continue
        if cmd not in seen:
            seen.append(cmd)
    if not seen:
        return ("RACDCERT ID(owner) LISTRING(ring) (owner and ring are placeholders: the user the "
                "job runs under and the Keyring of its AT-TLS rule)")
    return " and ".join(seen[:4])


def edit_distance(a: str, b: str) -> int:
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def norm_dn(dn: str | None) -> str:
    """DN comparison key: RDNs upper-cased, blanks squeezed, order-insensitive."""
    if not dn:
        return ""
    parts = [p.strip().upper() for p in dn.replace(";", ",").split(",") if p.strip()]
    return ",".join(sorted(" ".join(p.split()) for p in parts))
