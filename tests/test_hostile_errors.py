"""Issue 14, item 6: every failure is one line and exit 2 with no partial output
left: manifest fields of the wrong type, deep nesting, a read-only output
folder, a full disk ("cannot write", never "cannot read artifact"), ``--map``
into a missing folder (checked before the export is written), and unreadable
inputs (named; a chmod-000 file or folder is never skipped in silence). Tests
run as root, so "unreadable" is made by failing ``open``/``os.scandir`` for one
path."""

from __future__ import annotations

import builtins
import errno
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from tlsworkbench import atomicfile
from tlsworkbench.cli import main

SCEN = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"


def _session(path, **manifest):
    data = b"N 0000000 MVS1     14071 13:58:40.10 STC16240 00000290  IEF403I FTPD STARTED\n"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("artifacts/1", data)
        doc = {"format": "tlsworkbench-session", "version": 1, "artifacts": [
            {"id": "a1", "name": "mvs1.log", "member": "artifacts/1",
             "sha256": hashlib.sha256(data).hexdigest()}]}
        doc.update(manifest)
        zf.writestr("manifest.json", doc.pop("_raw", None) or json.dumps(doc))
    return path


def _one_line_exit2(capsys, argv, *words):
    status = main(argv)
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1 and err.startswith("tlsworkbench: "), err
    for w in words:
        assert w in err, err
    return err


@pytest.mark.parametrize("field,value", [
    ("notes", []), ("notes", {"a1:1": {"x": 1}}), ("bookmarks", 5), ("bookmarks", [[1]]),
    ("selected_finding", {"a": 1}), ("incident_time", 17),
    ("artifacts", [{"id": "a1", "name": ["x"], "member": "artifacts/1"}]),
    ("artifacts", [{"id": "a1", "name": "x", "member": "artifacts/1", "note": []}]),
    ("artifacts", [{"id": "a1", "name": "x", "member": "artifacts/1", "size": "big"}]),
    ("artifacts", [{"id": "a1", "name": "x", "member": {"m": 1}}]),
])
@pytest.mark.parametrize("cmd", ["diagnose", "report", "bundle"])
def test_wrong_typed_manifest_fields(cmd, field, value, tmp_path, capsys):
    path = _session(tmp_path / "s.tlswb", **{field: value})
    argv = [cmd, str(path)] + (["-o", str(tmp_path / "o.tlswb")] if cmd == "bundle" else [])
    _one_line_exit2(capsys, argv, "damaged manifest")
    assert not (tmp_path / "o.tlswb").exists()


def test_deeply_nested_manifest(tmp_path, capsys):
    raw = '{"format": "tlsworkbench-session", "version": 1, "artifacts": [], "notes": ' + \
          "[" * 100_000 + "]" * 100_000 + "}"
    path = _session(tmp_path / "deep.tlswb", _raw=raw)
    _one_line_exit2(capsys, ["diagnose", str(path)], "damaged manifest")


def test_read_only_output_folder(tmp_path, capsys, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomicfile.tempfile, "mkstemp", refuse)
    for argv in (["bundle", str(SCEN), "-o", str(tmp_path / "o.tlswb")],
                 ["report", str(SCEN), "-o", str(tmp_path / "r.md")],
                 ["export", str(SCEN), "-o", str(tmp_path / "o.tlswb")],
                 ["export", str(SCEN), "--redact", "-o", str(tmp_path / "o.tlswb")]):
        _one_line_exit2(capsys, argv, "cannot write", "Permission denied")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_says_cannot_write_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh, self.n = fh, 0

        def write(self, b):
            self.n += len(b)
            if self.n > 2000:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(b)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(atomicfile.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    for argv in (["bundle", str(SCEN), "-o", str(tmp_path / "o.tlswb")],
                 ["export", str(SCEN), "--redact", "-o", str(tmp_path / "o.tlswb")],
                 ["report", str(SCEN), "-o", str(tmp_path / "r.md")]):
        err = _one_line_exit2(capsys, argv, "cannot write", "No space left")
        assert "cannot read" not in err
    assert list(tmp_path.iterdir()) == []


def test_map_into_a_missing_folder_is_checked_first(tmp_path, capsys):
    for cmd in ("export", "report"):
        out = tmp_path / ("o.tlswb" if cmd == "export" else "r.md")
        _one_line_exit2(capsys, [cmd, str(SCEN), "--redact", "-o", str(out),
                                 "--map", str(tmp_path / "nowhere" / "m.json")], "does not exist")
        assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def unreadable(monkeypatch):
    """Make open() and os.scandir() fail with EACCES for the paths put in the set."""
    bad: set[str] = set()
    real_open, real_scandir = builtins.open, os.scandir

    def fake_open(file, *a, **k):
        if isinstance(file, (str, Path)) and os.path.abspath(file) in bad:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *a, **k)

    def fake_scandir(path="."):
        if os.path.abspath(path) in bad:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    return bad


def test_unreadable_input_named_on_the_command_line(tmp_path, capsys, unreadable):
    f = tmp_path / "MVS1.syslog.txt"
    f.write_bytes((SCEN / "MVS1.syslog.txt").read_bytes())
    d = tmp_path / "locked"
    d.mkdir()
    unreadable.update({str(f), str(d)})
    for cmd in ("diagnose", "report", "cert", "preflight"):
        _one_line_exit2(capsys, [cmd, str(f)], "cannot read", "Permission denied")
        _one_line_exit2(capsys, [cmd, str(d)], "cannot read", "Permission denied")


def test_unreadable_file_and_subfolder_inside_a_folder_are_said(tmp_path, capsys, unreadable):
    ev = tmp_path / "ev"
    (ev / "locked").mkdir(parents=True)
    (ev / "locked" / "hidden.log").write_text("x\n")
    for name in ("MVS1.syslog.txt", "MVS1.racdcert-listring.txt"):
        (ev / name).write_bytes((SCEN / name).read_bytes())
    unreadable.update({str(ev / "locked"), str(ev / "MVS1.racdcert-listring.txt")})
    assert main(["diagnose", str(ev), "--json"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    bad = {Path(a["path"]).name: a["note"] for a in doc["artifacts"] if a["kind"] == "unreadable"}
    assert set(bad) == {"locked", "MVS1.racdcert-listring.txt"}, bad
    assert all("Permission denied" in n for n in bad.values())
    assert "2 of 3 inputs could not be read" in err and "locked" in err
