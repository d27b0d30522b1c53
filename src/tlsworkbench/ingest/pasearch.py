"""Reader for ``pasearch -t`` output (the AT-TLS policy Policy Agent has installed).

The exact IBM layout was not retrievable (see docs/formats.md section 6), so the
reader is tolerant: ``Name: value`` pairs (two on one line when separated by
two or more blanks), nesting by indentation, ``policyRule:`` and
``policyAction:`` blocks, sub-blocks such as ``TTLSKeyringParms:``, and bare
excerpts with no block at all (``HandshakeRole: Server`` / ``TTLSKeyringParms:``
/ ``Keyring: FTPD/Server_RING``).

It yields the same ``PolicyStatement`` objects as the policy file reader
(policy.py): canonical kinds and parameter names, ``TTLS...ActionRef`` from the
rule's ``policyAction`` / ``ActionType`` lines, conditions as ``LocalAddr``,
``LocalPortRange``, ``Jobname``, ``Userid``, ``Direction``; sub-blocks become
statements named ``<action>/<Kind>`` with a ``<Kind>Ref`` in the action. The
header's TCP/IP image name is kept in every record's ``job`` and
``fields["image"]``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterable, Iterator

from tlsworkbench.model import PolicyStatement, Record, Unparsed

from .policy_terms import MULTI, OWNER, add_param, canon_param, canon_statement

KIND = "pasearch"

_PAIR = re.compile(r"(?:^|(?<=\s\s)|(?<=\t))([A-Za-z](?:[A-Za-z0-9.'/()_-]| (?=\S))*?):(?=\s|$)")
_ACTION_TYPES = {"group": "TTLSGroupAction", "environment": "TTLSEnvironmentAction",
                 "connection": "TTLSConnectionAction"}
_ACTION_LEVEL = {"HandshakeRole", "EnvironmentUserInstance", "ConnectionUserInstance",
                 "GroupUserInstance", "Trace", "TTLSEnabled", "CtraceClearText", "SuiteBProfile"}
_COND = {"jobname": "Jobname", "userid": "Userid", "servicedirection": "Direction",
         "direction": "Direction"}
_BULLET = re.compile(r"^\s*[\u2022\u00b7]\s?")


def sniff(head: list[str], name: str) -> int:
    text = "\n".join(head[:200])
    if re.search(r"pasearch", text, re.I) and re.search(r"Image Name\s*:", text, re.I):
        return 95
    if re.search(r"^\s*policy(Rule|Action)\s*:", text, re.I | re.M):
        return 90
    if re.search(r"^\s*(HandshakeRole|Keyring|TTLSKeyringParms)\s*:", text, re.I | re.M):
        return 60
    return 0


def split_pairs(text: str) -> list[tuple[str, str]]:
    """``"Version: 3     Status: Active"`` -> ``[("Version", "3"), ("Status", "Active")]``."""
    marks = list(_PAIR.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append((m.group(1).strip(), text[m.end():end].strip()))
    return out


class _Stmt:
    def __init__(self, kind, name, line, indent, rid, parent=None):
        self.kind, self.name, self.line, self.indent, self.rid = kind, name, line, indent, rid
        self.parent = parent
        self.params: dict = {}
        self.lines: dict = {}
        self.texts: list[str] = []
        self.end = line
        self.children: list[_Stmt] = []
        self.sub_indent: int | None = None
        self.addr_side: str | None = None
        self.pending_action: str | None = None
        self.ports: dict = {}
        self.last_param: str | None = None


class _Reader:
    def __init__(self, art):
        self.art = art
        self.image: str | None = None
        self.time: datetime | None = None
        self.block: _Stmt | None = None
        self.sub: _Stmt | None = None
        self.out: list = []

    def rid(self, num):
        return f"{self.art.id}:{num}"

    def line(self, num: int, raw: str) -> None:
        text = _BULLET.sub("", raw.expandtabs())
        if not text.strip():
            return
        indent = len(text) - len(text.lstrip())
        pairs = split_pairs(text.strip())
        if self.header(num, raw, text, pairs):
            return
        if pairs and pairs[0][0].lower() in ("policyrule", "policyaction"):
            key, value = pairs[0]
            if key.lower() == "policyaction" and self.block is not None and \
                    self.block.kind == "TTLSRule" and indent > self.block.indent:
                self.block.pending_action = value
                self.block.texts.append(raw)
                self.block.end = num
                add_param(self.block.params, self.block.lines, "PolicyActionRef", [value], self.rid(num))
                return
            self.close()
            kind = "TTLSRule" if key.lower() == "policyrule" else None
            self.block = _Stmt(kind, value or f"pasearch@{num}", num, indent, self.rid(num))
            self.block.texts.append(raw)
            return
        if not pairs:
            self.values(num, raw, text.strip())
            return
        if self.block is None:
            # an excerpt with no block around it
            self.block = _Stmt(None, f"pasearch@{num}", num, -1, self.rid(num))
        self.block.texts.append(raw)
        self.block.end = num
        for key, value in pairs:
            self.pair(num, indent, key, value)

    def header(self, num, raw, text, pairs) -> bool:
        low = text.lower()
        if "pasearch" in low and "image name" in low:
            m = re.search(r"Image Name\s*:\s*(\S+)", text, re.I)
            self.image = m.group(1) if m else None
            self._record(num, raw, "pasearch-header")
            return True
        keys = {k.lower(): v for k, v in pairs}
        if self.block is None and ("date" in keys and "time" in keys):
            try:
                self.time = datetime.strptime(f"{keys['date']} {keys['time']}", "%m/%d/%Y %H:%M:%S")
            except ValueError:
                pass
            self._record(num, raw, "pasearch-header")
            return True
        if self.block is None and ("ttls instance id" in keys or "image name" in keys):
            if "image name" in keys:
                self.image = keys["image name"] or self.image
            self.art.records += 1
            return True
        return False

    def _record(self, num, raw, kind):
        fields = {"image": self.image}
        self.out.append(Record(self.art.id, num, kind, raw, system=self.art.system, job=self.image,
                               time=self.time, fields=fields))

    def pair(self, num: int, indent: int, key: str, value: str) -> None:
        b = self.block
        nk = key.replace(" ", "").replace("'", "")
        low = nk.lower()
        rid = self.rid(num)
        if low in ("scope", "actiontype") and b.kind != "TTLSRule":
            kind = _ACTION_TYPES.get(value.split()[-1].lower()) if value else None
            b.kind = b.kind or kind
            return
        if low == "actiontype" and b.kind == "TTLSRule":
            kind = _ACTION_TYPES.get(value.split()[-1].lower()) if value else None
            if kind and b.pending_action:
                add_param(b.params, b.lines, f"{kind}Ref", [b.pending_action], rid)
            b.pending_action = None
            return
        stmt = canon_statement(nk)
        if stmt and not value:
            if stmt in _ACTION_TYPES.values():
                b.kind = b.kind or stmt
                self.sub = None
                return
            self.open_sub(num, indent, stmt)
            return
        if b.kind == "TTLSRule" and self.rule_condition(b, low, key, value, rid):
            return
        target = self.target(indent, canon_param(nk))
        if not value:
            target.last_param = canon_param(nk) if canon_param(nk) in MULTI else None
            return
        name = canon_param(nk)
        add_param(target.params, target.lines, name, value.split() if name in MULTI else [value], rid)
        target.last_param = name if name in MULTI else None

    def target(self, indent: int, name: str) -> _Stmt:
        sub = self.sub
        if sub is None:
            return self.block
        if indent > sub.indent:
            return sub
        if indent < sub.indent or name in _ACTION_LEVEL or name.endswith("Ref") or (
                name in OWNER and OWNER[name] != sub.kind):
            self.sub = None
            return self.block
        return sub

    def open_sub(self, num: int, indent: int, kind: str) -> None:
        b = self.block
        n = sum(1 for c in b.children if c.kind == kind) + 1
        name = f"{b.name}/{kind}" + (f"#{n}" if n > 1 else "")
        sub = _Stmt(kind, name, num, indent, self.rid(num), parent=b)
        b.children.append(sub)
        add_param(b.params, b.lines, f"{kind}Ref", [name], self.rid(num))
        self.sub = sub

    def rule_condition(self, b: _Stmt, low: str, key: str, value: str, rid: str) -> bool:
        if low in ("localaddress", "remoteaddress"):
            b.addr_side = "Local" if low.startswith("local") else "Remote"
            return True
        if low in ("fromaddr", "toaddr") and b.addr_side:
            b.ports.setdefault(b.addr_side + "Addr", []).append(value)
            b.lines.setdefault(b.addr_side + "Addr", rid)
            return True
        m = re.match(r"(local|remote)port(from|to)$", low)
        if m:
            b.ports.setdefault(m.group(1).capitalize() + "PortRange", []).append(value)
            b.lines.setdefault(m.group(1).capitalize() + "PortRange", rid)
            return True
        if low in _COND:
            if value:
                add_param(b.params, b.lines, _COND[low], [value], rid)
            return True
        return False

    def values(self, num: int, raw: str, text: str) -> None:
        """A line with no ``Name:`` pair: values of a list parameter, or junk."""
        b = self.block
        target = self.sub or b
        if b is not None and target.last_param:
            words = text.split()
            value = next((w for w in words if w.upper().startswith(("TLS_", "SSL_"))), words[0])
            add_param(target.params, target.lines, target.last_param, [value], self.rid(num))
            b.texts.append(raw)
            b.end = num
            return
        if b is not None and re.match(r"^[-=*]+$", text):
            return
        self.out.append(Unparsed(self.art.id, num, raw, "not a line of pasearch output"))

    def close(self) -> None:
        b, self.block, self.sub = self.block, None, None
        if b is None:
            return
        for side in ("Local", "Remote"):
            for what in ("Addr", "PortRange"):
                vals = b.ports.get(side + what)
                if vals and not (what == "PortRange" and all(v in ("0", "") for v in vals)):
                    lo, hi = vals[0], vals[-1]
                    b.params[side + what] = lo if lo == hi else f"{lo}-{hi}"
        if b.kind is None:
            b.kind = "TTLSEnvironmentAction"  # a bare excerpt: HandshakeRole, key ring ...
        fields = {"statement": b.kind, "name": b.name, "image": self.image}
        self.out.append(Record(self.art.id, b.line, "policy", "\n".join(b.texts),
                               end_line=b.end if b.end != b.line else 0, system=self.art.system,
                               job=self.image, time=self.time, fields=fields))
        for s in [b] + b.children:
            self.out.append(PolicyStatement(kind=s.kind, name=s.name, params=s.params, record=b.rid,
                                            system=self.art.system, lines=s.lines))


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    """Read pasearch output; see the module docstring. Never raises on bad input."""
    r = _Reader(art)
    for num, raw in lines:
        try:
            r.line(num, raw)
        except Exception as exc:
            r.out.append(Unparsed(art.id, num, raw, f"could not read this line ({type(exc).__name__})"))
        if r.out:
            yield from r.out
            r.out.clear()
    try:
        r.close()
    except Exception as exc:
        r.out.append(Unparsed(art.id, 0, "", f"could not finish the last block ({type(exc).__name__})"))
    yield from r.out
