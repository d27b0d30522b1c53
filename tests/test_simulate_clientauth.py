"""Client authentication on the model (diagnose/clientauth.py, simulate/clientauth.py):
RC 5001 (no client certificate) and 5002 (SAFCheck, the certificate maps to no user):
the generated fixes, their proofs, and wrong variants that do not clear."""

from __future__ import annotations

from clientauth_cases import MISSING, UNDEFINED, USER_CERT
from diagnose_helpers import diagnose_paths, flat, prove_with
from test_racf_syntax import check_racf
from test_simulate import _copy

from tlsworkbench.diagnose.simulate.clientauth import rdns
from tlsworkbench.model import Command

def _finding(tmp_path, repl, cause, extra=(USER_CERT,)):
    s, fs = diagnose_paths(_copy("ca-missing", tmp_path, repl=repl, extra=list(extra)))
    f = next(x for x in fs if x.cause == cause)
    return s, f


def _prove(s, f, commands):
    return prove_with(s, f, commands)


def test_client_without_a_default_certificate_gets_its_own_connected(tmp_path):
    """RC 5001: USER301 owns 'USER301 FTP Client' (private key, on no ring); the fix
    connects it to Client_RING as the default and rebuilds the client's environment."""
    s, f = _finding(tmp_path, MISSING, "client-certificate-missing")
    lines = [flat(c.text) for c in f.commands]
    assert ("RACDCERT ID(USER301) CONNECT(ID(USER301) LABEL('USER301 FTP Client') RING(Client_RING) "
            "USAGE(PERSONAL) DEFAULT)") in lines
    assert "ServerWithClientAuth" in f.explanation and "no default PERSONAL certificate" in f.explanation
    assert "finding clears (diagnosed again on the changed state: gone)" in f.proof, f.proof
    for c in f.commands + f.verify:
        if c.kind == "racf":
            check_racf(c.text)
    # wrong: the certificate connected without DEFAULT (the client still sends nothing)
    no_default = [Command(c.text.replace(" DEFAULT)", ")"), c.kind) for c in f.commands]
    text = _prove(s, f, no_default)
    assert "does NOT clear" in text and "RC 5001" in text, text
    # wrong: the server's environment rebuilt instead of the client's (the old one stays)
    racf_only = [c for c in f.commands if c.kind == "racf"]
    assert "does NOT clear" in _prove(s, f, racf_only)


def test_without_a_client_certificate_a_new_one_is_written_and_a_missing_ca_refused(tmp_path):
    """No certificate of USER301 in the session: GENCERT for USER301; the MVS3 CA is on
    MVS1 without its private key, so SIGNWITH is a marked placeholder the model refuses."""
    s, f = _finding(tmp_path, MISSING, "client-certificate-missing", extra=())
    gen = next(flat(c.text) for c in f.commands if "GENCERT" in c.text)
    assert "RACDCERT ID(USER301) GENCERT SUBJECTSDN(CN('USER301'))" in gen
    assert "SIGNWITH(CERTAUTH LABEL('<label of the issuing CA>'))" in gen
    assert "could not apply" in f.proof and "placeholder" in f.proof and "finding clears" not in f.proof


def test_safcheck_certificate_mapped_to_the_client_user_clears(tmp_path):
    """RC 5002 with the ICH408I naming the certificate: a name filter maps exactly that
    subject and issuer to USER301, and DIGTNMAP is activated and RACLISTed."""
    s, f = _finding(tmp_path, UNDEFINED, "client-certificate-not-defined")
    lines = [flat(c.text) for c in f.commands]
    assert lines == ["RACDCERT ID(USER301) MAP SDNFILTER('CN=USER301.OU=FTP.C=US') "
                     "IDNFILTER('CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US') WITHLABEL('USER301 client') TRUST",
                     "SETROPTS CLASSACT(DIGTNMAP) RACLIST(DIGTNMAP)"], lines
    assert "finding clears (diagnosed again on the changed state: gone)" in f.proof, f.proof
    for c in f.commands:
        check_racf(c.text)
    # wrong: a filter for another issuer does not match the certificate
    other = [Command(f.commands[0].text.replace("MVS3CA", "MVS1CA").replace("MVS3 CA", "MVS1 CA"), "racf"),
             f.commands[1]]
    text = _prove(s, f, other)
    assert "does NOT clear" in text and "RC 5002" in text, text
    # wrong: the filter alone, DIGTNMAP not active: RACF does not use it
    text = _prove(s, f, f.commands[:1])
    assert "used once DIGTNMAP is active" in text and "does NOT clear" in text


def test_dn_written_with_dots_or_commas_compares_alike():
    assert rdns("CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US") == ["CN=MVS3CA.LABS.IBM.COM", "O=MVS3 CA", "C=US"]
    assert rdns("CN=USER301, OU=FTP, C=US") == rdns("CN=USER301.OU=FTP.C=US")
    assert rdns("x" * 5000 + ".=" * 3000)  # hostile: bounded, no error


def test_safcheck_certificate_defined_for_the_user_by_add_clears_too(tmp_path):
    """The other way the next step names: the client's certificate exported (no key)
    and added under USER301 on the server's system; RACF then finds the user without a
    name filter. Exporting another certificate does not clear."""
    s, f = _finding(tmp_path, UNDEFINED, "client-certificate-not-defined")
    step = next(x for x in f.next_steps if "EXPORT" in x)
    assert "RACDCERT ID(USER301) EXPORT(LABEL('USER301 FTP Client')) DSN('USER301.CLIENT.CER')" in step
    from tlsworkbench.diagnose.fixes import wrap

    cmds = [Command(wrap(["RACDCERT", "ID(USER301)", "EXPORT(LABEL('USER301 FTP Client'))",
                          "DSN('USER301.CLIENT.CER')", "FORMAT(CERTB64)"])),
            Command(wrap(["RACDCERT", "ID(USER301)", "ADD('USER301.CLIENT.CER')", "TRUST",
                          "WITHLABEL('USER301 FTP Client')"]))]
    for c in cmds:
        check_racf(c.text)
    text = _prove(s, f, cmds)
    assert "exported to USER301.CLIENT.CER (no private key)" in text and "finding clears" in text, text
    wrong = [Command("RACDCERT CERTAUTH EXPORT(LABEL('MVS3 LABS Certificate Authority')) "
                     "DSN('USER301.CLIENT.CER') FORMAT(CERTB64)"),
             Command("RACDCERT ID(USER301) ADD('USER301.CLIENT.CER') TRUST WITHLABEL('X')")]
    text = _prove(s, f, wrong)
    assert "does NOT clear" in text and "RC 5002" in text, text
