"""The redacted export end to end on the scenario sessions (both systems'
artifacts): same causes after redaction, commands that name the stand-ins,
no original value anywhere in the export, EBCDIC kept, leaks caught."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from tlsworkbench.engine import open_session
from tlsworkbench.redact import LeakError, export_redacted, redact
from tlsworkbench.redact.collect import collect
from tlsworkbench.redact.scan import Scanner

DATA = Path(__file__).parent / "data"
SCEN = DATA / "scenarios"
CASES = sorted(p.name for p in SCEN.iterdir() if p.is_dir())
# values that stand for something in the fix commands
_NAMED = ("racf", "ring", "label", "host", "ipv4")


def _token_in(value: str, category: str, text: str) -> bool:
    from tlsworkbench.redact.collect import Sensitive

    one = Sensitive()
    one.add(value, category)
    return bool(Scanner(one).text(text, "t"))


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _export(src, tmp_path, name="out.tlswb", **kw):
    out = tmp_path / name
    result = export_redacted([str(s) for s in (src if isinstance(src, list) else [src])], out,
                             seed=kw.pop("seed", 17), **kw)
    return out, result


@pytest.mark.parametrize("case", CASES)
def test_scenario_same_causes_and_nothing_leaks(case, tmp_path):
    original = open_session([SCEN / case])
    out, result = _export(SCEN / case, tmp_path)
    before = sorted(f.cause for f in original.findings)
    assert result.causes_before == before
    assert result.same_causes, (result.causes_before, result.causes_after)
    redacted = open_session([out])
    assert sorted(f.cause for f in redacted.findings) == before
    assert len(redacted.connections) == len(original.connections)
    assert [sorted(c.rcs) for c in redacted.connections] == [sorted(c.rcs) for c in original.connections]

    # an independent scan of every byte of the export, manifest included
    sens = collect(original)
    sc = Scanner(sens)
    for member, data in _members(out).items():
        assert sc.data(data, member) == [], member

    # the fix commands name the stand-ins, never the originals
    mapping = json.loads(Path(str(out) + ".map.json").read_text())["values"]
    named = [d for d in mapping if d["category"] in _NAMED and len(d["original"]) >= 4]
    cmd_text = "\n".join(c.text for f in redacted.findings for c in f.commands)
    cmd_scan = Scanner(sens)
    assert cmd_scan.text(cmd_text, "commands") == []
    if cmd_text:
        orig_cmds = "\n".join(c.text for f in original.findings for c in f.commands)
        used = [d for d in named if _token_in(d["original"], d["category"], orig_cmds)]
        up = cmd_text.upper()
        assert all(d["stand_in"].upper() in up for d in used if d["category"] in ("racf", "ring")), used
        assert not used or any(d["stand_in"].upper() in up for d in used), used


def test_map_file_is_separate_private_and_complete(tmp_path):
    out, result = _export(SCEN / "error4-wrong-owner", tmp_path)
    map_path = Path(str(out) + ".map.json")
    assert result.map_path == map_path and map_path.is_file()
    assert stat.S_IMODE(os.stat(map_path).st_mode) == 0o600
    doc = json.loads(map_path.read_text())
    assert doc["format"] == "tlsworkbench-redaction-map"
    pairs = {d["original"]: d["stand_in"] for d in doc["values"]}
    for real in ("FTPD", "TCPIP", "FTPT1", "Server_RING", "FTP Server on MVS1-MVS7", "192.168.20.93",
                 "USER301"):
        assert real in pairs, real
    members = _members(out)
    assert all("map" not in n for n in members)
    blob = b"".join(members.values())
    for real in ("FTPD", "Server_RING", "192.168.20.93", "USER301", "FTP Server on MVS1-MVS7"):
        assert real.encode() not in blob
    # replies written with stand-ins can be read back with the map
    from tlsworkbench.redact import read_map

    back = read_map(map_path)
    assert back[pairs["Server_RING"]] == "Server_RING"


def test_map_path_may_not_be_the_export(tmp_path):
    from tlsworkbench.redact import RedactError

    with pytest.raises(RedactError):
        export_redacted([str(SCEN / "healthy")], tmp_path / "x.tlswb", tmp_path / "x.tlswb")


def _ebcdic_copy(src: Path, dst: Path) -> None:
    """The scenario as it comes off z/OS in binary: console log in cp1047 with NL
    line ends, the LISTRING output as fixed 80-byte records with no line ends."""
    import ebcdic  # noqa: F401

    shutil.copytree(src, dst)
    log = dst / "MVS3.syslog.txt"
    lines = log.read_text().splitlines()
    log.write_bytes(b"".join(line.encode("cp1047") + b"\x15" for line in lines))
    ring = dst / "MVS3.racdcert-listring.txt"
    lines = ring.read_text().splitlines()
    ring.write_bytes(b"".join(line.ljust(80).encode("cp1047") for line in lines))


def test_ebcdic_artifacts_keep_their_encoding(tmp_path):
    src = tmp_path / "in"
    _ebcdic_copy(SCEN / "error1-keyring-not-found", src)
    original = open_session([src])
    kinds = {Path(a.path).name: (a.encoding, a.layout) for a in original.artifacts}
    assert kinds["MVS3.racdcert-listring.txt"] == ("cp1047", "fixed:80")
    out, result = _export(src, tmp_path)
    assert result.same_causes and "keyring-not-found" in result.causes_after
    red = open_session([out])
    got = {a.path: (a.encoding, a.layout) for a in red.artifacts}
    assert got["MVS3.racdcert-listring.txt"] == ("cp1047", "fixed:80")
    assert got["MVS3.syslog.txt"][0] == "cp1047"
    members = _members(out)
    manifest = json.loads(members["manifest.json"])
    member = next(e["member"] for e in manifest["artifacts"] if e["name"] == "MVS3.racdcert-listring.txt")
    assert len(members[member]) % 80 == 0
    for real in ("FTPD", "FTPP", "TCPIP", "Server_RING", "192.168.20.93"):
        assert real.encode("cp1047") not in members[member] + members[
            next(e["member"] for e in manifest["artifacts"] if e["name"] == "MVS3.syslog.txt")]


def test_a_leak_fails_the_export_and_names_the_value(tmp_path, monkeypatch):
    from tlsworkbench.redact import rewrite

    real_line = rewrite.Rewriter.line

    def leaky(self, text):
        out = real_line(self, text)
        return out + " TCPIP" if "USERID:" in text else out

    monkeypatch.setattr(rewrite.Rewriter, "line", leaky)
    out = tmp_path / "leak.tlswb"
    with pytest.raises(LeakError) as info:
        export_redacted([str(SCEN / "error4-wrong-owner")], out, seed=1)
    msg = str(info.value)
    assert "'TCPIP'" in msg and "line" in msg and "syslog" in msg
    assert not out.exists() and not Path(str(out) + ".map.json").exists()


NESTED_RACDCERT = """\
RACDCERT ID(FTPD) LIST(LABEL('FTPD cert for 192.168.20.93'))
Digital certificate information for user FTPD:

  Label: FTPD cert for 192.168.20.93
  Certificate ID: 2QTG49fExuPXQOKFmaWFmUCWIUDU5eLnYNTI4uhA
  Status: TRUST
  Start Date: 2012/09/08 00:00:00
  End Date:   2015/12/31 23:59:59
  Serial Number:
       >4F2A19<
  Issuer's Name:
       >CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US<
  Subject's Name:
       >CN=FTPD.OU=FTPD Servers.O=WSC.C=US<
  Subject's AltNames:
    IP: 192.168.20.93
    Domain: FTPD.WSC.IBM.COM
  Signing Algorithm: sha256RSA
  Key Usage: HANDSHAKE, DATAENCRYPT
  Key Type: RSA
  Key Size: 2048
  Private Key: YES
  Ring Associations:
    Ring Owner: FTPD
    Ring:
       >FTPD_RING<
"""


def test_values_inside_other_values(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "MVS3.racdcert-list.txt").write_text(NESTED_RACDCERT)
    original = open_session([src])
    assert original.certs and original.certs[0].label == "FTPD cert for 192.168.20.93"
    out, result = _export(src, tmp_path)
    red = open_session([out])
    c = red.certs[0]
    pairs = {d["original"]: d["stand_in"] for d in json.loads(result.map_path.read_text())["values"]}
    user = pairs["FTPD"]
    assert c.owner == user
    assert c.label == pairs["FTPD cert for 192.168.20.93"]
    assert c.subject.startswith(f"CN={user},")
    assert c.rings == [f"{user}/{pairs['FTPD_RING']}"]
    assert f"IP:{pairs['192.168.20.93']}" in c.san
    assert c.serial == pairs["4f2a19"].lower() and len(c.serial) == 6
    text = _members(out)
    blob = b"".join(text.values())
    for real in (b"FTPD", b"192.168.20.93", b"4F2A19", b"WSC", b"MVS1CA"):
        assert real not in blob, real
    # facts that are not names stay as they are
    assert c.key_size == 2048 and c.not_after == original.certs[0].not_after


def test_certificate_files_become_stand_ins(tmp_path):
    from cryptography import x509

    src = tmp_path / "in"
    src.mkdir()
    for name in ("mvs1_ca.pem", "ftp_server.pem", "ftp_server.der", "ftp_server.p12", "ec_chain.p7b"):
        shutil.copy(DATA / "certs" / name, src / name)
    original = open_session([src])
    out, result = _export(src, tmp_path)
    names = dict(result.artifacts)
    assert names[str(src / "ftp_server.p12")].endswith(".pem")
    members = _members(out)
    manifest = json.loads(members["manifest.json"])
    by_name = {e["name"]: members[e["member"]] for e in manifest["artifacts"]}
    assert b"PRIVATE KEY" not in b"".join(by_name.values())
    ca = x509.load_pem_x509_certificate(by_name["mvs1_ca.pem"])
    leaf = x509.load_pem_x509_certificate(by_name["ftp_server.pem"])
    orig_leaf = x509.load_pem_x509_certificate((DATA / "certs" / "ftp_server.pem").read_bytes())
    assert leaf.issuer == ca.subject
    leaf.verify_directly_issued_by(ca)                       # the chain still builds
    assert leaf.not_valid_after_utc == orig_leaf.not_valid_after_utc
    assert leaf.public_key().key_size == orig_leaf.public_key().key_size
    assert leaf.public_key().public_numbers() != orig_leaf.public_key().public_numbers()
    assert len(format(leaf.serial_number, "x")) == len(format(orig_leaf.serial_number, "x"))
    red = open_session([out])
    assert len([c for c in red.certs if c.source == "file"]) == len(
        [c for c in original.certs if c.source == "file"])


def test_trace_certificate_dumps_blanked_and_server_name_replaced(tmp_path):
    src = DATA / "gsktrace" / "mvs3_two_threads_wide.txt"
    original = open_session([src])
    names = [m.server_name for h in original.handshakes for m in h.messages if m.server_name]
    assert "zos1.endicott.ibm.com" in names
    out, result = _export(src, tmp_path)
    red = open_session([out])
    pairs = {d["original"]: d["stand_in"] for d in json.loads(result.map_path.read_text())["values"]}
    new_names = [m.server_name for h in red.handshakes for m in h.messages if m.server_name]
    assert new_names == [pairs[n] for n in names]
    text = next(v for k, v in _members(out).items() if k.startswith("artifacts/")).decode()
    assert "certificate bytes removed by redaction" in text
    assert "4D565331" not in text                               # "MVS1" as hex is gone
    assert [h.cipher_suite for h in red.handshakes] == [h.cipher_suite for h in original.handshakes]


def test_in_memory_redaction_is_deterministic_with_a_seed():
    s = open_session([SCEN / "error2-not-authorized"])
    a = redact(s, seed="x")
    b = redact(s, seed="x")
    assert [o.data for o in a.outputs] == [o.data for o in b.outputs]
    c = redact(s, seed="y")
    assert [o.data for o in a.outputs] != [o.data for o in c.outputs]


def test_names_wrapped_over_lines_are_redacted_whole(tmp_path):
    src = DATA / "racdcert" / "seed_slides_as_pasted.txt"
    original = open_session([src])
    out, result = _export(src, tmp_path)
    red = open_session([out])
    text = next(v for k, v in _members(out).items() if k.startswith("artifacts/")).decode()
    # the seed's subject is wrapped as ">CN=FTP Server on MVS1-" / "MVS7.OU=WSC.C=US<"
    assert "MVS7.OU" not in text and "WSC" not in text and "UCWIUDU5eLnYNTI4uhA" not in text
    assert len(red.certs) == len(original.certs)
    assert [c.subject.count(",") for c in red.certs] == [c.subject.count(",") for c in original.certs]
    assert [c.not_after for c in red.certs] == [c.not_after for c in original.certs]
    assert result.same_causes


def test_ipv6_and_mapped_addresses(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SCEN / "error4-wrong-owner", src)
    log = src / "MVS3.syslogd.log"
    text = log.read_text().replace("192.168.20.91", "fd00:20:0:5::91").replace(
        "LOCAL: 192.168.20.93", "LOCAL: ::FFFF:192.168.20.93")
    log.write_text(text)
    original = open_session([src])
    out, result = _export(src, tmp_path)
    pairs = {d["original"]: d for d in json.loads(result.map_path.read_text())["values"]}
    assert pairs["fd00:20:0:5::91"]["category"] == "ipv6"
    assert pairs["fd00:20:0:5::91"]["stand_in"].startswith("2001:db8:")
    assert not any(k.lower().startswith("::ffff:") for k in pairs)
    member = next(v for k, v in _members(out).items() if k.startswith("artifacts/")
                  and b"EZD1286I" in v and b"TTLS Map" in v).decode()
    assert "fd00" not in member and "192.168" not in member
    assert f"::FFFF:{pairs['192.168.20.93']['stand_in']}..21" in member
    assert result.same_causes and len(open_session([out]).connections) == len(original.connections)


SAMPLES = sorted((Path(__file__).parent.parent / "sample_sessions").glob("*.tlswb"))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_sessions_export_with_the_same_causes(sample, tmp_path):
    out, result = _export(sample, tmp_path)
    assert result.same_causes, (result.causes_before, result.causes_after)
    assert not result.dropped
