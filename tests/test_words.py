"""Counts read as English: "1 connection", never "1 connections"."""

from pathlib import Path

from tlsworkbench import cli
from tlsworkbench.words import counted

ERROR1 = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"


def test_one_is_singular_and_other_counts_plural():
    assert counted(1, "connection") == "1 connection"
    assert counted(0, "connection") == "0 connections"
    assert counted(2, "policy statement") == "2 policy statements"
    assert counted(3, "entry", "entries") == "3 entries"


def test_bundle_of_one_log_says_one_artifact(tmp_path, capsys):
    log = next(p for p in sorted(ERROR1.iterdir()) if "syslogd" in p.name)
    rc = cli.main(["bundle", str(log), "-o", str(tmp_path / "one.tlswb")])
    said = capsys.readouterr().out
    assert rc == 0
    assert "1 artifact," in said and "1 artifacts" not in said
    assert "2 connections" in said or "1 connection" in said
