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

from dataclasses import dataclass

from tlsworkbench.model import Command, Connection

from . import fixes as fx
from .common import raclisted, started_profile
from .evidence import Context

@dataclass
class Search(fx.Fix):
    cls: str
    mask: str | None = None

    def tokens(self):
        return ["SEARCH", f"CLASS({self.cls.upper()})"] + ([f"MASK({self.mask})"] if self.mask else [])

    def describe(self):
        return f"List the profiles of class {self.cls.upper()}."


@dataclass
class SetroptsList(fx.Fix):
    def tokens(self):
        return ["SETROPTS", "LIST"]

    def describe(self):
        return "Show which classes are active and RACLISTed."


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
    from tlsworkbench.model.rowquery import head

    for c in head(ctx.s.connections, 5000):
        if system and c.system and c.system != system:
            continue
        o, n, _ = ring_of(ctx, c)
        if (o or "").upper() == ring_owner.upper() and n == ring and c.user:
            out.setdefault(c.user.upper(), "READ")
    return out


def facility_readers(ctx: Context, ring_owner: str) -> tuple[dict[str, str], str | None, bool]:
    """Who may read the ring through FACILITY IRR.DIGTCERT.LISTRING today, from an RLIST
    of that profile in the session: ({id: RDATALIB access that keeps what it has}, UACC,
    whether the access list was shown). READ there reads one's own rings (so only the
    ring's owner), UPDATE or more also other users' rings; through FACILITY a reader gets
    only its own certificates' keys, which RDATALIB READ gives too."""
    from .simulate.racfdb import read as read_racf

    try:
        acls = read_racf(ctx.s).acls
    except Exception:  # the evidence is never trusted to be well formed
        return {}, None, False
    got = acls.get(("FACILITY", "IRR.DIGTCERT.LISTRING")) or acls.get(("FACILITY", "IRR.DIGTCERT.*"))
    if got is None:
        return {}, None, False
    uacc, acl = got
    out = {}
    for who, acc in acl.items():
        lvl = LEVEL.get(acc.upper(), 0)
        if lvl >= 2 or (lvl >= 1 and who.upper() == ring_owner.upper()):
            out[who.upper()] = "READ"
    return out, uacc, True


def rdatalib_fix(ctx: Context, ring_owner: str, ring: str, user: str, level: str,
                 system: str | None = None) -> list[tuple]:
    """(fix, purpose) giving ``user`` ``level`` to ``<OWNER>.<RING>.LST``. A ring profile
    changes who may read the ring: once it exists RACF checks it, not FACILITY
    IRR.DIGTCERT.LISTRING, for this ring, and activating RDATALIB brings every other
    RDATALIB profile into force. So: check first (SEARCH CLASS(RDATALIB), the FACILITY
    access list, SETROPTS LIST), define it, permit the user and every other reader the
    evidence shows (its connections, the FACILITY access list), activate or refresh."""
    prof = lst_profile(ring_owner, ring)
    where = f"{ring_owner.upper()}/{ring}"
    readers, uacc, shown = facility_readers(ctx, ring_owner)
    active = "RDATALIB" in raclisted(ctx)
    steps: list[tuple] = [
        (Search("RDATALIB"),
         "Check first: the RDATALIB profiles that exist. A generic one (such as "
         f"{ring_owner.upper()}.*.LST) may already cover {where}; and activating the class puts every "
         "one of them into force for its ring.")]
    if not shown:
        steps.append((fx.Rlist("FACILITY", "IRR.DIGTCERT.LISTRING", "AUTHUSER"),
                      f"Check first who reads rings through FACILITY today: once {prof} exists, those "
                      f"users lose {where} unless they are permitted to {prof} too (READ each, as below)."))
    if not active:
        steps.append((SetroptsList(), "Check first whether RDATALIB is already active and RACLISTed "
                                         "(ACTIVE CLASSES, RACLIST CLASSES)."))
    steps += [
        (fx.Rdefine("RDATALIB", prof),
         f"Define {prof} (if RACF says it is already defined, go on with the PERMIT). This changes who "
         f"may read {where}: from now on RACF checks {prof} for it instead of FACILITY "
         "IRR.DIGTCERT.LISTRING, and with UACC(NONE) every reader not permitted below is refused."),
        (fx.Permit(prof, "RDATALIB", user, level),
         f"Give {user.upper()} {level} to the ring: " + {
             "READ": "it may read the ring and use its own certificates' keys.",
             "UPDATE": "it may also use the private keys of other users' certificates on it.",
             "CONTROL": "it may also use the private keys of SITE and CERTAUTH certificates on it.",
         }[level])]
    done = {user.upper()}
    for other, lvl in sorted(ring_users(ctx, ring_owner, ring, system).items()):
        if other not in done:
            done.add(other)
            steps.append((fx.Permit(prof, "RDATALIB", other, lvl),
                          f"{other} reads this ring too (its connection is in the session): once {prof} "
                          "exists, RACF checks it instead of FACILITY IRR.DIGTCERT.LISTRING for this ring."))
    for other, lvl in sorted(readers.items()):
        if other not in done:
            done.add(other)
            steps.append((fx.Permit(prof, "RDATALIB", other, lvl),
                          f"{other} may read {where} today through FACILITY IRR.DIGTCERT.LISTRING (its "
                          f"access list in the session): READ to {prof} keeps that."))
    if shown and LEVEL.get((uacc or "NONE").upper(), 0) >= 2:
        steps.append((fx.Permit(prof, "RDATALIB", "*", "READ"),
                      f"IRR.DIGTCERT.LISTRING has UACC({uacc}): every user may read other users' rings "
                      f"today; ID(*) READ keeps that for {where} (drop it if that was not intended)."))
    if active:
        steps.append((fx.SetroptsRefresh(["RDATALIB"]), "Refresh the in-storage RDATALIB profiles."))
    else:
        steps.append((fx.SetroptsClassact(["RDATALIB"]),
                      "RACF checks RDATALIB only when the class is active and RACLISTed; the session "
                      "does not show it active. Activating it puts every RDATALIB profile that SEARCH "
                      "listed into force, not only this one. If it already is active, SETROPTS "
                      "RACLIST(RDATALIB) REFRESH instead."))
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
