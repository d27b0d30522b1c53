"""The GSKSRVR trace reader: records, dumps, handshakes, and the join to
connections."""

from datetime import datetime
from pathlib import Path

import pytest

from tlsworkbench.ingest import gsktrace
from tlsworkbench.model import Artifact, Connection, Endpoint, Record, Session, Unparsed
from tlsworkbench.model import trace_join
from tlsworkbench.model.trace import Handshake, TraceRecord

DATA = Path(__file__).parent / "data" / "gsktrace"
SEED = DATA / "seed_mvs3_excerpts.txt"
WIDE = DATA / "mvs3_two_threads_wide.txt"


def read_lines(lines, aid="a1") -> Session:
    s = Session()
    for item in gsktrace.read(enumerate(lines, 1), Artifact(id=aid, path="t")):
        s.add(item)
    return s


def read(path: Path, aid="a1") -> Session:
    return read_lines(path.read_text(encoding="utf-8").splitlines(), aid)


# -- the seed's excerpts (compact layout, bullets, typos) ---------------------------
def test_seed_records():
    s = read(SEED)
    assert not s.unparsed
    assert len(s.trace_records) == 45
    first = s.trace_records[0]
    assert (first.system, first.mnemonic, first.entry, first.kind) == ("MVS3", "MESSAGE", 1, "SSL_ENTRY")
    assert (first.job, first.process, first.thread, first.function) == (
        "TCPIPT", "00050022", "00000004", "gsk_secure_socket_init")
    assert first.time is None and first.time_text == "13:59:02.912484"  # no report date
    assert first.detail == ["Handle 7EB38318"]
    exits = [t for t in s.trace_records if t.function == "gsk_get_default_label" and t.kind == "SSL_EXIT"]
    assert exits[0].exit_status == 0
    assert "Default label 'FTP Server on MVS1-MVS7'" in exits[0].detail
    recs = [r for r in s.records if r.kind == "trace"]
    assert len(recs) == 45 and all(isinstance(r, Record) for r in recs)
    assert all(isinstance(t, TraceRecord) for t in s.trace_records)
    assert [r.id for r in recs] == [t.id for t in s.trace_records]
    assert recs[0].fields["function"] == "gsk_secure_socket_init" and recs[0].fields["entry"] == 1
    assert recs[0].text.startswith("• MVS3 MESSAGE 0000001")
    dump = next(t for t in s.trace_records if t.kind == "SSL_ASCII_DUMP")
    assert dump.dump.title == "CLIENT-HELLO message" and len(dump.dump.prefix()) == 49


def test_seed_handshake():
    (hs,) = read(SEED).handshakes
    assert isinstance(hs, Handshake)
    assert hs.id == "h1" and hs.system == "MVS3" and hs.job == "TCPIPT" and hs.thread == "00000004"
    assert hs.peer == Endpoint("192.168.20.91", 1034)
    assert hs.role == "server"
    assert hs.version == "TLSv1.1"
    assert hs.cipher_suite == "TLS_RSA_WITH_3DES_EDE_CBC_SHA" and hs.cipher_spec == "0A"
    assert hs.enabled_specs == ["TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"]
    assert hs.certificate_label == "FTP Server on MVS1-MVS7"
    assert [(m.type, m.direction) for m in hs.messages] == [
        ("ClientHello", "in"), ("ServerHello", "out"), ("Certificate", "out"),
        ("ServerHelloDone", "out"), ("ClientKeyExchange", "in")]
    ch, sh, cert, shd, cke = hs.messages
    assert ch.version == "TLSv1.1" and ch.complete
    assert ch.cipher_suites == ["TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                                "TLS_RSA_WITH_AES_128_CBC_SHA"]
    assert sh.cipher_suite == "TLS_RSA_WITH_3DES_EDE_CBC_SHA" and sh.extensions == ["renegotiation_info"]
    assert not shd.has_bytes and not cke.has_bytes  # named by INFO lines only
    assert hs.rc is None and hs.stopped == "after ClientKeyExchange (received)"
    assert "trace ends" in hs.reason


def test_seed_certificate_excerpt():
    """The excerpt holds the start of the CERTIFICATE message: a 1312-byte list
    whose first certificate is declared as 673 bytes, cut by the typo 0692A86."""
    (hs,) = read(SEED).handshakes
    cert = hs.messages[2]
    assert cert.line == "a1:80"  # the better of the two pasted copies
    assert cert.fields["list_length"] == 1312 and cert.fields["certificate_lengths"] == [673]
    assert not cert.complete and cert.stopped_at == 28
    assert "0692A86" in cert.problem
    (partial,) = cert.certificates
    assert partial["partial"] and partial["serial"] == "6" and partial["present_length"] == 18


# -- the wide IPCS layout, two threads ---------------------------------------------
def test_wide_two_threads():
    s = read(WIDE)
    assert not s.unparsed
    h1, h2 = s.handshakes
    assert h1.thread == "00000004" and h2.thread == "00000005"
    assert h1.rc == 0 and h1.reason == "handshake completed"
    assert h1.start == datetime(2014, 3, 12, 13, 59, 2, 912507)
    assert h1.cipher_spec == "2F" and h1.cipher_suite == "TLS_RSA_WITH_AES_128_CBC_SHA"
    assert [m.type for m in h1.messages] == ["ClientHello", "ServerHello", "Certificate",
                                             "ServerHelloDone", "ClientKeyExchange"]
    assert h2.peer == Endpoint("192.168.20.92", 1040)
    assert h2.rc == 420 and "Socket closed by 192.168.20.92.1040" in h2.reason
    assert h2.stopped == "after ServerHelloDone (sent)"
    partial = h2.messages[2].certificates[0]
    assert partial["partial"] and partial["subject"] == "CN=zos1.endicott.ibm.com,O=MVS1 CA,C=US"
    err = [r for r in s.records if r.fields.get("kind") == "SSL_ERROR"]
    assert err and err[0].severity == "error"
    eb = next(t for t in s.trace_records if t.kind == "SSL_EBCDIC_DUMP")
    assert eb.dump.prefix().decode("cp037") == "HELLO WORLD"
    assert len(s.certs) == 2  # the complete certificates of h1


def test_sniff():
    assert gsktrace.sniff(WIDE.read_text().splitlines()[:50], "x") >= 90
    assert gsktrace.sniff(SEED.read_text().splitlines()[:50], "x") >= 90
    assert gsktrace.sniff(["Mar 12 13:59:02 MVS3 TCPIPT[67174435]: EZD1287I TTLS Error"], "x") == 0


# -- bad input ---------------------------------------------------------------------
def test_bad_lines_become_unparsed_and_nothing_raises():
    lines = ["garbage before the trace", "\x00\x01\x02\x1b[31m", "X" * 100_000,
             " MVS3     MESSAGE   00000008  13:59:02.912513  SSL_INFO",
             "              Received CLIENT-HELLO message",  # no Job line
             " MVS3     DUMP      00000020  13:59:02.912857  SSL_ASCII_DUMP",
             "              Job TCPIPT    Process 00050022  Thread 00000004  read_v3_client_hello",
             "              CLIENT-HELLO message",
             "              00000000: 0100002D 0302ZZZZ",
             "              00000010: FFFFFFFF"]
    s = read_lines(lines)
    assert [u.line for u in s.unparsed] == [1, 2, 3]
    assert all(isinstance(u, Unparsed) and u.reason for u in s.unparsed)
    assert len(s.trace_records) == 2
    (hs,) = s.handshakes
    msg = hs.messages[0]
    assert msg.type == "ClientHello" and not msg.complete


def test_truncated_file_mid_dump():
    text = WIDE.read_text().splitlines()
    cut = next(i for i, t in enumerate(text) if "00000040:" in t) + 1
    s = read_lines(text[:cut])
    (hs,) = s.handshakes
    assert hs.messages[0].type == "ClientHello" and not hs.messages[0].complete
    assert "trace ends" in hs.reason


def test_midnight_rollover():
    lines = [" **** 03/12/2014",
             " MVS3 MESSAGE 00000008 23:59:59.900000 SSL_INFO",
             " Job TCPIPT Process 1 Thread 2 f", " x",
             " MVS3 MESSAGE 00000008 00:00:00.100000 SSL_INFO",
             " Job TCPIPT Process 1 Thread 2 f", " y"]
    s = read_lines(lines)
    assert [t.time.day for t in s.trace_records] == [12, 13]


def test_loader_detects_the_trace():
    from tlsworkbench.ingest.loader import load

    s = load([SEED])
    assert s.artifacts[0].kind == "gsktrace"
    assert len(s.handshakes) == 1 and len(s.trace_records) == 45


# -- join to connections -----------------------------------------------------------
def _conn(cid, ip, port, system="MVS3", stack="TCPIPT"):
    return Connection(id=cid, system=system, stack=stack, remote=Endpoint(ip, port),
                      first_time=datetime(2014, 3, 12, 13, 59, 2), last_time=datetime(2014, 3, 12, 13, 59, 3))


def test_join_by_peer_system_and_time():
    s = read(WIDE)
    s.connections = [_conn("c1", "192.168.20.91", 1034), _conn("c2", "192.168.20.92", 1040),
                     _conn("c3", "192.168.20.92", 1041), _conn("c4", "192.168.20.91", 1034, system="MVS1")]
    trace_join.join(s)
    assert [h.connection for h in s.handshakes] == ["c1", "c2"]
    assert s.connections[0].handshakes == ["h1"] and s.connections[1].handshakes == ["h2"]
    assert s.connections[2].handshakes == [] and s.connections[3].handshakes == []
    trace_join.join(s)  # idempotent
    assert s.connections[0].handshakes == ["h1"]


def test_join_respects_time_window_and_renumbers_ids():
    s = read(WIDE)
    far = _conn("c1", "192.168.20.91", 1034)
    far.first_time = far.last_time = datetime(2014, 3, 13, 9, 0, 0)
    s.connections = [far]
    other = read(SEED, aid="a2")
    s.handshakes += other.handshakes  # a second trace: its h1 clashes
    trace_join.join(s)
    assert [h.id for h in s.handshakes] == ["h1", "h2", "h3"]
    assert s.handshakes[0].connection is None
    assert s.handshakes[2].connection == "c1"  # no date in the seed: time not judged


# -- rendered traces: alerts, certificate dumps, dumps over two records -------------
def test_alert_and_der_dump_and_continued_dump(tmp_path):
    import tlshelpers

    pki = tlshelpers.make_pki(tmp_path)
    w = tlshelpers.TraceWriter(wide=False)
    w.entry("SSL_ENTRY", "gsk_secure_socket_init", ["Handle 7EB38318"])
    w.entry("SSL_INFO", "gsk_secure_socket_init", ["Establishing secure connection with 10.1.1.1.5000."])
    w.entry("SSL_ASCII_DUMP", "gsk_encode_signature",
            ["Encoded signature stream"] + tlshelpers.hex_lines(pki.ca_der))
    ch = bytes.fromhex("0100002D03025089 8BF6761EA90F924A 0B90920345AE6AD5 DC1ECCCF3AF60746"
                       "275180D1DCD00000 0600FF000A002F01 00".replace(" ", ""))
    lines = tlshelpers.hex_lines(ch)
    w.entry("SSL_INFO", "read_v3_client_hello", ["Received CLIENT-HELLO message"])
    w.entry("SSL_ASCII_DUMP", "read_v3_client_hello", ["CLIENT-HELLO message"] + lines[:2])
    w.entry("SSL_ASCII_DUMP", "read_v3_client_hello", lines[2:])  # the dump goes on
    w.entry("SSL_INFO", "read_v3_alert", ["Received ALERT message"])
    w.entry("SSL_ASCII_DUMP", "read_v3_alert", ["ALERT message", "00000000: 0230  *.0*"])
    w.entry("SSL_EXIT", "gsk_secure_socket_init", ["Exit status 000001B3 (435)"])
    s = read_lines(w.text().splitlines())
    assert not s.unparsed
    (hs,) = s.handshakes
    hello, alert = hs.messages
    assert hello.complete and hello.cipher_suites[1] == "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
    assert alert.type == "Alert" and alert.direction == "in"
    assert alert.fields["alert"] == "fatal unknown_ca"
    assert hs.rc == 435 and hs.stopped == "after Alert (received)"
    (ca,) = s.certs
    assert ca.der == pki.ca_der and ca.subject == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"


@pytest.mark.parametrize("text,rc", [("Exit status 0000019A (410)", 410), ("Exit status 0x00000192 (402)", 402),
                                     ("Exit status 000001A4", 420), ("Exit status 00000000 (0)", 0)])
def test_exit_status_forms(text, rc):
    s = read_lines([" MVS3 MESSAGE 00000002 13:59:02.913356 SSL_EXIT",
                    " Job TCPIPT Process 00050022 Thread 00000004 gsk_secure_socket_init", f" {text}"])
    assert s.trace_records[0].exit_status == rc
    assert s.records[0].severity == ("error" if rc else "info")


def test_bad_file_side_by_side_with_good():
    """A trace cut off inside a Certificate dump, with pasted junk: what can be
    read is read, the junk outside entries is Unparsed, nothing raises."""
    from tlsworkbench.ingest.loader import load

    s = load([DATA / "bad_truncated_with_junk.txt"])
    assert s.artifacts[0].kind == "gsktrace"
    assert [u.line for u in s.unparsed] == [4]
    h1, h2 = s.handshakes
    assert [m.type for m in h1.messages] == ["ClientHello", "ServerHello", "Certificate"]
    cert = h1.messages[-1]
    assert not cert.complete and cert.stopped_at == 64 and cert.certificates[0]["partial"]
    assert h1.rc is None and "trace ends" in h1.reason
    assert h2.peer == Endpoint("192.168.20.92", 1040) and h2.messages == []
    junk = next(t for t in s.trace_records if any("\x1b" in d for d in t.detail))
    assert junk.line == 12  # kept literally as detail of the entry it fell into


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_SEED_LINES)), st.text(max_size=80)), max_size=6),
       st.integers(1, len(_SEED_LINES)))
def test_random_lines_and_cuts_never_break_the_reader(inserts, cut):
    lines = list(_SEED_LINES[:cut])
    for pos, text in inserts:
        lines.insert(min(pos, len(lines)), text)
    s = read_lines(lines)
    assert not [u for u in s.unparsed if "not understood" in u.reason or "completed" in u.reason]
    for h in s.handshakes:
        assert h.id and h.reason


def test_seed_encoded_signature_stream_is_the_629_byte_ca_certificate():
    """Page 4's dump of the CA certificate: lines 0x110-0x26F were left out of the
    slide; its DER header declares 629 bytes, the seed's "Certificate 2"."""
    s = read(SEED)
    dumps = [t.dump for t in s.trace_records if t.dump is not None and t.dump.title == "Encoded signature stream"]
    full = max(dumps, key=lambda d: d.end)
    assert full.data[:4] == bytes.fromhex("30820275") and 0x275 == 629
    assert full.end == 4 + 629
    assert [(g.offset, g.length) for g in full.gaps] == [(0x110, 0x160)]
    assert len(s.certs) == 0  # incomplete: no CertInfo from it


def test_older_wording_with_the_protocol_before_the_message_name_reads_the_same():
    # Older System SSL levels trace "Sent V3 CLIENT-HELLO message" and dump titles
    # "V3 CLIENT-HELLO message"; the handshakes must decode as with today's wording
    from tlsworkbench.engine import open_session

    base = Path(__file__).parent / "data" / "gsktrace"
    new = open_session([base / "mvs3_two_threads_wide.txt"])
    old = open_session([base.parent / "gsktrace_older" / "mvs3_old_wording_v3.txt"])

    def flows(s):
        return [[(m.direction, m.type, m.version) for m in h.messages] for h in s.handshakes]

    assert flows(old) == flows(new)
    assert any(m.type == "ClientHello" for h in old.handshakes for m in h.messages)
