"""``tlsworkbench cert``: JSON shape, text output, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tlsworkbench.cli import main

CERTS = Path(__file__).parent / "data" / "certs"
AT = "2014-03-12T13:59:02Z"


def run_json(capsys, *args) -> dict:
    assert main(["cert", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape(capsys):
    doc = run_json(capsys, CERTS / "ftp_server.pem", "--at", AT, "--host", "mvs3.wsc.ibm.com",
                   "--ring", CERTS / "mvs1_ca.pem")
    (c,) = doc["certificates"]
    assert set(c) == {"source", "label", "owner", "status", "private_key", "subject", "issuer", "serial", "serial_racf", "not_before", "not_after", "sha256", "sha1",
                      "key_type", "key_size", "signature_algorithm", "san", "key_usage", "is_ca", "checks"}
    assert c["subject"] == "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US"
    assert c["not_before"] == "2012-09-08T00:00:00Z" and c["not_after"] == "2015-12-31T23:59:59Z"
    assert c["serial"] == "74" and c["key_size"] == 2048 and c["is_ca"] is False
    assert c["sha256"] == c["sha256"].lower() and len(c["sha1"]) == 40
    assert c["source"].endswith("ftp_server.pem")
    for k in c["checks"]:
        assert set(k) == {"id", "severity", "message", "citation"}
    ids = {k["id"]: k["severity"] for k in c["checks"]}
    assert ids["chain-ok"] == "I" and ids["host-ok"] == "I"
    assert "E" not in ids.values()


def test_seed_error6_expired(capsys):
    doc = run_json(capsys, CERTS / "expired_ftpserver31.pem", "--at", AT)
    ids = {k["id"]: k["severity"] for k in doc["certificates"][0]["checks"]}
    assert ids["validity-expired"] == "E"


def test_several_files_and_a_damaged_one(capsys):
    doc = run_json(capsys, CERTS / "ftpxsrv31.pem", CERTS / "truncated.der", CERTS / "ec_chain.p7b",
                   "--at", AT, "--host", "FTPXSRV31.WAS.IBM.COM")
    assert len(doc["certificates"]) == 4
    first = {k["id"] for k in doc["certificates"][0]["checks"]}
    assert "host-mismatch" in first


def test_racdcert_list_against_notrust_ring(capsys):
    doc = run_json(capsys, CERTS / "racdcert_list_ftpd.txt", "--at", AT,
                   "--ring", CERTS / "racdcert_ring_notrust.txt")
    (c,) = doc["certificates"]
    assert c["subject"] == "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US" and c["sha1"] is None
    ids = {k["id"] for k in c["checks"]}
    assert {"chain-issuer-notrust", "no-private-key"} <= ids


def test_racdcert_list_against_trusted_ring_is_name_only(capsys):
    doc = run_json(capsys, CERTS / "racdcert_list_ftpd.txt", "--at", AT,
                   "--ring", CERTS / "racdcert_ring_trust.txt")
    ids = {k["id"] for k in doc["certificates"][0]["checks"]}
    assert "chain-signatures-unchecked" in ids and "chain-issuer-notrust" not in ids


def test_text_output(capsys):
    assert main(["cert", str(CERTS / "sha1_server.pem"), str(CERTS / "truncated.pem"), "--at", AT]) == 0
    out = capsys.readouterr().out
    assert "Inspecting is not verifying" in out
    assert "W signature-sha1" in out
    assert ">CN=SHA1 Server on MVS2.OU=WSC.C=US<" in out
    assert "Not read:" in out and "no END line" in out
    assert main(["cert", str(CERTS / "ftp_server.pem"), "--ring", str(CERTS / "mvs1_ca.pem"), "--at", AT]) == 0
    assert "Verifying against" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["cert", "no-such-file.pem"], "no such file"),
    (["cert", str(CERTS / "ftp_server.pem"), "--at", "yesterday"], "--at"),
    (["cert", str(CERTS / "ftp_server.pem"), "--ring", "missing-ring.txt"], "no such file"),
])
def test_usage_errors_exit_2(capsys, args, words):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_ca_defined_but_not_connected(capsys):
    doc = run_json(capsys, CERTS / "racdcert_list_ftpd.txt", "--at", AT,
                   "--ring", CERTS / "racdcert_ring_ca_unconnected.txt")
    (k,) = [k for k in doc["certificates"][0]["checks"] if k["id"] == "chain-issuer-missing"]
    assert k["severity"] == "E" and "not connected to the ring" in k["message"]
    assert "MVS1 LABS Certificate Authority" in k["message"]


def test_ring_without_details_softens_missing_issuer(capsys):
    doc = run_json(capsys, CERTS / "racdcert_list_ftpd.txt", "--at", AT,
                   "--ring", CERTS / "racdcert_listring_only.txt", "--ring", CERTS / "racdcert_list_ftpd.txt")
    ids = {k["id"]: k for k in doc["certificates"][0]["checks"]}
    assert ids["chain-issuer-missing"]["severity"] == "W"
    assert "without details" in ids["chain-issuer-missing"]["message"]
