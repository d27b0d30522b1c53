"""Read back the commands the tool writes: RACF TSO commands (with continuation),
AT-TLS policy edits and operator commands, as small structures the simulator applies.

A RACF command becomes ``(verb, positional words, operands)``: operands map a keyword
to ``True`` (bare), a string (quoted values unquoted, doubled quotes undone) or a
nested operand list. Anything that does not read back cleanly raises ``ParseError``:
the simulator reports it, it never guesses.
"""

from __future__ import annotations

import re


class ParseError(ValueError):
    pass


def unwrap(text: str) -> str:
    """Undo TSO continuation: a line ending in `` -`` continues with blanks kept, one
    ending in ``-`` right after text continues exactly."""
    out = ""
    for ln in text.split("\n"):
        out += ln[:-1] if ln.endswith("-") else ln
    return out


def _tokens(s: str) -> list:
    """Words, quoted strings and parenthesised groups of one level, recursively."""
    out: list = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "'":
            j, buf = i + 1, ""
            while True:
                if j >= n:
                    raise ParseError("unclosed quote")
                if s[j] == "'":
                    if s[j + 1:j + 2] == "'":
                        buf += "'"
                        j += 2
                        continue
                    break
                buf += s[j]
                j += 1
            out.append(("q", buf))
            i = j + 1
            continue
        if ch == ")":
            raise ParseError("unbalanced )")
        j = i
        while j < n and not s[j].isspace() and s[j] not in "()'":
            j += 1
        word = s[i:j]
        if j < n and s[j] == "(":
            depth, k, inq = 1, j + 1, False
            while k < n and depth:
                c = s[k]
                if c == "'":
                    inq = not inq
                elif not inq and c == "(":
                    depth += 1
                elif not inq and c == ")":
                    depth -= 1
                k += 1
            if depth:
                raise ParseError("unbalanced (")
            out.append(("k", word.upper(), _tokens(s[j + 1:k - 1])))
            i = k
        else:
            if not word:
                raise ParseError(f"unexpected {ch!r}")
            out.append(("w", word))
            i = j
    return out


def operands(tokens: list) -> dict:
    """``KEY(...)`` -> nested dict / value; a bare word -> True; a lone quoted string or
    word inside parentheses -> that string (under the key ``""``)."""
    out: dict = {}
    for t in tokens:
        if t[0] == "k":
            inner = t[2]
            if len(inner) == 1 and inner[0][0] in ("q", "w"):
                out[t[1]] = inner[0][1]
            elif not inner:
                out[t[1]] = ""
            else:
                out[t[1]] = operands(inner)
        elif t[0] == "w":
            out[t[1].upper()] = True
        else:
            out[""] = t[1]
    return out


def racf(text: str) -> tuple[str, list[str], dict]:
    toks = _tokens(unwrap(text))
    if not toks or toks[0][0] != "w":
        raise ParseError("no command verb")
    verb = toks[0][1].upper()
    pos = {"RDEFINE": 2, "PERMIT": 1, "RALTER": 2, "RLIST": 2}.get(verb, 0)
    words = [t[1] for t in toks[1:1 + pos] if t[0] == "w"]
    if len(words) != pos:
        raise ParseError(f"{verb}: expected {pos} positional operands")
    return verb, words, operands(toks[1 + pos:])


_STMT = re.compile(r"^\s*(TTLS\w+)\s*(\S+)?\s*$")
_PARAM = re.compile(r"^\s*(\w[\w.]*)\s+(.+?)\s*$")


def policy(text: str) -> tuple[str, str, str, str]:
    """(statement kind, statement name, parameter, new value) of a PolicyEdit's text:
    the outermost named statement, and the one parameter line inside."""
    kind = name = param = value = None
    for ln in text.split("\n"):
        if ln.lstrip().startswith("#") or ln.strip() in ("{", "}", ""):
            continue
        m = _STMT.match(ln)
        if m:
            if kind is None:
                kind, name = m.group(1), m.group(2)
            continue
        m = _PARAM.match(ln)
        if m and param is None:
            param, value = m.group(1), m.group(2)
    if not (kind and name and param and value):
        raise ParseError("not a policy statement with one parameter")
    return kind, name, param, value


def policy_all(text: str) -> tuple[str, str, dict]:
    """(statement kind, statement name, {parameter: value}) of a PolicyEdit's text: the
    outermost named statement and every parameter line inside (a parameter coded on
    several lines, as V3CipherSuites, gets its values joined by one blank, in order)."""
    kind, name, _, _ = policy(text)
    params: dict = {}
    for ln in text.split("\n"):
        if ln.lstrip().startswith("#") or ln.strip() in ("{", "}", "") or _STMT.match(ln):
            continue
        m = _PARAM.match(ln)
        if m is None:
            raise ParseError(f"a line that is not 'parameter value': {ln.strip()[:60]!r}")
        p, v = m.group(1), m.group(2)
        params[p] = f"{params[p]} {v}" if p in params else v
    return kind, name, params
