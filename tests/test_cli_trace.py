"""``tlsworkbench trace PATH [--json]``."""

import json
from pathlib import Path

from tlsworkbench.cli import main

DATA = Path(__file__).parent / "data" / "gsktrace"


def run(capsys, *argv):
    rc = main(["trace", *map(str, argv)])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_json_shape(capsys):
    rc, out, _ = run(capsys, DATA / "mvs3_two_threads_wide.txt", "--json")
    assert rc == 0
    doc = json.loads(out)
    assert set(doc) == {"records", "handshakes"}
    rec = doc["records"][0]
    assert set(rec) == {"line", "system", "time", "kind", "job", "process", "thread", "function", "text"}
    assert rec["kind"] == "SSL_ENTRY" and rec["time"] == "2014-03-12T13:59:02.912507"
    assert isinstance(rec["text"], list)
    h1, h2 = doc["handshakes"]
    assert set(h1) == {"job", "thread", "peer", "rc", "connection", "messages"}
    assert h2["peer"] == "192.168.20.92:1040" and h2["rc"] == 420
    m = h1["messages"][0]
    assert set(m) == {"line", "direction", "type", "handshake_type", "version", "cipher_suites",
                      "cipher_suite", "extensions", "server_name", "certificates"}
    assert m["type"] == "ClientHello" and m["handshake_type"] == 1 and m["direction"] == "in"
    assert m["cipher_suites"][0] == "TLS_RSA_WITH_AES_128_CBC_SHA"
    assert m["server_name"] == "zos1.endicott.ibm.com"
    cert = h1["messages"][2]["certificates"][0]
    assert set(cert) == {"subject", "issuer", "serial", "not_before", "not_after", "sha256"}
    assert cert["serial"] == "1234"


def test_text_ladder(capsys):
    rc, out, _ = run(capsys, DATA / "seed_mvs3_excerpts.txt")
    assert rc == 0
    lines = out.splitlines()
    ch = next(line for line in lines if "ClientHello" in line)
    sh = next(line for line in lines if "ServerHello " in line)
    assert ch.index("ClientHello") < ch.index("-->")  # client column, arrow to the server
    assert sh.index("<--") < sh.index("ServerHello")
    assert "negotiated: TLSv1.1, TLS_RSA_WITH_3DES_EDE_CBC_SHA (System SSL spec 0A)" in out
    assert "peer 192.168.20.91:1034" in out
    assert "stopped: after ClientKeyExchange (received)" in out


def test_untrusted_text_is_printed_literally(capsys, tmp_path):
    text = (DATA / "seed_mvs3_excerpts.txt").read_text(encoding="utf-8")
    evil = text.replace("Using server certificate 'FTP Server on MVS1-MVS7'",
                        "Using server certificate '[bold]x\x1b[2J'")
    path = tmp_path / "evil.txt"
    path.write_text(evil, encoding="utf-8")
    rc, out, _ = run(capsys, path)
    assert rc == 0
    assert "\x1b" not in out
    assert "certificate label: [bold]x\\x1b[2J" in out


def test_missing_file(capsys, tmp_path):
    rc, _, err = run(capsys, tmp_path / "nope.txt")
    assert rc == 2 and "no such file" in err


def test_not_a_trace(capsys, tmp_path):
    path = tmp_path / "junk.txt"
    path.write_text("hello\nworld\n")
    rc, out, err = run(capsys, path)
    # no input could be read at all: exit 2 with one line (QA3 4)
    assert rc == 2 and "nothing could be read" in err and err.count("\n") == 1


def test_ladder_of_a_traced_client(capsys, tmp_path):
    import tlshelpers

    ch = bytes.fromhex("0100002D03025089 8BF6761EA90F924A 0B90920345AE6AD5 DC1ECCCF3AF60746"
                       "275180D1DCD00000 0600FF000A002F01 00".replace(" ", ""))
    w = tlshelpers.TraceWriter(job="FTPCLI")
    w.entry("SSL_ENTRY", "gsk_secure_socket_init", ["Handle 7EB38318"])
    w.entry("SSL_INFO", "gsk_perform_v3_client_handsh",
            ["Performing SSL V3 client handshake with 192.168.20.31.21."])
    w.entry("SSL_INFO", "send_v3_client_hello", ["Sent CLIENT-HELLO message"])
    w.entry("SSL_ASCII_DUMP", "send_v3_client_hello", ["CLIENT-HELLO message"] + tlshelpers.hex_lines(ch))
    w.entry("SSL_ERROR", "gsk_read_v3_record", ["Socket closed by 192.168.20.31.21."])
    path = tmp_path / "client.txt"
    path.write_text(w.text())
    rc, out, _ = run(capsys, path)
    assert rc == 0
    assert "traced side: client; peer 192.168.20.31:21" in out
    row = next(line for line in out.splitlines() if "ClientHello" in line)
    assert row.index("ClientHello") < row.index("-->")
    assert "why: socket closed by 192.168.20.31.21" in out
