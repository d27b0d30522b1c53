"""Every RACF command the rules can emit is well-formed: balanced parentheses and
quotes, labels quoted, keywords spelled as in the RACF Command Language Reference,
continuation with a hyphen, no line past column 72."""

from __future__ import annotations

import re

import pytest

from diagnose_helpers import SCEN, diagnose_case

from tlsworkbench.diagnose import fixes as fx
from tlsworkbench.diagnose.clientauth import RacdcertMap
from tlsworkbench.diagnose.renewal import RacdcertRekey

VERBS = {"RACDCERT", "RDEFINE", "PERMIT", "SETROPTS", "RALTER", "RLIST", "SEARCH"}
KEYWORDS = {
    # RACDCERT
    "ID", "CERTAUTH", "SITE", "CONNECT", "LABEL", "RING", "USAGE", "PERSONAL", "DEFAULT", "REMOVE",
    "ALTER", "TRUST", "NOTRUST", "HIGHTRUST", "GENREQ", "DSN", "GENCERT", "SUBJECTSDN", "CN", "OU", "O",
    "L", "SP", "C", "T", "ALTNAME", "DOMAIN", "IP", "EMAIL", "URI", "NOTBEFORE", "NOTAFTER", "DATE",
    "SIZE", "KEYUSAGE", "HANDSHAKE", "DATAENCRYPT", "CERTSIGN", "SIGNWITH", "WITHLABEL", "ADD", "ADDRING",
    "LISTRING", "LIST", "LISTCHAIN", "PASSWORD", "NEWLABEL",
    # RACDCERT MAP (RACF CLR, "RACDCERT MAP (Create mapping)"): a certificate name filter
    "MAP", "SDNFILTER", "IDNFILTER",
    # RACDCERT REKEY (RACF CLR, "RACDCERT REKEY (Rekey certificate)"); EXPORT of a
    # certificate without its key (RACF CLR, "RACDCERT EXPORT")
    "REKEY", "EXPORT", "FORMAT", "CERTB64", "CERTDER",
    # profiles
    "FACILITY", "RDATALIB", "STARTED", "UACC", "NONE", "READ", "UPDATE", "CONTROL", "CLASS", "ACCESS",
    "STDATA", "USER", "GROUP", "RACLIST", "REFRESH", "DIGTCERT", "DIGTRING", "AUTHUSER", "FROM",
    "CLASSACT", "DIGTNMAP",
}
POSITIONAL = {"RDEFINE": 2, "PERMIT": 1, "RALTER": 2, "RLIST": 2}
INNER_BARE = {"CERTAUTH", "SITE", "DEFAULT"}


def unwrap(text: str) -> str:
    out = ""
    for ln in text.split("\n"):
        if ln.endswith(" -"):
            out += ln[:-1]
        elif ln.endswith("-"):
            out += ln[:-1]
        else:
            out += ln
    return out


def scan(cmd: str):
    """Words outside quotes with their paren depth and whether '(' follows."""
    words, depth, i, word = [], 0, 0, ""
    in_q = False
    while i < len(cmd):
        ch = cmd[i]
        if in_q:
            if ch == "'":
                if cmd[i + 1:i + 2] == "'":
                    i += 2
                    continue
                in_q = False
            i += 1
            continue
        if ch == "'":
            in_q = True
        elif ch == "(":
            if word:
                words.append((word, depth, True))
                word = ""
            depth += 1
        elif ch == ")":
            if word:
                words.append((word, depth, False))
                word = ""
            depth -= 1
            assert depth >= 0, f"unbalanced ) in {cmd!r}"
        elif ch == " ":
            if word:
                words.append((word, depth, False))
                word = ""
        else:
            word += ch
        i += 1
    assert not in_q, f"unclosed quote in {cmd!r}"
    assert depth == 0, f"unbalanced ( in {cmd!r}"
    if word:
        words.append((word, depth, False))
    return words


def check_racf(text: str) -> None:
    lines = text.split("\n")
    assert all(len(ln) <= 72 for ln in lines), text
    assert all(len(ln) <= fx.MAX_COL for ln in lines), text  # column 72 left free
    assert all(ln.endswith("-") for ln in lines[:-1]), text
    assert not lines[-1].endswith("-"), text
    for prev, ln in zip(lines, lines[1:]):
        if prev.endswith(" -"):
            assert ln.startswith(" "), text
    cmd = unwrap(text)
    words = scan(cmd)
    verb = words[0][0]
    assert verb in VERBS, cmd
    skip = POSITIONAL.get(verb, 0)
    stack: list[str] = []
    for n, (w, depth, call) in enumerate(words[1:], 1):
        if call:
            assert w in KEYWORDS, f"{w} in {cmd}"
            continue
        if depth == 0:
            if n <= skip:
                continue
            assert w in KEYWORDS, f"{w} in {cmd}"
        elif w.isalpha() and w.isupper() and w in KEYWORDS and w not in INNER_BARE:
            pass  # a value that happens to be a keyword (USAGE(PERSONAL))
    for kw in ("LABEL(", "WITHLABEL(", "DSN("):
        for m in re.finditer(re.escape(kw), cmd):
            if m.start() > 0 and cmd[m.start() - 1].isalnum() and kw == "LABEL(":
                continue
            assert cmd[m.end()] == "'", f"{kw} not quoted in {cmd}"
    if verb == "RACDCERT":
        assert re.match(r"RACDCERT (ID\([A-Z0-9@#$]{1,8}\)|CERTAUTH|SITE) ", cmd), cmd


def emitted(findings):
    for f in findings:
        for c in f.commands + f.verify:
            if c.kind == "racf":
                yield c.text


CASES = sorted(p.name for p in SCEN.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize("case", CASES)
def test_every_command_of_every_scenario(case):
    _, fs = diagnose_case(case)
    texts = list(emitted(fs))
    for t in texts:
        check_racf(t)
    jcl = fx.batch_job([c for f in fs for c in f.commands], "FIX")
    assert all(len(ln) <= 72 for ln in jcl.text.split("\n"))


AWKWARD = ["Joe's 'test' cert", "A" * 32, "FTP Server on MVS1-MVS7", "x"]


@pytest.mark.parametrize("label", AWKWARD)
def test_every_fix_class_with_awkward_values(label):
    objs = [
        fx.RacdcertAddring("ftpd", "Server_RING"),
        fx.RacdcertConnect("TCPIP", label, "Server.Ring-2", "FTPD", "PERSONAL", True),
        fx.RacdcertConnect("CERTAUTH", label, "R", "U1", "CERTAUTH"),
        fx.RacdcertConnect("SITE", label, "R", "U1"),
        fx.RacdcertRemove("CERTAUTH", label, "R", "U1"),
        fx.RacdcertAlterTrust("CERTAUTH", label, "NOTRUST"),
        fx.RacdcertGenreq("TCPIP", label, "TCPIP.CERT.REQ"),
        fx.RacdcertGencert("TCPIP", label, request_dsn="TCPIP.CERT.REQ", signwith_label=label,
                           notafter="2030-01-01"),
        fx.RacdcertGencert("TCPIP", label, subject={"CN": label, "OU": "O'Brien", "C": "US"},
                           altname={"IP": "10.1.1.13", "DOMAIN": "a.b.c", "EMAIL": "x@y"},
                           signwith_label=label, size=4096, keyusage="HANDSHAKE"),
        fx.RacdcertAdd("HLQ.CA.PEM", "CERTAUTH", label),
        fx.RacdcertListring("USER301", "Client_RING"),
        fx.RacdcertList("TCPIP", label),
        fx.RacdcertList("CERTAUTH"),
        fx.RacdcertListchain("TCPIP", label),
        fx.Rdefine("FACILITY", "IRR.DIGTCERT.LISTRING"),
        fx.Rdefine("RDATALIB", "FTPD.Server_RING.LST"),
        fx.Rdefine("FACILITY", "IRR.DIGTCERT.LISTRING", from_profile="IRR.DIGTCERT.*"),
        fx.SetroptsClassact(["RDATALIB"]),
        fx.Permit("FTPD.Server_RING.LST", "RDATALIB", "TCPIP", "UPDATE"),
        fx.SetroptsRefresh(["DIGTCERT", "DIGTRING", "FACILITY"]),
        fx.RalterStarted("FTPT1.*", "FTPD", "OMVSGRP"),
        fx.Rlist("STARTED", "FTPT1.*", "STDATA"),
        RacdcertMap("USER301", f"CN={label}.OU=FTP.C=US", "CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US", label),
        RacdcertMap("USER301", None, "O=MVS3 CA.C=US", label),
        fx.SetroptsClassact(["DIGTNMAP"]),
        RacdcertRekey("TCPIP", label, label[:28] + " NEW"),
    ]
    for o in objs:
        check_racf(o.render())


def test_checker_rejects_bad_text():
    for bad in ["RACDCERT ID(FTPD) LIST(LABEL('x')",  # unbalanced
                "RACDCERT ID(FTPD) LIST(LABEL(x))",  # label not quoted
                "RACDCERT ID(FTPD) LSTRING(R)",  # misspelt keyword
                "RACDCERT ID(FTPD) CONNECT(ID(TCPIP) LABEL('it''s) RING(R))",  # unclosed quote
                "RACDCERT ID(FTPD) -\nCONNECT(ID(TCPIP) LABEL('x') RING(R))",  # continuation lost a blank
                "RACDCERT ID(FTPD) " + "LIST(LABEL('" + "y" * 60 + "'))"]:  # past column 72
        with pytest.raises(AssertionError):
            check_racf(bad)
