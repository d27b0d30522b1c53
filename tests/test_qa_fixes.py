"""The QA review's defects in the fixes (QA.md 2, 5, 6, 7, 8, 13, 15, 16), each on the
reviewer's own evidence (tests/data/qa/<case>/, written for this project by our QA
reviewer)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from diagnose_helpers import diagnose_paths, flat
from test_racf_syntax import check_racf

QA = Path(__file__).parent / "data" / "qa"


def _case(name: str):
    return diagnose_paths(sorted(p for p in (QA / name).iterdir() if p.is_file()))


def _finding(fs, cause: str):
    return next(f for f in fs if f.cause == cause)


def _texts(f) -> list[str]:
    return [flat(c.text) for c in f.commands]


def _racf_ok(f) -> None:
    for c in f.commands + f.verify:
        if c.kind == "racf":
            check_racf(c.text)


# -- 6: RDATALIB ring profiles are <OWNER>.<RING>.LST in upper case ------------------------------
def test_rdatalib_ring_profile_is_upper_case_everywhere_and_clears():
    _, fs = _case("c4-site428")
    f = _finding(fs, "private-key-unavailable")
    cmds = _texts(f) + [flat(c.text) for c in f.verify]
    lst = [c for c in cmds if ".LST" in c]
    assert "RDEFINE RDATALIB APIGWU.APIGWRING.LST UACC(NONE)" in lst
    assert "PERMIT APIGWU.APIGWRING.LST CLASS(RDATALIB) ID(APIGWU) ACCESS(CONTROL)" in lst
    assert "RLIST RDATALIB APIGWU.APIGWRING.LST AUTHUSER" in lst
    assert "ApiGwRing.LST" not in f.explanation + " ".join(cmds)
    assert "finding clears" in f.proof, f.proof
    _racf_ok(f)


def test_a_mixed_case_ring_profile_does_not_clear_on_the_model():
    from tlsworkbench.diagnose import simulate
    from tlsworkbench.diagnose.evidence import Context
    from tlsworkbench.model import Command

    s, fs = _case("c4-site428")
    f = _finding(fs, "private-key-unavailable")
    mixed = [Command(c.text.replace("APIGWU.APIGWRING.LST", "APIGWU.ApiGwRing.LST"), c.kind, c.purpose)
             for c in f.commands]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), {})
    text = simulate.prove_one(s, base, before, {}, f, commands=mixed)
    assert "does NOT clear" in text and "RC 428" in text, text


# -- 13: real operator commands, and --json says what each command is ----------------------------
def test_no_restart_pseudo_command_but_p_and_s_marked_as_operator_steps():
    _, fs = _case("c4-site428")
    f = _finding(fs, "private-key-unavailable")
    assert not any(c.text.startswith("Restart") for g in fs for c in g.commands)
    ops = [c for c in f.commands if c.kind == "operator"]
    assert [c.text for c in ops] == ["P APIGW1", "S APIGW1"]
    assert ops[0].disruptive and all("Operator step" in c.purpose for c in ops)
    assert "Assumed: its procedure is named APIGW1" in ops[1].purpose
    assert "APIGW1 started again: its environment is built anew" in f.proof


def test_json_gives_kind_purpose_and_disruptive_per_command(capsys):
    from tlsworkbench.cli import main

    assert main(["diagnose", "--json", str(QA / "c4-site428")]) == 0
    d = json.loads(capsys.readouterr().out)
    f = next(x for x in d["findings"] if x["cause"] == "private-key-unavailable")
    assert [s["text"] for s in f["steps"]] == f["commands"]  # the old list stays
    kinds = {s["text"].split("\n")[0].split(" ")[0]: s["kind"] for s in f["steps"]}
    assert kinds["RDEFINE"] == "racf" and kinds["P"] == "operator" and kinds["S"] == "operator"
    stop = next(s for s in f["steps"] if s["text"] == "P APIGW1")
    assert stop["disruptive"] is True and stop["purpose"]
    assert all(set(s) == {"text", "kind", "purpose", "disruptive"} for s in f["steps"] + f["verify_steps"])


def test_text_output_tags_operator_steps(capsys):
    from tlsworkbench.cli import main

    assert main(["diagnose", str(QA / "c4-site428")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\* \[operator command\] Operator step \(MVS console\): stop APIGW1", out)


# -- 5: a step the model cannot apply is "not proven"; product refreshes are modelled ------------
def test_cics_perform_ssl_rebuild_is_a_rebuild_and_the_proof_clears():
    _, fs = _case("cics2")
    f = _finding(fs, "private-key-unavailable")
    assert "F CICSWEB1,CEMT PERFORM SSL REBUILD" in _texts(f)
    assert "CICSWEBU.CICSWEB1.RING.LST" in " ".join(_texts(f))
    assert "does NOT clear" not in f.proof and "finding clears" in f.proof, f.proof
    _racf_ok(f)


def test_a_placeholder_the_model_cannot_apply_is_not_proven_never_does_not_clear():
    _, fs = _case("c6c-expired-issuer-missing")
    f = _finding(fs, "certificate-expired")
    assert "<label of the issuing CA>" in " ".join(_texts(f))
    assert "does NOT clear" not in f.proof
    assert "Not proven (the model cannot apply" in f.proof, f.proof


# -- 15: renewal words: no invented NOTRUST default; the validity starts when the command runs --
def test_renewal_gives_no_false_notrust_reason_and_dates_start_when_the_command_runs():
    _, fs = _case("c6-expired-racfca")
    f = _finding(fs, "certificate-expired")
    gencert = next(c for c in f.commands if "GENCERT" in c.text)
    assert "NOTBEFORE" not in gencert.text
    every = " ".join(c.purpose for c in f.commands) + f.explanation
    assert "past dates" not in every and "defaults to NOTRUST" not in every
    assert "valid from the day the command runs" in f.proof, f.proof
    _racf_ok(f)


# -- 16: preflight renewal: conditional refresh, and the step that makes the server use it -------
def test_preflight_renewal_refresh_is_conditional_and_names_the_server_refresh():
    from tlsworkbench.diagnose.preflight import run
    from tlsworkbench.ingest.loader import load

    s = load([str(p) for p in sorted((QA / "c6-expired-racfca").iterdir())])
    chk = next(c for c in run(s, days=30) if c.id == "cert-expired")
    assert "SETROPTS RACLIST(DIGTCERT DIGTRING) REFRESH" in chk.commands
    assert "needed only if those classes are RACLISTed" in chk.detail
    assert "EnvironmentUserInstance" in chk.detail and "P job, then S procedure" in chk.detail


def test_preflight_renewal_with_the_policy_raises_the_instance_and_updates_pagent():
    from diagnose_helpers import files
    from tlsworkbench.diagnose.preflight import run
    from tlsworkbench.ingest.loader import load

    s = load([str(p) for p in files("error6-expired")])
    chk = next(c for c in run(s, days=30) if c.id == "cert-expired")
    text = "\n".join(chk.commands)
    assert "EnvironmentUserInstance 1" in text and chk.commands[-1] == "F PAGENT,UPDATE"


def test_cert_prints_the_serial_as_racf_does(capsys):
    from tlsworkbench.cli import main

    main(["cert", str(QA / "c6-expired-racfca" / "SYSB.racdcert.txt")])
    out = capsys.readouterr().out
    serials = re.findall(r"Serial\s+(\S+)", out)
    assert serials and "0C" in serials and "00" in serials and "c" not in serials


# -- 2: the host-name fix keeps the old names, rebuilds the server, checks by the host name -------
def test_hostname_fix_keeps_the_old_name_adds_the_new_and_rebuilds_the_server():
    from tlsworkbench.diagnose.hostname import _match, new_label
    from tlsworkbench.model import CertInfo

    _, fs = _case("c5d-hostname-serverside")
    f = _finding(fs, "hostname-mismatch")
    gen = next(t for t in _texts(f) if "GENCERT" in t)
    assert "CN('ftpx.sysb.example.com')" in gen and "DOMAIN('ftpprod.example.com')" in gen
    # the certificate those names make is accepted for the old name and for the new one
    made = CertInfo(source="test", label="x", subject="CN=ftpx.sysb.example.com,OU=Network,O=Example Corp,C=US",
                    san=["DNS:ftpprod.example.com", "IP:10.44.1.20"], record="a1:1")
    assert _match(made, "ftpprod.example.com")[0] and _match(made, "ftpx.sysb.example.com")[0]
    # no double blank, at most 32 characters, quoted
    assert "WITHLABEL('FTPS server SYSB production NEW')" in gen
    assert new_label("FTPS server SYSB production 2026") == "FTPS server SYSB production NEW"
    assert len(new_label("A" * 40)) == 32 and "  " not in new_label("abc " * 10)
    # the refresh is conditional (the session shows no RACLISTed classes) ...
    ref = next(c for c in f.commands if c.text.startswith("SETROPTS RACLIST"))
    assert "Needed only if" in ref.purpose
    # ... and the server must build its environment again: the step says how
    step = next(c for c in f.commands if c.kind == "manual")
    assert "EnvironmentUserInstance" in step.purpose and "F PAGENT,UPDATE" in step.purpose
    # the check connects by the host name that failed, not by the address
    assert [c.text for c in f.verify][-1] == "ftp ftpprod.example.com"
    assert not any(c.text == "ftp 10.44.1.20" for c in f.commands + f.verify)
    _racf_ok(f)


def test_a_label_with_an_apostrophe_is_cut_and_quoted():
    from tlsworkbench.diagnose import fixes as fx
    from tlsworkbench.diagnose.hostname import new_label

    lab = new_label("Joe's FTPS server certificate 2026")
    assert len(lab) <= 32 and lab.endswith(" NEW")
    cmd = fx.RacdcertList("FTPSTC", lab).render()
    assert "LABEL('Joe''s FTPS server certificat NEW')" in flat(cmd)
    check_racf(cmd)


# -- 7: a ring profile changes who may read the ring: check first, permit the other readers ------
def test_ring_profile_fix_checks_first_and_says_what_changes():
    _, fs = _case("c4-site428")
    f = _finding(fs, "private-key-unavailable")
    texts = _texts(f)
    first = texts.index("RDEFINE RDATALIB APIGWU.APIGWRING.LST UACC(NONE)")
    # checked before: the existing RDATALIB profiles, who reads through FACILITY, the classes
    assert {"SEARCH CLASS(RDATALIB)", "RLIST FACILITY IRR.DIGTCERT.LISTRING AUTHUSER",
            "SETROPTS LIST"} <= set(texts[:first])
    rdef = f.commands[first]
    assert "instead of FACILITY IRR.DIGTCERT.LISTRING" in rdef.purpose and "refused" in rdef.purpose
    act = next(c for c in f.commands if c.text.startswith("SETROPTS CLASSACT(RDATALIB)"))
    assert "every RDATALIB profile" in act.purpose
    _racf_ok(f)


def test_ring_profile_fix_permits_the_readers_the_facility_access_list_shows():
    _, fs = _case("c4b-site428-facility-readers")
    f = _finding(fs, "private-key-unavailable")
    texts = _texts(f)
    # UPDATE to IRR.DIGTCERT.LISTRING reads other users' rings: those keep this one
    assert "PERMIT APIGWU.APIGWRING.LST CLASS(RDATALIB) ID(MONSTC) ACCESS(READ)" in texts
    assert "PERMIT APIGWU.APIGWRING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(READ)" in texts
    # READ there reads only one's own rings: APIRPTU never read APIGWU's ring
    assert not any("ID(APIRPTU)" in t for t in texts)
    # the access list is in the session: no RLIST step to ask for it
    assert "RLIST FACILITY IRR.DIGTCERT.LISTRING AUTHUSER" not in texts
    assert "finding clears" in f.proof and "does NOT clear" not in f.proof, f.proof
    _racf_ok(f)


# -- 8: RC 202 without the policy: the assumed ring never proves its own name --------------------
def test_ring_not_found_without_policy_keeps_both_causes_open_and_asks_for_pasearch_first():
    _, fs = _case("c1-ringnotfound")
    f = _finding(fs, "keyring-not-found")
    assert "the ring name is right" not in f.explanation
    assert "Two causes remain open" in f.explanation and "misspelt" in f.explanation
    assert "may not read" in f.explanation
    # the title says the same as the text: not "not found" alone
    assert "not authorized" in f.title and "not found" in f.title
    assert f.next_steps[0].startswith("First show the Keyring the rule names: pasearch -t")
    assert not f.commands  # nothing to run before the Keyring is known


def test_ring_not_found_with_pasearch_is_still_decided():
    _, fs = _case("c1b-ringnotfound-pasearch")
    f = _finding(fs, "keyring-not-found")
    assert f.title == "Key ring not found" and "Two causes remain open" not in f.explanation
    assert f.commands


# -- a renewal under a new label keeps the label the application asks for (MQ's default) ---------
def test_mq_renewal_keeps_the_label_mq_asks_for_and_the_proof_clears():
    from tlsworkbench.diagnose import simulate
    from tlsworkbench.diagnose.evidence import Context

    s, fs = _case("mq")
    f = _finding(fs, "certificate-expired")
    texts = _texts(f)
    assert ("RACDCERT ID(QM2ACHIN) ALTER(LABEL('ibmWebSphereMQQM2A NEW')) "
            "NEWLABEL('ibmWebSphereMQQM2A')") in texts
    assert "The RC 401 finding clears" in f.proof, f.proof
    _racf_ok(f)
    # without the two renames MQ still finds the expired certificate under its label
    wrong = [c for c in f.commands if "NEWLABEL" not in c.text]
    wrong = [type(c)(c.text.replace("LABEL('ibmWebSphereMQQM2A') RING", "LABEL('ibmWebSphereMQQM2A NEW') RING"),
                     c.kind, c.purpose) for c in wrong]
    ctx = Context(s)
    base = simulate.from_context(ctx)
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), {})
    text = simulate.prove_one(s, base, before, {}, f, commands=wrong)
    assert "does NOT clear" in text and "RC 401" in text, text
