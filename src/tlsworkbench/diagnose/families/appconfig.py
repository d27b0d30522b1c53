"""Which configuration of a program that calls System SSL itself applies to a
connection, and which certificate label it asks for: the native counterpart of
an AT-TLS policy's ``CertificateLabel`` (read by ``evidence.Context.policy``, so
the certificate rules use it exactly as they use a policy's label).

Sources (docs/formats.md, section 12): CICS TS "TCPIPSERVICE attributes for SSL"
(CERTIFICATE names the server certificate's label; without it the default
certificate of the region user's key ring is used); MQ "Setting up a key
repository on z/OS" (MQ uses CERTLABL when set, else ``ibmWebSphereMQ`` followed
by the queue manager name); a channel's own CERTLABL is used for that channel;
zowe.yaml ``zowe.certificate.keystore.alias``, Liberty ``<ssl serverKeyAlias>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tlsworkbench.model import Connection
from tlsworkbench.model.correlate_native import app_config as native_config


@dataclass
class AppLabel:
    """The certificate label a native application's configuration names."""

    label: str | None
    """None: no label named, System SSL uses the ring's default certificate."""
    record: str | None
    words: str
    keyword: str | None = None
    """The setting's keyword in ``AppConfig.settings`` / ``lines``."""
    channel: str | None = None
    """MQ: the channel whose CERTLABL it is (None: the queue manager's)."""


def app_config(ctx, conn: Connection):
    """The family's AppConfig that configures ``conn``: for CICS the TCPIPSERVICE
    its messages name (or whose port it used), else ``correlate_native.app_config``."""
    if not conn.family or conn.family == "attls":
        return None
    if conn.family == "cics":
        cfgs = [c for c in ctx.s.app_configs if c.family == "cics" and (c.settings or {}).get("TCPIPSERVICE")
                and (not conn.system or not c.system or c.system == conn.system)
                and (not conn.job or not c.job or c.job.upper() == conn.job.upper())]
        names = {r.fields.get("tcpipservice") for r in ctx.records_of(conn)} - {None}
        port = conn.local.port if conn.local is not None else None
        hit = [c for c in cfgs if c.settings["TCPIPSERVICE"] in names] or \
              [c for c in cfgs if port and c.port == port]
        if hit:
            return hit[0]
    if conn.family == "zowe":  # several servers share a system: the one whose ring the lines name
        from .zowe import _config

        got = _config(ctx, conn, ctx.records_of(conn))
        if got is not None:
            return got
    return native_config(ctx.s, conn.family, conn.system, conn.job, conn.role)


def app_label(ctx, conn: Connection) -> AppLabel | None:
    """The certificate label the application's own configuration asks for (None:
    no configuration in the session; ``label`` None: the ring's default)."""
    cfg = app_config(ctx, conn)
    if cfg is None:
        return None
    s, lines = cfg.settings or {}, cfg.lines or {}
    recs = ctx.records_of(conn)
    if conn.family == "cics":
        used = next((r for r in recs if r.fields.get("label")), None)  # DFHSO0399: the client side
        if used is not None:
            return AppLabel(used.fields["label"], used.id, f"the local certificate {used.fields['label']!r} "
                            "that DFHSO0399 names")
        svc = s.get("TCPIPSERVICE")
        lab = s.get("CERTIFICATE") or None
        if svc:
            words = (f"TCPIPSERVICE({svc}) CERTIFICATE({lab})" if lab else
                     f"TCPIPSERVICE({svc}) has no CERTIFICATE")
            return AppLabel(lab, lines.get("CERTIFICATE") or lines.get("TCPIPSERVICE"), words, "CERTIFICATE")
        return AppLabel(None, None, "no TCPIPSERVICE definition in the session names one")
    if conn.family == "mq":
        chans = s.get("CHANNELS") or {}
        name = next((r.fields["channel"] for r in recs if r.fields.get("channel") in chans), None)
        chl = chans.get(name) or {} if name else {}
        if chl.get("CERTLABL"):
            return AppLabel(chl["CERTLABL"], lines.get(f"CHANNEL {name}"),
                            f"CERTLABL({chl['CERTLABL']}) of channel {name}", "CERTLABL", channel=name)
        if s.get("CERTLABL"):
            return AppLabel(s["CERTLABL"], lines.get("CERTLABL"), f"the queue manager's CERTLABL({s['CERTLABL']})",
                            "CERTLABL")
        qm = (s.get("QMNAME") or "").strip()
        if qm:  # MQ for z/OS: a blank CERTLABL means ibmWebSphereMQ<qmgr>
            return AppLabel(f"ibmWebSphereMQ{qm.upper()}", cfg.record,
                            "the default label MQ uses when CERTLABL is blank (ibmWebSphereMQ and the queue manager name)",
                            "CERTLABL")
        return None
    if conn.family == "zowe":
        lab = s.get("KEYSTORE_ALIAS") or None
        if lab:
            where = "zowe.certificate.keystore.alias" if "KEYRING_NAME" in s or s.get("JOBNAME") else \
                "server.xml serverKeyAlias"
            return AppLabel(lab, lines.get("KEYSTORE_ALIAS"), f"{where} {lab}", "KEYSTORE_ALIAS")
        return AppLabel(None, lines.get("KEYSTORE"), "the keystore setting has no key alias")
    return None


# -- what the native findings add (diagnose/native.py) ----------------------------------------
_LABEL_CAUSES = frozenset({"certificate-not-on-ring", "private-key-unavailable", "certificate-expired",
                           "certificate-not-yet-valid"})


def label_evidence(ctx, f, conn: Connection) -> None:
    """The configuration line that names the certificate label, cited and said in words
    (the certificate rules used that label as they use a policy's CertificateLabel)."""
    if f.cause not in _LABEL_CAUSES:
        return
    pol = ctx.policy(conn)
    if pol.cert_label_record and pol.cert_label_record not in f.evidence:
        f.evidence.append(pol.cert_label_record)
    if pol.cert_label_words and pol.cert_label_words not in f.explanation:
        f.explanation += (f" The certificate asked for is named by {pol.cert_label_words}." if pol.cert_label
                          else f" No certificate label is configured ({pol.cert_label_words}), so System "
                               "SSL uses the ring's default certificate.")
    ring = ctx.ring(conn.keyring, conn.system) if f.cause == "certificate-not-on-ring" and pol.cert_label else None
    near = [e.label for e in ring.entries if e.label != pol.cert_label
            and e.label.lower() == pol.cert_label.lower()] if ring is not None else []
    if near:
        f.explanation += (f" The ring holds {near[0]!r}, which differs only in case: RACF labels are "
                          "case-sensitive.")


def label_hint(ctx, f, conn: Connection) -> dict:
    """The label the configuration could name instead, when the ring lacks the one it asks for
    and the RACF rule found no certificate of that label to connect: the ring's PERSONAL
    certificate whose label differs only in case, else its default one."""
    pol = ctx.policy(conn)
    if not pol.cert_label or any(c.kind == "racf" for c in f.commands):
        return {}
    ring = ctx.ring(conn.keyring, conn.system)
    if ring is None or any(e.label == pol.cert_label for e in ring.entries):
        return {}
    personal = ring.personal()
    near = next((e for e in personal if e.label.lower() == pol.cert_label.lower()), None) or \
        next((e for e in personal if e.default), None)
    if near is None:
        return {}
    lab, cfg = app_label(ctx, conn), app_config(ctx, conn)
    s = (cfg.settings or {}) if cfg is not None else {}
    return {"label": near.label, "was": pol.cert_label, "channel": lab.channel if lab is not None else None,
            "service": s.get("TCPIPSERVICE"), "group": s.get("GROUP"), "line": pol.cert_label_record}
