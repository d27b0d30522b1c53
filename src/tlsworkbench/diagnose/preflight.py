"""Preflight: what will fail, from rings, certificates and policy alone (no failure
needed). Run before a change window or a certificate's end date.

Checks (ids are stable):

* ``cert-expired`` / ``cert-expiring``: a certificate past its End Date, or ending
  within N days (RACF's health check warns at 60), with the rings that hold it and
  the policy rules, jobs and ports that would break;
* ``ring-no-default``: a ring a server uses with no PERSONAL certificate marked DEFAULT;
* ``ca-notrust``: a CA certificate on a ring that RACF marks NOTRUST (System SSL
  ignores it);
* ``chain-incomplete``: a personal certificate whose issuer is not on its ring;
* ``weak-key`` / ``weak-signature``: RSA keys under 2048 bits, SHA-1 or MD5 signatures;
* ``policy-ring-missing``: a policy Keyring naming a ring that the RACDCERT output
  does not show (with the closest existing name);
* ``cert-owner-mismatch``: the certificate a ring hands out (its default PERSONAL one)
  belongs to another user than the job that uses the ring runs as (SDSF DA, a
  STARTED profile or the rule's Userid): System SSL cannot use its private key and
  the handshake fails with RC 428;
* ``ring-default-other-owner`` / ``site-key-access``: the default certificate of a ring
  belongs to another user than the ring's owner, or is a SITE/CERTAUTH certificate whose
  key needs CONTROL (preflight_keys.py).
"""

from __future__ import annotations

from tlsworkbench import clock

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone

from tlsworkbench.model import CertInfo, KeyRing, Session

from . import fixes as fx
from .common import edit_distance, norm_dn, owner_of, pagent_proc, policy_edit, raclist_refresh
from .evidence import Context
from .keyaccess import lst_profile
from .renewal import evidence_time, plan as renewal_plan, renewal

SEV_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class PreflightCheck:
    id: str
    severity: str
    title: str
    detail: str
    objects: list[str] = field(default_factory=list)
    """What it is about: ``"cert:TCPIP/label"``, ``"ring:FTPD/Server_RING"``, ``"rule:R"``."""
    commands: list[str] = field(default_factory=list)
    """Rendered fix commands, in order."""
    records: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("records", None)
        return d


def _oid(owner: str) -> str:
    o = (owner or "").upper()
    return o[3:-1] if o.startswith("ID(") and o.endswith(")") else o


class _Uses:
    """Which policy rules (with job and port) use which ring."""

    def __init__(self, ctx: Context):
        self.by_ring: dict[str, list[tuple[str, str, str, str]]] = {}
        for rule in ctx.statements("TTLSRule"):
            v = _rule_view(ctx, rule)
            if v is None or not v[0]:
                continue
            kr, role, job, port = v
            owner, name = owner_of(kr, None)
            key = f"{owner}/{name}" if owner else f"?/{name}"
            self.by_ring.setdefault(key.upper(), []).append((rule.name, role, job, port))

    def of(self, ring: KeyRing) -> list[tuple[str, str, str, str]]:
        return self.by_ring.get(ring.key.upper(), []) + self.by_ring.get(f"?/{ring.name}".upper(), [])


def _first(v):
    return v[0] if isinstance(v, list) and v else v


def _rule_view(ctx: Context, rule):
    env = ctx.statement("TTLSEnvironmentAction", _first(rule.get("TTLSEnvironmentActionRef")),
                        ctx.system_of(rule))
    if env is None:
        return None
    kr = _first(env.get("Keyring"))
    ref = _first(env.get("TTLSKeyringParmsRef"))
    if ref:
        st = ctx.statement("TTLSKeyringParms", ref, ctx.system_of(rule))
        if st is not None:
            kr = _first(st.get("Keyring")) or kr
    role = str(_first(env.get("HandshakeRole")) or "")
    job = str(_first(rule.get("Jobname")) or "")
    port = str(_first(rule.get("LocalPortRange")) or _first(rule.get("RemotePortRange")) or "")
    return kr, role, job, port


def run(session: Session, days: int = 60, at: datetime | None = None) -> list[PreflightCheck]:
    ctx = Context(session)
    at = at or clock.now()
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    uses = _Uses(ctx)
    out: list[PreflightCheck] = []
    out += _validity(ctx, uses, days, at)
    out += _rings(ctx, uses)
    out += _strength(ctx)
    out += _policy_rings(ctx)
    out += _owners(ctx, uses)
    from .preflight_keys import checks as key_checks

    out += key_checks(ctx, PreflightCheck, uses, lambda r: [
        u for rule, _role, job, _port in uses.of(r) for u in _job_users(ctx, rule, job, ctx.system_of(r))])
    out.sort(key=lambda c: (SEV_ORDER.get(c.severity, 3), c.id, c.title))
    return out


# -- certificates ---------------------------------------------------------------------
def _rings_of(ctx: Context, cert: CertInfo) -> list[KeyRing]:
    own = (cert.owner or "").upper()
    return [r for r in ctx.s.rings
            if any(e.label == cert.label and _oid(e.owner) in (own, "") for e in r.entries)
            and ctx.same_system(r, ctx.system_of(cert))]


def _validity(ctx: Context, uses: _Uses, days: int, at: datetime) -> list[PreflightCheck]:
    out = []
    incident = evidence_time(ctx)
    for c in ctx.s.certs:
        if c.not_after is None:
            continue
        end = c.not_after if c.not_after.tzinfo else c.not_after.replace(tzinfo=timezone.utc)
        left = end - at
        if left > timedelta(days=days):
            continue
        expired = left.total_seconds() < 0
        owner = (c.owner or "?").upper()
        rings = _rings_of(ctx, c)
        hit = [u for r in rings for u in uses.of(r)]
        objs = [f"cert:{owner}/{c.label}"] + [f"ring:{r.key}" for r in rings] + [f"rule:{u[0]}" for u in hit]
        breaks = "; ".join(f"rule {u[0]}" + (f" (job {u[2]}" if u[2] else " (")
                           + (f", port {u[3]})" if u[3] else ")") for u in hit)
        when = f"{end:%Y/%m/%d}"
        if expired:
            detail = f"{c.label!r} (owner {owner}) expired on {when}."
        else:
            detail = f"{c.label!r} (owner {owner}) ends on {when}, in {max(0, left.days)} days."
        if rings:
            detail += " It is on " + ", ".join(r.key for r in rings) + "."
        if breaks:
            detail += (f" These fail with RC 401: {breaks}." if expired
                       else f" When it ends, these fail with RC 401: {breaks}.")
        cmds = []
        if owner not in ("CERTAUTH", "SITE") and c.label:
            fixes, ca_label, notafter = renewal(ctx, c, incident, today=at.date())
            cmds = [f.render() for f in fixes]
            got = renewal_plan(ctx, c, incident, today=at.date())
            detail += " Renewal: same key and label. " + got.words
            more, words = _after_renewal(ctx, rings, hit)
            cmds += more
            detail += words
        out.append(PreflightCheck("cert-expired" if expired else "cert-expiring",
                                  "error" if expired else "warning",
                                  f"Certificate {c.label or c.subject} {'expired' if expired else 'expires soon'}",
                                  detail, objs, cmds, [c.record]))
    return out


_REFRESH_IF = ("SETROPTS RACLIST(DIGTCERT DIGTRING) REFRESH is needed only if those classes are "
               "RACLISTed (SETROPTS LIST shows it; the session does not).")


def _after_renewal(ctx: Context, rings: list, hit: list) -> tuple[list[str], str]:
    """The steps after a renewal: the refresh of DIGTCERT/DIGTRING (worded as conditional
    unless the evidence shows them RACLISTed), and what makes each server build its
    environment again so it reads the renewed certificate: for an AT-TLS rule that uses
    the ring, its EnvironmentUserInstance raised and F PAGENT,UPDATE (docs/fixes.md)."""
    refresh = raclist_refresh(ctx, ["DIGTCERT", "DIGTRING"])
    cmds = [refresh.text]
    words = " " + _REFRESH_IF if "Needed only if" in refresh.purpose else ""
    edits, systems = [], []
    for rule_name, _role, _job, _port in hit:
        rule = ctx.statement("TTLSRule", rule_name)
        if rule is None:
            continue
        sysname = ctx.system_of(rule)
        env = ctx.statement("TTLSEnvironmentAction", _first(rule.get("TTLSEnvironmentActionRef")), sysname)
        if env is None or any(e[0] == env.name for e in edits):
            continue
        old = _first(env.get("EnvironmentUserInstance"))
        rid = (env.lines or {}).get("EnvironmentUserInstance", env.record)
        edits.append((env.name, policy_edit(ctx, "TTLSEnvironmentAction", env.name, "EnvironmentUserInstance",
                                            old, fx.bump(old), rid, sysname).render()))
        systems.append(sysname)
    if edits:
        cmds += [e[1] for e in edits]
        cmds.append(fx.pagent_update(pagent_proc(ctx, systems[0])).render())
        words += (" AT-TLS keeps the certificate it read when it built the environment: raising "
                  "EnvironmentUserInstance and F PAGENT,UPDATE make new connections use a new "
                  "environment with the renewed certificate (F PAGENT,UPDATE alone changes nothing "
                  "when the policy did not change).")
    elif rings:
        words += (" Then make every server that uses " + ", ".join(r.key for r in rings[:3])
                  + " read it again, or it keeps the old certificate: for AT-TLS raise "
                  "EnvironmentUserInstance of its TTLSEnvironmentAction and F PAGENT,UPDATE; for a "
                  "program that calls System SSL itself, its own refresh (CICS PERFORM SSL REBUILD, "
                  "MQ REFRESH SECURITY TYPE(SSL)) or a stop and start (P job, then S procedure). The "
                  "session shows no policy rule that uses the ring, so the server is not named here.")
    return cmds, words


def _rings(ctx: Context, uses: _Uses) -> list[PreflightCheck]:
    out = []
    for r in ctx.s.rings:
        used = uses.of(r)
        server = any(u[1].lower().startswith("server") for u in used)
        client_only = used and not server
        personal = r.personal()
        if not any(e.default for e in personal) and not client_only:
            sev = "error" if server else "warning" if personal else "info"
            detail = f"Ring {r.key} has no PERSONAL certificate marked DEFAULT"
            detail += (": a server using it fails with RC 6 unless the policy names a CertificateLabel."
                       if server else "; a server using it would fail with RC 6.")
            cmds = []
            if personal:
                e = personal[0]
                cmds.append(fx.RacdcertConnect(_oid(e.owner), e.label, r.name, r.owner, "PERSONAL", True).render())
            out.append(PreflightCheck("ring-no-default", sev, f"No default certificate on {r.key}", detail,
                                      [f"ring:{r.key}"] + [f"rule:{u[0]}" for u in used], cmds, [r.record]))
        for e in r.entries:
            if e.usage != "CERTAUTH" and _oid(e.owner) != "CERTAUTH":
                continue
            c = ctx.cert(e.label, "CERTAUTH", ctx.system_of(r))
            if c is not None and (c.status or "").upper() == "NOTRUST":
                out.append(PreflightCheck(
                    "ca-notrust", "warning", f"NOTRUST CA on {r.key}",
                    f"CA {e.label!r} on {r.key} is NOTRUST: System SSL ignores it, so certificates it "
                    "issued cannot be validated (RC 8 / 435).",
                    [f"ring:{r.key}", f"cert:CERTAUTH/{e.label}"],
                    [fx.RacdcertAlterTrust("CERTAUTH", e.label).render()], [c.record]))
        cas = [ctx.cert(e.label, "CERTAUTH", ctx.system_of(r)) for e in r.entries
               if e.usage == "CERTAUTH" or _oid(e.owner) == "CERTAUTH"]
        if any(c is None for c in cas):
            continue  # a CA on the ring whose subject the session does not show: cannot judge
        ca_dns = {norm_dn(c.subject) for c in cas if c is not None}
        for e in personal:
            c = ctx.cert(e.label, _oid(e.owner), ctx.system_of(r))
            if c is None or not c.issuer or norm_dn(c.issuer) == norm_dn(c.subject):
                continue
            if norm_dn(c.issuer) not in ca_dns:
                known = next((x for x in ctx.s.certs if (x.owner or "").upper() == "CERTAUTH"
                              and norm_dn(x.subject) == norm_dn(c.issuer)), None)
                cmds = [fx.RacdcertConnect("CERTAUTH", known.label, r.name, r.owner, "CERTAUTH").render()] \
                    if known is not None and known.label else []
                out.append(PreflightCheck(
                    "chain-incomplete", "warning", f"Issuer of {e.label} not on {r.key}",
                    f"{e.label!r} is issued by {c.issuer}, which is not on {r.key}: the chain does not "
                    "reach a trusted root from this ring (partners that do not have the CA fail with 435).",
                    [f"ring:{r.key}", f"cert:{_oid(e.owner)}/{e.label}"], cmds, [c.record]))
    return out


def _job_users(ctx: Context, rule_name: str, job: str, sysname: str | None) -> list[tuple[str, str, str]]:
    """(user, where from, record) of the jobs a rule's Jobname matches."""
    from fnmatch import fnmatchcase

    from .evidence import _started_matches

    pat = (job or "").upper()
    out: list[tuple[str, str, str]] = []
    names: set[str] = set()
    if pat:
        for j in ctx.s.jobs:
            if j.owner and fnmatchcase(j.jobname.upper(), pat) and ctx.same_system(j, sysname):
                out.append((j.owner.upper(), f"SDSF DA shows {j.jobname} owned by it", j.record))
                names.add(j.jobname.upper())
        if not any(ch in pat for ch in "*?%"):
            names.add(pat)
        for p in ctx.s.started:
            if p.user and any(_started_matches(p.profile, n) for n in names) and ctx.same_system(p, sysname):
                out.append((p.user.upper(), f"STARTED profile {p.profile}", p.record))
    rule = ctx.statement("TTLSRule", rule_name, sysname)
    uid = str(_first(rule.get("Userid")) or "") if rule is not None else ""
    if uid and not any(ch in uid for ch in "*?%"):
        out.append((uid.upper(), "the rule's Userid", rule.record))
    return out


def _owners(ctx: Context, uses: _Uses) -> list[PreflightCheck]:
    """The default certificate of a ring belongs to another user than the job using it."""
    from .certificate import owner_fixes

    out = []
    for r in ctx.s.rings:
        entry = next((e for e in r.personal() if e.default), None)
        if entry is None:
            continue
        cown = _oid(entry.owner)
        if cown in ("SITE", "CERTAUTH", ""):
            continue
        sysname = ctx.system_of(r)
        for rule_name, role, job, _port in uses.of(r):
            users = _job_users(ctx, rule_name, job, sysname)
            if not users:
                continue
            user, src, rec = users[0]
            if user == cown:
                continue
            cert = ctx.cert(entry.label, cown, sysname)
            detail = (f"Ring {r.key} hands out {entry.label!r} (its default PERSONAL certificate), owned "
                      f"by {cown}; rule {rule_name} uses the ring for job {job or '?'}, which runs as "
                      f"{user} ({src}). Through FACILITY a job gets only the private keys of its own "
                      "certificates: the handshake will fail with RC 428. The least disruptive fix "
                      f"is UPDATE for {user} to the RDATALIB profile {lst_profile(r.owner, r.name)} "
                      f"(see diagnose); or give {user} its own certificate on the ring (below), or "
                      f"run the job as {cown}.")
            fixes = owner_fixes(ctx, user, entry, cert, r.name, r.owner)
            refresh = raclist_refresh(ctx, ["DIGTCERT", "DIGTRING"])
            cmds = [f.render() for f, _ in fixes] + [refresh.text]
            if "Needed only if" in refresh.purpose:
                detail += " " + _REFRESH_IF
            sev = "error" if role.lower().startswith("server") or not role else "warning"
            out.append(PreflightCheck("cert-owner-mismatch", sev,
                                      f"Certificate on {r.key} belongs to {cown}, job runs as {user}",
                                      detail, [f"ring:{r.key}", f"cert:{cown}/{entry.label}",
                                               f"rule:{rule_name}"],
                                      cmds, [x for x in (entry.record or r.record, rec) if x]))
            break
    return out


def _strength(ctx: Context) -> list[PreflightCheck]:
    out = []
    for c in ctx.s.certs:
        name = f"{(c.owner or '?').upper()}/{c.label or c.subject}"
        kt = (c.key_type or "").upper()
        if c.key_size and kt in ("RSA", "DSA", "") and c.key_size < 2048:
            out.append(PreflightCheck("weak-key", "warning", f"Weak key: {name}",
                                      f"{c.label!r} has a {kt or 'RSA'} key of {c.key_size} bits (below 2048).",
                                      [f"cert:{name}"], [], [c.record]))
        alg = (c.signature_algorithm or "").lower().replace("-", "")
        selfsigned = norm_dn(c.issuer) == norm_dn(c.subject)
        if ("sha1" in alg or "md5" in alg) and not selfsigned:
            out.append(PreflightCheck("weak-signature", "warning", f"Weak signature: {name}",
                                      f"{c.label!r} is signed with {c.signature_algorithm}; modern partners "
                                      "reject SHA-1 and MD5 signatures.", [f"cert:{name}"], [], [c.record]))
    return out


def _policy_rings(ctx: Context) -> list[PreflightCheck]:
    if not ctx.s.rings:
        return []
    out = []
    seen = set()
    for st in ctx.statements("TTLSKeyringParms") + ctx.statements("TTLSEnvironmentAction"):
        kr = _first(st.get("Keyring"))
        if not kr or kr.startswith(("/", "*")) or "/" not in kr:
            continue
        owner, name = owner_of(kr, None)
        key = f"{owner}/{name}"
        sysname = ctx.system_of(st)
        if (key, sysname) in seen or ctx.ring(key, sysname) is not None:
            continue
        seen.add((key, sysname))
        rings = ctx.rings(sysname)
        best = min(rings, key=lambda r: edit_distance(r.key.upper(), key.upper()) +
                   (0 if r.name == name else 0.5), default=None)
        close = best is not None and edit_distance(best.key.upper(), key.upper()) <= max(3, len(key) // 4)
        said = fx.statement_words(st.kind, st.name)
        detail = (f"{said[:1].upper()}{said[1:]} names Keyring {kr}, which the RACDCERT "
                  "output does not show")
        detail += f"; {best.key} exists." if close else "."
        cmds = []
        if close:
            rid = st.lines.get(next((k for k in st.params if k.lower() == "keyring"), "Keyring"), st.record)
            cmds.append(policy_edit(ctx, st.kind, st.name, "Keyring", kr, best.key, rid, sysname).render())
            cmds.append(fx.pagent_update().render())
        owner_shown = any(r.owner.upper() == (owner or "") for r in rings)
        if not close and not owner_shown:
            detail += f" (No ring of {owner} is displayed: check with RACDCERT ID({owner}) LISTRING(*).)"
        out.append(PreflightCheck("policy-ring-missing", "error" if close or owner_shown else "warning",
                                  f"Policy names a missing ring: {kr}",
                                  detail, [f"policy:{st.name}", f"ring:{key}"], cmds, [st.record]))
    return out


def today() -> date:
    return clock.today()
