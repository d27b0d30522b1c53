"""CICS TS with its own TLS: the sockets domain calls System SSL with the ring
that the KEYRING system initialisation parameter names (owned by, or readable
by, the region user ID); a TCPIPSERVICE with SSL(YES) or SSL(CLIENTAUTH) uses
the certificate its CERTIFICATE attribute names, else the ring's default (CICS TS
docs, "KEYRING system initialization parameter", "TCPIPSERVICE attributes").

Refresh: ``CEMT PERFORM SSL REBUILD`` rebuilds the SSL environment and the cache
of certificates from the region's key ring; handshakes already running finish
with the old certificates (CICS TS docs, "CEMT PERFORM SSL"). It does not apply
to SSL(ATTLSAWARE) services, and it does not reread SIT parameters: a new KEYRING
value needs the region restarted (SIT parameters are read at start-up).
"""

from __future__ import annotations

from tlsworkbench.model import Command

from . import line_words

FAMILY = "cics"
NAME = "CICS region"
CONFIG = "SIT"
SUCCESS = "no DFHSO0123 for the partner's address"
RING_SOURCE = "the KEYRING parameter in the region's SIT or its SYSIN overrides"


def _job(config, conn) -> str:
    return (getattr(conn, "job", None) or (config.job if config is not None else None)
            or "CICS").upper()


def ring_words(config) -> str:
    if config is None or not config.keyring:
        return "the KEYRING system initialisation parameter"
    return (f"the KEYRING system initialisation parameter KEYRING={config.keyring}"
            f"{line_words(config, 'KEYRING')}")


def refresh(config, conn) -> list[Command]:
    job = _job(config, conn)
    return [Command(
        text=f"F {job},CEMT PERFORM SSL REBUILD", kind="operator",
        purpose=f"Make {job} rebuild its SSL environment and certificate cache from the key ring "
                "(new handshakes use the changed ring; running ones finish with the old one).")]


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    hint = hint or {}
    out: list[Command] = []
    job = _job(config, conn)
    if cause in ("keyring-not-found", "keyring-not-authorized") and hint.get("keyring"):
        old = config.keyring if config is not None else None
        owner, _, ring = hint["keyring"].partition("/")
        user = (getattr(conn, "user", None) or "").upper()
        value = ring if ring and (not user or owner.upper() == user) else hint["keyring"]
        if old != value:
            out.append(Command(
                text=f"KEYRING={value}", kind="config",
                purpose=f"In the SIT overrides of {job}{line_words(config, 'KEYRING')} change KEYRING="
                        f"{old or '(not set)'} to {value}: the ring that exists."))
            out.append(Command(
                text=f"F {job},CEMT PERFORM SHUTDOWN", kind="operator", disruptive=True,
                purpose=f"SIT parameters are read only when {job} starts: shut the region down ..."))
            out.append(Command(text=f"S {job}", kind="operator",
                               purpose=f"... and start it again with the new KEYRING."))
    elif cause == "certificate-not-on-ring" and hint.get("label") and hint.get("service"):
        out += _certificate(job, hint)
    elif cause == "protocol-mismatch":
        cur = (config.settings or {}).get("MINTLSLEVEL") if config is not None else None
        if cur:
            out.append(Command(
                text="MINTLSLEVEL=TLS12", kind="config",
                purpose=f"In the SIT overrides of {job}{line_words(config, 'MINTLSLEVEL')} "
                        f"(now {cur}): the lowest TLS level the partner also speaks; read at start-up."))
    return out


def _certificate(job: str, hint: dict) -> list[Command]:
    """TCPIPSERVICE CERTIFICATE names a label the ring lacks: name the ring's certificate.
    The service's attributes change while it is closed; the CSD definition is altered and
    installed again (CICS TS docs, "SET TCPIPSERVICE", "TCPIPSERVICE attributes")."""
    svc, group = hint["service"], hint.get("group")
    line = hint.get("line") or ""
    at = f" (line {line.rpartition(':')[2]})" if line.rpartition(":")[2].isdigit() else ""
    grp = f" GROUP({group})" if group else ""
    label = hint["label"]
    return [
        Command(text=f"F {job},CEMT SET TCPIPSERVICE({svc}) CLOSED", kind="operator", disruptive=True,
                purpose=f"Close {svc}: its definition can be installed again only while it is closed."),
        Command(text=f"ALTER TCPIPSERVICE({svc}){grp} CERTIFICATE({label})", kind="config",
                purpose=f"In the CSD definition{at} (CEDA or DFHCSDUP): name the "
                        f"certificate that is on the ring, not {hint.get('was') or 'the old label'}."),
        Command(text=f"CEDA INSTALL TCPIPSERVICE({svc}){grp}", kind="operator",
                purpose=f"At a CICS terminal of {job}: install the changed definition."),
        Command(text=f"F {job},CEMT SET TCPIPSERVICE({svc}) OPEN", kind="operator",
                purpose=f"Open {svc} again with the new certificate.")]


# -- the family's own explanation: RC 7 with a ring that has no default ------------------------
def explain(ctx, conn) -> object | None:
    """RC 7 (no certificate) where LISTRING shows the ring has PERSONAL certificates but none
    is DEFAULT: a TCPIPSERVICE without CERTIFICATE uses the ring's default, so there is none
    to hand out. None for anything else (the System SSL code decides)."""
    from tlsworkbench.diagnose import fixes as fx
    from tlsworkbench.diagnose.causes import MEDIUM, STRONG, Score, finding

    if 7 not in conn.rcs or not conn.keyring or "/" not in conn.keyring:
        return None
    ring = ctx.ring(conn.keyring, conn.system)
    if ring is None or not ring.personal() or ring.default_entry() is not None:
        return None
    recs = ctx.records_of(conn)
    svc = next((r.fields["tcpipservice"] for r in recs if r.fields.get("tcpipservice")), None)
    entry = ring.personal()[0]
    owner = ring.owner.upper()
    cert_owner = entry.owner.upper()
    cert_owner = cert_owner[3:-1] if cert_owner.startswith("ID(") else cert_owner
    job = _job(None, conn)
    svc_words = f"TCPIPSERVICE {svc}" if svc else "the TCPIPSERVICE"
    names = ", ".join(repr(e.label) for e in ring.personal())
    text = (f"{job} (user {conn.user or owner}) on {conn.system or 'its system'} failed with RC 7: System SSL "
            f"had no certificate to offer. RACDCERT LISTRING shows {ring.key} holds the PERSONAL "
            f"certificate{'s' if len(ring.personal()) > 1 else ''} {names}, but none is marked DEFAULT. "
            f"A {svc_words} whose CERTIFICATE attribute is blank uses the ring's default "
            "certificate, so it has none. Assumed: the CERTIFICATE attribute of "
            f"{svc_words} is blank (its CSD definition is not in the session; CEMT INQUIRE "
            f"TCPIPSERVICE({svc or 'name'}) or DFHCSDUP LIST shows it); and {entry.label!r} has its "
            "private key (its RACDCERT LIST is not in the session).")
    score = Score(0.55).support(STRONG, "RC 7 and no DEFAULT PERSONAL certificate on the ring")
    score.support(MEDIUM, "the ring is the region's KEYRING")
    connect = fx.RacdcertConnect(cert_owner, entry.label, ring.name, owner, "PERSONAL", default=True).command(
        purpose=f"Connect {entry.label!r} again, now as the default of {ring.key} (CONNECT of a "
                "certificate already on the ring changes its USAGE and DEFAULT).")
    from tlsworkbench.diagnose.common import raclist_refresh

    steps = [f"Or, instead of a default, name the certificate on the service: ALTER TCPIPSERVICE("
             f"{svc or 'name'}) GROUP(group) with CERTIFICATE naming {entry.label!r}, then CEDA INSTALL "
             "it while it is closed (CEMT SET TCPIPSERVICE CLOSED, then OPEN), and CEMT PERFORM SSL "
             "REBUILD."]
    return finding("certificate-not-on-ring", "error", text, rcs=conn.rcs,
                   evidence=[r.id for r in recs if r.fields.get("rc")] + [ring.record, entry.record],
                   connections=[conn.id], commands=[connect, raclist_refresh(ctx, ["DIGTRING"])],
                   verify=[fx.RacdcertListring(owner, ring.name).command()], score=score,
                   next_steps=steps)
