"""syslogd reader: AT-TLS EZD1281I-EZD1286I with BSD, RFC 5424 or no header."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tlsworkbench.ingest import msgfields, syslogd
from tlsworkbench.ingest.loader import read_data
from tlsworkbench.model import Artifact, Record, Session, Unparsed

DATA = Path(__file__).parent / "data"
SYSLOGD = DATA / "syslogd"


def load_bytes(name: str, data: bytes) -> tuple[Session, Artifact]:
    s = Session()
    art = read_data(s, name, data)
    return s, art


def load(name: str) -> tuple[Session, Artifact]:
    return load_bytes(name, (SYSLOGD / name).read_bytes())


def read_direct(text: str) -> tuple[list, Artifact]:
    art = Artifact(id="a1", path="x")
    return list(syslogd.read(list(enumerate(text.splitlines(), 1)), art)), art


def by_id(s: Session, msgid: str) -> list[Record]:
    return [r for r in s.records if r.msgid == msgid]


def test_trace_255_file():
    s, art = load("mvs3_attls_trace255.log")
    assert art.kind == "syslogd" and s.unparsed == []
    assert len(by_id(s, "EZD1284I")) == 18
    keyring = [r for r in by_id(s, "EZD1284I") if r.fields["func"] == "GSK_KEYRING_FILE"]
    assert [(r.fields["action"], r.fields["value"]) for r in keyring] == [("Set", "FTTP/Server_RING")]
    init = next(r for r in by_id(s, "EZD1284I") if r.fields["func"] == "GSK_ENVIRONMENT_INIT")
    assert init.fields["rc"] == 202 and init.fields["value"] == "7EC25118" and init.severity == "error"
    cb = next(r for r in by_id(s, "EZD1284I") if r.fields["func"] == "GSK_IO_CALLBACK")
    assert cb.fields["value"] == "" and cb.severity == "info"
    (m1, m2) = by_id(s, "EZD1281I")
    assert m1.fields == {
        "connid": "000007CA", "local_ip": "192.168.20.93", "local_port": 21,
        "remote_ip": "192.168.20.91", "remote_port": 1034, "jobname": "FTPT1", "userid": "TCPIP",
        "rule": "FTPTat192.168.20.9n~1", "type": "InBound", "status": "Enabled",
        "actions": ["gAct1~FTPT", "eAct1~FTPTat192.168.20.9n", "cAct1~FTPTat192.168.20.9n"],
        "year_known": False, "stack": "TCPIPT"}
    assert m1.system == "MVS3" and m1.job == "TCPIPT"
    assert (m1.time.month, m1.time.day, m1.time.hour, m1.time.minute) == (3, 12, 13, 59)
    (start,) = by_id(s, "EZD1282I")
    assert start.fields["event"] == "Environment Create"
    assert start.fields["actions"] == ["gAct1~FTPT", "eAct1~FTPTat192.168.20.9n"]
    ev = by_id(s, "EZD1283I")
    assert [(r.fields["rc"], r.fields["event"]) for r in ev] == [
        (0, "Environment Master Create"), (202, "Environment Master Init"), (202, "Environment Link"),
        (5006, "Initial Handshake"), (6, "Initial Handshake")]
    assert ev[0].fields["add_data"] == "00000001"
    err = by_id(s, "EZD1286I")
    assert [r.fields["rc"] for r in err] == [202, 5006, 6]
    assert err[1].fields["local_ip"] == "192.168.20.93"  # written as ::FFFF:192.168.20.93
    assert err[2].fields["add_data"] == "00000000 7EC28B98" and err[2].fields["event"] == "Initial Handshake"
    data = by_id(s, "EZD1285I")[0]
    assert data.fields == {"connid": "000007CA", "direction": "SEND", "datatype": "CIPHER",
                           "hex": "15030200020228", "year_known": False, "stack": "TCPIPT",
                           "alert": 40, "alert_level": "fatal", "alert_name": "handshake_failure"}
    # other daemons: an FTP server failure is read, the rest stays plain
    ft = by_id(s, "EZYFT96I")
    assert [r.job for r in ft] == ["FTPT1", "FTPT1"] and "stack" not in ft[0].fields
    assert art.records == art.line_count == 36  # 33 records and 3 plain lines
    assert len(s.records) == 33


def test_year_of_bsd_header_is_a_marked_placeholder():
    items, _ = read_direct("Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   EZD1283I TTLS Event "
                           "GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC RC:    6 Initial Handshake")
    (r,) = items
    assert r.fields["year_known"] is False
    assert r.time == datetime(datetime.now().year, 3, 12, 13, 59, 2)
    leap, _ = read_direct("Feb 29 10:00:00 MVS3 TCPIPT: EZD1283I TTLS Event GRPID: 00000005 "
                          "ENVID: 0000000C CONNID: 000007CC RC:    0 Connection Close")
    assert leap[0].time.month == 2 and leap[0].time.day == 29


def test_rfc5424_and_ipv6():
    s, art = load("mvs1_rfc5424.log")
    assert art.kind == "syslogd"
    (m,) = by_id(s, "EZD1281I")
    assert m.time == datetime(2014, 3, 12, 14, 40, 11, 800000)
    assert "year_known" not in m.fields
    assert (m.fields["local_ip"], m.fields["local_port"]) == ("2001:db8:20::111", 1038)
    assert m.system == "MVS1" and m.job == "TCPIPT" and m.fields["stack"] == "TCPIPT"
    (e,) = by_id(s, "EZD1286I")
    assert e.fields["rc"] == 401 and e.fields["remote_ip"] == "2001:db8:20::113"
    assert art.records == 4  # three records and one inetd line


def test_seed_retyped_messages_wrapped_over_lines():
    s, art = load("mvs1_client_seed_retyped.txt")
    assert art.kind == "syslogd" and s.unparsed == []
    (flow,) = by_id(s, "EZD1284I")
    assert (flow.fields["rc"], flow.fields["func"], flow.fields["value"]) == (401, "GSK_SECURE_SOCKET_INIT", "7EB3C318")
    assert flow.end_line == 2
    (ev,) = by_id(s, "EZD1283I")
    assert ev.fields["rc"] == 401 and ev.fields["connid"] == "000000CA"
    (err,) = by_id(s, "EZD1286I")
    assert err.line == 7 and err.end_line == 10
    assert err.fields["jobname"] == "USER201" and err.fields["userid"] == "USER301"
    assert err.fields["rule"] == "FTPTClient@192.168.20.11n-5"
    assert (err.fields["local_ip"], err.fields["remote_port"]) == ("192.168.20.111", 21)
    assert err.time is None


def test_clock_without_date_is_marked():
    items, _ = read_direct("13:59:02 TCPIPT   EZD1285I TTLS Data  CONNID: 000007CC SEND CIPHER 15030200020228")
    (r,) = items
    assert r.fields["date_known"] is False and r.fields["stack"] == "TCPIPT"
    assert (r.time.hour, r.time.minute, r.time.second) == (13, 59, 2)


def test_fast_path_equals_general_path():
    """The per-line fast path must give what the general parser gives."""
    lines = (SYSLOGD / "mvs3_attls_trace255.log").read_text().splitlines()
    art = Artifact(id="a1", path="x")
    reader = syslogd._Reader(art)
    n_fast = 0
    for n, text in enumerate(lines, 1):
        if "EZD128" not in text:
            continue
        fast = reader.fast(n, text)
        slow = [x for x in reader.line(n, text) if isinstance(x, Record)]
        slow += list(reader.close())
        assert fast is not None, text
        n_fast += 1
        assert (fast.msgid, fast.system, fast.time, fast.job, fast.severity, fast.fields) == (
            slow[0].msgid, slow[0].system, slow[0].time, slow[0].job, slow[0].severity, slow[0].fields)
    assert n_fast == 31


def test_lower_case_hex_and_odd_spacing_take_the_general_path():
    items, _ = read_direct("Mar 12 13:59:02 MVS3 TCPIPT[1]: 13:59:02 TCPIPT   EZD1284I TTLS Flow  GRPID: 00000005 "
                           "ENVID: 0000000c CONNID: 000007cc RC:    0 Set GSK_KEYRING_FILE - FTPD/Server_RING")
    (r,) = items
    assert r.fields["envid"] == "0000000C" and r.fields["connid"] == "000007CC"
    assert r.fields["value"] == "FTPD/Server_RING"


def test_garbage_between_headered_lines_is_unparsed():
    good = ("Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   EZD1283I TTLS Event GRPID: 00000005 "
            "ENVID: 0000000C CONNID: 000007CC RC:    6 Initial Handshake 00000000 7EC28B98")
    text = "\n".join([good, good, good, "\x00\x01 binary junk ]]]", good, "Mar 12 13:59:03 MVS3 inetd: ok"])
    items, art = read_direct(text)
    assert [type(i) for i in items] == [Record, Record, Record, Unparsed, Record]
    assert items[3].line == 4 and "no header" in items[3].reason
    assert art.records == 1


def test_truncated_line():
    items, _ = read_direct("Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   EZD1286I TTLS Error "
                           "GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC LOCAL: 192.168.20.93..21 REM")
    (r,) = items
    assert r.fields["connid"] == "000007CC" and r.fields["local_port"] == 21
    assert "remote_ip" not in r.fields and "rc" not in r.fields


def test_ebcdic_syslogd_gives_identical_records():
    text = (SYSLOGD / "mvs3_attls_trace255.log").read_text()
    stored = (DATA / "encodings" / "mvs3_attls_trace255.cp1047.log").read_bytes()
    want, _ = load_bytes("t.log", text.encode())
    got, art = load_bytes("t.log", stored)
    assert art.encoding == "cp1047"

    def key(s):
        return [(r.line, r.msgid, r.system, r.time, r.job, r.fields, r.text) for r in s.records]

    assert key(got) == key(want)


def test_sniff():
    trace = (SYSLOGD / "mvs3_attls_trace255.log").read_text().splitlines()
    retyped = (SYSLOGD / "mvs1_client_seed_retyped.txt").read_text().splitlines()
    syslog = (DATA / "console" / "mvs3_syslog.txt").read_text().splitlines()
    assert syslogd.sniff(trace, "syslog.log") >= 90
    assert syslogd.sniff(retyped, "notes.txt") >= 30
    assert syslogd.sniff(syslog, "SYSLOG") == 0
    assert syslogd.sniff(["EZD1287I TTLS Error RC:  438 Initial Handshake"], "x") == 0
    assert syslogd.sniff([], "x") == 0


@pytest.mark.parametrize("msgid, body", [
    ("EZD1284I", "GRPID: 00000005 ENVID: 0000000C CONNID: 00000000 RC:  202 Call GSK_ENVIRONMENT_INIT - 7EC25118"),
    ("EZD1283I", "GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC RC:    6 Initial Handshake 00000000 7EC28B98"),
    ("EZD1285I", "CONNID: 000007CC SEND CIPHER 15030200020228"),
])
def test_split_fields_match_general_parser(msgid, body):
    fast = msgfields.split_fields(msgid, body.split())
    general = msgfields.attls(msgid, f"{msgid} TTLS x {body}")
    assert fast == general


@pytest.mark.parametrize("reader", ["syslogd", "console"])
def test_garbage_collector_paused_while_reading_and_restored(reader):
    import gc

    from tlsworkbench.ingest import console

    mod = {"syslogd": syslogd, "console": console}[reader]
    path = SYSLOGD / "mvs3_attls_trace255.log" if reader == "syslogd" else DATA / "console" / "mvs3_syslog.txt"
    lines = list(enumerate(path.read_text().splitlines(), 1))
    assert gc.isenabled()
    gen = mod.read(lines, Artifact(id="a1", path="x"))
    next(gen)
    assert not gc.isenabled()
    gen.close()  # a consumer that stops early
    assert gc.isenabled()
    list(mod.read(lines, Artifact(id="a1", path="x")))
    assert gc.isenabled()


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SRC = ((SYSLOGD / "mvs3_attls_trace255.log").read_text().splitlines()
        + (SYSLOGD / "mvs1_client_seed_retyped.txt").read_text().splitlines())


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_SRC), st.sampled_from(_SRC).map(lambda s: s[: len(s) // 2]),
                          st.text(max_size=60)), max_size=60))
def test_every_syslogd_line_is_accounted_for(lines):
    text = "\n".join(lines)
    items, art = read_direct(text)
    assert [i.line for i in items] == sorted(i.line for i in items)
    in_records = sum(len(i.text.split("\n")) for i in items if isinstance(i, Record))
    unparsed = sum(1 for i in items if isinstance(i, Unparsed))
    assert in_records + art.records + unparsed == len(text.splitlines())
