"""Preflight checks about who may use a ring's private key (before RC 428 happens).

* ``ring-default-other-owner``: a ring's default PERSONAL certificate belongs to another
  user than the ring's owner (the Zowe and Db2 setups that end in RC 428): the ring's
  owner, and every other user reading the ring through FACILITY, cannot get that key;
  the fix is UPDATE to the ring's RDATALIB profile for the user that runs the server.
  Reported when a policy rule uses the ring and the session does not show who runs its
  job (a job known to run as the certificate's owner is fine; one known to run as
  someone else is ``cert-owner-mismatch``).
* ``site-key-access``: a SITE or CERTAUTH certificate is a ring's default PERSONAL
  certificate: its private key is handed out only with CONTROL to the ring's RDATALIB
  profile (or CONTROL to FACILITY IRR.DIGTCERT.GENCERT), which the session does not show.

Sources: RACF Callable Services, R_datalib usage notes (private key rules); docs/fixes.md.
"""

from __future__ import annotations

from .evidence import Context
from .keyaccess import lst_profile, rdatalib_fix


def _oid(owner: str) -> str:
    o = (owner or "").upper()
    return o[3:-1] if o.startswith("ID(") and o.endswith(")") else o


def checks(ctx: Context, make, uses, users_of=lambda ring: []) -> list:
    """``make``: the PreflightCheck class; ``uses``: the rules that use each ring;
    ``users_of(ring)``: the users the session shows running the jobs that use it (a ring
    whose users all own its default certificate is fine, and cert-owner-mismatch already
    covers a known user that does not)."""
    out = []
    for r in ctx.s.rings:
        entry = next((e for e in r.personal() if e.default), None)
        if entry is None:
            continue
        cown, rown = _oid(entry.owner), r.owner.upper()
        sysname = ctx.system_of(r)
        rules = [f"rule:{u[0]}" for u in uses.of(r)]
        if cown in ("SITE", "CERTAUTH"):
            cmds = [f.render() for f, _ in rdatalib_fix(ctx, rown, r.name, rown, "CONTROL", sysname)]
            out.append(make(
                "site-key-access", "warning", f"{cown} key on {r.key}",
                f"The default certificate of {r.key}, {entry.label!r}, is a {cown} certificate. Its "
                f"private key is given only to a user with CONTROL to the RDATALIB profile "
                f"{lst_profile(rown, r.name)} (or CONTROL to IRR.DIGTCERT.GENCERT in FACILITY); the session "
                "does not show that access, and without it the handshake fails with RC 428. The "
                f"commands give it to {rown}; use the user the server really runs as.",
                [f"ring:{r.key}", f"cert:{cown}/{entry.label}"] + rules, cmds, [r.record]))
        elif cown and cown != rown and rules and not users_of(r):
            # a rule uses the ring, and nothing shows that its job runs as the owner
            cmds = [f.render() for f, _ in rdatalib_fix(ctx, rown, r.name, rown, "UPDATE", sysname)]
            out.append(make(
                "ring-default-other-owner", "warning", f"Default certificate of {r.key} owned by {cown}",
                f"The default certificate of {r.key}, {entry.label!r}, belongs to {cown}, not to the "
                f"ring's owner {rown}. A server that reads the ring through FACILITY gets only the keys "
                f"of its own certificates, so one running as {rown} (or any user but {cown}) fails "
                f"with RC 428. Either give that user UPDATE to {lst_profile(rown, r.name)} in RDATALIB (the "
                f"commands, for {rown}), or connect a certificate the server's user owns.",
                [f"ring:{r.key}", f"cert:{cown}/{entry.label}"] + rules, cmds, [r.record]))
    return out
