"""Access to a key ring's private keys, and who a started task runs as: the fix
builders the RC 428 and RC 202 rules share (and diagnose/families reuse).

R_datalib hands out a private key only under these rules (RACF Callable Services,
R_datalib usage notes; docs/fixes.md):

* the ring is checked through FACILITY IRR.DIGTCERT.LISTRING: the caller gets the key
  of its own certificates only (READ for its own ring, UPDATE for another user's);
  CERTAUTH and SITE keys need CONTROL to IRR.DIGTCERT.GENCERT;
* the ring has an RDATALIB profile ``<ringOwner>.<ringName>.LST`` (class active and
  RACLISTed): READ gives one's own keys, UPDATE other users' keys, CONTROL the keys
  of CERTAUTH and SITE certificates. Once that profile exists, RACF no longer checks
  FACILITY for the ring, so everyone else who reads the ring must be on its list too.
"""

from __future__ import annotations

from tlsworkbench.model import Command, Connection

from . import fixes as fx
from .common import raclisted, started_profile
from .evidence import Context

LEVEL = {"NONE": 0, "READ": 1, "UPDATE": 2, "CONTROL": 3, "ALTER": 4}


def lst_profile(ring_owner: str | None, ring: str | None) -> str:
    """The ring-specific RDATALIB profile ``<RINGOWNER>.<RINGNAME>.LST``, all upper case:
    R_datalib wants the ring owner in upper case and folds the ring name to upper case
    when it checks the profile, so rings whose names differ only in case share one
    profile and a mixed-case profile never matches (RACF Callable Services, R_datalib,
    "RACF authorization"; docs/fixes.md)."""
    return f"{(ring_owner or '<OWNER>').upper()}.{(ring or '<RING>').upper()}.LST"


def key_level(cert_owner: str | None, user: str | None) -> str:
    """The RDATALIB access ``user`` needs to get the private key of a certificate owned
    by ``cert_owner``."""
    o = (cert_owner or "").upper()
    if o in ("SITE", "CERTAUTH"):
        return "CONTROL"
    return "READ" if o and o == (user or "").upper() else "UPDATE"


def ring_users(ctx: Context, ring_owner: str, ring: str, system: str | None) -> dict[str, str]:
    """Users the session shows reading the ring (from their connections), with the access
    each needs once the ring has an RDATALIB profile (READ: the ring only or own keys)."""
    from .common import ring_of

    out: dict[str, str] = {}
    for c in ctx.s.connections[:5000]:
        if system and c.system and c.system != system:
            continue
        o, n, _ = ring_of(ctx, c)
        if (o or "").upper() == ring_owner.upper() and n == ring and c.user:
            out.setdefault(c.user.upper(), "READ")
    return out


def rdatalib_fix(ctx: Context, ring_owner: str, ring: str, user: str, level: str,
                 system: str | None = None) -> list[tuple]:
    """(fix, purpose) giving ``user`` ``level`` to ``<owner>.<ring>.LST``: define the
    profile, permit the user (and every other user the session shows reading the ring,
    since the profile replaces the FACILITY check for it), activate or refresh RDATALIB."""
    prof = lst_profile(ring_owner, ring)
    steps: list[tuple] = [
        (fx.Rdefine("RDATALIB", prof),
         f"Define {prof} (if RACF says it is already defined, go on with the PERMIT)."),
        (fx.Permit(prof, "RDATALIB", user, level),
         f"Give {user.upper()} {level} to the ring: " + {
             "READ": "it may read the ring and use its own certificates' keys.",
             "UPDATE": "it may also use the private keys of other users' certificates on it.",
             "CONTROL": "it may also use the private keys of SITE and CERTAUTH certificates on it.",
         }[level])]
    for other, lvl in sorted(ring_users(ctx, ring_owner, ring, system).items()):
        if other != user.upper():
            steps.append((fx.Permit(prof, "RDATALIB", other, lvl),
                          f"{other} reads this ring too: once {prof} exists, RACF checks it instead "
                          "of FACILITY IRR.DIGTCERT.LISTRING for this ring."))
    if "RDATALIB" in raclisted(ctx):
        steps.append((fx.SetroptsRefresh(["RDATALIB"]), "Refresh the in-storage RDATALIB profiles."))
    else:
        steps.append((fx.SetroptsClassact(["RDATALIB"]),
                      "RACF checks RDATALIB only when the class is active and RACLISTed; the session "
                      "does not show it active. If it already is, SETROPTS RACLIST(RDATALIB) REFRESH "
                      "instead."))
    return steps


def as_commands(steps: list[tuple]) -> list[Command]:
    return [f.command(purpose=why) if why else f.command() for f, why in steps]


def started_steps(ctx: Context, conn: Connection, new_user: str) -> list[str]:
    """How to make the task run as ``new_user``: change the STARTED profile that matched
    (from RLIST STARTED / SDSF output), never one built from a forked job name; refresh
    STARTED and restart the task."""
    prof = started_profile(ctx, conn)
    job = conn.job or "the task"
    if prof is not None:
        cmd = fx.RalterStarted(prof.profile, new_user, prof.group).render()
        return [f"Or run {job} as {new_user.upper()}: change the STARTED profile that matches it, "
                f"{prof.profile} (now USER({prof.user})): {cmd}, then SETROPTS RACLIST(STARTED) "
                f"REFRESH and restart {job}. Everything else that profile matches runs as "
                f"{new_user.upper()} too."]
    guess = fx.RalterStarted(f"{conn.job or 'JOB'}.*", new_user).render()
    return [f"Or run {job} as {new_user.upper()}: {guess} (then SETROPTS RACLIST(STARTED) REFRESH and "
            f"restart {job}). The session has no RLIST STARTED output: first check with "
            f"RLIST STARTED * STDATA which profile really matches {job} (a job forked by a started "
            "procedure carries the procedure's name plus a digit, and is matched by the procedure's "
            "generic profile, such as <procedure>*.*), and change that one."]
