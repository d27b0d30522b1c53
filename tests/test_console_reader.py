"""console reader: SDSF SYSLOG/OPERLOG, job logs, bare lines, the seed's artifacts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import ebcdic  # noqa: F401
import pytest

from tlsworkbench.ingest import console
from tlsworkbench.ingest.loader import read_data
from tlsworkbench.model import Artifact, Record, Session, Unparsed

DATA = Path(__file__).parent / "data"
CONSOLE = DATA / "console"
SEED_FILES = ["mvs3_syslog.txt", "mvs1_syslog.txt", "mvs1_tcpipt_joblog.txt", "mvs1_ftp_client.txt",
              "seed_console_notes.txt", "mvs3_operlog.txt", "mvs1_other_messages_joblog.txt"]


def load_bytes(name: str, data: bytes) -> tuple[Session, Artifact]:
    s = Session()
    art = read_data(s, name, data)
    return s, art


def load(name: str) -> tuple[Session, Artifact]:
    return load_bytes(name, (CONSOLE / name).read_bytes())


def msgs(s: Session, msgid: str | None = None) -> list[Record]:
    return [r for r in s.records if r.kind == "message" and (msgid is None or r.msgid == msgid)]


def read_direct(text: str, system: str | None = None) -> tuple[list, Artifact]:
    art = Artifact(id="a1", path="x", system=system)
    lines = list(enumerate(text.splitlines(), 1))
    return list(console.read(lines, art)), art


# -- the seed artifacts ------------------------------------------------------------
@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_files_are_console_and_fully_read(name):
    s, art = load(name)
    assert art.kind == "console"
    assert s.unparsed == []
    assert art.unparsed == 0
    # every line is accounted for: records (multi-line ones count once) plus plain lines
    covered = sum(len(r.text.split("\n")) for r in s.records if r.artifact == art.id)
    plain = art.records - len([r for r in s.records if r.artifact == art.id])
    assert covered + plain == art.line_count


def test_mvs3_syslog_ezd1287i_fields():
    s, art = load("mvs3_syslog.txt")
    recs = msgs(s, "EZD1287I")
    assert [r.fields["rc"] for r in recs] == [202, 202, 5006, 6, 428]
    assert [r.fields["event"] for r in recs] == ["Environment Master Init", "Environment Link",
                                                  "Initial Handshake", "Initial Handshake",
                                                  "Initial Handshake"]
    r = recs[3]
    assert r.line == 26 and r.end_line == 30
    assert r.system == "MVS3" and r.job == "TCPIPT" and r.severity == "error"
    assert r.time == datetime(2014, 3, 12, 14, 10, 31, 560000)
    assert r.fields == {
        "grpid": "00000005", "envid": "0000000C", "connid": "000007CC", "rc": 6,
        "event": "Initial Handshake", "local_ip": "192.168.20.93", "local_port": 21,
        "remote_ip": "192.168.20.91", "remote_port": 1037, "jobname": "FTPT1", "userid": "TCPIP",
        "rule": "FTPTat192.168.20.9n~1", "jobid": "STC15830"}
    assert r.text.splitlines()[0].endswith("Initial Handshake 1023")
    assert art.line(r.line) == r.text.splitlines()[0]
    ft = msgs(s, "EZYFT96I")
    assert [f.job for f in ft] == ["FTPT1", "FTPT1"] and all(f.severity == "error" for f in ft)


def test_interleaved_multiline_wto_is_joined_by_connect_id():
    s, _ = load("mvs3_syslog.txt")
    r = next(r for r in msgs(s, "EZD1287I") if r.fields["rc"] == 5006)
    assert r.line == 17 and r.end_line == 22  # line 20 belongs to another job
    assert r.fields["remote_port"] == 1034 and r.fields["connid"] == "000007CA"
    assert "EZY2640I" not in r.text
    assert [x.line for x in s.records] == sorted(x.line for x in s.records)


def test_mvs1_syslog_ich408i_multiline():
    s, _ = load("mvs1_syslog.txt")
    (ich,) = msgs(s, "ICH408I")
    assert ich.fields == {"user": "USER301", "group": "USER", "name": "USER301",
                          "resource": "IRR.DIGTCERT.LISTRING", "cls": "FACILITY",
                          "violation": "INSUFFICIENT ACCESS AUTHORITY", "intent": "READ",
                          "allowed": "NONE", "jobid": "TSU15822"}
    assert ich.job == "USER301" and ich.system == "MVS1" and ich.severity == "error"
    assert [r.fields["rc"] for r in msgs(s, "EZD1287I")] == [406, 202, 438, 438]


def test_job_log_date_system_and_continuations():
    s, art = load("mvs1_tcpipt_joblog.txt")
    recs = msgs(s, "EZD1287I")
    assert [r.fields["rc"] for r in recs] == [406, 438, 438]
    r = recs[0]
    assert r.system == "MVS1" and r.job == "TCPIPT"
    assert r.time == datetime(2014, 3, 12, 13, 59, 2)
    assert "date_known" not in r.fields
    assert r.fields["remote_ip"] == "192.168.20.93" and r.fields["connid"] == "0000009E"
    assert r.end_line == r.line + 4
    # "412 CARDS READ" in the JES2 statistics is not an FTP reply
    assert all("reply" not in x.fields for x in s.records)


def test_job_log_printed_with_a_blank_first_column_reads_the_same():
    text = (CONSOLE / "mvs1_tcpipt_joblog.txt").read_text()
    shifted = "\n".join(" " + ln for ln in text.splitlines()) + "\n"
    s, _ = load_bytes("joblog_blank_column.txt", shifted.encode())
    plain, _ = load("mvs1_tcpipt_joblog.txt")
    assert [(r.line, r.fields) for r in msgs(s, "EZD1287I")] == \
        [(r.line, r.fields) for r in msgs(plain, "EZD1287I")]


def test_job_log_without_date_line_marks_date_unknown():
    items, _ = read_direct("13.59.02 STC15830  EZD1287I TTLS Error RC:  438 Initial Handshake\n"
                           "   479             LOCAL: 192.168.20.91..1037\n")
    (r,) = items
    assert r.fields["date_known"] is False
    assert (r.time.hour, r.time.minute, r.time.second) == (13, 59, 2)
    assert r.fields["local_port"] == 1037


def test_ftp_client_session():
    s, _ = load("mvs1_ftp_client.txt")
    fc = [r for r in msgs(s) if r.msgid == "FC2847"]
    assert [r.fields["errno2"] for r in fc] == ["74520442", "77A9733D"]
    assert all(r.fields["function"] == "authServerAttls" and r.severity == "error" for r in fc)
    conn = msgs(s, "EZA1554I")[0]
    assert (conn.fields["remote_ip"], conn.fields["remote_port"]) == ("192.168.20.93", 21)
    cmd = msgs(s, "EZA1736I")[0]
    assert (cmd.fields["remote_ip"], cmd.fields["remote_port"]) == ("192.168.20.93", 21)
    replies = [r.fields["reply"] for r in msgs(s) if r.msgid is None]
    assert replies[:3] == [220, 220, 234]
    assert msgs(s, "FC2890")[0].fields["protocol"] == "TLSv1.1"
    assert msgs(s, "FC2904")[0].fields["cipher"] == "0A"
    assert [r.severity for r in msgs(s, "EZA2897I")] == ["error", "error"]
    assert msgs(s, "EZA2895I")[0].severity == "info"
    assert msgs(s, "EZA1534I")[0].fields["remote_ip"] == "192.168.20.93"


def test_seed_notes_bare_lines():
    s, _ = load("seed_console_notes.txt")
    ezd = msgs(s, "EZD1287I")
    assert [(r.system, r.fields["rc"]) for r in ezd[:4]] == [
        ("MVS3", 202), ("MVS3", 202), ("MVS1", 406), ("MVS3", 5006)]
    assert ezd[1].fields["event"] == "Environment Link"
    assert ezd[5].fields["event"] == "Initial Handshake"  # the trailing 479 is a connect id
    # the FC2847 line wrapped by the terminal still gets its errno2
    fc = msgs(s, "FC2847")[0]
    assert fc.fields["errno2"] == "74520442" and fc.end_line == fc.line + 1
    # bullets pasted from the slides
    (ich,) = msgs(s, "ICH408I")
    assert ich.fields["resource"] == "IRR.DIGTCERT.LISTRING" and ich.fields["allowed"] == "NONE"
    assert ich.end_line == ich.line + 3
    cms = [r for r in s.records if "cms_status" in r.fields]
    assert [r.fields["cms_status"] for r in cms] == ["0335304B"]
    last = ezd[-1]
    assert last.fields["rc"] == 401 and last.fields["connid"] == "000000AD"
    assert last.fields["local_ip"] == "192.168.20.113" and last.end_line == last.line + 4


def test_operlog_two_letter_types_and_seven_digit_dates():
    s, _ = load("mvs3_operlog.txt")
    ezd = msgs(s, "EZD1287I")
    assert [(r.system, r.fields["rc"]) for r in ezd] == [("MVS3", 6), ("MVS1", 438)]
    assert ezd[0].fields["connid"] == "000007CC" and ezd[0].end_line == 7
    assert ezd[0].time == datetime(2014, 3, 12, 14, 10, 31, 560000)


def test_other_messages():
    s, _ = load("mvs1_other_messages_joblog.txt")
    ich = msgs(s, "ICH408I")
    assert ich[0].fields["resource"] == "CICSUSR.CICSRING.LST" and ich[0].fields["cls"] == "RDATALIB"
    assert ich[0].fields["violation"] == "INSUFFICIENT ACCESS AUTHORITY"
    assert ich[0].end_line == ich[0].line + 3  # ICH408I written line by line
    assert ich[1].fields["violation"] == "DIGITAL CERTIFICATE IS NOT DEFINED"
    assert (ich[1].fields["serial"], ich[1].fields["subject"], ich[1].fields["issuer"]) == (
        "0a1b", "CN=Client One.OU=Test.C=US", "CN=Lab CA.O=Lab.C=US")
    (dfh,) = msgs(s, "DFHSO0123")
    assert dfh.fields["rc"] == 435 and dfh.fields["function"] == "gsk_secure_socket_init"
    assert dfh.severity == "error" and dfh.job == "CICSTS1"
    (irr,) = msgs(s, "IRRD115I")
    assert irr.fields == {"user": "USER301", "jobid": "STC17001"}
    (drop,) = msgs(s, "EZZ6034I")
    assert drop.fields["rcode"] == "1030" and drop.fields["remote_ip"] == "192.168.20.91"
    (det,) = msgs(s, "EZZ6035I")
    assert det.fields["parm2"] == "00000464" and det.fields["rcode"] == "1030-01"
    assert det.fields["conn"] == "00000064" and det.fields["lu"] == "TCPM1001"


def test_ezd1286i_on_a_console_and_cms_status_anywhere():
    items, _ = read_direct(
        "EZD1286I TTLS Error GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC "
        "LOCAL: ::FFFF:192.168.20.93..21 REMOTE: ::FFFF:192.168.20.91..1037 JOBNAME: FTPT1 "
        "USERID: TCPIP RULE: FTPTat192.168.20.9n~1 RC:    6 Initial Handshake 00000000 7EC28B98\n"
        "IEF450I SOMEJOB STEP1 - ABEND=S000 U0000 REASON=00000000 status 03353051\n")
    a, b = items
    assert a.msgid == "EZD1286I" and a.fields["local_ip"] == "192.168.20.93"
    assert a.fields["add_data"] == "00000000 7EC28B98"
    assert b.msgid == "IEF450I" and b.fields["cms_status"] == "03353051"


def test_unknown_messages_are_counted_not_materialised():
    items, art = read_direct("IEF403I BATCH1 - STARTED - TIME=13.59.02\nhello world\n"
                             "EZZ4202I Z/OS UNIX - TCP/IP CONNECTION ESTABLISHED FOR TCPIPT\n")
    assert items == [] and art.records == 3


# -- bad neighbours --------------------------------------------------------------------
def test_garbage_and_wrong_layout_lines_in_a_syslog_become_unparsed():
    s, art = load("bad_syslog_garbage.txt")
    assert [(u.line, u.reason) for u in s.unparsed] == [
        (4, "not in the SYSLOG/OPERLOG column layout"),
        (6, "a job log line inside a SYSLOG/OPERLOG")]
    (r,) = msgs(s, "EZD1287I")
    assert r.fields["connid"] == "000007CA" and r.end_line == 8


def test_first_line_without_connect_id_adopts_the_next_continuation():
    items, _ = read_direct(
        "M 0000000 MVS3     14071 13:59:02.92 STC15830 00000090  EZD1287I TTLS Error RC: 5006 Initial Handshake\n"
        "D                                         951 00000090  LOCAL: 192.168.20.93..21\n"
        "N 0000000 MVS3     14071 13:59:02.93 STC16246 00000290  EZYFT96I TLS handshake failed\n"
        "E                                         951 00000090  USERID: TCPIP GRPID: 00000005 ENVID: 0000000C "
        "CONNID: 000007CA\n")
    ezd, ft = items
    assert (ezd.line, ezd.end_line) == (1, 4) and ezd.fields["connid"] == "000007CA"
    assert ezd.fields["local_port"] == 21 and ft.msgid == "EZYFT96I"


def test_syslog_copied_with_the_panel_blank_column():
    text = "\n".join(" " + ln for ln in (CONSOLE / "mvs3_syslog.txt").read_text().splitlines()[2:])
    assert console.sniff(text.splitlines(), "x") >= 90
    items, _ = read_direct(text)
    assert [r.fields["rc"] for r in items if r.msgid == "EZD1287I"] == [202, 202, 5006, 6, 428]
    assert not [i for i in items if isinstance(i, Unparsed)]


def test_truncated_syslog_keeps_what_it_has():
    s, _ = load("bad_syslog_truncated.txt")
    (r,) = msgs(s, "EZD1287I")
    assert r.fields["rc"] == 5006 and r.fields["local_port"] == 21
    assert "remote_port" not in r.fields and "connid" not in r.fields
    assert s.unparsed == []


def test_control_characters_stay_literal_in_data():
    s, art = load("bad_syslog_control_chars.txt")
    (u,) = s.unparsed
    assert "\x1b[31m" in u.text  # kept as data; the UI shows it through common.printable
    assert msgs(s, "EZD1287I")[0].fields["rc"] == 202


def test_huge_line_in_a_console_file():
    data = b"EZD1287I TTLS Error RC:  202 Environment Master Init\n" + b"X" * 300_000 + b"\nEZA2897I failed\n"
    s, art = load_bytes("huge.txt", data)
    assert art.kind == "console"
    assert [r.msgid for r in msgs(s)] == ["EZD1287I", "EZA2897I"]
    assert art.line_count == 3  # the long line is one line (QA3 3), not 64 KiB pieces


def test_binary_file_is_not_console():
    s, art = load_bytes("junk.bin", bytes(range(256)) * 50)
    assert art.kind != "console"
    assert art.unparsed >= 1


# -- EBCDIC gives the same records ----------------------------------------------------
def _key(s: Session):
    return [(r.kind, r.line, r.end_line, r.msgid, r.system, r.time, r.job, r.severity, r.fields, r.text)
            for r in s.records], [(u.line, u.reason) for u in s.unparsed]


def _fixed(text: str, lrecl: int = 133) -> bytes:
    out = []
    for i, ln in enumerate(text.splitlines()):
        out.append((("1" if i == 0 else " ") + ln).ljust(lrecl).encode("cp1047"))
    return b"".join(out)


@pytest.mark.parametrize("name", SEED_FILES + ["bad_syslog_garbage.txt", "bad_syslog_truncated.txt"])
def test_ebcdic_nl_and_fixed_asa_give_identical_records(name):
    text = (CONSOLE / name).read_text()
    try:
        e_nl = b"".join(ln.encode("cp1047") + b"\x15" for ln in text.splitlines())
    except UnicodeEncodeError:
        pytest.skip("text has characters cp1047 cannot hold")
    want = _key(load_bytes(name, text.encode())[0])
    s, art = load_bytes(name, e_nl)
    assert art.encoding == "cp1047" and art.layout == "lines"
    assert _key(s) == want
    if max(len(ln) for ln in text.splitlines()) <= 132:
        s, art = load_bytes(name, _fixed(text))
        assert (art.encoding, art.layout, art.asa) == ("cp1047", "fixed:133", True)
        assert _key(s) == want


def test_stored_ebcdic_files_match_their_ascii_originals():
    enc = DATA / "encodings"
    for ebc, orig in [("mvs3_syslog.cp1047.txt", "mvs3_syslog.txt"),
                      ("mvs3_syslog.fb133asa.bin", "mvs3_syslog.txt"),
                      ("mvs1_tcpipt_joblog.fb133asa.bin", "mvs1_tcpipt_joblog.txt"),
                      ("mvs1_ftp_client.cp037.txt", "mvs1_ftp_client.txt")]:
        s, art = load_bytes(orig, (enc / ebc).read_bytes())
        assert art.kind == "console"
        assert _key(s) == _key(load(orig)[0]), ebc


# -- sniff ------------------------------------------------------------------------------
def test_sniff_scores():
    syslog = (CONSOLE / "mvs3_syslog.txt").read_text().splitlines()
    joblog = (CONSOLE / "mvs1_tcpipt_joblog.txt").read_text().splitlines()
    ftp = (CONSOLE / "mvs1_ftp_client.txt").read_text().splitlines()
    assert console.sniff(syslog, "log.txt") >= 90
    assert console.sniff(joblog, "JESMSGLG") >= 80
    assert 5 <= console.sniff(ftp, "ftp.txt") <= 20
    assert console.sniff(["hello", "world"], "x.txt") == 0
    assert console.sniff([], "x") == 0


def test_reader_survives_a_parser_failure(monkeypatch):
    def boom(msgid, text):
        raise ValueError("bad parser")

    monkeypatch.setattr(console.msgfields, "parse_message", boom)
    items, art = read_direct("EZD1287I TTLS Error RC: 202 Environment Master Init\nEZA2897I failed\n")
    assert [type(i) for i in items] == [Unparsed, Unparsed]
    assert "bad parser" in items[0].reason


# -- property: every line is accounted for exactly once ----------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SYSLOG_SRC = (CONSOLE / "mvs3_syslog.txt").read_text().splitlines()
_JOBLOG_SRC = (CONSOLE / "mvs1_tcpipt_joblog.txt").read_text().splitlines()
_BARE_SRC = (CONSOLE / "seed_console_notes.txt").read_text().splitlines()


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([_SYSLOG_SRC, _JOBLOG_SRC, _BARE_SRC]).flatmap(
    lambda src: st.lists(st.one_of(st.sampled_from(src), st.text(max_size=60)), max_size=60)))
def test_every_line_is_a_record_line_a_plain_line_or_unparsed(lines):
    items, art = read_direct("\n".join(lines))
    items = [i for i in items if isinstance(i, (Record, Unparsed))]  # JobInfo (IEF695I) comes last
    assert [i.line for i in items] == sorted(i.line for i in items)
    recs = [i for i in items if isinstance(i, Record)]
    unp = [i for i in items if isinstance(i, Unparsed)]
    in_records = sum(len(r.text.split("\n")) for r in recs)
    n_lines = len("\n".join(lines).splitlines())
    assert in_records + art.records + len(unp) == n_lines
