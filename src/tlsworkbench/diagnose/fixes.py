"""Fix commands as data, rendered as valid RACF / operator / policy text.

Each command is a small dataclass holding the real values (owner, label, ring,
user ...); ``render()`` turns it into TSO command text and ``command()`` into the
model's :class:`Command`. Rendering follows the TSO rules the commands run under
(RACF Command Language Reference; TSO/E continuation):

* a label is quoted with single quotes and an embedded quote is doubled:
  ``LABEL('Joe''s cert')``;
* a command longer than 71 columns is broken between operands and each line but
  the last ends with `` -`` (a hyphen keeps the blanks of the next line, which
  RACF ignores between operands); no line passes column 71, so the text fits a
  SYSTSIN record (columns 1-72, sequence numbers in 73-80) even when indented;
* operands are broken only when one is longer than a line (a 64-character CN):
  then the line ends with ``-`` right after the text and the rest starts in
  column 1, so TSO joins the two pieces exactly.

:func:`batch_job` wraps RACF commands in the batch TSO job (``IKJEFT01`` with
``SYSTSPRT`` and ``SYSTSIN``) the way the seed's Error #5 page does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsworkbench.model import Command

MAX_COL = 71
"""No rendered line is longer than this (the continuation hyphen included): column 72
stays free, so a tool that indents SYSTSIN lines by one blank still fits in 72."""


def quote(text: str) -> str:
    """A RACF quoted string: ``'text'`` with embedded quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def wrap(tokens: list[str], width: int = MAX_COL, indent: str = "  ") -> str:
    """Join operands with blanks, continuing with `` -`` so that no line passes
    column ``width`` (a continued line keeps two columns for `` -``)."""
    lines: list[str] = []
    cur = ""
    for i, tok in enumerate(tokens):
        cand = f"{cur} {tok}" if cur else tok
        rest = " ".join([cand] + tokens[i + 1:])
        if len(rest) <= width:  # everything left fits on this last line
            cur = rest
            break
        if cur and len(cand) > width - 2:
            lines.append(cur + " -")
            cur = indent + tok
        else:
            cur = cand
        while len(cur) > width - 2 and len(" ".join([cur] + tokens[i + 1:])) > width:
            # one operand longer than a line (a 64-character CN): split it; the hyphen
            # joins the next line exactly when that line starts in column 1
            lines.append(cur[:width - 1] + "-")
            cur = cur[width - 1:]
    if cur:
        lines.append(cur)
    return "\n".join(lines)


def _who(owner: str | None) -> str:
    """``ID(user)`` / ``CERTAUTH`` / ``SITE`` for a certificate owner."""
    o = (owner or "").strip()
    up = o.upper()
    if up in ("CERTAUTH", "SITE"):
        return up
    if up.startswith("ID(") and up.endswith(")"):
        return up
    return f"ID({up})"


class Fix:
    """Base of every command object."""

    kind = "racf"
    purpose = ""
    disruptive = False

    def tokens(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def render(self) -> str:
        return wrap(self.tokens())

    def command(self, purpose: str | None = None, disruptive: bool | None = None) -> Command:
        return Command(text=self.render(), kind=self.kind,
                       purpose=purpose if purpose is not None else self.describe(),
                       disruptive=self.disruptive if disruptive is None else disruptive)

    def describe(self) -> str:
        return self.purpose


# -- RACDCERT -------------------------------------------------------------------------
@dataclass
class RacdcertAddring(Fix):
    owner: str
    ring: str

    def tokens(self):
        return ["RACDCERT", _who(self.owner), f"ADDRING({self.ring})"]

    def describe(self):
        return f"Create key ring {self.ring} owned by {self.owner.upper()}."


@dataclass
class RacdcertConnect(Fix):
    owner: str
    """Owner of the certificate: a user id, CERTAUTH or SITE."""
    label: str
    ring: str
    ring_owner: str
    usage: str | None = None
    default: bool = False

    def tokens(self):
        who = _who(self.owner)
        toks = ["RACDCERT", _who(self.ring_owner), f"CONNECT({who}", f"LABEL({quote(self.label)})",
                f"RING({self.ring})"]
        if self.usage:
            toks.append(f"USAGE({self.usage.upper()})")
        if self.default:
            toks.append("DEFAULT")
        toks[-1] += ")"
        return toks

    def describe(self):
        d = " as the ring's default" if self.default else ""
        return (f"Connect {self.label!r} ({_who(self.owner)}) to {self.ring_owner.upper()}/{self.ring}"
                f"{' with USAGE(' + self.usage.upper() + ')' if self.usage else ''}{d}.")


@dataclass
class RacdcertRemove(Fix):
    owner: str
    label: str
    ring: str
    ring_owner: str

    def tokens(self):
        return ["RACDCERT", _who(self.ring_owner), f"REMOVE({_who(self.owner)}",
                f"LABEL({quote(self.label)})", f"RING({self.ring}))"]

    def describe(self):
        return f"Disconnect {self.label!r} ({_who(self.owner)}) from {self.ring_owner.upper()}/{self.ring}."


@dataclass
class RacdcertAlterTrust(Fix):
    owner: str
    label: str
    trust: str = "TRUST"

    def tokens(self):
        return ["RACDCERT", _who(self.owner), f"ALTER(LABEL({quote(self.label)}))", self.trust.upper()]

    def describe(self):
        return f"Mark {self.label!r} ({_who(self.owner)}) {self.trust.upper()}."


@dataclass
class RacdcertGenreq(Fix):
    owner: str
    label: str
    dsn: str

    def tokens(self):
        return ["RACDCERT", _who(self.owner), f"GENREQ(LABEL({quote(self.label)}))", f"DSN({quote(self.dsn)})"]

    def describe(self):
        return f"Write a certificate request for {self.label!r} (same key pair) to {self.dsn}."


@dataclass
class RacdcertGencert(Fix):
    owner: str
    label: str
    request_dsn: str | None = None
    subject: dict = field(default_factory=dict)
    """Ordered RDNs for SUBJECTSDN, e.g. ``{"CN": "host", "OU": "x", "C": "US"}``."""
    altname: dict = field(default_factory=dict)
    """``{"DOMAIN": "host.example.com", "IP": "10.1.1.13"}``."""
    signwith_label: str | None = None
    signwith_owner: str = "CERTAUTH"
    notafter: str | None = None
    """``yyyy-mm-dd``."""
    size: int | None = None
    keyusage: str | None = None

    def tokens(self):
        toks = ["RACDCERT", _who(self.owner)]
        toks.append(f"GENCERT({quote(self.request_dsn)})" if self.request_dsn else "GENCERT")
        if self.subject:
            parts = [f"{k.upper()}({quote(v)})" for k, v in self.subject.items()]
            parts[0] = "SUBJECTSDN(" + parts[0]
            parts[-1] += ")"
            toks.extend(parts)
        if self.altname:
            parts = []
            for k, v in self.altname.items():
                k = k.upper()
                parts.append(f"{k}({v})" if k == "IP" else f"{k}({quote(v)})")
            parts[0] = "ALTNAME(" + parts[0]
            parts[-1] += ")"
            toks.extend(parts)
        if self.notafter:
            toks.append(f"NOTAFTER(DATE({self.notafter}))")
        if self.size:
            toks.append(f"SIZE({self.size})")
        if self.keyusage:
            toks.append(f"KEYUSAGE({self.keyusage.upper()})")
        if self.signwith_label:
            toks += [f"SIGNWITH({_who(self.signwith_owner)}", f"LABEL({quote(self.signwith_label)}))"]
        toks.append(f"WITHLABEL({quote(self.label)})")
        return toks

    def describe(self):
        how = f"from the request in {self.request_dsn}" if self.request_dsn else "with a new key pair"
        by = f", signed by {self.signwith_label!r}" if self.signwith_label else ""
        return f"Create certificate {self.label!r} for {self.owner.upper()} {how}{by}."


@dataclass
class RacdcertAdd(Fix):
    dsn: str
    owner: str
    label: str
    trust: str = "TRUST"

    def tokens(self):
        return ["RACDCERT", _who(self.owner), f"ADD({quote(self.dsn)})", self.trust.upper(),
                f"WITHLABEL({quote(self.label)})"]

    def describe(self):
        return f"Add the certificate in {self.dsn} as {self.label!r} ({_who(self.owner)})."


@dataclass
class RacdcertListring(Fix):
    owner: str
    ring: str = "*"

    def tokens(self):
        return ["RACDCERT", _who(self.owner), f"LISTRING({self.ring})"]

    def describe(self):
        return f"Show key ring {self.owner.upper()}/{self.ring}."


@dataclass
class RacdcertList(Fix):
    owner: str
    label: str | None = None

    def tokens(self):
        toks = ["RACDCERT", _who(self.owner)]
        toks.append(f"LIST(LABEL({quote(self.label)}))" if self.label else "LIST")
        return toks

    def describe(self):
        return f"Show certificate {self.label!r} of {_who(self.owner)}." if self.label else \
            f"List the certificates of {_who(self.owner)}."


@dataclass
class RacdcertListchain(Fix):
    owner: str
    label: str

    def tokens(self):
        return ["RACDCERT", _who(self.owner), f"LISTCHAIN(LABEL({quote(self.label)}))"]

    def describe(self):
        return f"Show the certificate chain of {self.label!r}."


# -- profiles ---------------------------------------------------------------------------
@dataclass
class Rdefine(Fix):
    cls: str
    profile: str
    uacc: str = "NONE"
    stdata_user: str | None = None
    from_profile: str | None = None
    """Model profile (``FROM``): the new profile copies its access list and UACC, so a
    discrete profile made below a generic one takes access away from no one."""

    def tokens(self):
        toks = ["RDEFINE", self.cls.upper(), self.profile]
        if self.from_profile:
            toks.append(f"FROM({self.from_profile})")
        else:
            toks.append(f"UACC({self.uacc.upper()})")
        if self.stdata_user:
            toks.append(f"STDATA(USER({self.stdata_user.upper()}))")
        return toks

    def describe(self):
        if self.from_profile:
            return (f"Define {self.profile} in class {self.cls.upper()} as a copy of "
                    f"{self.from_profile} (same access list and UACC).")
        return f"Define {self.profile} in class {self.cls.upper()} (ignore 'already defined')."


@dataclass
class Permit(Fix):
    profile: str
    cls: str
    user: str
    access: str = "READ"

    def tokens(self):
        return ["PERMIT", self.profile, f"CLASS({self.cls.upper()})", f"ID({self.user.upper()})",
                f"ACCESS({self.access.upper()})"]

    def describe(self):
        return f"Give {self.user.upper()} {self.access.upper()} to {self.profile} ({self.cls.upper()})."


@dataclass
class SetroptsRefresh(Fix):
    classes: list[str]

    def tokens(self):
        return ["SETROPTS", f"RACLIST({' '.join(c.upper() for c in self.classes)})", "REFRESH"]

    def describe(self):
        return f"Refresh the in-storage profiles of {', '.join(c.upper() for c in self.classes)}."


@dataclass
class SetroptsClassact(Fix):
    classes: list[str]

    def tokens(self):
        cl = " ".join(c.upper() for c in self.classes)
        return ["SETROPTS", f"CLASSACT({cl})", f"RACLIST({cl})"]

    def describe(self):
        return f"Activate and RACLIST {', '.join(c.upper() for c in self.classes)}."


PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "<", ">"


def is_placeholder(value: str | None) -> bool:
    """A value the evidence did not give (``<label of the issuing CA>``): never run as is."""
    v = (value or "").strip()
    return v.startswith(PLACEHOLDER_OPEN) and v.endswith(PLACEHOLDER_CLOSE)


@dataclass
class RalterStarted(Fix):
    profile: str
    user: str
    group: str | None = None

    disruptive = True

    def tokens(self):
        inner = f"USER({self.user.upper()})" + (f" GROUP({self.group.upper()})" if self.group else "")
        return ["RALTER", "STARTED", self.profile, f"STDATA({inner})"]

    def describe(self):
        return (f"Run started task profile {self.profile} as {self.user.upper()} "
                "(takes effect when the task is restarted).")


@dataclass
class Rlist(Fix):
    cls: str
    profile: str
    extra: str = ""

    def tokens(self):
        return ["RLIST", self.cls.upper(), self.profile] + ([self.extra] if self.extra else [])

    def describe(self):
        return f"Show profile {self.profile} of class {self.cls.upper()}."


from .fixjob import batch_job  # noqa: E402,F401  (re-exported: fixes is the one API)
from .policyfix import Operator, PolicyEdit, bump, pagent_update, statement_words  # noqa: E402,F401


def cmds(*fixes: Fix) -> list[Command]:
    return [f.command() for f in fixes]
