"""Loading files and folders into a session: artifacts, offsets, bad files."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from tlsworkbench.ingest import loader, registry
from tlsworkbench.model import Record, Unparsed

DATA = Path(__file__).parent / "data" / "correlate" / "error3"


def test_folder_is_read_recursively_sorted_without_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    shutil.copy(DATA / "mvs3_syslog.txt", tmp_path / "b" / "z.txt")
    shutil.copy(DATA / "mvs1_ftp_client.txt", tmp_path / "a.txt")
    (tmp_path / ".secret").write_text("x\n")
    (tmp_path / ".hidden" / "x.txt").write_text("x\n")
    s = loader.load([tmp_path])
    assert [Path(a.path).relative_to(tmp_path).as_posix() for a in s.artifacts] == ["a.txt", "b/z.txt"]
    assert [a.id for a in s.artifacts] == ["a1", "a2"]


def test_artifact_has_checksum_size_and_line_offsets_not_text():
    path = DATA / "mvs3_syslog.txt"
    raw = path.read_bytes()
    s = loader.load([path])
    art = s.artifacts[0]
    assert art.sha256 == hashlib.sha256(raw).hexdigest()
    assert art.size == len(raw)
    assert art.data is None
    assert art.line_count == raw.count(b"\n")
    assert art.line(4).startswith("M 0000000 MVS3")
    assert art.offsets[-1] == len(raw)


def test_progress_reports_bytes_of_each_file(tmp_path):
    seen = []
    s = loader.load([DATA / "mvs3_syslog.txt", DATA / "mvs1_joblog.txt"],
                    progress=lambda p, done, total: seen.append((Path(p).name, done, total)))
    assert len(s.artifacts) == 2
    for art in s.artifacts:
        assert (Path(art.path).name, art.size, art.size) in seen


def test_unreadable_empty_and_binary_files_become_visible_artifacts(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 64 + b"\0" * 4096)
    gone = tmp_path / "gone.log"
    os.symlink(tmp_path / "nowhere", gone)  # a file that vanished
    s = loader.load([empty, junk, gone])
    kinds = {Path(a.path).name: a for a in s.artifacts}
    assert kinds["empty.log"].kind == "unknown" and "empty" in kinds["empty.log"].note
    assert kinds["gone.log"].kind == "unreadable" and "cannot be read" in kinds["gone.log"].note
    assert kinds["junk.bin"].kind == "unknown" and "binary" in kinds["junk.bin"].note
    for a in s.artifacts:
        if a.kind in ("unknown", "unreadable"):
            assert a.unparsed == 1 and a.note
            assert any(u.artifact == a.id for u in s.unparsed)


def test_text_no_reader_recognises_keeps_its_lines_viewable(tmp_path, monkeypatch):
    p = tmp_path / "notes.txt"
    p.write_text("first line\nsecond line\n")
    monkeypatch.setattr(registry, "detect", lambda *a, **k: "unknown")
    s = loader.load([p])
    art = s.artifacts[0]
    assert art.kind == "unknown" and "No reader" in art.note
    assert art.line_count == 2 and art.line(2) == "second line"
    assert [u.reason for u in s.unparsed] == ["no reader recognises this file"]


class _Boom:
    KIND = "boom"

    @staticmethod
    def sniff(head, name):
        return 100

    @staticmethod
    def read(lines, art):
        for n, text in lines:
            if n == 3:
                raise RuntimeError("bad state")
            yield Record(art.id, n, "plain", text)


def test_a_reader_that_raises_loses_nothing(tmp_path, monkeypatch):
    p = tmp_path / "x.log"
    p.write_text("".join(f"line {i}\n" for i in range(1, 11)))
    monkeypatch.setattr(registry, "detect", lambda *a, **k: "boom")
    monkeypatch.setattr(registry, "readers", lambda: {"boom": _Boom})
    s = loader.load([p])
    art = s.artifacts[0]
    assert art.records == 2 and art.unparsed == 1
    assert art.line_count == 10, "offsets must be complete even after the reader stopped"
    u = s.unparsed[0]
    assert isinstance(u, Unparsed) and "stopped" in u.reason and "RuntimeError" in u.reason
    assert "Reading stopped early" in art.note


def test_syslogd_year_is_borrowed_from_the_sdsf_log_of_the_same_system():
    if not {"console", "syslogd"} <= set(registry.readers()):
        pytest.skip("console/syslogd readers not available")
    s = loader.load([DATA / "mvs3_syslog.txt", DATA / "mvs3_syslogd.log"])
    syslogd = s.artifacts[1]
    times = [r.time for r in s.records if r.artifact == syslogd.id and r.time]
    assert times and all(t.year == 2014 for t in times)
    assert "2014" in syslogd.note


def test_system_from_file_name_when_the_text_has_none(tmp_path):
    if not {"console", "syslogd"} <= set(registry.readers()):
        pytest.skip("console/syslogd readers not available")
    shutil.copy(DATA / "mvs3_syslog.txt", tmp_path / "a_syslog.txt")
    shutil.copy(DATA / "mvs1_joblog.txt", tmp_path / "b_joblog.txt")
    shutil.copy(DATA / "mvs1_ftp_client.txt", tmp_path / "MVS1.ftp.txt")
    shutil.copy(DATA / "mvs1_ftp_client.txt", tmp_path / "other.ftp.txt")
    s = loader.load([tmp_path])
    by = {Path(a.path).name: a for a in s.artifacts}
    assert by["MVS1.ftp.txt"].system == "MVS1"
    assert by["other.ftp.txt"].system is None


def test_damaged_session_file_inside_a_folder_is_an_unreadable_artifact(tmp_path):
    from tlsworkbench.sessionfile import SessionFileError

    bad = tmp_path / "old.tlswb"
    bad.write_bytes(b"PK\x03\x04 not really")
    shutil.copy(DATA / "mvs3_syslog.txt", tmp_path / "syslog.txt")
    s = loader.load([tmp_path])
    by = {Path(a.path).name: a for a in s.artifacts}
    assert by["old.tlswb"].kind == "unreadable" and "session file" in by["old.tlswb"].note
    assert by["syslog.txt"].records > 0
    with pytest.raises(SessionFileError):
        loader.load([bad])
