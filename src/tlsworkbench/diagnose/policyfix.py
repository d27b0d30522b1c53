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
    statement: str
    """Statement type, e.g. ``TTLSKeyringParms``."""
    name: str
    param: str
    old: str | None
    new: str
    where: str = ""
    """``MVS3.pagent-ttls.conf line 34`` when the line is known."""
    system: str | None = None
    kind = "policy"

    def tokens(self):
        return [self.render()]

    def render(self):
        was = f"was {self.old}" if self.old not in (None, "") else "not coded before"
        head = f"# {self.where}: {self.param} {was}" if self.where else f"# {self.param} {was}"
        news = self.new if isinstance(self.new, list) else [self.new]
        return "\n".join([head, f"{self.statement} {self.name}", "{"]
                         + [f"  {self.param} {v}" for v in news] + ["}"])

    def describe(self):
        sysname = f" on {self.system}" if self.system else ""
        old = self.old if self.old not in (None, "") else "(not coded)"
        new = " ".join(self.new) if isinstance(self.new, list) else self.new
        return (f"Policy{sysname}: in {self.statement} {self.name} change {self.param} from {old} "
                f"to {new}{' (' + self.where + ')' if self.where else ''}.")


def bump(value: str | None) -> str:
    """The next instance number (EnvironmentUserInstance / GroupUserInstance)."""
    try:
        return str(int(str(value).strip()) + 1)
    except (TypeError, ValueError):
        return "1"


