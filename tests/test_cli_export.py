"""``tlsworkbench export``: redacted session file, separate map, exit statuses."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tlsworkbench.cli import main

SCEN = Path(__file__).parent / "data" / "scenarios"


def run(capsys, *argv):
    status = main(["export", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_redacted_export_writes_session_and_map(capsys, tmp_path):
    out = tmp_path / "ticket.tlswb"
    status, text, err = run(capsys, str(SCEN / "error2-not-authorized"), "-o", str(out), "--redact")
    assert status == 0, err
    assert "leak check passed" in text and "same causes" in text
    map_path = tmp_path / "ticket.tlswb.map.json"
    assert out.is_file() and map_path.is_file()
    with zipfile.ZipFile(out) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
    for real in (b"USER301", b"Client_RING", b"192.168.20.91"):
        assert real not in blob
    doc = json.loads(map_path.read_text())
    assert any(d["original"] == "USER301" for d in doc["values"])


def test_map_path_and_json(capsys, tmp_path):
    out = tmp_path / "x.tlswb"
    mp = tmp_path / "keep" 
    mp.mkdir()
    status, text, err = run(capsys, str(SCEN / "error6-expired"), "-o", str(out), "--redact",
                            "--map", str(mp / "x.json"), "--json")
    assert status == 0, err
    doc = json.loads(text)
    assert doc["map"] == str(mp / "x.json") and doc["same_causes"] is True
    assert "certificate-expired" in doc["causes_after"]
    assert (mp / "x.json").is_file() and not (tmp_path / "x.tlswb.map.json").exists()


def test_plain_export_is_a_bundle(capsys, tmp_path):
    out = tmp_path / "plain.tlswb"
    status, text, _ = run(capsys, str(SCEN / "healthy"), "-o", str(out))
    assert status == 0 and out.is_file()
    with zipfile.ZipFile(out) as zf:
        assert b"192.168.20.93" in b"".join(zf.read(n) for n in zf.namelist())


def test_unusable_arguments_exit_2_with_one_line(capsys, tmp_path):
    status, _, err = run(capsys, str(tmp_path / "missing"), "-o", str(tmp_path / "o.tlswb"), "--redact")
    assert status == 2 and err.count("\n") == 1 and "no such file" in err
    status, _, err = run(capsys, str(SCEN / "healthy"), "-o", str(tmp_path / "o.tlswb"), "--map", "m.json")
    assert status == 2 and "--redact" in err
    status, _, err = run(capsys, str(SCEN / "healthy"), "-o", str(tmp_path / "o.tlswb"), "--redact",
                         "--map", str(tmp_path / "o.tlswb"))
    assert status == 2 and "map" in err and err.count("\n") == 1
    status, _, err = run(capsys, str(SCEN / "healthy"), "-o", str(tmp_path), "--redact")
    assert status == 2 and "folder" in err


def test_existing_non_session_output_is_not_overwritten(capsys, tmp_path):
    out = tmp_path / "notes.tlswb"
    out.write_text("my notes")
    status, _, err = run(capsys, str(SCEN / "healthy"), "-o", str(out), "--redact")
    assert status == 2 and "refusing to overwrite" in err
    assert out.read_text() == "my notes"
