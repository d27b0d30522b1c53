"""Lookups of the native correlation (model/correlate_native.py): the ring an
application's configuration names, resolved like a policy ``Keyring`` (a name without
an owner belongs to the user the job runs under; ``safkeyring://`` URLs of Java and
Liberty), the user a job runs under (SDSF DA or a job log's IEF695I, then a STARTED
profile), and the configuration (``AppConfig``) that applies to a job.
"""

from __future__ import annotations

import fnmatch

from .correlate_base import owned

_RING_PREFIXES = tuple(f"safkeyring{k}:" for k in ("jcehybrid", "jcecca", "jce", "hybrid", "hw", ""))
"""Java/Liberty keystore URL schemes of a RACF ring (longest first); 1 to 4 slashes follow."""


def resolve_ring(keyring: str, user: str | None) -> str:
    """``safkeyring://OWNER/RING`` -> ``OWNER/RING``; ``RING`` -> ``USER/RING``."""
    kr = keyring.strip()
    low = kr.lower()
    for p in _RING_PREFIXES:
        if low.startswith(p):
            kr = kr[len(p):].lstrip("/")
            break
    if "/" in kr and not kr.startswith("/"):
        o, _, n = kr.partition("/")
        return f"{o.upper()}/{n}"
    return owned(kr, user)


def job_owner(session, job: str | None, system: str | None) -> str | None:
    """The user a job runs under: SDSF DA or a job log's IEF695I first, then a STARTED profile."""
    if not job:
        return None
    for j in session.jobs:
        if j.jobname.upper() == job and j.owner and (not system or not j.system or j.system == system):
            return j.owner.upper()
    best = None
    for p in session.started:
        if system and p.system and p.system != system:
            continue
        prof = p.profile.upper().split(".")[0]
        if fnmatch.fnmatchcase(job, prof.replace("%", "?")):
            if best is None or len(prof) > len(best[0]):
                best = (prof, p.user.upper())
    return best[1] if best else None


def app_config(session, family: str, system: str | None, job: str | None, role: str | None = None):
    """The AppConfig of this family that configures ``job`` on ``system``; else the
    only one of the family (that the system and role do not rule out)."""
    fits = [c for c in session.app_configs if c.family == family
            and (not system or not c.system or c.system == system)
            and (not role or not c.role or c.role == role)]
    if job:
        exact = [c for c in fits if c.job and c.job.upper() == job]
        if exact:
            return exact[0]
    loose = [c for c in fits if not c.job or not job]
    if len(loose) == 1:
        return loose[0]
    if len(fits) == 1:
        return fits[0]
    return None
