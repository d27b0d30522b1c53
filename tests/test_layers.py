"""The import graph follows the layers of the architecture (ARCHITECTURE.md):
data flows from raw artifacts to the session model to the views, and nothing
imports a layer above its own.

    cli (cli, __main__, commands)
     └─ tui
         └─ report ─ redact ─ engine
                               └─ ingest | diagnose | sessionfile | jsonout   (peers: none imports another)
                                   └─ tls, x509, reference
                                       └─ model (and errors, paths, atomicfile)

Every ``import`` and ``from ... import`` of a tlsworkbench module counts,
wherever it is in a file (inside functions too). The few upward imports that
live in other engineers' files are listed in ``KNOWN`` with their owner, so
that the lead can remove each once it is fixed: an entry that no longer
matches an import fails the test too.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "tlsworkbench"

LAYERS = [
    {"model", "errors", "paths", "atomicfile", "outputs", "sessionlimits", "clock", "words", "__init__"},
    {"tls", "x509", "reference"},
    {"ingest", "diagnose", "sessionfile", "jsonout"},
    {"engine"},
    {"redact"},
    {"report"},
    {"tui"},
    {"cli", "__main__", "commands"},
]
RANK = {part: i for i, layer in enumerate(LAYERS) for part in layer}
PEERS = {"ingest", "diagnose", "sessionfile", "jsonout"}
"""Parts of one layer that must not import each other."""
SAME_LAYER_OK = {("commands", "cli"), ("__main__", "cli"), ("cli", "commands")}
"""The command line's parts are one layer."""

KNOWN: dict[tuple[str, str], str] = {
}
"""(importer, imported) -> who owns the fix. Upward or sideways imports that are
still there; each must be removed (and its entry with it)."""


def _module(path: Path, src: Path | None = None) -> str:
    parts = list(path.relative_to((src or SRC).parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    return _imports(SRC)


@functools.lru_cache(maxsize=4)
def _imports(src: Path) -> dict[str, set[str]]:
    """Module -> the tlsworkbench modules it imports (``from pkg import mod``
    resolved to the submodule)."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in src.rglob("*.py"):
        mod = _module(path, src)
        pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out[mod].update(a.name for a in node.names if a.name.startswith("tlsworkbench"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg.split(".")[:len(pkg.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if not target.startswith("tlsworkbench"):
                    continue
                folder = src.parent.joinpath(*target.split("."))
                subs = [a.name for a in node.names
                        if (folder / f"{a.name}.py").is_file() or (folder / a.name).is_dir()]
                out[mod].update(f"{target}.{s}" for s in subs)
                if len(subs) < len(node.names):
                    out[mod].add(target)
    return out


def part(mod: str) -> str:
    bits = mod.split(".")
    return bits[1] if len(bits) > 1 else "__init__"


def violations() -> dict[tuple[str, str], str]:
    found = {}
    for mod, targets in imports().items():
        a = part(mod)
        for t in targets:
            b = part(t)
            if a == b or (a, b) in SAME_LAYER_OK:
                continue
            assert a in RANK and b in RANK, f"{mod} or {t}: a package not placed in LAYERS"
            if RANK[b] > RANK[a]:
                found[(mod, t)] = f"{a} imports {b}, a layer above it"
            elif RANK[a] == RANK[b] and a in PEERS:
                found[(mod, t)] = f"{a} imports {b}, a peer of its layer"
    return found


def test_every_package_has_a_layer():
    parts = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").is_file())}
    assert parts - set(RANK) == set(), "place new packages in LAYERS"


def test_no_import_goes_up_a_layer():
    bad = {k: v for k, v in violations().items() if k not in KNOWN}
    assert not bad, "\n".join(f"{a} -> {b}: {why}" for (a, b), why in sorted(bad.items()))


def test_known_exceptions_are_still_real():
    """An entry of KNOWN whose import is gone must go too (the lead merges fixes)."""
    gone = set(KNOWN) - set(violations())
    assert not gone, f"remove from KNOWN: {sorted(gone)}"


def test_no_cycle_between_layers():
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, targets in imports().items():
        for t in targets:
            if part(mod) != part(t) and (mod, t) not in KNOWN:
                graph[part(mod)].add(part(t))
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(nxt):] + [node, nxt])
                            if nxt in path else f"import cycle through {node} -> {nxt}")
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_nothing_below_the_workbench_imports_textual():
    bad = []
    for path in SRC.rglob("*.py"):
        if part(_module(path)) in ("tui",):
            continue
        text = path.read_text(encoding="utf-8")
        if "import textual" in text or "from textual" in text:
            bad.append(_module(path))
    assert not bad


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The test would fail on a new upward import (model importing the workbench)."""
    fake = tmp_path / "tlsworkbench"
    (fake / "model").mkdir(parents=True)
    (fake / "tui").mkdir()
    for f in ("__init__.py", "model/__init__.py", "tui/__init__.py", "tui/app.py"):
        (fake / f).write_text("")
    (fake / "model" / "bad.py").write_text("def f():\n    from tlsworkbench.tui import app\n")
    monkeypatch.setattr(__import__(__name__), "SRC", fake)
    assert violations() == {("tlsworkbench.model.bad", "tlsworkbench.tui.app"):
                            "model imports tui, a layer above it"}
