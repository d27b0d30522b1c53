"""Entities the readers build besides plain records: key rings, certificates,
AT-TLS policy statements, jobs and their owners.

Each entity keeps ``record``, the id of the record it was read from, so that the
index can relate it to lines and the UI can show where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class RingEntry:
    """One certificate connected to a key ring (a row of RACDCERT LISTRING)."""

    label: str
    owner: str
    """``"CERTAUTH"``, ``"SITE"`` or the user id from ``ID(user)``."""
    usage: str
    """``"PERSONAL"``, ``"CERTAUTH"`` or ``"SITE"``."""
    default: bool
    record: str


@dataclass(slots=True)
class KeyRing:
    """A RACF key ring as RACDCERT LISTRING shows it."""

    owner: str
    name: str
    entries: list[RingEntry]
    record: str
    system: str | None = None

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.name}"

    def personal(self) -> list[RingEntry]:
        return [e for e in self.entries if e.usage == "PERSONAL"]

    def default_entry(self) -> RingEntry | None:
        return next((e for e in self.entries if e.default), None)


@dataclass(slots=True)
class CertInfo:
    """What is known of one certificate, from RACDCERT LIST output, a certificate
    file or a trace dump. Fields not shown by the source are None."""

    record: str
    source: str
    """Where it came from: ``"racdcert"``, ``"file"``, ``"trace"``."""
    owner: str | None = None
    """RACF owner: ``"CERTAUTH"``, ``"SITE"`` or a user id."""
    label: str | None = None
    subject: str | None = None
    """RFC 4514 form."""
    issuer: str | None = None
    serial: str | None = None
    """Lowercase hex without separators or leading zeros (``"74"``)."""
    not_before: datetime | None = None
    """UTC, timezone-aware."""
    not_after: datetime | None = None
    status: str | None = None
    """RACF status: TRUST, NOTRUST, HIGHTRUST."""
    key_type: str | None = None
    key_size: int | None = None
    signature_algorithm: str | None = None
    key_usage: list[str] = field(default_factory=list)
    san: list[str] = field(default_factory=list)
    """Typed entries: ``"DNS:host"``, ``"IP:1.2.3.4"``, ``"email:x"``, ``"URI:x"``,
    ``"domain:.example.com"`` (RACF's Domain AltName)."""
    private_key: bool | None = None
    is_ca: bool | None = None
    sha256: str | None = None
    sha1: str | None = None
    rings: list[str] = field(default_factory=list)
    """Ring associations as ``"owner/ring"``."""
    der: bytes | None = None
    """DER bytes when the certificate itself was read (never a private key)."""
    system: str | None = None
    # Added by x509/facts.py (optional; None/empty when the source does not say):
    eku: list[str] = field(default_factory=list)
    """Extended key usage names (``"serverAuth"``, ``"clientAuth"`` or a dotted OID)."""
    aki: str | None = None
    """Authority key identifier, lowercase hex."""
    ski: str | None = None
    """Subject key identifier, lowercase hex."""
    path_len: int | None = None
    """basicConstraints pathLenConstraint."""
    basic_constraints: bool | None = None
    """True when the basicConstraints extension is present (None: not known)."""


@dataclass(slots=True)
class PolicyStatement:
    """One AT-TLS policy statement (TTLSRule, TTLSEnvironmentAction, ...), from a
    Policy Agent configuration file or from ``pasearch -t``.

    ``params`` maps the parameter name as written (case kept) to its value; a
    parameter given more than once keeps a list. Inline nested statements are
    read as their own statements and referenced by generated names.
    """

    kind: str
    """Statement type in its canonical spelling, e.g. ``"TTLSRule"``."""
    name: str
    params: dict
    record: str
    system: str | None = None
    lines: dict = field(default_factory=dict)
    """Parameter name -> record id of the line that sets it (for precise fixes)."""

    def get(self, key: str, default=None):
        """Case-insensitive parameter lookup."""
        lk = key.lower()
        for k, v in self.params.items():
            if k.lower() == lk:
                return v
        return default


@dataclass(slots=True)
class JobInfo:
    """A job and the user it runs under (SDSF DA, a STARTED profile, a job log)."""

    jobname: str
    owner: str | None
    record: str
    system: str | None = None
    jobid: str | None = None
    step: str | None = None


@dataclass(slots=True)
class StartedProfile:
    """A STARTED class profile: which user a started task runs under."""

    profile: str
    """e.g. ``"FTPT1.*"`` or ``"MYFTP*.*"``."""
    user: str
    record: str
    group: str | None = None
    system: str | None = None


@dataclass(slots=True)
class AppConfig:
    """The TLS settings of one application that calls System SSL itself: an
    FTP.DATA, a TN3270 profile's secure port, CICS SIT parameters or a
    TCPIPSERVICE, an MQ queue manager's SSLKEYR, a Zowe/z/OSMF keyring setting.
    The ring it names resolves exactly like an AT-TLS policy's ``Keyring``."""

    family: str
    """A value of ``model.connection.FAMILIES`` (never ``"attls"``)."""
    record: str
    system: str | None = None
    job: str | None = None
    """The job (started task, region, queue manager, subsystem) it configures."""
    role: str | None = None
    """``"server"`` or ``"client"`` when the configuration says."""
    keyring: str | None = None
    """The ring as written (``"RING"``, ``"OWNER/RING"``, ``"safkeyring://OWNER/RING"``)."""
    port: int | None = None
    """The secure port it listens on or connects to, when given."""
    settings: dict = field(default_factory=dict)
    """Every setting read, upper-case keyword -> value as written."""
    lines: dict = field(default_factory=dict)
    """Setting keyword -> record id of the line that sets it (for precise fixes)."""
