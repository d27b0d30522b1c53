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
