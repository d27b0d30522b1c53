"""z/OS Client Web Enablement Toolkit (HTTP enabler): the program names its key
ring with ``HWTH_OPT_SSLKEYTYPE HWTH_SSLKEYTYPE_KEYRINGNAME`` and ``HWTH_OPT_SSLKEY
owner/ring`` on HWTHSET before HWTHCONN, and System SSL runs in the program's
address space under the job's user (z/OS MVS Programming: Callable Services for
High-Level Languages, "Options for connections", HWTH_OPT_SSLKEY).

Refresh: the toolkit builds its System SSL environment at HWTHCONN, so running
the program (the job) again is the refresh.
"""

from __future__ import annotations

from tlsworkbench.model import Command

from . import line_words

FAMILY = "hwth"
NAME = "Web Enablement Toolkit program"
CONFIG = "HWTH_OPT_SSLKEY"
SUCCESS = "HWTHCONN return code 0 (HWTH_OK)"
RING_SOURCE = "the HWTH_OPT_SSLKEY option the program sets (HWTHSET)"


def ring_words(config) -> str:
    if config is None or not config.keyring:
        return "its HWTH_OPT_SSLKEY option"
    return f"its HWTH_OPT_SSLKEY option {config.keyring}{line_words(config, 'HWTH_OPT_SSLKEY')}"


def refresh(config, conn) -> list[Command]:
    job = (getattr(conn, "job", None) or (config.job if config is not None else None) or "the job").upper()
    return [Command(text=f"Submit {job} again", kind="shell",
                    purpose="The toolkit opens the key ring at each HWTHCONN: running the program "
                            "again picks up the change.")]


def _env_open(conn) -> bool:
    """The failure was opening the System SSL environment (no connection was made)."""
    events = [e.lower() for e in (getattr(conn, "events", None) or [])]
    return any(e in ("gsk_environment_open", "gsk_environment_init") for e in events)


def explain_more(cause: str, config, conn) -> str:
    """Sentences for the explanation: the ring owner inferred from the job's user."""
    if cause not in ("keyring-not-found", "keyring-not-authorized") or config is None:
        return ""
    named = config.keyring or ""
    user = (getattr(conn, "user", None) or "").upper()
    if named and "/" not in named and user and (conn.keyring or "").upper().startswith(user + "/"):
        return (f" HWTH_OPT_SSLKEY names only the ring ({named}); a ring named without an owner is "
                f"the job user's, so the owner {user} was inferred from IRR010I (the user the job "
                "runs under).")
    return ""


def config_fix(cause: str, config, conn, hint: dict | None = None) -> list[Command]:
    hint = hint or {}
    out: list[Command] = []
    if cause in ("keyring-not-found", "keyring-not-authorized") and hint.get("keyring"):
        old = config.keyring if config is not None else None
        if old != hint["keyring"]:
            out.append(Command(
                text=f"HWTH_OPT_SSLKEY {hint['keyring']}", kind="config",
                purpose=f"In the program's HWTHSET of HWTH_OPT_SSLKEY{line_words(config, 'HWTH_OPT_SSLKEY')} "
                        f"name the ring that exists instead of {old or '(not set)'} (owner/ring)."))
    elif cause in ("keyring-not-found", "keyring-not-authorized") and _env_open(conn) and conn.keyring \
            and "/" in conn.keyring and getattr(conn, "user", None):
        from .rdatalib import listring_access

        owner = conn.keyring.partition("/")[0].upper()
        user = conn.user.upper()
        cmds = listring_access(None, user, owner)
        cmds[1].purpose = (f"If RACDCERT ID({owner}) LISTRING shows the ring exists: give {user}, the job's "
                           f"user, {'READ (its own ring)' if owner == user else 'UPDATE (another user'+chr(39)+'s ring)'} "
                           "to IRR.DIGTCERT.LISTRING, so System SSL may open it.")
        out += cmds
    elif cause == "protocol-mismatch":
        out.append(Command(text="HWTH_OPT_SSLVERSION HWTH_SSLVERSION_TLSv12", kind="config",
                           purpose="Set a TLS version the server also speaks on HWTHSET."))
    return out
