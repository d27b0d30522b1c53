"""The README says what the program does: theme names, the quick start,
--version, the keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tlsworkbench import __version__
from tlsworkbench.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_themes_named_in_the_readme_exist():
    line = next(ln for ln in README.splitlines() if "themes (`" in ln)
    named = re.findall(r"`([a-z0-9-]+)`", line)
    assert named and all((ROOT / "themes" / f"{n}.toml").is_file() for n in named), named


def test_quick_start_is_a_venv_line_and_two_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1].strip().splitlines()
    assert block[0] == "python3 -m venv .venv && . .venv/bin/activate"
    assert len(block) == 3 and block[1].startswith("python3 -m pip install . &&")


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"tlsworkbench {__version__}"


def test_the_readme_keys_need_no_ctrl():
    keys = README.split("### In the workbench", 1)[1].split("Selecting any line", 1)[0]
    rows = [ln for ln in keys.splitlines() if ln.startswith("| `")]
    assert rows and not any(ln.split("|")[1].strip().startswith("`ctrl") for ln in rows)
