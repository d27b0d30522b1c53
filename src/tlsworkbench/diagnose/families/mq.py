"""IBM MQ for z/OS: the channel initiator calls System SSL with the ring that the
queue manager's SSLKEYR attribute names; the ring must be owned by the channel
initiator's user ID (ssidCHIN), which needs READ to IRR.DIGTCERT.LIST and
IRR.DIGTCERT.LISTRING; the queue manager's certificate is the one CERTLABL names
(MQ docs, "Additional user ID requirements for TLS on z/OS", "ALTER QMGR").

Refresh: changes to the key ring and to SSLKEYR take effect when the channel
initiator restarts or when ``REFRESH SECURITY TYPE(SSL)`` is issued; that command
stops and restarts every running TLS channel (MQ docs, "When changes to
certificates or the key repository become effective on z/OS", "REFRESH SECURITY").
"""

from __future__ import annotations

from tlsworkbench.model import Command

FAMILY = "mq"
NAME = "MQ channel initiator"
CONFIG = "queue manager SSLKEYR"
SUCCESS = "CSQX500I (channel started) and no CSQX620E"
RING_SOURCE = "DISPLAY QMGR SSLKEYR (message CSQM409I shows the SSLKEYR the channel initiator uses)"


def _qmgr(config, conn) -> str:
    s = (config.settings or {}) if config is not None else {}
    qm = s.get("QMNAME")
    if not qm:
        job = getattr(conn, "job", None) or (config.job if config is not None else None) or ""
        qm = job[:-4] if job.upper().endswith("CHIN") else job
    return (qm or "QMGR").upper()


CPF_PLACEHOLDER = "<cpf>"
CPF_UNKNOWN = ("<cpf> is a placeholder: the queue manager's command prefix is not in the session "
               "(MQ writes it as the first word after the message id, such as +CSQ1 in "
               "CSQX620E +CSQ1 ...); put it in before issuing the command.")

# The queue manager's command prefix: DISPLAY QMGR output, else the CSQ messages of the
# connection (hint "cpf", from ingest/mq.py), else a marked placeholder: never a guess.
REFRESH_USES_MESSAGES = True


def _cpf(config, conn, hint: dict | None = None) -> str:
    s = (config.settings or {}) if config is not None else {}
    return s.get("CPF") or (hint or {}).get("cpf") or CPF_PLACEHOLDER


def _unknown(text: str) -> str:
    return f" {CPF_UNKNOWN}" if text.startswith(CPF_PLACEHOLDER) else ""


def ring_words(config) -> str:
    if config is None or not config.keyring:
        return "the queue manager's SSLKEYR attribute"
    return f"the queue manager's SSLKEYR({config.keyring}) (DISPLAY QMGR SSLKEYR)"


def refresh(config, conn, hint: dict | None = None) -> list[Command]:
    text = f"{_cpf(config, conn, hint)} REFRESH SECURITY TYPE(SSL)"
    return [Command(
        text=text, kind="operator", disruptive=True,
        purpose=f"Make the channel initiator of {_qmgr(config, conn)} read SSLKEYR and the key ring "
                "again (running TLS channels are stopped and restarted)." + _unknown(text))]


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    hint = hint or {}
    out: list[Command] = []
    if cause in ("keyring-not-found", "keyring-not-authorized") and hint.get("keyring"):
        owner, _, ring = hint["keyring"].partition("/")
        old = config.keyring if config is not None else None
        if ring and old != ring:
            chin = (getattr(conn, "user", None) or f"{_qmgr(config, conn)}CHIN").upper()
            note = "" if owner.upper() == chin else (
                f" The ring belongs to {owner.upper()}: MQ expects the channel initiator's user {chin} "
                "to own it.")
            text = f"{_cpf(config, conn, hint)} ALTER QMGR SSLKEYR({ring})"
            out.append(Command(
                text=text, kind="operator",
                purpose=f"Name the ring that exists in SSLKEYR (now {old or 'blank'}).{note}{_unknown(text)}"))
    elif cause == "certificate-not-on-ring" and hint.get("label"):
        label, chl = hint["label"], hint.get("channel")
        if chl:
            kind = (((config.settings or {}).get("CHANNELS") or {}).get(chl) or {}).get("CHLTYPE") \
                if config is not None else None
            text = f"{_cpf(config, conn, hint)} ALTER CHANNEL({chl})" + (f" CHLTYPE({kind})" if kind else "") + \
                f" CERTLABL({label})"
            where = f"channel {chl}"
        else:
            text, where = f"{_cpf(config, conn, hint)} ALTER QMGR CERTLABL({label})", "the queue manager"
        out.append(Command(text=text, kind="operator",
                           purpose=f"Make {where} ask for the certificate that is on the ring "
                                   f"(now {hint.get('was') or 'the default label'})." + _unknown(text)))
    return out
