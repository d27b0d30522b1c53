"""Policy resolution: rule -> actions -> key ring, and AT-TLS rule matching."""

import importlib
from pathlib import Path

import pytest

from tlsworkbench.model import Artifact, Session
from tlsworkbench.model.policy import addr_matches, effective, port_matches, rules_for, split_keyring

DATA = Path(__file__).parent / "data" / "policy"


def _session(*files):
    s = Session()
    for i, (kind, name, system) in enumerate(files, 1):
        art = Artifact(id=f"a{i}", path=name, kind=kind, system=system)
        s.artifacts.append(art)
        mod = importlib.import_module(f"tlsworkbench.ingest.{kind}")
        for item in mod.read(enumerate((DATA / name).read_text().splitlines(), 1), art):
            s.add(item)
    return s


@pytest.fixture(scope="module")
def file_only():
    return _session(("policy", "mvs3_ftp_server.policy", "MVS3"),
                    ("policy", "mvs1_ftp_client.policy", "MVS1"))


@pytest.fixture(scope="module")
def with_pasearch():
    return _session(("policy", "mvs3_ftp_server.policy", "MVS3"),
                    ("pasearch", "pasearch_mvs3_pasearch_t.txt", "MVS3"))


def test_error_1_key_ring_owner_typo_from_the_policy_file(file_only):
    ep = effective(file_only, "FTPTat192.168.20.9n~1", "MVS3")
    assert ep.rule.name == "FTPTat192.168.20.9n~1"
    assert ep.env_action.name == "eAct1~FTPTat192.168.20.9n"
    assert (ep.keyring, ep.keyring_owner, ep.keyring_name, ep.keyring_type) == (
        "FTPP/Server_RING", "FTPP", "Server_RING", "racf")
    assert ep.keyring_record == "a1:64"  # the exact line to fix
    assert ep.handshake_role == "Server" and ep.env_user_instance == 1
    assert ep.group_user_instance == 1
    assert ep.trace == 255  # the connection action's Trace wins over the group's 7
    assert ep.certificate_label == "FTP Server on MVS1-MVS7"
    assert ep.client_auth_type == "PassThru" and ep.handshake_timeout == 10
    assert ep.protocols == {"TLSv1": True, "TLSv1.1": True, "TLSv1.2": False}
    assert ep.ciphers[0] == "TLS_RSA_WITH_3DES_EDE_CBC_SHA" and len(ep.ciphers) == 4
    assert ep.application_controlled is True
    assert ep.records["rule"] == "a1:5" and ep.records["trace"] == "a1:54"
    assert ep.missing == []


def test_pasearch_wins_over_the_file_for_the_same_statement(with_pasearch):
    ep = effective(with_pasearch, "FTPTat192.168.20.9n~1", "MVS3")
    assert ep.rule.record.startswith("a2:")
    assert ep.keyring_record.startswith("a2:") and ep.keyring == "FTPP/Server_RING"
    assert ep.client_auth_type == "Full"


def test_rule_name_with_a_generated_suffix(file_only):
    ep = effective(file_only, "FTPTClient@192.168.20.11n-5", "MVS1", userid="user301")
    assert ep.rule.name == "FTPTClient@192.168.20.11n"
    assert (ep.keyring_owner, ep.keyring_name) == ("USER301", "Client_RING")  # no owner given
    assert ep.handshake_role == "Client" and ep.conn_action is None
    assert ep.protocols == {"TLSv1.1": True, "TLSv1.2": True}
    assert ep.ciphers == ["C02F", "C030", "002F", "000A"]
    assert effective(file_only, "FTPTat192.168.20.9n", "MVS3").rule.name == "FTPTat192.168.20.9n~1"
    assert effective(file_only, "NoSuchRule", "MVS3") is None
    assert effective(file_only, "FTPTat192.168.20.9n~1", "MVS1") is None  # other system


def test_keyring_without_owner_and_unknown_user(file_only):
    ep = effective(file_only, "FTPTClient@192.168.20.11n", "MVS1")
    assert ep.keyring_owner is None and ep.keyring_name == "Client_RING"


def test_missing_reference_is_listed():
    s = Session()
    art = Artifact(id="a1", path="p", kind="policy")
    s.artifacts.append(art)
    from tlsworkbench.ingest import policy
    text = "TTLSRule r\n{\n Direction Inbound\n TTLSEnvironmentActionRef eX\n}\n"
    for item in policy.read(enumerate(text.splitlines(), 1), art):
        s.add(item)
    ep = effective(s, "r")
    assert ep.env_action is None and ep.missing == ["TTLSEnvironmentAction eX"]


@pytest.mark.parametrize("value,expected", [
    ("FTPD/Server_RING", ("FTPD", "Server_RING", "racf")),
    ("ftpd/Server_RING", ("FTPD", "Server_RING", "racf")),
    ("Server_RING", ("TCPIP", "Server_RING", "racf")),
    ("/etc/ssl/server.kdb", (None, "/etc/ssl/server.kdb", "kdb")),
    ("*TOKEN*/MYTOKEN", ("*TOKEN*", "MYTOKEN", "token")),
    ("*AUTH*/*", ("CERTAUTH", "*", "virtual")),
    ("*SITE*/*", ("SITE", "*", "virtual")),
    ("FTPD/*", ("FTPD", "*", "virtual")),
])
def test_split_keyring(value, expected):
    assert split_keyring(value, "tcpip") == expected


def test_rules_for_server_side_uses_address_groups_and_port_ranges(file_only):
    def names(**kw):
        return [r.name for r in rules_for(file_only, system="MVS3", **kw)]
    base = dict(local_ip="192.168.20.93", remote_ip="192.168.20.91", jobname="FTPT1",
                userid="TCPIP", direction="inbound")
    assert names(local_port=21, remote_port=1034, **base) == ["FTPTat192.168.20.9n~1"]
    assert names(local_port=5000, remote_port=1034, **base) == ["FTPTData@192.168.20.9n"]
    # remote 10.1.1.5 is in addrSet2's range, 10.9.9.9 is in no set of addrGroup1
    assert names(local_port=21, **{**base, "remote_ip": "10.1.1.5"}) == ["FTPTat192.168.20.9n~1"]
    assert names(local_port=21, **{**base, "remote_ip": "10.9.9.9"}) == []
    assert names(local_port=21, **{**base, "jobname": "TN3270"}) == []
    assert names(local_port=21, **{**base, "direction": "outbound"}) == []
    assert names(local_port=21, **{**base, "local_ip": "::ffff:192.168.20.93"}) == \
        ["FTPTat192.168.20.9n~1"]


def test_rules_for_client_priority_order(file_only):
    got = rules_for(file_only, local_ip="192.168.20.91", local_port=1038, remote_ip="192.168.20.93",
                    remote_port=21, jobname="USER201", userid="USER301", direction="outbound",
                    system="MVS1")
    assert [r.name for r in got] == ["FTPTClient@192.168.20.11n", "AnyClient"]
    got = rules_for(file_only, remote_ip="192.168.20.93", remote_port=21, userid="OTHER",
                    direction="outbound", system="MVS1")
    assert [r.name for r in got] == ["AnyClient"]


@pytest.mark.parametrize("spec,ip,ok", [
    ("ALL", "1.2.3.4", True), ("192.168.20.0/24", "192.168.20.93", True),
    ("192.168.20.0/24", "192.168.21.1", False), ("10.1.1.1-10.1.1.20", "10.1.1.20", True),
    ("10.1.1.1-10.1.1.20", "10.1.1.21", False), ("10.2.2.2", "10.2.2.2", True),
    ("garbage", "10.2.2.2", False),
])
def test_addr_matches(spec, ip, ok):
    import ipaddress
    assert addr_matches(spec, ipaddress.ip_address(ip)) is ok


@pytest.mark.parametrize("spec,port,ok", [
    ("21", 21, True), ("21", 20, False), ("1024-65535", 1024, True), ("1024-65535", 1023, False),
    ("0", 443, True), ("1024 65535", 2000, True),
])
def test_port_matches(spec, port, ok):
    assert port_matches(spec, port) is ok
