"""``tlsworkbench report``: Markdown to stdout, HTML to a file, redacted reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tlsworkbench.cli import main

SCEN = Path(__file__).parent / "data" / "scenarios"


def run(capsys, *argv):
    status = main(["report", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_markdown_to_stdout(capsys):
    status, out, err = run(capsys, str(SCEN / "error1-keyring-not-found"))
    assert status == 0, err
    assert out.startswith("# TLS diagnosis")
    assert "keyring-not-found" in out and "## Artifacts" in out


def test_html_to_file(capsys, tmp_path):
    out = tmp_path / "r.html"
    status, text, err = run(capsys, str(SCEN / "error3-cert-not-on-ring"), "--format", "html",
                            "-o", str(out), "--title", "Ticket 4711 <b>")
    assert status == 0 and text == ""
    html = out.read_text()
    assert "<title>Ticket 4711 &lt;b&gt;</title>" in html
    assert "certificate-not-on-ring" in html


def test_redacted_report_and_its_map(capsys, tmp_path):
    out = tmp_path / "r.md"
    status, _, err = run(capsys, str(SCEN / "error4-wrong-owner"), "--redact", "-o", str(out))
    assert status == 0, err
    md = out.read_text()
    for real in ("FTPD", "Server_RING", "192.168.20.93", "USER301"):
        assert real not in md
    doc = json.loads((tmp_path / "r.md.map.json").read_text())
    ftpd = next(d["stand_in"] for d in doc["values"] if d["original"] == "FTPD")
    assert ftpd in md


def test_redacted_to_stdout_without_map_says_so(capsys):
    status, out, err = run(capsys, str(SCEN / "healthy"), "--redact")
    assert status == 0 and "no map written" in err
    assert "192.168.20" not in out


def test_bad_arguments(capsys, tmp_path):
    status, _, err = run(capsys, str(tmp_path / "nope"))
    assert status == 2 and "no such file" in err
    with pytest.raises(SystemExit) as exc:
        main(["report", str(SCEN / "healthy"), "--format", "pdf"])
    assert exc.value.code == 2
    status, _, err = run(capsys, str(SCEN / "healthy"), "--map", "m.json")
    assert status == 2 and "--redact" in err
