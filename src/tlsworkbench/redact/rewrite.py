"""Rewrite text: every sensitive value replaced by its stand-in.

Replacement works on tokens: a value is replaced only where it is not part of a
longer word (the characters ``A-Z a-z 0-9 # $ @`` continue a word); addresses
have their own edges (``at192.168.20.9n`` holds an address). All values go into
one pattern, longest first, and matching ignores case: an occurrence in upper
or lower case gets the stand-in in that case. Where a value is followed by a
run of blanks (a column of a table), the run absorbs the change of length so
the columns stay where they were.

Short serials (``>74<``) are replaced only where a serial is named; see
``SERIAL_CONTEXT``.
"""

from __future__ import annotations

import re

from .collect import IP_END, SHORT_SERIAL, Sensitive
from .pseudonyms import Pseudonymizer

WORD = "A-Za-z0-9_#$@"
SERIAL_CONTEXT = re.compile(
    r"(?P<pre>(?:>|Serial Number:?\s*>?|SERIAL[=:(]\s*|serial[=: ]\s*|Serial:\s*))"
    r"(?P<val>[0-9A-Fa-f:]{1,80})(?=[<)\s,]|$)")


class Rewriter:
    """One export's replacement rules over text."""

    def __init__(self, sens: Sensitive, pz: Pseudonymizer):
        self.sens = sens
        self.pz = pz
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        self.category: dict[str, str] = {}
        ips, words = [], []
        self.short_serials: dict[str, str] = {}
        for value, cat in sens.values.items():
            if cat == "serial" and len(value) < SHORT_SERIAL:
                self.short_serials[value.lower()] = pz.get(cat, value)
                continue
            stand_in = pz.get(cat, value)
            self.exact[value] = stand_in
            self.folded.setdefault(value.casefold(), stand_in)
            self.category[value.casefold()] = cat
            (ips if cat in ("ipv4", "ipv6") else words).append(value)
        ips.sort(key=len, reverse=True)
        words.sort(key=len, reverse=True)
        alts = []
        if ips:
            alts.append(r"(?<![\d.])(?:" + alternation(ips) + r")" + IP_END)
        if words:
            alts.append(f"(?<![{WORD}])(?:" + alternation(words) + f")(?![{WORD}])")
        self.pattern = re.compile("(?P<v>" + "|".join(alts) + ")(?P<sp>  +)?", re.IGNORECASE) if alts else None

    # -- lookups ------------------------------------------------------------------------
    def stand_in(self, found: str) -> str:
        s = self.exact.get(found)
        if s is not None:
            return s
        s = self.folded.get(found.casefold())
        if s is None:
            s = self.folded.get(_squash(found).casefold(), found)
        if found.isupper() and not s.isupper() and any(c.isalpha() for c in s):
            return s.upper()
        if found.islower() and not s.islower() and any(c.isalpha() for c in s):
            return s.lower()
        return s

    def mapping(self) -> list[dict]:
        """Original -> stand-in, for the map file."""
        out = [{"original": v, "stand_in": self.exact[v], "category": c}
               for v, c in self.sens.values.items() if v in self.exact]
        out += [{"original": v, "stand_in": s, "category": "serial"} for v, s in self.short_serials.items()]
        return sorted(out, key=lambda d: (d["category"], d["original"].casefold()))

    # -- text -----------------------------------------------------------------------------
    def line(self, text: str) -> str:
        if not text:
            return text
        if self.pattern is not None:
            text = self.pattern.sub(self._sub, text)
        if self.short_serials and (">" in text or "erial" in text or "ERIAL" in text):
            text = SERIAL_CONTEXT.sub(self._serial, text)
        return text

    def _sub(self, m: re.Match) -> str:
        found = m.group("v")
        new = self.stand_in(found)
        sp = m.group("sp") or ""
        if sp and len(new) != len(found):
            width = len(found) + len(sp)
            sp = " " * max(2, width - len(new))
        return new + sp

    def _serial(self, m: re.Match) -> str:
        val = m.group("val")
        key = val.replace(":", "").lower().lstrip("0") or "0"
        new = self.short_serials.get(key) or self.short_serials.get(val.replace(":", "").lower())
        if new is None:
            return m.group(0)
        if val.isupper() or (val.upper() == val and any(c.isalpha() for c in val)):
            new = new.upper()
        zeros = len(val) - len(val.lstrip("0"))
        return m.group("pre") + "0" * zeros + new if ":" not in val else m.group("pre") + new

    def lines(self, texts):
        return [self.line(t) for t in texts]


_BLANKS = object()


def alternation(values) -> str:
    """One pattern matching any of ``values`` (ignoring case; blanks inside a
    value match any run of blanks), built as a trie so that a big export with
    thousands of values is still one quick pass; the longest value wins."""
    root: dict = {}
    long = []
    for v in values:
        if len(v) > 200:  # kept out of the trie (its depth follows the length)
            long.append(r"[ \t]+".join(re.escape(p) for p in re.split(r"[ \t]+", v.lower())))
            continue
        node = root
        parts = re.split(r"[ \t]+", v.lower())
        for i, part in enumerate(parts):
            if i:
                node = node.setdefault(_BLANKS, {})
            for ch in part:
                node = node.setdefault(ch, {})
        node[""] = {}
    parts = sorted(long, key=len, reverse=True) + ([_trie(root)] if root else [])
    return "|".join(parts) if parts else "(?!)"


def _trie(node: dict) -> str:
    alts = []
    end = "" in node
    for k, child in node.items():
        if k == "":
            continue
        head = r"[ \t]+" if k is _BLANKS else re.escape(k)
        alts.append(head + _trie(child))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if end:
        return ("(?:" + body + ")?") if len(alts) == 1 else body + "?"
    return body


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
