"""Client-side application lines (FTP client, TN3270, CICS) grouped into the
attempts they describe, so that correlation can join each group to a connection."""

from __future__ import annotations

from .correlate_base import ep


class _AppGroup:
    __slots__ = ("pos", "remote", "system", "job", "first", "last", "error")

    def __init__(self, system):
        self.pos: list[int] = []
        self.remote = None
        self.system = system
        self.job = None
        self.first = self.last = None
        self.error = False


def app_groups(app, art_sys):
    """Client lines of one artifact in order: a new group starts at each
    ``EZA1736I`` (FTP command) or when another remote address is named."""
    current: dict[str, _AppGroup] = {}
    out: list[_AppGroup] = []
    for pos, r in app:
        f = r.fields
        system = r.system or art_sys.get(r.artifact)
        rip = f.get("remote_ip")
        remote = ep(rip, f.get("remote_port")) if rip else None
        g = current.get(r.artifact)
        if (g is None or r.msgid == "EZA1736I" or r.msgid in ("EZZ6034I", "EZZ6035I")
                or (remote and g.remote and remote[0] != g.remote[0])
                or (g.system and system and g.system != system)):
            g = _AppGroup(system)
            current[r.artifact] = g
            out.append(g)
        if remote and (g.remote is None or (g.remote[1] is None and remote[1] is not None)):
            g.remote = remote
        job = f.get("jobname") or (r.job if r.job and not r.job[:3] in ("STC", "JOB", "TSU") else None)
        if job and g.job is None:
            g.job = job.upper()
        g.pos.append(pos)
        t = r.time
        if t is not None:
            if g.first is None or t < g.first:
                g.first = t
            if g.last is None or t > g.last:
                g.last = t
        if r.severity == "error":
            g.error = True
    return out
