"""Issue 14, item 4: memory stays bounded by the input. A hex dump offset of
FFFFFFF0 allocates nothing; a deflate bomb, a lying size header, two entries on
one member and a duplicate member name are refused with one line."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile

import pytest

from tlsworkbench import engine
from tlsworkbench import sessionfile, sessionlimits
from tlsworkbench.ingest.hexdump import MAX_GAP, HexDump, merge, parse_dump


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_huge_first_offset_allocates_nothing():
    d = HexDump()
    peak = _peak(lambda: [d.add_line("FFFFFFF0: 01020304 05060708") for _ in range(5)])
    assert peak < 1 << 20 and len(d.data) == 0
    assert d.problems and "line ignored" in d.problems[0]


def test_jump_ahead_is_capped_and_said():
    lines = ["CLIENT-HELLO message", "00000000: 0100002D 03025089 8BF6761E A90F924A",
             "7FFFFFF0: 00000000 00000000 00000000 00000000",
             f"{0x10 + MAX_GAP + 1:08X}: 01020304",
             "00000010: 0B909203"]
    peak = _peak(lambda: parse_dump(lines))
    d = parse_dump(lines)
    assert peak < 4 << 20
    assert d.prefix()[:4] == bytes.fromhex("0100002D") and len(d.data) == 0x14
    assert len(d.problems) == 2


def test_a_small_jump_still_leaves_a_gap():
    d = parse_dump(["00000000: 01020304", "00000100: 05060708"])
    assert d.gaps and d.gaps[0].offset == 4 and len(d.data) == 0x104


def test_merge_refuses_far_continuations():
    a = parse_dump(["00000000: 01020304"])
    far = HexDump()
    far.first_offset = 4 + MAX_GAP + 1
    assert not merge(a, far)


def _bomb(path, members, manifest_entries=None, dup=False):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = []
        for i, data in enumerate(members, 1):
            zf.writestr(f"artifacts/{i}", data)
            entries.append({"id": f"a{i}", "name": f"f{i}.log", "member": f"artifacts/{i}",
                            "sha256": hashlib.sha256(data).hexdigest()})
        if dup:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                zf.writestr("artifacts/1", b"other")
        zf.writestr("manifest.json", json.dumps({
            "format": "tlsworkbench-session", "version": 1,
            "artifacts": manifest_entries if manifest_entries is not None else entries}))
    return path


def test_deflate_bomb_is_refused_before_it_is_held(tmp_path):
    path = _bomb(tmp_path / "bomb.tlswb", [b"\0" * (64 << 20)])
    assert path.stat().st_size < 1 << 20
    for fn in (engine.load_session, sessionfile.verify):
        peak = _peak(lambda: pytest.raises(sessionfile.SessionFileError, fn, path))
        assert peak < 16 << 20
    with pytest.raises(sessionfile.SessionFileError, match="times its packed size"):
        engine.load_session(path)


def test_size_caps_apply_to_the_bytes_read_not_the_header(tmp_path, monkeypatch):
    data = bytes(range(256)) * 4096  # 1 MiB that packs badly
    path = _bomb(tmp_path / "big.tlswb", [data, data[::-1]])
    monkeypatch.setattr(sessionlimits, "MAX_MEMBER", 512 << 10)
    with pytest.raises(sessionfile.SessionFileError, match="unpacks to more than"):
        engine.load_session(path)
    monkeypatch.setattr(sessionlimits, "MAX_MEMBER", 8 << 30)
    monkeypatch.setattr(sessionlimits, "MAX_TOTAL", (3 << 20) // 2)
    with pytest.raises(sessionfile.SessionFileError, match="unpacks to more than"):
        engine.load_session(path)
    monkeypatch.setattr(sessionlimits, "MAX_TOTAL", 16 << 30)
    assert len(engine.load_session(path).artifacts) == 2
    # a header that claims less than the member holds
    raw = bytearray(path.read_bytes())
    zf = zipfile.ZipFile(path)
    info = zf.getinfo("artifacts/1")
    zf.close()
    monkeypatch.setattr(sessionlimits, "MAX_MEMBER", 512 << 10)
    small = (100).to_bytes(4, "little")
    i = raw.find(b"artifacts/1")  # the local header's size field sits before the name
    raw[i - 8:i - 4] = small
    j = raw.find(b"artifacts/1", i + 1)  # and the central directory's
    raw[j - 26:j - 22] = small
    path.write_bytes(bytes(raw))
    assert info.file_size == 1 << 20
    with pytest.raises(sessionfile.SessionFileError):
        engine.load_session(path)


def test_many_entries_on_one_member_are_refused(tmp_path):
    data = b"EZD1287I TTLS Error RC: 5003\n" * 10
    entries = [{"id": f"a{i}", "name": f"n{i}", "member": "artifacts/1",
                "sha256": hashlib.sha256(data).hexdigest()} for i in range(100)]
    path = _bomb(tmp_path / "many.tlswb", [data], entries)
    with pytest.raises(sessionfile.SessionFileError, match="share the member"):
        engine.load_session(path)


def test_duplicate_member_names_are_refused(tmp_path):
    path = _bomb(tmp_path / "dup.tlswb", [b"one\n"], dup=True)
    with pytest.raises(sessionfile.SessionFileError, match="appears twice"):
        sessionfile.verify(path)
