"""Issue 14, item 5: every regular expression the package applies to untrusted
text runs in linear time. Each module-level pattern (also those held in lists,
tuples and dicts) meets 64 KB adversarial lines: long runs of the characters
such patterns repeat, and the words of the pattern itself repeated. A
quadratic pattern takes minutes on these; the budget per pattern is a generous
5 s alarm (an alarm, not a timing assertion: a linear pattern needs a few
milliseconds)."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from timelimit import TooSlow, alarm

import tlsworkbench

SIZE = 64 * 1024
GENERIC = ["a", "1", " ", ".", ":", "=", ",", "1.", "a:", "\\", "x ", "a=", "'", "(", "-",
           "/", "\t", "A1 ", "1..", "a.", "\\,", "¢", "+", "@", "A=1,"]


def _patterns() -> list[tuple[str, re.Pattern, str]]:
    """Module-level patterns: how they are used is not known, so they meet
    ``finditer`` (every start position), the hardest use."""
    out: dict[int, tuple[str, re.Pattern]] = {}
    for info in pkgutil.walk_packages(tlsworkbench.__path__, "tlsworkbench."):
        if info.name.endswith("__main__") or ".tui" in info.name:
            continue
        try:
            mod = importlib.import_module(info.name)
        except Exception:  # an optional part missing here: nothing to test
            continue
        for name, value in vars(mod).items():
            items = [value]
            if isinstance(value, (list, tuple)):
                items = list(value)
            elif isinstance(value, dict):
                items = list(value.values()) + list(value.keys())
            for it in items:
                if isinstance(it, tuple):
                    items.extend(it)
                elif isinstance(it, re.Pattern) and isinstance(it.pattern, str):
                    out.setdefault(id(it), (f"{info.name}.{name}", it, "find"))
    return sorted(out.values(), key=lambda x: x[0])


def _inline_patterns() -> list[tuple[str, re.Pattern, str]]:
    """Patterns written inline (``re.search(r"...", text)``), found in the source;
    those only ever used with ``re.match`` are tried anchored."""
    import ast
    from pathlib import Path

    root = Path(tlsworkbench.__file__).parent
    out = []
    for path in sorted(root.rglob("*.py")):
        if "tui" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in ("compile", "search", "match", "fullmatch", "findall",
                                           "finditer", "sub", "split")
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                try:
                    pat = re.compile(node.args[0].value, re.IGNORECASE | re.MULTILINE)
                except re.error:
                    continue
                rel = path.relative_to(root).as_posix()
                how = "match" if node.func.attr in ("match", "fullmatch") else "find"
                out.append((f"{rel}:{node.lineno}", pat, how))
    return out


_MODULE = _patterns()
_SEEN = {p.pattern for _, p, _ in _MODULE}
PATTERNS = _MODULE + [x for x in _inline_patterns() if x[1].pattern not in _SEEN]


def _lines(pattern: re.Pattern) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z0-9]{1,}", pattern.pattern)[:4]
    units = list(GENERIC)
    for w in dict.fromkeys(words):
        units += [w + " ", w + ":", w + "="]
    return [(u * (SIZE // len(u) + 1))[:SIZE] for u in units]


def test_the_walk_finds_the_known_patterns():
    names = {n for n, _, _ in PATTERNS}
    assert "tlsworkbench.ingest.common.ENDPOINT_RE" in names
    assert "tlsworkbench.x509.dn._SPLIT_RE" in names
    assert len(PATTERNS) > 100


@pytest.mark.parametrize("name,pattern,how", PATTERNS, ids=[n for n, _, _ in PATTERNS])
def test_pattern_is_linear_on_64k_adversarial_lines(name, pattern, how):
    lines = _lines(pattern)
    try:
        with alarm(5.0):
            for text in lines:  # finditer does the work of search, then goes on
                pattern.match(text)
                if how == "find":
                    for _ in pattern.finditer(text):
                        pass
    except TooSlow:
        pytest.fail(f"{name} ({pattern.pattern[:80]!r}) took more than 5 s on a 64 KB line")


def test_endpoint_and_dn_split_still_work():
    from tlsworkbench.ingest.common import parse_endpoint
    from tlsworkbench.x509.dn import racf_rdns

    assert parse_endpoint("LOCAL: 192.168.20.93..21") == ("192.168.20.93", 21)
    assert parse_endpoint("REMOTE: ::FFFF:192.168.20.91..1037") == ("192.168.20.91", 1037)
    assert parse_endpoint("x 2001:db8::5..443") == ("2001:db8::5", 443)
    long_local = "LOCAL: " + "1." * 30000 + "..21"
    assert parse_endpoint(long_local) in (None,) or isinstance(parse_endpoint(long_local), tuple)
    rdns = racf_rdns("CN=FTP Server on MVS1-MVS7.OU=WSC.1.2.840.113549.1.9.1=a@b.C=US")
    assert [k for rdn in rdns for k, _ in rdn] == ["CN", "OU", "EMAIL", "C"] or len(rdns) == 4
