"""The headless commands as a new user meets them: the scenario data, then bad
input (missing files, folders of binary junk, a 50 MB random file, an empty
file, a 5 MB line, escape sequences in a log line). Exit status 0/1 for work
done, 2 with one line on stderr for unusable input; never a traceback, never a
raw escape sequence on the terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from diagnose_helpers import SCEN

from tlsworkbench.cli import main

COMMANDS = ["diagnose", "trace", "cert", "preflight"]
RAW = ("\x1b", "\x07", "\x9b", "\x90", "\x9d")  # ESC, BEL, CSI, DCS, OSC (C1)


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.txt").write_bytes(b"")
    (d / "random50m.bin").write_bytes(os.urandom(50 * 1024 * 1024))
    (d / "oneline5m.txt").write_bytes(b"EZD1287I TTLS Error RC:  428 " + b"A" * (5 * 1024 * 1024) + b"\n")
    (d / "escape.txt").write_bytes(
        b"M 0000000 MVS3     14071 13:59:02.92 STC15830 00000090  EZD1287I TTLS Error RC:    6 "
        b"Initial Handshake 951\x1b[31mRED\x1b]52;c;ZWNobyBoaQ==\x07\xc2\x9b2J\n"
        b"D                                         951 00000090  LOCAL: 192.168.20.93..21\n"
        b"E                                         951 00000090  JOBNAME: FT\x1b[2JPT1 RULE: R~1\n")
    junk = d / "junk"
    junk.mkdir()
    (junk / "a.bin").write_bytes(bytes(range(256)) * 64)
    (junk / "b").write_bytes(os.urandom(3000))
    (d / "esc\x1b[31mname.txt").write_bytes((d / "escape.txt").read_bytes())
    return d


def _run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def _clean(*texts):
    for t in texts:
        for ch in RAW:
            assert ch not in t, f"raw {ch!r} reached the terminal"


# -- the scenario data ---------------------------------------------------------------
def test_rc_answers_the_seed_codes(capsys):
    rc, out, err = _run(capsys, "rc", "202", "406", "5006", "6", "438", "428", "401", "0335304B", "0x1B3")
    assert rc == 0 and not err
    for code in ("202", "406", "5006", "6 ", "438", "428", "401", "0335304B", "435"):
        assert code in out
    rc, out, err = _run(capsys, "rc", "202", "99999")
    assert rc == 1 and "99999" in err and err.count("\n") == 1 and "202" in out
    rc, out, err = _run(capsys, "rc", "428", "--json")
    assert rc == 0 and json.loads(out)["matches"][0]["code"] == 428


def test_cert_judges_the_expired_certificate_at_the_incident_time(capsys):
    f = SCEN / "error6-expired" / "MVS3.racdcert-list.txt"
    rc, out, _ = _run(capsys, "cert", f, "--at", "2014-03-12T13:41:07", "--json")
    c = json.loads(out)["certificates"][0]
    assert rc == 0 and c["label"] == "FTPServer31 EXP"
    assert "validity-expired" in {k["id"] for k in c["checks"]}
    rc, out, _ = _run(capsys, "cert", f, "--at", "2010-01-01", "--json")
    assert "validity-expired" not in {k["id"] for k in json.loads(out)["certificates"][0]["checks"]}


def test_cert_host_name_by_system_ssl_rules(capsys):
    f = SCEN / "error5-hostname" / "MVS3.racdcert-list.txt"
    rc, out, _ = _run(capsys, "cert", f, "--host", "FTPXSRV31.WAS.IBM.COM", "--json")
    ids = {k["id"] for k in json.loads(out)["certificates"][0]["checks"]}
    assert rc == 0 and "host-mismatch" in ids
    rc, out, _ = _run(capsys, "cert", f, "--host", "FTPXSRV31", "--json")
    assert "host-mismatch" not in {k["id"] for k in json.loads(out)["certificates"][0]["checks"]}


def test_trace_shows_the_client_hello_and_the_402(capsys):
    rc, out, err = _run(capsys, "trace", SCEN / "cipher-mismatch" / "MVS3.gsksrvr.txt")
    assert rc == 0 and "ClientHello" in out and "402" in out


def test_preflight_finds_the_misspelt_ring_and_the_expired_certificate(capsys):
    rc, out, err = _run(capsys, "preflight", SCEN / "mixed")
    assert "TN3270/TNring" in out and "TN3270/TNRing" in out and "FTPServer31 EXP" in out
    assert rc in (0, 1) and not err


def test_bundle_then_diagnose_gives_the_same_findings(capsys, tmp_path):
    case = SCEN / "error4-wrong-owner"
    files = [p for p in sorted(case.iterdir()) if p.suffix != ".md"]
    rc, out, _ = _run(capsys, "diagnose", *files, "--json")
    direct = json.loads(out)["findings"]
    rc, out, err = _run(capsys, "bundle", *files, "-o", tmp_path / "s.tlswb")
    assert rc == 0 and "wrote" in out
    rc, out, _ = _run(capsys, "diagnose", tmp_path / "s.tlswb", "--json")
    again = json.loads(out)["findings"]
    assert [(f["cause"], f["commands"]) for f in again] == [(f["cause"], f["commands"]) for f in direct]


# -- bad input ------------------------------------------------------------------------
@pytest.mark.parametrize("cmd", COMMANDS + ["bundle"])
def test_missing_file_is_exit_2_with_one_line(capsys, tmp_path, cmd):
    extra = ["-o", tmp_path / "x.tlswb"] if cmd == "bundle" else []
    rc, out, err = _run(capsys, cmd, tmp_path / "no-such-file.txt", *extra)
    assert rc == 2 and err.count("\n") == 1 and err.startswith("tlsworkbench") and "no-such-file" in err


@pytest.mark.parametrize("name", ["empty.txt", "random50m.bin", "oneline5m.txt", "escape.txt", "junk",
                                  "esc\x1b[31mname.txt"])
@pytest.mark.parametrize("cmd", COMMANDS)
def test_bad_content_never_crashes_nor_reaches_the_terminal_raw(capsys, bad, cmd, name):
    rc, out, err = _run(capsys, cmd, bad / name)
    if cmd in ("preflight", "diagnose", "trace", "report", "cert") and name in (
            "empty.txt", "random50m.bin", "junk"):
        # nothing at all could be read: exit 2 with one line naming what and why
        assert rc == 2 and err.count("\n") == 1 and "nothing could be read" in err, (rc, err)
    else:
        assert rc in (0, 1), (rc, err)
    assert "Traceback" not in err
    _clean(out, err)
    assert len(out) < 200_000  # a 5 MB line is not echoed whole


@pytest.mark.parametrize("cmd", ["diagnose", "cert", "preflight"])
def test_bad_content_in_json_is_escaped(capsys, bad, cmd):
    rc, out, err = _run(capsys, cmd, bad / "escape.txt", bad / "junk", "--json")
    _clean(out, err)
    json.loads(out)


def test_escape_line_is_shown_escaped_in_the_evidence(capsys, bad):
    rc, out, err = _run(capsys, "diagnose", bad / "escape.txt")
    assert rc == 0
    assert "[31mRED" in out  # shown (escaped in some visible form), not interpreted
    _clean(out, err)


def test_rc_arguments_with_control_characters(capsys):
    rc, out, err = _run(capsys, "rc", "\x1b[31m428")
    assert rc in (1, 2) and err.count("\n") == 1
    _clean(out, err)


def test_cert_without_any_certificate_is_exit_1(capsys, bad):
    # a file that is read but holds no certificate: nothing found (1); an empty
    # file: nothing could be read (2, QA3 4)
    rc, out, err = _run(capsys, "cert", SCEN / "error1-keyring-not-found" / "MVS3.syslog.txt")
    assert rc == 1 and "No certificates were found" in out and err.count("\n") == 1
    rc, out, err = _run(capsys, "cert", bad / "empty.txt")
    assert rc == 2 and out == "" and err.count("\n") == 1


def test_cert_bad_time_and_missing_ring_are_exit_2(capsys, tmp_path):
    f = SCEN / "error6-expired" / "MVS3.racdcert-list.txt"
    rc, _, err = _run(capsys, "cert", f, "--at", "yesterday")
    assert rc == 2 and err.count("\n") == 1
    rc, _, err = _run(capsys, "cert", f, "--ring", tmp_path / "nope.txt")
    assert rc == 2 and err.count("\n") == 1


def test_bundle_refuses_to_overwrite_a_log(capsys, bad, tmp_path):
    log = tmp_path / "keep.txt"
    log.write_text("precious\n")
    rc, _, err = _run(capsys, "bundle", bad / "escape.txt", "-o", log)
    assert rc == 2 and err.count("\n") == 1 and log.read_text() == "precious\n"


def test_bundle_into_a_missing_folder_is_exit_2(capsys, bad, tmp_path):
    rc, _, err = _run(capsys, "bundle", bad / "escape.txt", "-o", tmp_path / "nope" / "s.tlswb")
    assert rc == 2 and err.count("\n") == 1


def test_trace_of_a_non_trace_file_says_so_on_readable_lines(capsys):
    rc, out, err = _run(capsys, "trace", SCEN / "error1-keyring-not-found" / "MVS3.syslogd.log")
    assert "\\x0a" not in out + err
    assert rc == 1  # no handshake where one was asked for
    assert out.splitlines()[:2] == [
        f"note: {SCEN / 'error1-keyring-not-found' / 'MVS3.syslogd.log'} was read as syslogd,"
        " not as a GSKSRVR trace",
        "0 trace records, no handshakes found"]


def test_preflight_names_what_it_could_not_read(capsys, bad):
    rc, out, err = _run(capsys, "preflight", bad / "junk" / "a.bin",
                        SCEN / "error4-wrong-owner" / "MVS3.racdcert-listring.txt")
    assert rc == 0 and err == ""
    assert f"note: could not read {bad / 'junk' / 'a.bin'}: binary content" in out
    assert "(the files noted above were not read)" in out
    rc, out, err = _run(capsys, "preflight", bad / "escape.txt")  # a console log: nothing to check
    assert rc == 1 and "nothing to check" in out and "no problems found" not in out


def test_trace_of_a_folder_reads_the_traces_in_it(capsys):
    folder = Path(__file__).parent / "data" / "gsktrace"
    rc, out, err = _run(capsys, "trace", folder)
    assert rc == 0 and err == ""
    assert out.startswith("note: 3 of 3 files in the folder were read as GSKSRVR traces\n")
    assert "Handshake h1:" in out and "no such file" not in out
    rc, out, _ = _run(capsys, "trace", SCEN / "error1-keyring-not-found")
    assert rc == 1 and "files in the folder were read as GSKSRVR traces" in out
    assert "not a trace: " in out and "no handshakes found" in out
