"""The handshake and host-name fixes on the model (diagnose/simulate), their wrong
variants, and the rule that every cause id is proven by a row of test_simulate.CASES
or excused here in words."""

from __future__ import annotations

from datetime import date

from diagnose_helpers import SCEN, diagnose_paths, files, prove_with
from test_simulate import CASES, _copy, _run

from tlsworkbench.diagnose import simulate
from tlsworkbench.diagnose.evidence import Context
from tlsworkbench.model import Command


def _proof_of(case, f, commands, tmp_path=None):
    s, _ = (_run(case, tmp_path) if tmp_path is not None else diagnose_paths(files(case)))
    return prove_with(s, f, commands)


def test_a_cipher_edit_on_the_wrong_rule_does_not_clear():
    """The new suite list put on another environment action: no connection of the model
    uses it, the client still offers nothing the server allows (RC 402)."""
    _, fs = diagnose_paths(files("cipher-mismatch"))
    f = next(x for x in fs if x.cause == "cipher-mismatch")
    assert "clears" in f.proof and "does NOT clear" not in f.proof
    wrong = [Command(c.text.replace("eAct1~FTPTClient", "eAct1~OtherRule"), c.kind) for c in f.commands]
    text = _proof_of("cipher-mismatch", f, wrong)
    assert "no connection in the model uses TTLSEnvironmentAction eAct1~OtherRule" in text
    assert "does NOT clear" in text and "RC 402" in text


def test_a_handshake_role_left_on_the_connection_action_does_not_clear():
    """The connection action's HandshakeRole overrides the environment action's: changing
    only the environment action leaves both sides waiting (RC 5004)."""
    _, fs = diagnose_paths(files("handshake-timeout"))
    f = next(x for x in fs if x.cause == "handshake-timeout")
    only_env = [c for c in f.commands if "TTLSConnectionAction" not in c.text]
    text = _proof_of("handshake-timeout", f, only_env)
    assert "does NOT clear" in text and "RC 5004" in text


def test_a_new_certificate_not_made_the_default_does_not_clear(tmp_path):
    """The re-issued certificate CONNECTed without DEFAULT: the server still presents the
    old one, which does not name the host."""
    _, fs = _run("hostname", tmp_path)
    f = next(x for x in fs if x.cause == "hostname-mismatch")
    no_default = [Command(c.text.replace(" DEFAULT)", ")"), c.kind) for c in f.commands]
    text = _proof_of("hostname", f, no_default, tmp_path=tmp_path)
    assert "does NOT clear" in text and "CMS status 0335304B" in text


def test_the_shipped_hostname_scenario_is_proven_in_the_year_the_evidence_shows():
    """error5's syslogd lines carry no year (the reader gives them this year, when the
    server certificate has ended). The model takes the year from the FTP server's 220
    reply in the client transcript (2014) and proves the host-name fix."""
    _, fs = diagnose_paths(files("error5-hostname"))
    f = next(x for x in fs if x.cause == "hostname-mismatch")
    assert "Certificate dates are judged on 2014-03-12" in f.proof
    assert "MVS1.ftpclient.txt line 4 shows (2014-03-14)" in f.proof
    assert "The CMS status 0335304B finding clears" in f.proof and "Not proven" not in f.proof


def test_without_a_dated_line_the_year_comes_from_a_certificate_that_worked(tmp_path):
    """No full date anywhere: the server's certificate was presented in a handshake with
    RC 0, so the day lies within its validity (2012-12-31 to 2016-09-22): the latest such
    year is taken, and the proof says so."""
    paths = _copy("error5-hostname", tmp_path, repl=[(" on 2014-03-14.", ".")])
    _, fs = diagnose_paths(paths)
    f = next(x for x in fs if x.cause == "hostname-mismatch")
    assert "judged on 2016-03-12" in f.proof and "'FTPXSRV31 CERT', presented in a handshake" in f.proof
    assert "finding clears" in f.proof


def test_with_no_year_evidence_at_all_this_year_is_said_to_be_assumed(tmp_path):
    paths = _copy("error5-hostname", tmp_path, skip=("racdcert-list.",), repl=[(" on 2014-03-14.", ".")])
    s, _ = diagnose_paths(paths)
    st = simulate.from_context(Context(s))
    assert st.today.year == date.today().year
    assert st.day_note.endswith(f"{date.today().year} (this year) is assumed")


def test_a_policy_parameter_the_model_does_not_know_is_refused():
    st = simulate.State(today=date(2026, 1, 1))
    edit = "TTLSEnvironmentAction eA\n{\n  ApplicationControlled On\n}"
    done, refused = simulate.apply_all(st, [Command(edit, "policy")])
    assert not done and "does not know the policy parameter ApplicationControlled" in refused[0]


# Causes whose findings carry no command to prove: each says why.
NOTHING_TO_PROVE = {
    "peer-reported-error": "the partner ended the handshake; the fix is the partner's own finding",
    "unexplained-failure": "no cause known, so no command is written",
    "environment-init-failed": "the RC names no single fault; the finding lists next steps, not commands",
    "cleartext-on-tls-port": "the fix is in the client program (use TLS), not RACF or policy",
    "certificate-not-yet-valid": "the fix is to wait or correct the clock; no command is written",
}
# Causes whose commands the model cannot apply yet: a known gap (docs/fixes.md), listed so
# that it stays visible. Remove one when its row is added to CASES. (None now: the two
# client-certificate causes are proven by the client-cert-* rows.)
NOT_YET_MODELLED: dict = {}


def test_every_cause_is_proven_or_explicitly_excused():
    from tlsworkbench.diagnose.causes import CAUSES

    proven = {row[4] for row in CASES.values()}
    excused = set(NOTHING_TO_PROVE) | set(NOT_YET_MODELLED)
    missing = sorted(set(CAUSES) - proven - excused)
    assert not missing, f"causes with no proof row and no reason given: {missing}"
    assert not proven & excused, proven & excused
    assert proven <= simulate.MODELLED
    assert not set(NOT_YET_MODELLED) & simulate.MODELLED
    assert {"client-certificate-missing", "client-certificate-not-defined"} <= proven


BOTH_OFF = [("    TLSv1.2                   On", "    TLSv1.2                   Off\n    TLSv1.1                   On")]


def test_protocol_and_cipher_mismatch_get_both_fixes_each_needed(tmp_path):
    """The client enables only TLSv1.1 (the server only TLSv1.2) and the suite lists do not
    overlap: the finding names both, writes both edits (one F PAGENT,UPDATE after them),
    the two together clear, and either one alone does not."""
    paths = _copy("cipher-mismatch", tmp_path, skip=("MVS1.pagent-ttls.conf",), extra=[
        (SCEN / "cipher-mismatch" / "MVS1.pagent-ttls.conf", "MVS1.pagent-ttls.conf", BOTH_OFF)])
    s, fs = diagnose_paths(paths)
    f = next(x for x in fs if x.severity == "error")
    assert f.cause == "protocol-mismatch"
    assert "no version in common" in f.explanation and "do not overlap either" in f.explanation
    assert "TLS_RSA_WITH_DES_CBC_SHA" in f.explanation  # the client's list is named
    texts = [c.text for c in f.commands]
    proto = [c for c in f.commands if "TLSv1.2 On" in c.text]
    suites = [c for c in f.commands if "V3CipherSuites TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" in c.text]
    assert proto and suites and texts.count("F PAGENT,UPDATE") == 1 and texts[-1] == "F PAGENT,UPDATE"
    assert "finding clears (diagnosed again on the changed state: gone)" in f.proof, f.proof
    pagent = [c for c in f.commands if c.kind == "operator"]
    only_proto = _proof_of_paths(s, f, proto + pagent)
    only_suites = _proof_of_paths(s, f, suites + pagent)
    assert "does NOT clear" in only_proto and "RC 402" in only_proto
    assert "does NOT clear" in only_suites and "RC 402" in only_suites


def _proof_of_paths(s, f, commands):
    return prove_with(s, f, commands)


def test_the_client_side_host_name_fix_is_proven_and_a_wrong_name_is_not():
    """Instead of a new certificate the client can connect with a name the server
    certificate carries (its DNS alternative name ACME.LABS.IBM.COM): proven next to
    the certificate fix. A name the certificate does not carry, or the same name again,
    does not clear."""
    s, fs = diagnose_paths(files("error5-hostname"))
    f = next(x for x in fs if x.cause == "hostname-mismatch")
    assert ("Or, without a new certificate, the client connects with a name the certificate carries, "
            "FTP ACME.LABS.IBM.COM (assumed to resolve to the server's address): the finding clears "
            "on the model too.") in f.proof
    assert any("FTP ACME.LABS.IBM.COM" in st and "10.1.1.13" in st for st in f.next_steps)
    for wrong in ("FTP OTHER.ACME.LABS.IBM.COM", "FTP FTPXSRV31.WAS.IBM.COM"):
        text = _proof_of_paths(s, f, [Command(wrong, "operator")])
        assert "does NOT clear" in text and "CMS status 0335304B" in text, text
    assert "finding clears" in _proof_of_paths(s, f, [Command("FTP acme.labs.ibm.com", "operator")])
