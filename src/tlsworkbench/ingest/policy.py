"""Reader for Policy Agent AT-TLS configuration files (and the main / image files).

A statement is ``Keyword name`` and a body in braces (``{`` on the same line or
the next); parameters are ``Name value...`` lines; ``#`` and ``;`` start
comments; keywords are case-insensitive (``kind`` and known parameter names get
their canonical spelling, see policy_terms.py). Statements nested inline get a
generated name ``<parent>/<Kind>`` (``#2``, ``#3`` for more of the same kind)
and the parent gets a ``<Kind>Ref`` parameter naming it. List parameters
(``V3CipherSuites`` ...) are always lists and may continue on lines holding
only values. One-line statements of a main or image file (``TcpImage``,
``TTLSConfig`` ...) become statements too.

Each statement yields a ``"policy"`` Record (header line to closing brace) and
a ``PolicyStatement`` whose ``lines`` maps each parameter to the record id of
the line that sets it. Unbalanced braces and junk become ``Unparsed`` records
with the reason; the rest of the file is still read.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import PolicyStatement, Record, Unparsed

from .policy_terms import (MULTI, VALUE_LIKE, add_param, canon_one_line, canon_param,
                           canon_statement, is_param)

KIND = "policy"

_TOKEN = re.compile(r'"[^"]*"?|[{}]|[^\s{}"]+')
_COMMENT = re.compile(r'(?:^|(?<=\s))[#;].*$')
_IDENT = re.compile(r"^[A-Za-z][\w.@~-]*$")


def sniff(head: list[str], name: str) -> int:
    known = braces = one = 0
    for line in head:
        s = strip_comment(line).strip()
        if not s:
            continue
        first = s.split()[0].rstrip("{")
        if s.startswith("{") or s.endswith("{"):
            braces += 1
        if ":" in first:
            continue
        if canon_statement(first):
            known += 1
        elif canon_one_line(first):
            one += 1
    if known and braces:
        return 85
    if known:
        return 55
    return 50 if one >= 2 else (30 if one else 0)


def strip_comment(line: str) -> str:
    """Drop a ``#`` or ``;`` comment (at the start or after a blank)."""
    if "#" not in line and ";" not in line:
        return line
    out, quoted = [], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch in "#;" and not quoted and (i == 0 or line[i - 1].isspace()):
            break
        out.append(ch)
    return "".join(out)


def tokenize(line: str) -> list[str]:
    return [t.strip('"') if t.startswith('"') else t for t in _TOKEN.findall(strip_comment(line))]


class _Frame:
    __slots__ = ("kind", "name", "params", "lines", "start", "end", "texts", "parent",
                 "children", "last_param", "rid")

    def __init__(self, kind, name, start, parent, rid):
        self.kind, self.name, self.start, self.parent, self.rid = kind, name, start, parent, rid
        self.params: dict = {}
        self.lines: dict = {}
        self.end = start
        self.texts: list[str] = []
        self.children: dict[str, int] = {}
        self.last_param: str | None = None


class _Parser:
    def __init__(self, art):
        self.art = art
        self.stack: list[_Frame] = []
        self.pending: tuple[str, str | None, int, str] | None = None  # kind, name, line, text
        self.emitted: set[int] = set()
        self.out: list = []

    def rid(self, num: int) -> str:
        return f"{self.art.id}:{num}"

    # -- per line ----------------------------------------------------------
    def line(self, num: int, raw: str) -> None:
        tokens = tokenize(raw)
        if not tokens:
            for f in self.stack:
                f.texts.append(raw)
            return
        header_here = False
        for f in self.stack:
            f.texts.append(raw)
            f.end = num
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if t == "{":
                self.open_brace(num, raw)
                i += 1
                continue
            if t == "}":
                self.close_brace(num, raw)
                i += 1
                continue
            j = i
            while j < len(tokens) and tokens[j] not in ("{", "}"):
                j += 1
            nxt = tokens[j] if j < len(tokens) else None
            header_here |= self.words(num, raw, tokens[i:j], nxt)
            i = j
        if not header_here:
            self.art.records += 1

    def open_brace(self, num: int, raw: str) -> None:
        if self.pending is None:
            self.out.append(Unparsed(self.art.id, num, raw, "'{' with no statement before it"))
            return
        kind, name, start, text = self.pending
        self.pending = None
        parent = self.stack[-1] if self.stack else None
        if parent is not None and name is None:
            n = parent.children.get(kind, 0) + 1
            parent.children[kind] = n
            name = f"{parent.name}/{kind}" + (f"#{n}" if n > 1 else "")
            add_param(parent.params, parent.lines, f"{kind}Ref", [name], self.rid(start))
        elif name is None:
            name = f"{kind}@{start}"
        frame = _Frame(kind, name, start, parent, self.rid(start))
        frame.texts.append(text)
        if start != num:
            frame.texts.append(raw)
        frame.end = num
        self.stack.append(frame)

    def close_brace(self, num: int, raw: str) -> None:
        if self.pending is not None:
            self.unclosed_pending()
        if not self.stack:
            self.out.append(Unparsed(self.art.id, num, raw, "'}' with no open statement"))
            return
        self.emit(self.stack.pop())

    def unclosed_pending(self) -> None:
        kind, name, start, text = self.pending
        self.pending = None
        self.out.append(Unparsed(self.art.id, start, text,
                                 f"{kind} {name or ''} is not followed by '{{'".replace("  ", " ")))

    def words(self, num: int, raw: str, words: list[str], nxt: str | None) -> bool:
        """Handle a run of words; True when they start a statement."""
        if self.pending is not None:
            self.unclosed_pending()
        first = words[0]
        kind = canon_statement(first)
        depth = len(self.stack)
        if kind == "TTLSRule" and depth:
            self.recover(num, raw)
            depth = 0
        if kind is None and nxt == "{" and _IDENT.match(first) and len(words) <= 2 and (
                depth == 0 or not is_param(first)):
            kind = first  # an unknown statement type: kept as written
        if kind is None and depth == 0 and len(words) == 2 and not canon_one_line(first) \
                and _IDENT.match(first) and _IDENT.match(words[1]) and nxt is None:
            kind = first  # header of an unknown statement, '{' expected next
        if kind is not None and (len(words) <= 2 or nxt == "{"):
            name = words[1] if len(words) > 1 else None
            if depth and name and any(f.kind == kind for f in self.stack):
                self.recover(num, raw)
            self.pending = (kind, name, num, raw)
            return True
        if depth == 0:
            one = canon_one_line(first)
            if one:
                self.one_line(num, raw, one, words[1:])
                return True
            self.out.append(Unparsed(self.art.id, num, raw, "not an AT-TLS policy statement"))
            return False
        self.param(num, raw, words)
        return False

    def param(self, num: int, raw: str, words: list[str]) -> None:
        frame = self.stack[-1]
        name = canon_param(words[0])
        last = frame.last_param
        if last in MULTI and not is_param(words[0]) and all(VALUE_LIKE.match(w) for w in words):
            add_param(frame.params, frame.lines, last, words, self.rid(num))
            return
        if len(words) == 1:
            self.out.append(Unparsed(self.art.id, num, raw, f"parameter {words[0]} has no value"))
            return
        if len(words) >= 4 and len(words) % 2 == 0 and all(is_param(w) for w in words[0::2]):
            for k, v in zip(words[0::2], words[1::2]):
                add_param(frame.params, frame.lines, canon_param(k), [v], self.rid(num))
            frame.last_param = canon_param(words[-2])
            return
        add_param(frame.params, frame.lines, name, words[1:], self.rid(num))
        frame.last_param = name

    def one_line(self, num: int, raw: str, kind: str, args: list[str]) -> None:
        rid = self.rid(num)
        if kind == "TcpImage":
            name = args[0] if args else kind
            params = {"Image": name, "Path": args[1] if len(args) > 1 else "",
                      "Options": " ".join(args[2:])}
        elif kind.endswith("Config"):
            name = args[0] if args else kind
            params = {"Path": name, "Options": " ".join(args[1:])}
        else:
            name, params = kind, {"Value": " ".join(args)}
        self.out.append(Record(self.art.id, num, "policy", raw, system=self.art.system,
                               fields={"statement": kind, "name": name}))
        self.emitted.add(num)
        self.out.append(PolicyStatement(kind=kind, name=name, params=params, record=rid,
                                        system=self.art.system, lines={k: rid for k in params}))

    def recover(self, num: int, raw: str) -> None:
        """A statement that cannot nest: close what is open (a '}' is missing)."""
        while self.stack:
            f = self.stack.pop()
            self.out.append(Unparsed(self.art.id, f.start, f.texts[0] if f.texts else "",
                                     f"{f.kind} {f.name} is not closed before line {num} (missing '}}')"))
            if f.texts and f.texts[-1] is raw:
                f.texts.pop()
                f.end = max(f.start, num - 1)
            self.emit(f)

    def emit(self, f: _Frame) -> None:
        if f.start not in self.emitted:
            self.emitted.add(f.start)
            self.out.append(Record(self.art.id, f.start, "policy", "\n".join(f.texts),
                                   end_line=f.end if f.end != f.start else 0,
                                   system=self.art.system,
                                   fields={"statement": f.kind, "name": f.name}))
        self.out.append(PolicyStatement(kind=f.kind, name=f.name, params=f.params, record=f.rid,
                                        system=self.art.system, lines=f.lines))

    def finish(self, last: int) -> None:
        if self.pending is not None:
            self.unclosed_pending()
        while self.stack:
            f = self.stack.pop()
            self.out.append(Unparsed(self.art.id, f.start, f.texts[0] if f.texts else "",
                                     f"{f.kind} {f.name} is not closed by '}}' before the end "
                                     f"of the file (line {last})"))
            self.emit(f)


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    """Read a policy file; see the module docstring. Never raises on bad input."""
    p = _Parser(art)
    last = 0
    for num, raw in lines:
        last = num
        try:
            p.line(num, raw)
        except Exception as exc:  # one bad line must not stop the file
            p.out.append(Unparsed(art.id, num, raw, f"could not read this line ({type(exc).__name__})"))
        if p.out:
            yield from p.out
            p.out.clear()
    try:
        p.finish(last)
    except Exception as exc:
        p.out.append(Unparsed(art.id, last, "", f"could not finish the file ({type(exc).__name__})"))
    yield from p.out
