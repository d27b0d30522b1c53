"""The .tlswb session file: round trip, and damaged files refused, never overwritten."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from tlsworkbench import engine
from tlsworkbench import sessionfile
from tlsworkbench.ingest import loader
from tlsworkbench.sessionfile import SessionFileError

DATA = Path(__file__).parent / "data"
ERROR3 = DATA / "correlate" / "error3"
P12 = DATA / "certs" / "ftp_server.p12"


@pytest.fixture()
def saved(tmp_path):
    s = loader.load([ERROR3])
    s.notes["a2:5"] = "client side: RC 438 from the partner"
    s.bookmarks = ["a3:4", "a4:8"]
    s.selected_finding = "f1"
    s.incident_time = datetime(2014, 3, 12, 13, 59, 2)
    path = tmp_path / "case.tlswb"
    sessionfile.save(s, path)
    return s, path


def test_round_trip_keeps_artifacts_and_user_state(saved):
    s, path = saved
    back = engine.load_session(path)
    assert [(a.path, a.sha256, a.size, a.kind) for a in back.artifacts] == \
        [(a.path, a.sha256, a.size, a.kind) for a in s.artifacts]
    for a, b in zip(s.artifacts, back.artifacts):
        assert b.data == Path(a.path).read_bytes()
        assert b.line_count == a.line_count and b.line(b.line_count) == a.line(a.line_count)
    assert back.notes == {"a2:5": "client side: RC 438 from the partner"}
    assert back.bookmarks == ["a3:4", "a4:8"]
    assert back.selected_finding == "f1"
    assert back.incident_time == datetime(2014, 3, 12, 13, 59, 2)
    assert [(c.system, c.rcs, c.peer) for c in back.connections] == \
        [(c.system, c.rcs, c.peer) for c in s.connections]
    # saving the loaded session again gives the same artifacts
    again = path.with_name("again.tlswb")
    sessionfile.save(back, again)
    assert [a.sha256 for a in engine.load_session(again).artifacts] == [a.sha256 for a in s.artifacts]


def test_session_file_among_other_paths_renumbers_and_keeps_notes(saved, tmp_path):
    _, path = saved
    s = engine.load([ERROR3 / "mvs1_ftp_client.txt", path])
    assert [a.id for a in s.artifacts] == ["a1", "a2", "a3", "a4", "a5"]
    assert s.notes == {"a3:5": "client side: RC 438 from the partner"}
    assert s.bookmarks == ["a4:4", "a5:8"]


def _expect_refused(path: Path, word: str):
    before = path.read_bytes()
    with pytest.raises(SessionFileError) as e:
        engine.load_session(path)
    msg = str(e.value)
    assert "\n" not in msg and word in msg and str(path) in msg
    from tlsworkbench.model import Session

    with pytest.raises(SessionFileError):
        sessionfile.save(Session(), path)
    assert path.read_bytes() == before, "a file that is not a usable session is never overwritten"


def test_corrupt_file_is_refused_and_kept(tmp_path):
    p = tmp_path / "junk.tlswb"
    p.write_bytes(b"this is not a zip file at all\n" * 10)
    _expect_refused(p, "not a tlsworkbench session file")


def test_truncated_file_is_refused_and_kept(saved):
    _, path = saved
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _expect_refused(path, "session file")


def _rewrite(path: Path, manifest_edit=None, member_edit=None):
    with zipfile.ZipFile(path) as zf:
        items = {n: zf.read(n) for n in zf.namelist()}
    m = json.loads(items["manifest.json"])
    if manifest_edit:
        manifest_edit(m)
    items["manifest.json"] = json.dumps(m).encode()
    if member_edit:
        member_edit(items)
    with zipfile.ZipFile(path, "w") as zf:
        for n, b in items.items():
            zf.writestr(n, b)


def test_newer_version_is_refused_and_kept(saved):
    _, path = saved
    _rewrite(path, manifest_edit=lambda m: m.update(version=99))
    _expect_refused(path, "newer")


def test_checksum_mismatch_is_refused_and_kept(saved):
    _, path = saved

    def tamper(items):
        items["artifacts/2"] = items["artifacts/2"].replace(b"438", b"439")

    _rewrite(path, member_edit=tamper)
    _expect_refused(path, "sha256")


def test_save_over_a_foreign_file_needs_force(tmp_path):
    from tlsworkbench.model import Session

    p = tmp_path / "important.txt"
    p.write_text("keep me\n")
    with pytest.raises(SessionFileError, match="refusing to overwrite"):
        sessionfile.save(Session(), p)
    assert p.read_text() == "keep me\n"
    sessionfile.save(Session(), p, force=True)
    assert sessionfile.is_session_file(p)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_save_over_an_existing_session_file_is_allowed(saved):
    s, path = saved
    s.notes["a1:2"] = "second save"
    sessionfile.save(s, path)
    assert engine.load_session(path).notes["a1:2"] == "second save"


def test_pkcs12_private_key_is_never_embedded(tmp_path):
    s = loader.load([P12, ERROR3 / "mvs3_syslog.txt"])
    p12 = s.artifacts[0]
    assert sessionfile.is_pkcs12(p12)
    path = tmp_path / "with_p12.tlswb"
    sessionfile.save(s, path)
    raw = P12.read_bytes()
    with zipfile.ZipFile(path) as zf:
        blobs = [zf.read(n) for n in zf.namelist()]
        manifest = json.loads(zf.read("manifest.json"))
    assert not any(raw in b or raw[:200] in b for b in blobs)
    assert not any(b"PRIVATE KEY" in b for b in blobs)
    entry = manifest["artifacts"][0]
    assert entry["pkcs12"] and "private key is not kept" in entry["note"]
    back = engine.load_session(path)
    a = back.artifacts[0]
    assert "private key is not kept" in a.note
    if s.certs:  # the certificate reader read the PKCS#12: its certificates come back as PEM
        assert a.data.startswith(b"-----BEGIN CERTIFICATE-----")
