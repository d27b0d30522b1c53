"""z/OSMF, Zowe, Liberty and other Java (JCERACFKS) or R_datalib users of RACF
key rings: the keystore is ``safkeyring://owner/ring`` in zowe.yaml
(``zowe.certificate.keystore.file`` / ``truststore.file``) or in Liberty's
server.xml ``<keyStore location=...>``; a ring named without an owner belongs to
the server's user. They read the ring with R_datalib (IRRSDL00), whose SAF/RACF
return and reason codes they print (``8/8/44``).

R_datalib codes: their meanings and the finding each gives with the session's
RACDCERT evidence are in diagnose/families/rdatalib.py (8/8/8 not authorized; 8/8/28
and 8/8/84 the ring as named is not there; 8/8/44 no certificate with the status asked
for: an empty ring, a label not on it, no default, a NOTRUST certificate, or no such
ring when the owner's rings are listed without it). The JCERACFKS message "The private
key of <label> is not available or no authority to access the private key" means the
certificate's key cannot be used by this user. The certificate label the server asks
for is its keystore alias (zowe.yaml ``zowe.certificate.keystore.alias``, Liberty
``<ssl serverKeyAlias>``), read by diagnose/families/appconfig.py.

Refresh: the servers read the keystore when they start: stop and start them.
"""

from __future__ import annotations

from tlsworkbench.model import Command, Connection, Finding

from . import line_words

FAMILY = "zowe"
NAME = "z/OSMF / Zowe server"
CONFIG = "keystore setting"
SUCCESS = "no R_datalib error and no ZWED0148E / CWPKI0033E at start"
RING_SOURCE = "zowe.certificate.keystore.file in zowe.yaml (safkeyring://OWNER/RING), or the server's own keystore setting"



def _is_zowe(config) -> bool:
    s = (config.settings or {}) if config is not None else {}
    return bool(s.get("JOBNAME") or s.get("TRUSTSTORE_TYPE") or "KEYRING_NAME" in s)


def _name(config, conn) -> str:
    kind = "Zowe server" if _is_zowe(config) else "z/OSMF (Liberty) server"
    job = getattr(conn, "job", None)
    return f"The {kind}" + (f" {job}" if job else "")


def ring_words(config) -> str:
    if config is None or not config.keyring:
        return "its keystore setting"
    key = "KEYSTORE" if (config.settings or {}).get("KEYSTORE") else "KEYRING_NAME"
    where = "zowe.yaml zowe.certificate.keystore.file" if _is_zowe(config) else "server.xml keyStore location"
    return f"{where} {config.settings.get(key, config.keyring)}{line_words(config, key)}"


def refresh(config, conn) -> list[Command]:
    job = (getattr(conn, "job", None) or (config.job if config is not None else None) or "").upper()
    if _is_zowe(config):
        job = job or "ZWESLSTC"
        return [Command(text=f"P {job}", kind="operator", disruptive=True,
                        purpose=f"Stop Zowe ({job}): its servers read the keystore only at start."),
                Command(text=f"S ZWESLSTC,JOBNAME={job}", kind="operator",
                        purpose="Start Zowe again (procedure ZWESLSTC).")]
    assumed = "" if job else (" IZUSVR1 is the IBM-supplied name of the z/OSMF server procedure; assumed: "
                              "the session does not name the server's job, so use yours if it differs.")
    job = job or "IZUSVR1"
    return [Command(text=f"P {job}", kind="operator", disruptive=True,
                    purpose=f"Stop the server {job} (z/OSMF or Liberty): it loads the keystore at start."
                            + assumed),
            Command(text=f"S {job}", kind="operator", purpose=f"Start {job} again.")]


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    hint = hint or {}
    out: list[Command] = []
    if cause == "keyring-not-found" and hint.get("keyring") and config is not None:
        new = f"safkeyring://{hint['keyring']}"
        if _is_zowe(config):
            for key, path in (("KEYSTORE", "zowe.certificate.keystore.file"),
                              ("TRUSTSTORE", "zowe.certificate.truststore.file")):
                if key in (config.settings or {}):
                    out.append(Command(text=f"file: {new}", kind="config",
                                       purpose=f"In zowe.yaml{line_words(config, key)} set {path} to the "
                                               f"ring that exists (now {config.settings[key]})."))
        else:
            out.append(Command(text=f'<keyStore id="defaultKeyStore" location="{new}" type="JCERACFKS" />',
                               kind="config",
                               purpose=f"In server.xml{line_words(config, 'KEYSTORE')} point the keyStore "
                                       "location at the ring that exists."))
    elif cause == "certificate-not-on-ring" and hint.get("label") and config is not None:
        label = hint["label"]
        if _is_zowe(config):
            out.append(Command(text=f"alias: {label}", kind="config",
                               purpose=f"In zowe.yaml{line_words(config, 'KEYSTORE_ALIAS')} set "
                                       f"zowe.certificate.keystore.alias to the certificate on the ring "
                                       f"(now {hint.get('was')})."))
        else:
            out.append(Command(text=f'serverKeyAlias="{label}"', kind="config",
                               purpose=f"In server.xml{line_words(config, 'KEYSTORE_ALIAS')} name the "
                                       f"certificate on the ring in the <ssl> element (now {hint.get('was')})."))
    return out


# -- the family's own explanation: R_datalib codes ----------------------------------------------
def explain(ctx, conn: Connection) -> Finding | None:
    """A finding from the R_datalib codes or the private-key message of the
    connection's lines; None when they say nothing (the System SSL code decides)."""
    from tlsworkbench.diagnose import fixes as fx
    from tlsworkbench.diagnose.causes import Score, finding

    from .rdatalib import no_certificate, not_authorized, ring_name, unusual, RING_NAME, NOT_AUTHORIZED

    recs = ctx.records_of(conn)
    codes = [(r, (r.fields.get("saf_rc"), r.fields.get("racf_rc"), r.fields.get("racf_rsn")))
             for r in recs if "saf_rc" in r.fields]
    pkey = [r for r in recs if r.fields.get("private_key")]
    cfg = _config(ctx, conn, recs)
    ring, owner, user = _ring(ctx, conn, cfg, recs)
    ev = [r.id for r, _ in codes] + [r.id for r in pkey]
    if cfg is not None:
        ev.append(cfg.lines.get("KEYSTORE") or cfg.record)
    # 8/8/48 (output area too short: the caller retries) and 8/8/44 from DataGetNext (the end of
    # the ring) are normal steps of reading a ring, not failures (R_datalib Table 2)
    shown = next(((r, c) for r, c in codes if c != (8, 8, 48)
                  and not (c == (8, 8, 44) and r.fields.get("datalib_function") == "DataGetNext")), None)
    who = {"name": _name(cfg, conn), "ring": ring, "owner": owner, "user": user, "cfg": cfg,
           "words": ring_words(cfg) if cfg is not None else None}
    if shown is not None:
        rec, code = shown
        if code in RING_NAME:
            return ring_name(ctx, conn, code, ev, who)
        if code in NOT_AUTHORIZED:
            return not_authorized(ctx, conn, ev, who)
        if code == (8, 8, 44):
            return no_certificate(ctx, conn, rec, ev, who)
        return unusual(ctx, conn, code, ev, who)
    loaded = next((r for r in recs if getattr(r, "msgid", None) == "CWPKI0033E"), None)
    if loaded is not None and not pkey:
        from .rdatalib import keystore_not_loaded

        got = keystore_not_loaded(ctx, conn, loaded, [loaded.id] + ev[len(codes):], who)
        if got is not None:
            return got
    if pkey:
        label = pkey[0].fields.get("label")
        text = (f"{_name(cfg, conn)} could not use the private key of {label!r} on {ring or 'its ring'}: the "
                "certificate has no private key in RACF, or it belongs to another user or to SITE (with "
                "FACILITY checking a user gets only its own certificates' keys; another user's key needs "
                "UPDATE, a SITE or CERTAUTH key CONTROL, to the ring's RDATALIB profile), or it is a CA "
                "certificate connected as PERSONAL.")
        return finding("private-key-unavailable", "error", text, evidence=ev, connections=[conn.id],
                       score=Score(0.55))
    return None


def _ring(ctx, conn: Connection, cfg, recs):
    """(ring key, ring owner, user) the connection reads; sets the connection's ring, job and
    user from the keystore setting so the panes follow it."""
    from tlsworkbench.model.correlate_native import resolve_ring

    user = conn.user or next((r.fields.get("userid") for r in recs if r.fields.get("userid")), None)
    ring = conn.keyring
    if ring is None and cfg is not None and cfg.keyring:
        ring = resolve_ring(cfg.keyring, user) if "/" in cfg.keyring or user else cfg.keyring
    if ring and "/" not in ring:  # no owner: the server's user; LISTRING may tell who that is
        owners = [r for r in ctx.rings(conn.system) if r.name == ring]
        ring = owners[0].key if len(owners) == 1 else ring
    if ring:
        conn.keyring = ring  # the panes follow the ring the configuration names
    if cfg is not None and conn.job is None and cfg.job:
        conn.job = cfg.job
    owner = ring.partition("/")[0] if ring and "/" in ring else None
    user = user or owner
    if user and conn.user is None:
        conn.user = user
    return ring, owner, user


def _config(ctx, conn: Connection, recs):
    """The keystore setting this connection used: the one whose ring its lines
    name, else whose ring owner is the user in its lines, else the only one."""
    cfgs = [c for c in ctx.s.app_configs if c.family == FAMILY
            and (not conn.system or not c.system or c.system == conn.system)]
    named = {r.fields["ring"].lower() for r in recs if r.fields.get("ring")}
    users = {r.fields["userid"].upper() for r in recs if r.fields.get("userid")}
    for c in cfgs:
        kr = (c.keyring or "").lower()
        if kr and any(kr == n or kr.endswith("/" + n) or n.endswith("/" + kr) for n in named):
            return c
    for c in cfgs:
        if c.keyring and "/" in c.keyring and c.keyring.partition("/")[0].upper() in users:
            return c
    return cfgs[0] if len(cfgs) == 1 else None
