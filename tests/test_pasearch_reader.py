"""pasearch -t reader: same PolicyStatements as the policy file reader."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tlsworkbench.ingest import pasearch, policy
from tlsworkbench.model import Artifact, PolicyStatement, Record, Unparsed

DATA = Path(__file__).parent / "data" / "policy"


def _read(name: str, text: str | None = None, mod=pasearch):
    art = Artifact(id="a1", path=name, kind=mod.KIND)
    text = (DATA / name).read_text() if text is None else text
    items = list(mod.read(enumerate(text.splitlines(), 1), art))
    stmts = {(s.kind, s.name): s for s in items if isinstance(s, PolicyStatement)}
    return ([i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Unparsed)],
            stmts)


def test_rules_and_actions_of_a_full_listing():
    recs, unparsed, stmts = _read("pasearch_mvs3_pasearch_t.txt")
    assert unparsed == []
    rule = stmts[("TTLSRule", "FTPTat192.168.20.9n~1")]
    assert rule.params["TTLSGroupActionRef"] == "gAct1~FTPT"
    assert rule.params["TTLSEnvironmentActionRef"] == "eAct1~FTPTat192.168.20.9n"
    assert rule.params["TTLSConnectionActionRef"] == "cAct1~FTPTat192.168.20.9n"
    assert rule.params["Priority"] == "255" and rule.params["Status"] == "Active"
    assert rule.params["LocalAddr"] == "192.168.20.93" and rule.params["LocalPortRange"] == "21"
    assert "RemotePortRange" not in rule.params  # 0-0 means any port
    assert rule.params["Jobname"] == "FTPT*" and "Userid" not in rule.params
    assert rule.params["Direction"] == "Inbound"
    data = stmts[("TTLSRule", "FTPTData@192.168.20.9n")]
    assert data.params["LocalPortRange"] == "1024-65535" and "TTLSConnectionActionRef" not in data.params
    env = stmts[("TTLSEnvironmentAction", "eAct1~FTPTat192.168.20.9n")]
    assert env.params["HandshakeRole"] == "Server" and env.params["EnvironmentUserInstance"] == "1"
    kr = stmts[("TTLSKeyringParms", env.params["TTLSKeyringParmsRef"])]
    assert kr.params["Keyring"] == "FTPP/Server_RING" and kr.lines["Keyring"] == "a1:73"
    adv = stmts[("TTLSEnvironmentAdvancedParms", env.params["TTLSEnvironmentAdvancedParmsRef"])]
    assert adv.params["ClientAuthType"] == "Full" and adv.params["TLSv1.1"] == "On"
    assert "HandshakeRole" not in adv.params
    cp = stmts[("TTLSCipherParms", env.params["TTLSCipherParmsRef"])]
    assert cp.params["V3CipherSuites"] == ["TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                                           "TLS_RSA_WITH_AES_128_CBC_SHA",
                                           "TLS_RSA_WITH_AES_256_CBC_SHA"]
    conn = stmts[("TTLSConnectionAction", "cAct1~FTPTat192.168.20.9n")]
    assert conn.params["Trace"] == "255"
    assert stmts[("TTLSGroupAction", "gAct1~FTPT")].params["GroupUserInstance"] == "1"
    header = [r for r in recs if r.kind == "pasearch-header"]
    assert header[0].fields["image"] == "TCPIPT" and header[1].time.year == 2014
    pol = [r for r in recs if r.kind == "policy"]
    assert all(r.job == "TCPIPT" for r in pol) and len(pol) == 5


def test_same_kinds_and_names_as_the_policy_file():
    _, _, from_pa = _read("pasearch_mvs3_pasearch_t.txt")
    _, _, from_file = _read("mvs3_ftp_server.policy", mod=policy)
    rule_pa = from_pa[("TTLSRule", "FTPTat192.168.20.9n~1")]
    rule_file = from_file[("TTLSRule", "FTPTat192.168.20.9n~1")]
    for p in ("TTLSGroupActionRef", "TTLSEnvironmentActionRef", "TTLSConnectionActionRef",
              "LocalAddr", "LocalPortRange", "Jobname", "Direction", "Priority"):
        assert rule_pa.params[p] == rule_file.params[p], p
    kinds_pa = {k for k, _ in from_pa}
    assert {"TTLSRule", "TTLSGroupAction", "TTLSEnvironmentAction", "TTLSConnectionAction",
            "TTLSKeyringParms", "TTLSCipherParms"} <= kinds_pa


def test_seed_excerpt_without_any_block():
    _, unparsed, stmts = _read("pasearch_seed_excerpt.txt")
    assert unparsed == []
    (env,) = [s for (k, _), s in stmts.items() if k == "TTLSEnvironmentAction"]
    assert env.params["HandshakeRole"] == "Server"
    kr = stmts[("TTLSKeyringParms", env.params["TTLSKeyringParmsRef"])]
    assert kr.params["Keyring"] == "FTTP/Server_RING" and kr.lines["Keyring"] == "a1:3"


def test_bad_listing_keeps_the_rest():
    _, unparsed, stmts = _read("pasearch_bad_pasearch.txt")
    assert [u.line for u in unparsed] == [3]
    env = stmts[("TTLSEnvironmentAction", "eAct2")]
    assert env.params["HandshakeRole"] == "Client"
    assert stmts[("TTLSKeyringParms", "eAct2/TTLSKeyringParms")].params["Keyring"] == \
        "USER301/Client_RING"
    trunc = stmts[("TTLSRule", "Truncated")]
    assert trunc.params["PolicyActionRef"] == "eAct2" and "TTLSEnvironmentActionRef" not in trunc.params


def test_split_pairs():
    assert pasearch.split_pairs("Version: 3                Status:           Active") == [
        ("Version", "3"), ("Status", "Active")]
    assert pasearch.split_pairs("Sequence Actions: Don't Care") == [("Sequence Actions", "Don't Care")]
    assert pasearch.split_pairs("Time: 13:58:40") == [("Time", "13:58:40")]


def test_sniff():
    head = (DATA / "pasearch_mvs3_pasearch_t.txt").read_text().splitlines()
    assert pasearch.sniff(head, "x") > policy.sniff(head, "x")
    head = (DATA / "mvs3_ftp_server.policy").read_text().splitlines()
    assert policy.sniff(head, "x") > pasearch.sniff(head, "x")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60) | st.sampled_from(
    ["policyRule: r", "policyAction: a", "  ActionType: TTLS Environment", "TTLSKeyringParms:",
     "  Keyring: X/Y", "V3CipherSuites:", "   0A TLS_X", "Scope: Group"]), max_size=40))
def test_never_raises(lines):
    art = Artifact(id="a1", path="x", kind="pasearch")
    assert all(i is not None for i in pasearch.read(enumerate(lines, 1), art))


def test_huge_line_is_kept_as_a_value_or_unparsed():
    text = "policyAction: a\n  Scope: Group\n" + "z" + "  q" * 20000 + "\n  Trace: 7\n"
    _, unparsed, stmts = _read("huge", text)
    assert stmts[("TTLSGroupAction", "a")].params["Trace"] == "7"
    assert [u.line for u in unparsed] == [3]
