"""What the evidence implies when a piece is missing: the key ring of a connection
whose AT-TLS policy (file or pasearch) and EZD1284I flow are not in the session.

In order of strength, each with the sentence the finding shows and a lower confidence:

0. an ICH408I for the job's user names the ring's RDATALIB profile ``<owner>.<ring>.LST``;
1. the job's user owns exactly one ring in the RACDCERT LISTRING / LISTRING(*) output;
2. RACDCERT LIST shows the user's certificates associated with exactly one ring
   ("Ring Associations");
3. the session's RACDCERT output shows exactly one ring on that system.

The inferred ring is used for the concrete fix; ``Context.assumed`` keeps the sentence
and diagnose.run appends it to each finding of that connection (and lowers its
confidence), so the user sees what was assumed and why.
"""

from __future__ import annotations

from tlsworkbench.model import Connection

from .evidence import Context


def ring(ctx: Context, conn: Connection) -> tuple[str, str] | None:
    """(owner, name) inferred for ``conn``, or None; the reason goes to ``ctx.assumed``."""
    if conn.id in ctx.inferred:
        return ctx.inferred[conn.id]
    got, why = _infer(ctx, conn)
    ctx.inferred[conn.id] = got
    if got is not None:
        _, check = _missing_source(conn)
        if "pasearch" not in check and check not in why:
            why += f" {check}"
        ctx.assumed[conn.id] = why
        if not conn.keyring:
            conn.assumed_keyring = f"{got[0]}/{got[1]}"
    return got


def _infer(ctx: Context, conn: Connection):
    user, _, _ = ctx.job_user(conn)
    user = (user or conn.user or "").upper()
    rings = ctx.rings(conn.system)
    no_policy, check = _missing_source(conn)
    for r in _rdatalib(ctx):  # an ICH408I for the ring's RDATALIB profile names the ring
        res = r.fields.get("resource") or ""
        if (r.fields.get("user") or "").upper() == user and res.upper().endswith(".LST") and "." in res[:-4] \
                and (not r.system or not conn.system or r.system == conn.system):
            o, _, n = res[:-4].partition(".")
            return (o.upper(), n), (
                f"the key ring is {o.upper()}/{n}: the ICH408I for {user} names its RDATALIB profile "
                f"{res}; {no_policy}.")
    if user:
        own = [r for r in rings if r.owner.upper() == user]
        if len(own) == 1:
            r = own[0]
            return (r.owner.upper(), r.name), (
                f"the key ring is {r.owner.upper()}/{r.name}, the only ring of {user} in the "
                f"RACDCERT LISTRING output; {no_policy}.")
        assoc = sorted({k for c in ctx.certs(conn.system) if (c.owner or "").upper() == user
                        for k in c.rings if "/" in k and not k.startswith("?")})
        if len(assoc) == 1:
            o, _, n = assoc[0].partition("/")
            return (o.upper(), n), (
                f"the key ring is {o.upper()}/{n}: RACDCERT LIST shows {user}'s certificate "
                f"associated with it (Ring Associations) and with no other ring; {no_policy}.")
    if len(rings) == 1 and len(ctx.rings()) >= 1:
        r = rings[0]
        return (r.owner.upper(), r.name), (
            f"the key ring is {r.owner.upper()}/{r.name}, the only ring the session's RACDCERT "
            f"output shows{' for ' + conn.system if conn.system else ''}; {no_policy}. {check}")
    return None, ""


def _rdatalib(ctx: Context) -> list:
    """The ICH408I records for an RDATALIB profile, found once per diagnosis
    (not once per failing connection: 2,000 of them on a 1M-line trace)."""
    got = ctx.__dict__.get("_rdatalib")
    if got is None:
        got = ctx.__dict__["_rdatalib"] = [
            r for r in ctx.s.records
            if r.msgid == "ICH408I" and (r.fields.get("cls") or "").upper() == "RDATALIB"]
    return got


def _missing_source(conn: Connection) -> tuple[str, str]:
    """(what would name the ring and is not in the session, how to check it): the AT-TLS
    policy for AT-TLS, the application's own setting for a program that calls System SSL
    itself (diagnose/families, ``RING_SOURCE``)."""
    mod = None
    if conn.family and conn.family != "attls" and not (conn.connid or conn.rule):
        from . import families

        mod = families.module(conn.family)
    source = getattr(mod, "RING_SOURCE", None) if mod is not None else None
    if not source:
        return ("the AT-TLS policy (file or pasearch -t) and the EZD1284I flow that would name it "
                "are not in the session", "Check it with the rule's Keyring (pasearch -t).")
    return (f"{mod.NAME} names its ring in {mod.ring_words(None)}, which is not in the session",
            f"Check it with {source}.")


ENV_FOLLOWERS = {5006, 406, 420, 437, 438, 439}
"""Codes a connection gets when its environment failed (5006) or its partner ended it."""


def environment_blocks(ctx: Context) -> dict[str, list[str]]:
    """Environment-level messages (LOCAL 0.0.0.0..0) are part of the connections they
    block, not connections of their own: ``{environment conn id: [blocked conn ids]}``
    for the failing connections of the same system and job (or rule) within five
    minutes whose own codes only follow from it (5006, or the partner's codes).
    The blocked connections leave ``ctx.failing``; run() adds them to the finding."""
    from .common import is_environment_level

    envs = [c for c in ctx.failing if is_environment_level(c)]
    if not envs:
        return {}
    out: dict[str, list[str]] = {}
    taken: set[str] = set()
    for e in envs:
        for c in ctx.failing:
            if c is e or c.id in taken or is_environment_level(c) or c.system != e.system:
                continue
            if not ((c.job and c.job == e.job) or (c.rule and c.rule == e.rule)):
                continue
            if not set(c.rcs) <= ENV_FOLLOWERS:
                continue
            t1, t2 = e.first_time or e.last_time, c.first_time or c.last_time
            if t1 and t2:
                try:
                    if abs((t1 - t2).total_seconds()) > 300:
                        continue
                except TypeError:
                    continue
            out.setdefault(e.id, []).append(c.id)
            taken.add(c.id)
    if taken:
        ctx.failing = [c for c in ctx.failing if c.id not in taken]
    return out
