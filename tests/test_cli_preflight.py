"""``tlsworkbench preflight``: JSON, text, exit status."""

from __future__ import annotations

import json

from diagnose_helpers import SCEN

from tlsworkbench.cli import main


def test_json_output_and_error_status(capsys):
    rc = main(["preflight", str(SCEN / "error1-keyring-not-found" / "MVS3.pagent-ttls.conf"),
               str(SCEN / "error1-keyring-not-found" / "MVS3.racdcert-listring.txt"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1
    ids = [c["id"] for c in out["checks"]]
    assert "policy-ring-missing" in ids
    c = out["checks"][ids.index("policy-ring-missing")]
    assert set(c) == {"id", "severity", "title", "detail", "objects", "commands"}


def test_text_output_and_days(capsys):
    rc = main(["preflight", str(SCEN / "error6-expired" / "MVS3.racdcert-list.txt"), "--days", "30"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "ERROR" in out and "FTPServer31 EXP" in out and "GENREQ" in out


def test_clean_input_exits_zero(capsys):
    rc = main(["preflight", str(SCEN / "healthy" / "MVS3.racdcert-listring.txt")])
    assert rc == 0
    assert "no problems found" in capsys.readouterr().out
    rc = main(["preflight", str(SCEN / "healthy" / "MVS1.racdcert-listring.txt")])
    assert rc == 0  # a client ring without a personal certificate is only "info"
    assert "INFO" in capsys.readouterr().out


def test_bad_arguments_exit_2(capsys, tmp_path):
    assert main(["preflight", str(tmp_path / "nope.txt")]) == 2
    assert main(["preflight", str(SCEN / "healthy"), "--days", "-1"]) == 2
    assert "preflight" in capsys.readouterr().err
