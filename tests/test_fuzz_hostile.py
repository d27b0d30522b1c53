"""Fuzz targets for issue 14: one per reader (the whole loading path: decode,
detect, read, correlate) and one for session files (hand-built manifests of any
JSON shape, and bit flips and cuts of a real session file).

What must hold for every input: loading never raises (a session file that
cannot be used raises ``SessionFileError`` and nothing else), no private-key
block survives into an artifact, and a hex dump never holds more than one TLS
message.

In CI each target runs a fixed number of examples (``TLSWB_FUZZ_EXAMPLES``,
default 25) with no deadline, a few seconds in all. The nightly-style run in
docs/security.md raises the count.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tlsworkbench import engine
from tlsworkbench import sessionfile
from tlsworkbench.ingest import loader
from tlsworkbench.ingest.hexdump import MAX_MESSAGE
from tlsworkbench.model import Session

DATA = Path(__file__).parent / "data"
SAMPLES_BY_KIND = {
    "console": ["console/mvs3_syslog.txt", "console/mvs1_ftp_client.txt"],
    "syslogd": ["syslogd/mvs3_attls_trace255.log", "syslogd/mvs1_rfc5424.log"],
    "racdcert": ["racdcert/seed_list_ftp_server.txt", "racdcert/seed_listring_fixed.txt"],
    "policy": ["policy/mvs3_ftp_server.policy", "policy/pagent.conf"],
    "pasearch": ["policy/pasearch_mvs3_pasearch_t.txt"],
    "sdsf": ["sdsf/seed_da_mvs3.txt", "sdsf/started_profiles.txt"],
    "gsktrace": ["gsktrace/seed_mvs3_excerpts.txt"],
    "certificate": ["certs/ftp_server_bundle.pem", "certs/ec_chain.p7b", "certs/mvs1_ca.der"],
}
EXAMPLES = int(os.environ.get("TLSWB_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

# Pieces an attacker would paste in: markup, escapes, a key block, a huge dump
# offset, endpoint and DN runs, separators of every family.
HOSTILE = [
    b"[@click=app.quit]x[/]", b"[/bogus]", b"\x1b[2J\x1b]0;t\x07",
    b"-----BEGIN PRIVATE KEY-----\nMIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEA\n",
    b"-----END PRIVATE KEY-----\n", b"FFFFFFF0: 01020304 05060708 090A0B0C 0D0E0F10\n",
    b"LOCAL: " + b"1." * 2000 + b"..21\n", b"CN=" + b"a." * 500 + b"\n",
    b"\x00" * 64, b"\xff\xfe", b"\r\n", b"\n" * 50, b"RC: 5003 ", b"\x15\x25",
]


def _seed(kind: str) -> list[bytes]:
    out = []
    for rel in SAMPLES_BY_KIND[kind]:
        p = DATA / rel
        if p.is_file():
            out.append(p.read_bytes()[:20_000])
    return out or [b"x\n"]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "dup"]))
        pos = draw(st.integers(0, max(0, len(data))))
        if op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] ^= draw(st.integers(1, 255))
        elif op == "cut":
            data = data[:pos] + data[pos + draw(st.integers(0, 400)):]
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from(HOSTILE) | st.binary(max_size=40))
        elif op == "dup":
            data[pos:pos] = data[pos:pos + draw(st.integers(0, 300))]
    return bytes(data)


def _check_session(s: Session) -> None:
    for a in s.artifacts:
        if a.data is not None:
            assert b"PRIVATE KEY-----" not in a.data
    for h in getattr(s, "trace_records", []):
        dump = getattr(h, "dump", None)
        if dump is not None:
            assert len(dump.data) <= MAX_MESSAGE


@pytest.mark.parametrize("kind", sorted(SAMPLES_BY_KIND))
def test_fuzz_reader(kind):
    seeds = _seed(kind)

    @FUZZ
    @given(data=mutated(seeds))
    def run(data):
        s = Session()
        loader.read_data(s, f"fuzz.{kind}", data)
        loader.finish(s)
        _check_session(s)

    run()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
ENTRY_KEYS = ["id", "name", "member", "note", "size", "sha256", "missing", "pkcs12"]


@st.composite
def manifests(draw):
    n = draw(st.integers(0, 4))
    members = {f"artifacts/{i}": draw(st.sampled_from(HOSTILE + [b"EZD1287I TTLS Error RC: 5003\n"]))
               for i in range(1, n + 1)}
    entries = []
    for i in range(1, n + 1):
        entry = {"id": f"a{i}", "name": f"f{i}.log", "member": f"artifacts/{i}",
                 "sha256": hashlib.sha256(members[f"artifacts/{i}"]).hexdigest()}
        for key in draw(st.lists(st.sampled_from(ENTRY_KEYS), max_size=3)):
            entry[key] = draw(json_values)
        entries.append(entry)
    doc = {"format": "tlsworkbench-session", "version": 1, "artifacts": entries}
    for key in draw(st.lists(st.sampled_from(["notes", "bookmarks", "selected_finding",
                                               "incident_time", "saved", "version",
                                               "artifacts"]), max_size=2)):
        doc[key] = draw(json_values)
    return doc, members


def _zip(doc, members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(doc))
    return buf.getvalue()


def _load_or_refuse(path: Path) -> None:
    try:
        s = engine.load_session(path)
    except sessionfile.SessionFileError as exc:
        assert "\n" not in str(exc)
        return
    _check_session(s)


def test_fuzz_session_manifests(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")

    @FUZZ
    @given(case=manifests())
    def run(case):
        path = folder / "f.tlswb"
        path.write_bytes(_zip(*case))
        _load_or_refuse(path)

    run()


def test_fuzz_session_bytes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzzb")
    seed = (Path(__file__).parent.parent / "sample_sessions" / "error3-cert-not-on-ring.tlswb")
    seeds = [seed.read_bytes()] if seed.is_file() else [_zip(
        {"format": "tlsworkbench-session", "version": 1, "artifacts": []}, {})]

    @FUZZ
    @given(data=mutated(seeds))
    def run(data):
        path = folder / "b.tlswb"
        path.write_bytes(data)
        _load_or_refuse(path)

    run()
