"""Every reader listed in ingest/registry.py that imports: sniff, read and
read_bytes never raise, whatever the input (property tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tlsworkbench.ingest import registry
from tlsworkbench.ingest.decode import iter_lines, sniff_layout
from tlsworkbench.model import Artifact

DATA = Path(__file__).parent / "data"
READERS = sorted(registry.readers().items())
IDS = [kind for kind, _ in READERS]

# Lines that look like the real thing, cut and mixed, reach deeper than random text.
SAMPLES = []
for sub in ("console", "syslogd", "racdcert", "policy", "gsktrace"):
    folder = DATA / sub
    if folder.is_dir():
        for f in sorted(folder.iterdir())[:6]:
            if f.is_file() and f.stat().st_size < 200_000:
                SAMPLES.extend(f.read_bytes().decode("latin-1").splitlines()[:80])
SAMPLES = SAMPLES or ["EZD1287I TTLS Error RC:  202 Environment Master Init"]

realistic_line = st.one_of(
    st.sampled_from(SAMPLES),
    st.sampled_from(SAMPLES).flatmap(lambda s: st.integers(0, max(0, len(s))).map(lambda i: s[:i])),
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(list(" .:()<>-~/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\x00\x1b")),
            max_size=120),
)
lines_strategy = st.lists(realistic_line, max_size=40)

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _art() -> Artifact:
    return Artifact(id="a1", path="fuzz.txt")


def test_registry_has_readers():
    assert "console" in registry.readers() and "syslogd" in registry.readers()


@pytest.mark.parametrize("kind, mod", READERS, ids=IDS)
@SETTINGS
@given(lines=lines_strategy)
def test_sniff_and_read_never_raise_on_lines(kind, mod, lines):
    score = mod.sniff(lines, "fuzz.txt")
    assert isinstance(score, int) and 0 <= score <= 100
    if getattr(mod, "BINARY", False):
        return
    art = _art()
    items = list(mod.read(list(enumerate(lines, 1)), art))
    for item in items:
        assert getattr(item, "artifact", "a1") == "a1"


@pytest.mark.parametrize("kind, mod", READERS, ids=IDS)
@SETTINGS
@given(data=st.binary(max_size=4000))
def test_readers_never_raise_on_bytes(kind, mod, data):
    art = _art()
    if getattr(mod, "BINARY", False):
        if hasattr(mod, "sniff_bytes"):
            assert 0 <= int(mod.sniff_bytes(data, "fuzz.bin")) <= 100
        list(mod.read_bytes(data, art))
        return
    import io
    from array import array

    lay = sniff_layout(data)
    lines = list(iter_lines(io.BytesIO(data), lay, array("Q")))
    mod.sniff([t for _, t in lines[:200]], "fuzz.txt")
    list(mod.read(lines, art))


@pytest.mark.parametrize("kind, mod", READERS, ids=IDS)
def test_readers_take_huge_and_empty_lines(kind, mod):
    lines = [(1, ""), (2, "EZD1287I " + "x" * 70_000), (3, "\x00" * 100), (4, "")]
    assert 0 <= int(mod.sniff([t for _, t in lines], "x")) <= 100
    if getattr(mod, "BINARY", False):
        list(mod.read_bytes(b"\x30\x82" + b"\xff" * 100, _art()))
    else:
        list(mod.read(lines, _art()))
