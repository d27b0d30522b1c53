"""Connection: one TLS attempt as seen from one system, joined from every record
that names it; and Finding: what the diagnosis rules conclude."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


def _id_key(rid: str):
    aid, _, n = rid.rpartition(":")
    return (len(aid), aid, int(n) if n.isdigit() else 0)


FAMILIES = ("attls", "ftp", "tn3270", "cics", "mq", "db2", "zowe", "hwth")
"""Application families: AT-TLS, and the programs that call System SSL themselves
(native FTP and TN3270, CICS, MQ, Db2 DDF, z/OSMF/Zowe/Liberty, the Client Web
Enablement Toolkit). Records of a native family carry ``fields["family"]``."""


@dataclass(slots=True)
class Endpoint:
    ip: str
    """Normalised: IPv4-mapped IPv6 (``::FFFF:a.b.c.d``) becomes ``a.b.c.d``."""
    port: int | None = None

    def __str__(self) -> str:
        if self.port is None:
            return self.ip
        return f"[{self.ip}]:{self.port}" if ":" in self.ip else f"{self.ip}:{self.port}"


@dataclass(slots=True, weakref_slot=True)
class Connection:
    id: str
    """``"c1"``, ``"c2"`` ... in order of first appearance."""
    system: str | None = None
    stack: str | None = None
    """TCP/IP stack job name (syslogd tag), e.g. ``"TCPIPT"``."""
    job: str | None = None
    """Application job name (JOBNAME: in EZD1286I/EZD1287I)."""
    user: str | None = None
    """USERID: of the AT-TLS messages: the user the environment runs under."""
    local: Endpoint | None = None
    remote: Endpoint | None = None
    rule: str | None = None
    grpid: str | None = None
    envid: str | None = None
    connid: str | None = None
    role: str | None = None
    """``"client"`` or ``"server"`` when known (policy HandshakeRole, port numbers)."""
    rcs: list[int] = field(default_factory=list)
    """Non-zero return codes, in order of appearance, without repeats."""
    events: list[str] = field(default_factory=list)
    """Event names that failed (``"Initial Handshake"``, ``"Environment Master Init"``)."""
    records: list[str] = field(default_factory=list)
    """Ids of every record that belongs to it."""
    peer: str | None = None
    """Id of the connection on the partner system (local and remote swapped)."""
    keyring: str | None = None
    """Key ring the environment uses, ``"owner/ring"``, when the evidence says."""
    first_time: datetime | None = None
    last_time: datetime | None = None
    handshakes: list[str] = field(default_factory=list)
    """Ids of decoded trace handshakes joined to it."""
    lines: object = None
    """Routine AT-TLS lines of a healthy connection that are not records (big
    syslogd files, ingest/attls_fast.py): an ``array('I')`` of line numbers of
    artifact ``lines_art`` (``lines_more``: artifact id -> array, for lines in
    other artifacts). Their ids are not in ``records``; ``Session.record(id)``
    reads such a line on demand and the index lists them with the connection.
    None when ``records`` lists every line (always so for a failing connection)."""
    lines_art: str | None = None
    lines_more: dict | None = None
    family: str = "attls"
    """Which program called System SSL (see ``FAMILIES``): ``"attls"`` for AT-TLS
    connections, else the application that calls System SSL itself."""
    assumed_keyring: str | None = None
    """``"owner/ring"`` the diagnosis assumed when the evidence did not name the ring
    (diagnose/infer.py); shown marked as assumed, never used as ``keyring``."""

    def line_ids(self) -> list[str]:
        """Ids of every line of the connection: ``records`` and ``lines``, in order."""
        if not self.lines and not self.lines_more:
            return list(self.records)
        out = list(self.records)
        if self.lines:
            aid = self.lines_art
            out.extend(f"{aid}:{n}" for n in self.lines)
        for aid, nums in (self.lines_more or {}).items():
            out.extend(f"{aid}:{n}" for n in nums)
        return sorted(out, key=_id_key)

    @property
    def failed(self) -> bool:
        return bool(self.rcs)


@dataclass
class Command:
    """A fix or verification command, built as data and rendered as text."""

    text: str
    """Rendered text, continued with ``-`` / ``+`` where it passes column 71."""
    kind: str = "racf"
    """``"racf"``, ``"operator"``, ``"policy"``, ``"shell"``, ``"jcl"``."""
    purpose: str = ""
    disruptive: bool = False


@dataclass
class Finding:
    id: str
    """``"f1"``, ``"f2"`` ... stable within one diagnosis of one session."""
    cause: str
    """Stable cause id (``"keyring-not-found"`` ...), see diagnose/causes.py."""
    severity: str
    """``"error"``, ``"warning"`` or ``"info"``."""
    title: str
    explanation: str
    rcs: list[int] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    """Record ids that support it."""
    connections: list[str] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    """Fix commands in the order to run them."""
    verify: list[Command] = field(default_factory=list)
    """Commands to check the fix worked."""
    confidence: float = 0.5
    next_steps: list[str] = field(default_factory=list)
    """What to collect next when the evidence does not settle the cause."""
    explained_by: str | None = None
    """Id of the finding that explains this one (a partner's RC 406 explained by the
    other side's RC 202), or None."""
    proof: str = ""
    """What the fix does to a model of the RACF and AT-TLS state the evidence shows
    (diagnose/simulate): which commands applied, the state after them and whether
    the finding clears; empty when no model was run."""
    assumptions: list[str] = field(default_factory=list)
    """What the diagnosis assumed because the evidence did not say (e.g. the key ring
    taken from the job user's only ring); each lowers the confidence."""


def failing(connections, findings) -> list[Connection]:
    """The failing connections: those with a System SSL code, and those an ERROR finding
    explains though no line of theirs carries a code (a client's host name check, an
    R_datalib failure, an FTP client's EZA2897I through AT-TLS)."""
    from .connset import objects, rows_of

    named = {cid for f in findings if f.severity == "error" for cid in f.connections}
    got = [c for c in objects(connections) if c.rcs or c.id in named]
    if rows_of(connections) is None:
        return got
    from .rowquery import in_order  # a row has no code: only a finding can name it

    return in_order(connections, got, named)
