"""Loading files and folders into a session: artifacts, offsets, bad files."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from tlsworkbench import engine
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
    s = engine.load([tmp_path])
    by = {Path(a.path).name: a for a in s.artifacts}
    assert by["old.tlswb"].kind == "unreadable" and "session file" in by["old.tlswb"].note
    assert by["syslog.txt"].records > 0
    with pytest.raises(SessionFileError):
        engine.load([bad])


# -- routine AT-TLS lines of big syslogd files (ingest/attls_fast.py) ------------------
SCENARIOS = Path(__file__).parent / "data" / "scenarios"
SYSLOGD = Path(__file__).parent / "data" / "syslogd"
_FAST_CASES = sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir()) + [
    "syslogd/mvs3_attls_trace255.log", "syslogd/mvs1_rfc5424.log", "correlate/error3"]


def _open(path, fast: bool, monkeypatch):
    from tlsworkbench.engine import open_session

    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0 if fast else 1 << 62)
    return open_session([path])


def _conn_view(c):
    return (c.id, c.system, c.stack, c.job, c.user, str(c.local), str(c.remote), c.rule, c.grpid,
            c.envid, c.connid, c.role, list(c.rcs), list(c.events), c.peer, c.keyring,
            c.first_time, c.last_time, c.line_ids())


@pytest.mark.parametrize("case", _FAST_CASES)
def test_fast_attls_path_gives_the_same_connections_and_findings(case, monkeypatch):
    from tlsworkbench.commands.diagnose import to_json

    base = SCENARIOS / case if (SCENARIOS / case).exists() else Path(__file__).parent / "data" / case
    full = _open(base, False, monkeypatch)
    fast = _open(base, True, monkeypatch)
    assert [_conn_view(c) for c in fast.connections] == [_conn_view(c) for c in full.connections]
    assert to_json(fast) == to_json(full)
    # every line the fast path kept as a number reads back as the record it was
    eager = {r.id: r for r in full.records}
    for c in fast.connections:
        for rid in c.line_ids():
            got = fast.record(rid)
            want = eager.get(rid)
            if want is not None:
                assert (got.msgid, got.fields, got.time, got.system, got.job, got.severity) == (
                    want.msgid, want.fields, want.time, want.system, want.job, want.severity), rid


def _big_trace(tmp_path) -> Path:
    """A syslogd file of many healthy connections and one failing one."""
    head = "Mar 12 13:{m:02d}:{s:02d} MVS3 TCPIPT[67174435]: 13:{m:02d}:{s:02d} TCPIPT   "
    out = []
    for k in range(60):
        cid = f"{0x700 + k:08X}"
        t = dict(m=k // 60, s=k % 60)
        rc = 6 if k == 41 else 0
        out += [
            head.format(**t) + f"EZD1281I TTLS Map   CONNID: {cid} LOCAL: 192.168.20.93..21 "
            f"REMOTE: 192.168.20.91..{1000 + k} JOBNAME: FTPT1 USERID: TCPIP TYPE: InBound "
            "STATUS: Enabled RULE: FTPTrule~1 ACTIONS: gAct1 eAct1 cAct1",
            f"Mar 12 13:00:{k % 60:02d} MVS3 sshd[5034]: Accepted publickey for IBMUSER",
            head.format(**t) + f"EZD1282I TTLS Start GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            "Initial Handshake ACTIONS: gAct1 eAct1 cAct1 HS-Server",
            head.format(**t) + f"EZD1284I TTLS Flow  GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            "RC:    0 Call GSK_SECURE_SOCKET_OPEN - 7EC2B198",
            head.format(**t) + f"EZD1283I TTLS Event GRPID: 00000005 ENVID: 0000000C CONNID: {cid} "
            f"RC: {rc:4d} Initial Handshake 00000000 7EC28B98",
            head.format(**t) + f"EZD1285I TTLS Data  CONNID: {cid} SEND CIPHER 15030200020228",
        ]
    path = tmp_path / "mvs3_big.log"
    path.write_text("\n".join(out) + "\n")
    return path


def test_fast_attls_lines_are_numbers_that_read_back_and_index(tmp_path, monkeypatch):
    from tlsworkbench.model.index import Index

    path = _big_trace(tmp_path)
    full = _open(path, False, monkeypatch)
    fast = _open(path, True, monkeypatch)
    assert [_conn_view(c) for c in fast.connections] == [_conn_view(c) for c in full.connections]
    assert fast.artifacts[0].records == full.artifacts[0].records == 360
    assert len(fast.records) < len(full.records) // 5  # the routine lines are not records
    healthy = next(c for c in fast.connections if not c.rcs)
    failing = next(c for c in fast.connections if c.rcs)
    assert failing.rcs == [6] and failing.lines is None and len(failing.records) == 5
    assert healthy.lines is not None and len(healthy.lines) == 5 and healthy.records == ()
    rid = f"{healthy.lines_art}:{healthy.lines[2]}"
    rec = fast.record(rid)
    assert rec.msgid == "EZD1284I" and rec.fields["func"] == "GSK_SECURE_SOCKET_OPEN"
    assert rec.fields["year_known"] is False  # no other artifact to borrow a year from
    rel = Index(fast).related(rid)
    assert rel.connections[0] == healthy.id
    assert set(healthy.line_ids()) <= rel.records
    assert Index(full).related(rid).records == rel.records


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent / "data" / "encodings").iterdir()))
def test_iter_blocks_gives_the_lines_and_offsets_of_iter_lines(name):
    from array import array

    from tlsworkbench.ingest.decode import iter_blocks, iter_lines, sniff_layout

    raw = (Path(__file__).parent / "data" / "encodings" / name).read_bytes()
    if not raw:
        return
    lay = sniff_layout(raw[:65536])
    import io

    off_a, off_b = array("Q"), array("Q")
    lines = list(iter_lines(io.BytesIO(raw), lay, off_a))
    blocks = list(iter_blocks(io.BytesIO(raw), lay, off_b, size=3))
    flat = [(first + k, t) for first, texts in blocks for k, t in enumerate(texts)]
    assert flat == lines and off_a == off_b


def test_fast_attls_filter_takes_numbered_lines_with_gaps(tmp_path):
    from tlsworkbench.ingest.attls_fast import Joiner
    from tlsworkbench.model import Artifact

    text = _big_trace(tmp_path).read_text().splitlines()
    pairs = [(n, t) for n, t in enumerate(text, 1) if n % 7]  # some lines missing
    art = Artifact(id="a1", path="x")
    j = Joiner()
    passed = list(j.filter(pairs, art, 0))
    lines = [(n, t) for n, t in passed if type(t) is str]
    assert all("EZD128" not in t or "RC:    6" in t for _, t in lines)
    kept = {n for c in j.conns for n in c.lines}
    # the sshd lines between the routine lines are counted in bulk: (count, routine count)
    bulk = sum(n for n, t in passed if type(t) is int)
    assert sum(t for _, t in passed if type(t) is int) == len(kept)
    assert bulk > 0 and not any("sshd" in t for _, t in lines)
    assert kept.isdisjoint(n for n, _ in lines)
    assert len(kept) + len(lines) + bulk == len(pairs)
    assert art.records == len(kept)


@pytest.mark.parametrize("non_ascii", [False, True])
def test_fast_attls_bulk_plain_lines_keep_what_the_reader_reads(non_ascii, tmp_path, monkeypatch):
    """Lines among the routine ones that the reader must see (a message it reads,
    a CMS status code, a line without header) still become what they were."""
    text = _big_trace(tmp_path).read_text().splitlines()
    text[7] = "Mar 12 13:00:01 MVS3 FTPD1[33]: EZYFT31I The FTP server could not do it 03353000"
    text[13] = "no header on this line at all, just some words that are not upper case"
    text[19] = "Mar 12 13:00:03 MVS3 sshd[5034]: rc 0335304B seen"
    text[25] = "Mar 12 13:00:04 MVS3 OMPROUTE[33]: EZZ8101I OSPF ADJACENCY CHANGE FOR 10.5.1.1: FULL"
    if non_ascii:  # the block is then scanned with the Unicode pattern
        text[31] = "Mar 12 13:00:05 MVS3 sshd[5034]: Accepted password for caf\u00e9\u00a0user"
    path = tmp_path / "mixed.log"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    full = _open(path, False, monkeypatch)
    fast = _open(path, True, monkeypatch)
    assert [_conn_view(c) for c in fast.connections] == [_conn_view(c) for c in full.connections]
    assert fast.artifacts[0].records == full.artifacts[0].records
    assert fast.artifacts[0].unparsed == full.artifacts[0].unparsed
    want = {r.line: (r.msgid, r.fields) for r in full.records if r.line in (8, 14, 20)}
    got = {r.line: (r.msgid, r.fields) for r in fast.records if r.line in (8, 14, 20)}
    assert got == want and 8 in got


def test_folder_skips_markdown_notes_but_a_named_file_is_read(tmp_path):
    case = Path(__file__).parent / "data" / "scenarios" / "error3-cert-not-on-ring"
    got = [p.name for p in loader.expand([case])]
    assert "README.md" not in got and "MVS3.syslog.txt" in got
    assert [p.name for p in loader.expand([case / "README.md"])] == ["README.md"]


def test_notes_are_not_repeated_when_a_saved_session_is_read_again(tmp_path):
    from tlsworkbench import sessionfile

    case = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"
    first = loader.load([case])
    sessionfile.save(first, tmp_path / "s.tlswb")
    again = engine.load([tmp_path / "s.tlswb"])
    for art in again.artifacts:
        assert art.note.count("taken from the file name") <= 1, art.note
    assert [a.note for a in again.artifacts] == [a.note for a in first.artifacts]
