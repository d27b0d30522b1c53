"""RACDCERT LISTRING / LIST reader on realistic TSO and batch output."""

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsworkbench.ingest import racdcert
from tlsworkbench.model import Artifact, CertInfo, KeyRing, Record, Unparsed

DATA = Path(__file__).parent / "data" / "racdcert"


def _read(name: str, text: str | None = None):
    art = Artifact(id="a1", path=name, kind="racdcert")
    text = (DATA / name).read_text() if text is None else text
    items = list(racdcert.read(enumerate(text.splitlines(), 1), art))
    pick = lambda t: [i for i in items if isinstance(i, t)]  # noqa: E731
    return pick(Record), pick(Unparsed), pick(KeyRing), pick(CertInfo)


def test_seed_artifacts_read_without_unparsed():
    for path in DATA.glob("seed_*"):
        _, unparsed, rings, certs = _read(path.name)
        assert unparsed == [], path.name
        assert rings or certs, path.name


def test_ring_missing_the_server_certificate_error_3():
    recs, _, rings, _ = _read("seed_listring_missing_server_cert.txt")
    assert len(rings) == 1
    ring = rings[0]
    assert (ring.owner, ring.name, ring.key) == ("FTPD", "Server_RING", "FTPD/Server_RING")
    assert [(e.label, e.owner, e.usage, e.default) for e in ring.entries] == [
        ("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", False)]
    assert ring.personal() == [] and ring.default_entry() is None
    ring_rec = next(r for r in recs if r.id == ring.record)
    assert ring_rec.kind == "ring" and ring_rec.fields["ring"] == "Server_RING"
    entry_rec = next(r for r in recs if r.id == ring.entries[0].record)
    assert entry_rec.kind == "ring-entry" and entry_rec.line == 9
    cmds = [r for r in recs if r.kind == "command"]
    assert [c.fields.get("command") for c in cmds] == ["READY", "RACDCERT", "READY", "END"]
    assert cmds[1].fields["ring"] == "Server_RING"


def test_ring_after_connect_has_default_personal_certificate():
    _, _, rings, _ = _read("seed_listring_fixed.txt")
    entry = rings[0].default_entry()
    assert entry is not None
    assert (entry.label, entry.owner, entry.usage) == ("FTP Server on MVS1-MVS7", "FTPD", "PERSONAL")


def test_listring_star_many_rings_wrapped_label_empty_ring_and_no_rings_message():
    recs, unparsed, rings, certs = _read("batch_listring_all_and_list.txt")
    assert unparsed == []
    by_name = {r.name: r for r in rings}
    assert set(by_name) == {"Server_RING", "Empty_RING", "TN3270.Ring.With.Dots"}
    assert all(r.owner == "FTPD" for r in rings)
    assert by_name["Empty_RING"].entries == []
    server = by_name["Server_RING"]
    wrapped = server.entries[2]
    assert (wrapped.label, wrapped.owner, wrapped.usage, wrapped.default) == (
        "Root CA for the Lab Network 2014", "CERTAUTH", "CERTAUTH", False)
    wrapped_rec = next(r for r in recs if r.id == wrapped.record)
    assert (wrapped_rec.line, wrapped_rec.end_line) == (11, 12)
    assert server.entries[1].owner == "TCPIP"  # ID(TCPIP) -> TCPIP
    tn = by_name["TN3270.Ring.With.Dots"]
    assert [e.usage for e in tn.entries] == ["PERSONAL", "SITE", "CERTAUTH"]
    msg = next(r for r in recs if r.kind == "message")
    assert msg.msgid == "IRRD115I" and msg.fields["user"] == "USER301"
    assert msg.severity == "info"
    assert [c.label for c in certs] == ["MVS1 LABS Certificate Authority", "Old Intermediate CA",
                                        "Corporate Site Certificate"]


def test_list_certaut_notrust_and_site_certificates():
    _, _, _, certs = _read("batch_listring_all_and_list.txt")
    ca, old, site = certs
    assert ca.owner == "CERTAUTH" and ca.status == "TRUST" and ca.private_key is False
    assert ca.subject == ca.issuer == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"
    assert ca.serial == "0" and ca.is_ca is True
    assert ca.sha1 == "a1b2c3d4e5f60718293a4b5c6d7e8f9001122334"
    assert ca.rings == ["FTPD/Server_RING", "TCPIP/Client_RING"]
    assert old.status == "NOTRUST"
    assert old.serial == "1f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0"
    # names wrapped in >...< pieces are joined exactly, with RACF keywords mapped
    assert old.issuer == ("CN=Go Daddy Secure Certification Authority,"
                          "OU=http://certificates.godaddy.com/repository,"
                          "O=GoDaddy.com\\, Inc.,L=Scottsdale,ST=Arizona,C=US")
    assert old.subject.endswith("L=Endicott,ST=New York,C=US")
    assert old.san == ["URI:http://pki.example.com/ca.html"]
    assert old.sha256.startswith("9f86d081") and len(old.sha256) == 64
    assert site.owner == "SITE" and site.status == "HIGHTRUST"
    assert site.key_type == "NIST ECC" and site.key_size == 256
    assert site.san == ["domain:zos1.endicott.example.com", "domain:.endicott.example.com",
                        "IP:10.1.2.3"]
    assert site.key_usage == ["HANDSHAKE", "DATAENCRYPT", "DOCSIGN"]


def test_list_server_certificate_error_4():
    recs, _, rings, certs = _read("seed_list_ftp_server.txt")
    assert rings == []  # "Ring:" inside Ring Associations is not a ring listing
    (c,) = certs
    assert c.source == "racdcert" and c.owner == "FTPD" and c.label == "FTP Server on MVS1-MVS7"
    assert c.subject == "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US"
    assert c.issuer == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"
    assert c.serial == "74" and c.status == "TRUST" and c.private_key is True
    assert c.not_before == datetime(2012, 9, 8, tzinfo=timezone.utc)
    assert c.not_after == datetime(2015, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert c.san == ["IP:192.168.20.93", "email:FTP@ZOS1.WSC.IBM.COM", "domain:WSC.IBM.COM"]
    assert c.signature_algorithm == "sha1RSA" and c.key_type == "RSA" and c.key_size == 1024
    assert c.sha256 == "3c55720e8b9da1446f12c0de773195ab102fee41098c5db3627aa419c60de89a"
    assert c.rings == ["FTPD/Server_RING"]
    rec = next(r for r in recs if r.id == c.record)
    assert rec.kind == "cert" and rec.line == 4 and rec.end_line == 30
    assert rec.fields["cert_id"] == "2QTG49fExuPXQOKFmaWFmUCWIUDU5eLnYNTI4uhA"


def test_expired_certificate_error_6_dates_are_utc():
    _, unparsed, _, (c,) = _read("seed_list_expired.txt")
    assert unparsed == []
    assert c.owner == "TCPIP" and c.not_after.year == 2011 and c.not_after.tzinfo is timezone.utc
    assert c.rings == [] and c.serial == "a"


def test_truncated_list_keeps_what_was_read_and_says_where_it_stops():
    recs, unparsed, _, (c,) = _read("bad_truncated_list.txt")
    assert c.issuer == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US" and c.serial == "74"
    assert c.not_after is not None
    assert len(unparsed) == 1 and unparsed[0].line == 13
    assert "truncated" in unparsed[0].reason
    assert next(r for r in recs if r.kind == "cert").fields["truncated"] is True


def test_ring_with_garbage_rows_keeps_good_rows():
    _, unparsed, (ring,), _ = _read("bad_ring_garbage.txt")
    assert [e.label for e in ring.entries] == ["MVS1 LABS Certificate Authority",
                                                "FTP Server on MVS1-MVS7", "Another label"]
    assert sorted(u.line for u in unparsed) == [8, 10]


def test_dn_wrapped_without_brackets_as_copied_from_a_document():
    text = """Digital certificate information for user FTPD:
  Label: FTP Server on MVS1-MVS7
  Issuer's Name:
  >CN=MVS1CA.LABS.IBM.COM.O=MVS1
  CA.C=US<
  Subject's Name:
  >CN=FTP Server on MVS1-
  MVS7.OU=WSC.C=US<
"""
    _, unparsed, _, (c,) = _read("inline", text)
    assert unparsed == []
    assert c.issuer == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"
    assert c.subject == "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US"


def test_sniff_tells_racdcert_output_from_other_text():
    head = (DATA / "seed_listring_fixed.txt").read_text().splitlines()
    assert racdcert.sniff(head, "x.txt") >= 90
    assert racdcert.sniff(["EZD1287I TTLS Error RC:  428 Initial Handshake"], "x") == 0



@pytest.mark.parametrize("line, score", [
    ("RACDCERT ID(TCPIP) LISTRING(FTPRing31)", 60),
    ("racdcert id(FTPD) listring(Server_RING)", 60),
    ("RACDCERT CERTAUTH LIST", 60),
    ("RACDCERT ID(TCPIP) LIST(LABEL('FTP (old) cert'))", 60),
    # prose and other RACDCERT functions are no listing
    ("RACDCERT LIST shows that `FTP Server on MVS1-MVS7` exists, owned by FTPD", 0),
    ("RACDCERT ID(FTPD) CONNECT(ID(FTPD) LABEL('x') RING(Server_RING))", 0),
])
def test_sniff_command_echo_only_when_it_is_a_listing_command(line, score):
    assert racdcert.sniff(["Some notes", line], "notes.txt") == score

@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=30))
def test_never_raises_on_arbitrary_lines(lines):
    art = Artifact(id="a1", path="x", kind="racdcert")
    prefix = ["Digital ring information for user X:", "Ring:", ">R<",
              "Digital certificate information for user X:", "Label: L", "Issuer's Name:"]
    for item in racdcert.read(enumerate(prefix + lines, 1), art):
        assert item is not None


def test_output_as_pasted_from_the_slides_blank_lines_and_wraps():
    recs, unparsed, (ring,), (c,) = _read("seed_slides_as_pasted.txt")
    assert unparsed == []
    assert ring.key == "FTPD/Server_RING" and len(ring.entries) == 1
    assert next(r for r in recs if r.kind == "command").fields["user"] == "FTPD"
    assert c.label == "FTP Server on MVS1-MVS7" and c.private_key is True
    assert next(r for r in recs if r.id == c.record).fields["cert_id"] == \
        "2QTG49fExuPXQOKFmaWFmUCWIUDU5eLnYNTI4uhA"
    assert c.issuer == "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"
    assert c.subject == "CN=FTP Server on MVS1-MVS7,OU=WSC,C=US"


def test_huge_lines_are_read_not_choked_on():
    big = "a" + " " * 40000 + "b"
    text = "\n".join(["Digital ring information for user X:", "  Ring:", "   >R<", big,
                      "  L1   CERTAUTH   CERTAUTH   NO", "Digital certificate information for user X:",
                      "  Label: L", big, "  Status: TRUST"])
    _, unparsed, (ring,), (c,) = _read("huge", text)
    assert [e.label for e in ring.entries] == ["L1"] and c.status == "TRUST"
    assert [u.line for u in unparsed] == [4, 8]
