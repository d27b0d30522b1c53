"""Interfaces declared rather than guessed: the readers satisfy the registry's
``Reader`` protocol, and the Textual installed still has the private names the
workbench uses (all of them in tui/textual_private.py)."""

from __future__ import annotations

import inspect
from pathlib import Path

import textual
from textual.app import App
from textual.widget import Widget
from textual.widgets import Tree

from tlsworkbench.ingest import registry
from tlsworkbench.tui import textual_private

SRC = Path(__file__).resolve().parent.parent / "src" / "tlsworkbench"


def test_every_reader_has_the_reader_interface():
    assert registry.problems() == []
    for mod in registry.READERS:
        assert isinstance(mod, registry.Reader), mod.__name__
        assert inspect.signature(mod.sniff).parameters.keys() >= {"head", "name"}
    assert registry.BINARY_KINDS == {"certificate"}


def test_the_private_names_used_exist_in_this_textual():
    classes = {"App": App, "Widget": Widget, "Tree": Tree}
    app = App()
    for cls_name, names in textual_private.USED.items():
        cls = classes[cls_name]
        for name in names:
            has = hasattr(cls, name) or (cls is App and hasattr(app, name)) or \
                name in inspect.getsource(cls.__init__)
            assert has, f"Textual {textual.__version__}: {cls_name}.{name} is gone"


def test_no_private_textual_use_outside_its_module():
    """``_driver``, ``_size_updated``, ``_scroll_update``, ``_invalidate``, ``_clipboard``
    and the like appear only in tui/textual_private.py."""
    names = {n for ns in textual_private.USED.values() for n in ns} | {"_clipboard",
                                                                        "_notifications"}
    bad = []
    for path in (SRC / "tui").rglob("*.py"):
        if path.name == "textual_private.py":
            continue
        text = path.read_text(encoding="utf-8")
        bad += [f"{path.name}: {n}" for n in names if f".{n}" in text or f"def {n}(" in text]
    assert not bad, bad


def test_the_workbench_does_not_guess_interfaces():
    """No ``except ImportError`` fallbacks in the engine, the CLI and the workbench."""
    for path in [SRC / "engine.py", SRC / "cli.py", *(SRC / "tui").rglob("*.py")]:
        assert "except ImportError" not in path.read_text(encoding="utf-8"), path.name
