"""QA3 (command line as a new user): one output guard for every output of every
command, no raw escapes in any message, long lines keep later line numbers,
exit statuses, pinned dates, cert reasons and wording."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tlsworkbench.cli import main

SCEN = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def evidence(tmp_path):
    ev = tmp_path / "evidence"
    shutil.copytree(SCEN, ev)
    return ev


@pytest.fixture
def saved(tmp_path, evidence, capsys):
    """A valid session file, a newer-format one, a damaged one and a plain log."""
    good = tmp_path / "good.tlswb"
    assert main(["bundle", str(evidence), "-o", str(good)]) == 0
    import zipfile, json
    newer = tmp_path / "newer.tlswb"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(newer, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                m = json.loads(data)
                m["version"] = 999
                data = json.dumps(m).encode()
            zout.writestr(info, data)
    damaged = tmp_path / "damaged.tlswb"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    other = tmp_path / "other.log"
    other.write_text("EZD1287I TTLS Error RC: 402 Initial Handshake\n")
    capsys.readouterr()
    return {"good": good, "newer": newer, "damaged": damaged, "other": other}


@pytest.mark.parametrize("victim", ["good", "newer", "damaged", "other"])
@pytest.mark.parametrize("form", [["report", "-o"], ["report", "--redact", "-o", "R.md", "--map"],
                                  ["export", "--redact", "-o", "X.tlswb", "--map"]])
def test_report_and_map_never_replace_a_session_or_foreign_file(tmp_path, evidence, saved, capsys,
                                                                  victim, form):
    target = saved[victim]
    before = _sha(target)
    argv = [form[0], str(evidence)]
    for a in form[1:]:
        argv.append(str(tmp_path / a) if a in ("R.md", "X.tlswb") else a)
    argv.append(str(target))
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "refusing" in err, err
    assert _sha(target) == before


def test_report_may_replace_an_earlier_report(tmp_path, evidence, capsys):
    out = tmp_path / "r.md"
    assert main(["report", str(evidence), "-o", str(out)]) == 0
    assert main(["report", str(evidence), "-o", str(out), "--format", "html"]) == 0
    assert main(["report", str(evidence), "-o", str(out), "--redact"]) == 0
    assert main(["report", str(evidence), "-o", str(out), "--redact"]) == 0  # map replaced too
    assert (tmp_path / "r.md.map.json").is_file()


# -- 2: no raw escapes in any message -----------------------------------------------------
_BAD = ["\x1b", "\x07", *(chr(c) for c in range(0x80, 0xA0))]
OSC = "j\x1b]52;c;QUFB\x07.bin"
CSI = "s\x1b[2J\x9b.txt"


def _clean_out(capsys):
    out = capsys.readouterr()
    for stream in (out.out, out.err):
        for bad in _BAD:
            assert bad not in stream, (repr(bad), stream[-400:])
    return out


@pytest.fixture
def hostile(tmp_path):
    ev = tmp_path / "ev"
    shutil.copytree(SCEN, ev)
    (ev / OSC).write_bytes(b"\x00\x01\x02binary\xff" * 50)
    log = next(p for p in sorted(ev.iterdir()) if p.is_file() and p.suffix != ".bin")
    (ev / CSI).write_bytes(log.read_bytes())
    return ev


def test_no_raw_escapes_in_any_command_message(tmp_path, hostile, capsys):
    t = tmp_path
    runs = [
        ["diagnose", str(hostile)],
        ["diagnose", str(t / ("missing" + OSC))],
        ["report", str(hostile), "-o", str(t / ("r" + CSI + ".md"))],
        ["report", str(hostile), "--redact", "-o", str(t / ("rr" + OSC + ".md"))],
        ["report", str(t / ("missing" + CSI))],
        ["bundle", str(hostile), "-o", str(t / ("b" + OSC + ".tlswb"))],
        ["bundle", str(hostile), "-o", str(t / ("nofolder" + CSI) / "x.tlswb")],
        ["export", str(hostile), "-o", str(t / ("e" + CSI + ".tlswb"))],
        ["export", str(hostile), "--redact", "-o", str(t / ("x" + OSC + ".tlswb"))],
        ["cert", str(hostile / OSC)],
        ["cert", str(t / ("missing" + OSC))],
        ["trace", str(hostile / CSI)],
        ["trace", str(t / ("missing" + CSI))],
        ["preflight", str(hostile)],
    ]
    for argv in runs:
        main(argv)
        _clean_out(capsys)


# -- 3: a long line is one line; later line numbers stay true --------------------------------
DATA = Path(__file__).parent / "data"


def _with_long_line(src: Path, dest: Path, after: int, size: int = 1_000_000) -> Path:
    lines = src.read_bytes().splitlines(keepends=True)
    long = b"N 0000000 MVS3     14071 13:58:40.11 STC15790 00000290  " + b"X" * size + b"\n"
    dest.write_bytes(b"".join(lines[:after]) + long + b"".join(lines[after:]))
    return dest


def _json(capsys, argv):
    import json
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_long_console_line_keeps_later_line_numbers(tmp_path, capsys):
    src = SCEN / "MVS3.syslog.txt"
    big = _with_long_line(src, tmp_path / "MVS3.syslog.txt", 1)
    plain = _json(capsys, ["diagnose", "--json", str(src)])
    long = _json(capsys, ["diagnose", "--json", str(big)])
    lines = lambda d: [e["line"] for f in d["findings"] for e in f["evidence"]]  # noqa: E731
    assert lines(long) == [n + 1 for n in lines(plain)] and lines(plain)
    assert long["artifacts"][0]["unparsed"] <= plain["artifacts"][0]["unparsed"] + 1
    main(["report", str(big)])
    out = capsys.readouterr().out
    for n in lines(long):
        assert f"MVS3.syslog.txt line {n}:" in out


def test_long_trace_line_keeps_later_line_numbers(tmp_path, capsys):
    src = DATA / "gsktrace" / "mvs3_two_threads_wide.txt"
    big = _with_long_line(src, tmp_path / "trace.txt", 3)
    plain = _json(capsys, ["trace", "--json", str(src)])
    long = _json(capsys, ["trace", "--json", str(big)])
    assert [r["line"] + 1 for r in plain["records"]] == [r["line"] for r in long["records"]]
    main(["trace", str(big)])
    text = capsys.readouterr().out
    main(["trace", str(src)])
    base = capsys.readouterr().out.replace(str(src), str(big))
    extra = [ln for ln in text.splitlines() if ln not in base.splitlines()]
    assert len(extra) == 1 and "not understood (first: line 4:" in extra[0], extra


# -- 4: nothing readable at all is exit 2 with one line; some read: go on, say which --------
@pytest.mark.parametrize("content", [b"", b"\x00\x01\xfe\xff" * 2000])
@pytest.mark.parametrize("cmd", ["diagnose", "report", "bundle", "export", "cert", "trace"])
def test_nothing_readable_is_exit_2_with_one_line(tmp_path, capsys, cmd, content):
    bad = tmp_path / "input.bin"
    bad.write_bytes(content)
    out = tmp_path / "out.tlswb"
    extra = ["-o", str(out)] if cmd in ("bundle", "export") else []
    assert main([cmd, str(bad), *extra]) == 2
    got = capsys.readouterr()
    assert got.err.count("\n") == 1 and "nothing could be read" in got.err and "input.bin" in got.err
    assert "no failures" not in got.out.lower() and not out.exists()


def test_some_inputs_read_others_not_goes_on_and_says_which(tmp_path, capsys, evidence):
    (evidence / "junk.bin").write_bytes(b"\x00\x01\xfe\xff" * 2000)
    import json
    assert main(["diagnose", "--json", str(evidence)]) == 0
    got = capsys.readouterr()
    assert json.loads(got.out)["findings"]
    assert "could not be read" in got.err and "junk.bin" in got.err


# -- 6: cert on an unreadable PEM: a plain reason; --json lists what was not read -------------
def test_cert_bad_pem_plain_reason_and_json_unreadable(tmp_path, capsys):
    import json
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nMIIBkTCB\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n")
    assert main(["cert", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not valid base64 at line 3" in err and "InvalidByte" not in err and err.count("\n") == 1
    good = DATA / "certs" / "ec_server.pem"
    assert main(["cert", "--json", str(good), str(bad)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["certificates"] and [u["path"] for u in doc["unreadable"]] == [str(bad)]
    assert "not valid base64 at line 3" in doc["unreadable"][0]["reason"]
    assert main(["cert", str(good), str(bad)]) == 0
    out = capsys.readouterr().out
    assert "InvalidData" not in out and "not valid base64 at line 3" in out


# -- 5: a pinned day dates the report the same on any day ---------------------------------------
def test_report_created_line_follows_the_pinned_day(monkeypatch, capsys, evidence):
    monkeypatch.setenv("TLSWORKBENCH_TODAY", "2026-03-01")
    assert main(["report", str(evidence)]) == 0
    first = capsys.readouterr().out
    assert "Created 2026-03-01T12:00:00+00:00 by tlsworkbench." in first
    assert main(["report", str(evidence)]) == 0
    assert capsys.readouterr().out == first
