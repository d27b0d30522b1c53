"""Operator commands and AT-TLS policy edits as fix objects (re-exported by fixes)."""

from __future__ import annotations

from dataclasses import dataclass

from .fixes import Fix


@dataclass
class Operator(Fix):
    text: str
    why: str = ""
    kind = "operator"

    def tokens(self):
        return [self.text]

    def render(self):
        return self.text

    def describe(self):
        return self.why


def pagent_update(proc: str = "PAGENT") -> Operator:
    return Operator(f"F {proc},UPDATE",
                    "Make Policy Agent install the changed policy (not needed when PAGENT runs with -i).")


@dataclass
class PolicyEdit(Fix):
    """One parameter of one AT-TLS policy statement, shown as the statement should read.

    Inline nested statements (``TTLSCipherParms`` written inside an environment
    action) are read as statements of their own with generated names
    ``<parent>/<Kind>``; such a name is not valid in a policy file, so the edit is
    rendered nested inside its parent (``parent_kind`` names the parent's type;
    without it the usual parent of the nested kind is assumed).

    ``installed_only``: the statement is known only from ``pasearch`` (what Policy
    Agent installed), not from the file; the comment then says the change goes
    into the policy file that the TTLSConfig statement names (``policy_file``
    when known).
    """

    statement: str
    """Statement type, e.g. ``TTLSKeyringParms``."""
    name: str
    param: str
    old: str | None
    new: str
    where: str = ""
    """``MVS3.pagent-ttls.conf line 34`` when the line is known."""
    system: str | None = None
    parent_kind: str | None = None
    installed_only: bool = False
    policy_file: str | None = None
    kind = "policy"

    def tokens(self):
        return [self.render()]

    def _chain(self) -> list[tuple[str, str | None]]:
        """(kind, name or None for an inline block) from the outermost statement in."""
        parts = self.name.split("/")
        # a key ring value such as FTPD/Server_RING never reaches here: names only
        if len(parts) == 1 or not all(p.startswith("TTLS") for p in parts[1:]):
            return [(self.statement, self.name)]
        kinds = parts[1:]
        top = self.parent_kind or _usual_parent(kinds[0])
        return [(top, parts[0])] + [(k, None) for k in kinds]

    def statement_text(self) -> str:
        """How the statement should read after the change (nested when inline)."""
        news = self.new if isinstance(self.new, list) else [self.new]
        chain = self._chain()
        lines: list[str] = []
        for depth, (kind, name) in enumerate(chain):
            pad = "  " * depth
            lines.append(f"{pad}{kind} {name}" if name else f"{pad}{kind}")
            lines.append(f"{pad}{{")
        pad = "  " * len(chain)
        lines += [f"{pad}{self.param} {v}" for v in news]
        for depth in range(len(chain) - 1, -1, -1):
            lines.append("  " * depth + "}")
        return "\n".join(lines)

    def render(self):
        was = f"was {self.old}" if self.old not in (None, "") else "not coded before"
        head = _comment(f"{self.where}: {self.param} {was}" if self.where else f"{self.param} {was}")
        if self.installed_only:
            head += _comment("pasearch shows the installed policy: make the change in "
                             + _file_words(self.policy_file) + ".")
        elif len(self._chain()) > 1:
            head += _comment("Keep the other parameters of these statements as they are.")
        return "\n".join(head + [self.statement_text()])

    def describe(self):
        sysname = f" on {self.system}" if self.system else ""
        old = self.old if self.old not in (None, "") else "(not coded)"
        new = " ".join(self.new) if isinstance(self.new, list) else self.new
        chain = self._chain()
        inside = " in ".join(f"{k} {n}" if n else k for k, n in reversed(chain))
        text = (f"Policy{sysname}: in {inside} change {self.param} from {old} "
                f"to {new}{' (' + self.where + ')' if self.where else ''}.")
        if self.installed_only:
            text += (" The statement is known only from pasearch (the installed policy): edit "
                     + _file_words(self.policy_file) + " so it reads as shown.")
        return text


def statement_words(kind: str, name: str | None) -> str:
    """``TTLSKeyringParms keyR1``, or for an inline statement (generated name
    ``<parent>/<Kind>``) ``the TTLSKeyringParms inside eAct1~X``."""
    if name and "/" in name:
        parent, _, inner = name.rpartition("/")
        if inner.startswith("TTLS"):
            return f"the {inner} inside {parent.split('/')[0]}"
    return f"{kind} {name}" if name else kind


def _usual_parent(kind: str) -> str:
    """The statement type a nested parameter statement usually sits in."""
    k = kind.lower()
    if k.startswith("ttlsconnection"):
        return "TTLSConnectionAction"
    return "TTLSEnvironmentAction"


def _comment(text: str) -> list[str]:
    import textwrap

    return ["# " + ln for ln in textwrap.wrap(text, 69, break_long_words=False)]


def _file_words(path: str | None) -> str:
    if path:
        return f"the AT-TLS policy file {path} (named by TTLSConfig)"
    return ("the AT-TLS policy file that the TTLSConfig statement of the Policy Agent "
            "configuration names")


def bump(value: str | None) -> str:
    """The next instance number (EnvironmentUserInstance / GroupUserInstance)."""
    try:
        return str(int(str(value).strip()) + 1)
    except (TypeError, ValueError):
        return "1"


def restart_steps(conn) -> list:
    """Stop and start the application when the policy is not in the session (no instance
    number to raise): the MVS operator commands ``P job`` and ``S proc`` (MVS System
    Commands, STOP and START). The session shows the job name only, so the procedure
    is assumed to have the same name and the purpose says so. The simulator rebuilds the
    job's environment on the S."""
    job = (conn.job or "JOBNAME").upper()
    return [
        Operator(
            f"P {job}",
            f"Operator step (MVS console): stop {job}; every connection of it drops. The AT-TLS "
            "policy is not in the session, so its EnvironmentUserInstance cannot be raised here, and "
            "F PAGENT,UPDATE alone changes nothing when the policy did not change. AT-TLS removes an "
            "environment after 10 to 20 minutes without connections: start the job after that, so "
            "that it gets a new environment that reads the ring anew.").command(disruptive=True),
        Operator(
            f"S {job}",
            f"Operator step (MVS console): start {job} again. Assumed: its procedure is named "
            f"{job} too (the session shows only the job name); if it is started from another "
            f"procedure, S <procedure>,JOBNAME={job}. Needed instead of raising "
            "EnvironmentUserInstance.").command(),
    ]
