"""Policy Agent AT-TLS configuration file reader."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tlsworkbench.ingest import policy
from tlsworkbench.model import Artifact, PolicyStatement, Record, Unparsed

DATA = Path(__file__).parent / "data" / "policy"


def _read(name: str, text: str | None = None):
    art = Artifact(id="a1", path=name, kind="policy", system="MVS3")
    text = (DATA / name).read_text() if text is None else text
    items = list(policy.read(enumerate(text.splitlines(), 1), art))
    stmts = {(s.kind, s.name): s for s in items if isinstance(s, PolicyStatement)}
    return ([i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Unparsed)],
            stmts, art)


def test_server_policy_all_statements_and_references():
    recs, unparsed, stmts, _ = _read("mvs3_ftp_server.policy")
    assert unparsed == []
    rule = stmts[("TTLSRule", "FTPTat192.168.20.9n~1")]
    assert rule.get("jobname") == "FTPT*" and rule.params["Priority"] == "255"
    assert rule.params["TTLSEnvironmentActionRef"] == "eAct1~FTPTat192.168.20.9n"
    assert rule.lines["LocalPortRange"] == "a1:9" and rule.record == "a1:5"
    assert rule.system == "MVS3"
    env = stmts[("TTLSEnvironmentAction", "eAct1~FTPTat192.168.20.9n")]
    assert env.params["EnvironmentUserInstance"] == "1"  # the ';' comment is dropped
    adv_name = "eAct1~FTPTat192.168.20.9n/TTLSEnvironmentAdvancedParms"
    assert env.params["TTLSEnvironmentAdvancedParmsRef"] == adv_name
    adv = stmts[("TTLSEnvironmentAdvancedParms", adv_name)]
    assert adv.params == {"ClientAuthType": "PassThru", "TLSv1": "On", "TLSv1.1": "On",
                          "TLSv1.2": "Off", "HandshakeTimeout": "10"}
    assert stmts[("TTLSKeyringParms", "keyR1")].params["Keyring"] == "FTPP/Server_RING"
    assert stmts[("TTLSKeyringParms", "keyR1")].lines["Keyring"] == "a1:64"
    ciphers = stmts[("TTLSCipherParms", "cipher1~AT-TLS__Silver")]
    assert ciphers.params["V3CipherSuites"] == [
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256"]
    assert stmts[("TTLSConnectionAdvancedParms", "cAdv1~FTPT")].params["CertificateLabel"] == \
        "FTP Server on MVS1-MVS7"
    group = stmts[("IpAddrGroup", "addrGroup1")]
    assert group.params["IpAddrSetRef"] == ["addrGroup1/IpAddrSet", "addrSet2"]
    assert stmts[("IpAddrSet", "addrGroup1/IpAddrSet")].params["Prefix"] == ["192.168.20.0/24"]
    assert stmts[("PortRange", "portR2")].params["Port"] == ["1024-65535"]
    env_rec = next(r for r in recs if r.id == env.record)
    assert (env_rec.kind, env_rec.line, env_rec.end_line) == ("policy", 33, 47)
    assert env_rec.fields == {"statement": "TTLSEnvironmentAction", "name": env.name}


def test_lower_case_keywords_same_line_braces_and_inline_statements():
    _, unparsed, stmts, _ = _read("mvs1_ftp_client.policy")
    assert unparsed == []
    rule = stmts[("TTLSRule", "FTPTClient@192.168.20.11n")]
    assert rule.params["Direction"] == "outbound" and "RemoteAddr" in rule.params
    assert stmts[("TTLSGroupAction", "gAct1~FTPTClient")].params == {"TTLSEnabled": "On"}
    env = stmts[("TTLSEnvironmentAction", "eAct1~FTPTClient")]
    kr = stmts[("TTLSKeyringParms", env.params["TTLSKeyringParmsRef"])]
    assert kr.name == "eAct1~FTPTClient/TTLSKeyringParms" and kr.params["Keyring"] == "Client_RING"
    adv = stmts[("TTLSEnvironmentAdvancedParms", "eAct1~FTPTClient/TTLSEnvironmentAdvancedParms")]
    assert adv.params == {"TLSv1.1": "On", "TLSv1.2": "On"}
    cp = stmts[("TTLSCipherParms", "eAct1~FTPTClient/TTLSCipherParms")]
    assert cp.params["V3CipherSuites4Char"] == ["C02F", "C030", "002F", "000A"]
    virt = stmts[("TTLSKeyringParms", "eVirtual/TTLSKeyringParms")]
    assert virt.params["Keyring"] == "*AUTH*/*"


def test_main_file_one_line_statements():
    _, unparsed, stmts, _ = _read("pagent.conf")
    assert unparsed == []
    img = stmts[("TcpImage", "TCPIPT")]
    assert img.params["Path"] == "/etc/pagent/TCPIPT.image.conf"
    assert img.params["Options"] == "FLUSH PURGE 1800"
    assert ("CommonTTLSConfig", "/etc/pagent/common.ttls.policy") in stmts


def test_unbalanced_braces_and_junk_are_reported_and_the_rest_is_read():
    _, unparsed, stmts, _ = _read("bad_unbalanced.policy")
    reasons = {u.line: u.reason for u in unparsed}
    assert "missing '}'" in reasons[2]             # BrokenRule never closed
    assert "no open statement" in reasons[15]      # the extra '}'
    assert "not an AT-TLS policy statement" in reasons[16]
    assert "has no value" in reasons[20]           # 'Trace' alone
    assert "end of the file" in reasons[22]        # NeverClosed
    assert stmts[("TTLSRule", "BrokenRule")].params["LocalPortRange"] == "443"
    assert stmts[("TTLSRule", "GoodRule")].params["Priority"] == "10"
    assert stmts[("TTLSGroupAction", "gAct9")].params == {"TTLSEnabled": "On"}
    assert stmts[("TTLSKeyringParms", "NeverClosed")].params["Keyring"] == "TN3270/TN_RING"


def test_comments_quotes_and_repeated_parameters():
    text = """# comment
TTLSConnectionAdvancedParms cAdv ; trailing comment
{
  CertificateLabel "Label with # and ; inside"
  SecondaryMap On   # trailing
  Unknownparm Value1
  Unknownparm Value2
}
"""
    _, unparsed, stmts, _ = _read("inline", text)
    assert unparsed == []
    st_ = stmts[("TTLSConnectionAdvancedParms", "cAdv")]
    assert st_.params["CertificateLabel"] == "Label with # and ; inside"
    assert st_.params["SecondaryMap"] == "On"
    assert st_.params["Unknownparm"] == ["Value1", "Value2"]


def test_sniff_prefers_policy_files():
    head = (DATA / "mvs3_ftp_server.policy").read_text().splitlines()
    assert policy.sniff(head, "x") >= 80
    assert policy.sniff(["HandshakeRole: Server", "TTLSKeyringParms:"], "x") == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["{", "}", "TTLSRule r", "Keyring x", "V3CipherSuites",
                                 "0A", "TTLSKeyringParms", "junk junk junk", "", "# c"])
                | st.lists(st.text(max_size=60), max_size=20), max_size=40))
def test_never_raises(lines):
    art = Artifact(id="a1", path="x", kind="policy")
    flat = [x if isinstance(x, str) else " ".join(x) for x in lines]
    assert all(i is not None for i in policy.read(enumerate(flat, 1), art))


def test_huge_line_becomes_one_unparsed_record():
    text = "TTLSRule r\n{\n Direction Inbound\n}\n" + "x" + " y" * 30000 + "\n"
    _, unparsed, stmts, _ = _read("huge", text)
    assert ("TTLSRule", "r") in stmts and [u.line for u in unparsed] == [5]
