"""Every bundled sample session diagnoses to the cause its README promises."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_samples", ROOT / "tools" / "build_samples.py")
bs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bs)


@pytest.mark.parametrize("stem", sorted(bs.SAMPLES))
def test_sample_diagnoses_to_expected_cause(stem):
    from tlsworkbench.diagnose import run
    from tlsworkbench.engine import load

    path = ROOT / "sample_sessions" / f"{stem}.tlswb"
    assert path.is_file(), "run python tools/build_samples.py"
    session = load([path])
    found = run(session)
    errors = [f.cause for f in found if f.severity == "error"]
    assert sorted(errors) == sorted(bs.expected_first(stem))


def test_readme_lists_every_sample():
    text = (ROOT / "sample_sessions" / "README.md").read_text()
    for stem, (_, _, causes) in bs.SAMPLES.items():
        assert f"`{stem}.tlswb`" in text and causes in text
    assert (ROOT / "sample_sessions" / "mixed.tlswb").is_file()


def test_build_into_a_temporary_folder(tmp_path):
    written = bs.build(tmp_path)
    assert {p.name for p in written} == {f"{s}.tlswb" for s in bs.SAMPLES}
    assert (tmp_path / "README.md").is_file()
