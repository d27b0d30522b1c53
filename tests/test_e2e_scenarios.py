"""End to end over every scenario in tests/data/scenarios/<case>/, as the user
runs it: the cause, the real values in the fix commands, the issue #2 JSON,
and the same evidence moved off z/OS in other ways (EBCDIC cp1047 with NL line
ends, EBCDIC fixed 133-byte records), cut down (one system only, no RACF
displays) or with other names and addresses.

Expected values come from each scenario's README.md and, for error1..error6,
from the SHARE session 14869 walk-through the scenarios reproduce.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ebcdic  # noqa: F401  (registers cp1047)
import pytest

from diagnose_helpers import SCEN, files, flat

CASES = sorted(p.name for p in SCEN.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))

# case -> (error causes, substrings every one of which must be in the fix commands)
EXPECTED: dict[str, tuple[set[str], list[str]]] = {
    "error1-keyring-not-found": ({"keyring-not-found"}, [
        "TTLSKeyringParms keyR1", "Keyring FTPD/Server_RING", "Keyring was FTPP/Server_RING",
        "TTLSEnvironmentAction eAct1~FTPTat192.168.20.9n", "EnvironmentUserInstance 1",
        "F PAGENT,UPDATE"]),
    "error2-not-authorized": ({"keyring-not-authorized"}, [
        "PERMIT IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(USER301) ACCESS(READ)",
        "SETROPTS RACLIST(FACILITY) REFRESH"]),
    "error3-cert-not-on-ring": ({"certificate-not-on-ring"}, [
        "RACDCERT ID(FTPD) CONNECT(ID(FTPD) LABEL('FTP Server on MVS1-MVS7') RING(Server_RING)"
        " USAGE(PERSONAL) DEFAULT)",
        "REFRESH", "F PAGENT,UPDATE"]),
    "error4-wrong-owner": ({"private-key-unavailable"}, [
        "RDEFINE RDATALIB FTPD.SERVER_RING.LST UACC(NONE)",
        "PERMIT FTPD.SERVER_RING.LST CLASS(RDATALIB) ID(TCPIP) ACCESS(UPDATE)",
        "F PAGENT,UPDATE"]),
    "error5-hostname": ({"hostname-mismatch"}, [
        "RACDCERT ID(TCPIP) GENCERT", "DOMAIN('FTPXSRV31.WAS.IBM.COM')",
        "SIGNWITH(CERTAUTH LABEL('ACME31 CACERT'))", "RING(FTPXRing31) USAGE(PERSONAL) DEFAULT"]),
    "error6-expired": ({"certificate-expired"}, [
        "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP'))",
        "RACDCERT ID(TCPIP) GENCERT(",
        "SIGNWITH(CERTAUTH LABEL('MVS1 LABS Certificate Authority'))",
        "RACDCERT ID(TCPIP) ALTER(LABEL('FTPServer31 EXP')) TRUST", "REFRESH"]),
    "ca-missing": ({"ca-not-trusted"}, [
        "RACDCERT ID(USER301) CONNECT(CERTAUTH LABEL('MVS3 LABS Certificate Authority')"
        " RING(Client_RING) USAGE(CERTAUTH))"]),
    "cipher-mismatch": ({"cipher-mismatch"}, ["TTLSEnvironmentAction eAct1~FTPTClient",
                                               "F PAGENT,UPDATE"]),
    "handshake-timeout": ({"handshake-timeout"}, ["TTLSEnvironmentAction eAct1~FTPTClient",
                                                   "HandshakeRole Client", "F PAGENT,UPDATE"]),
    "healthy": (set(), []),
    "mixed": ({"keyring-not-authorized", "certificate-expired", "keyring-not-found"}, [
        "PERMIT USER302.BATCH_RING.LST CLASS(RDATALIB) ID(USER302) ACCESS(READ)",
        "SETROPTS RACLIST(RDATALIB) REFRESH",
        "Keyring TN3270/TNRing", "RACDCERT ID(TCPIP) GENREQ(LABEL('FTPServer31 EXP'))"]),
}

# values the explanation must name (real values from the evidence)
NAMED = {
    "error1-keyring-not-found": ["FTPP/Server_RING", "FTPD/Server_RING", "MVS3", "406"],
    "error2-not-authorized": ["USER301", "IRR.DIGTCERT.LISTRING", "FACILITY", "Client_RING"],
    "error3-cert-not-on-ring": ["FTPD/Server_RING", "FTP Server on MVS1-MVS7", "TCPIP", "428"],
    "error4-wrong-owner": ["FTPD", "TCPIP", "FTP Server on MVS1-MVS7", "Private Key: YES"],
    "error5-hostname": ["FTPXSRV31.WAS.IBM.COM", "0335304B", "FTPXSRV31 CERT"],
    "error6-expired": ["FTPServer31 EXP", "2011/10/07", "2014-03-12"],
    "ca-missing": ["MVS3 LABS Certificate Authority", "USER301/Client_RING"],
}

# where the cause lies: the system whose evidence alone must still name it
FAILING_SIDE = {
    "error1-keyring-not-found": "MVS3", "error2-not-authorized": "MVS1",
    "error3-cert-not-on-ring": "MVS3", "error4-wrong-owner": "MVS3",
    "error5-hostname": "MVS1", "error6-expired": "MVS3", "ca-missing": "MVS1",
    "cipher-mismatch": "MVS3",
}


# -- helpers ---------------------------------------------------------------------------
def _run(paths):
    from tlsworkbench.engine import open_session

    return open_session([str(p) for p in paths])


def _commands(session) -> str:
    return "\n".join(flat(c.text) for f in session.findings for c in f.commands)


def _errors(session) -> set[str]:
    return {f.cause for f in session.findings if f.severity == "error"}


def _copy(case: str, dst: Path, convert=None, only=None, skip=(), repl=()) -> list[Path]:
    """The case's artifacts (no README) written to ``dst``; ``convert(text) -> bytes``."""
    dst.mkdir(parents=True, exist_ok=True)
    out = []
    for p in files(case, only=only, skip=skip):
        text = p.read_text()
        for a, b in repl:
            text = text.replace(a, b)
        q = dst / p.name
        q.write_bytes(convert(text, p) if convert else text.encode())
        out.append(q)
    return out


def _nl_cp1047(text: str, _p=None) -> bytes:
    """cp1047 with NL (X'15') line ends, as OMVS or FTP in binary leaves a USS file."""
    data = "".join(line + "\n" for line in text.splitlines()).encode("cp1047")
    assert data.count(b"\x15") == len(text.splitlines())  # '\n' is NL X'15' in this codec
    return data


def _fb(text: str, lrecl: int) -> bytes:
    out = []
    for line in text.splitlines():
        assert len(line) <= lrecl
        out.append(line.ljust(lrecl).encode("cp1047"))
    return b"".join(out)


def _fb133_where_it_fits(text: str, _p=None) -> bytes:
    """A data set (RACDCERT SYSTSPRT, SDSF print, job log) is FB 133; a USS file
    (syslogd, pasearch output with long lines) stays cp1047 with NL."""
    if max((len(x) for x in text.splitlines()), default=0) <= 133:
        return _fb(text, 133)
    return _nl_cp1047(text)


def _shape(session) -> dict:
    """Everything a reader made, keyed by file name, independent of the folder."""
    name = {a.id: Path(a.path).name for a in session.artifacts}
    recs: dict[str, list] = {}
    for r in session.records:
        recs.setdefault(name[r.artifact], []).append(
            (r.line, r.kind, r.msgid, r.fields, r.system, r.job, r.time, r.severity))
    unp = sorted((name[u.artifact], u.line, u.reason) for u in session.unparsed)
    arts = sorted((Path(a.path).name, a.kind, a.records, a.unparsed, a.system) for a in session.artifacts)
    rings = sorted((r.owner, r.name, tuple((e.label, e.owner, e.usage, e.default) for e in r.entries))
                   for r in session.rings)
    certs = sorted((c.label or "", c.owner or "", c.serial or "", str(c.not_after)) for c in session.certs)
    conns = sorted((c.system or "", c.job or "", c.user or "", str(c.local), str(c.remote), tuple(c.rcs),
                    c.keyring or "", c.rule or "", c.connid or "") for c in session.connections)
    return {"records": recs, "unparsed": unp, "artifacts": arts, "rings": rings, "certs": certs,
            "connections": conns}


def _findings(session) -> list:
    name = {a.id: Path(a.path).name for a in session.artifacts}

    def ev(rid):
        aid, _, line = rid.rpartition(":")
        return name.get(aid, aid), line

    return [(f.cause, f.severity, f.title, f.explanation, tuple(f.rcs),
             tuple(ev(r) for r in f.evidence), tuple(c.text for c in f.commands), tuple(f.next_steps))
            for f in session.findings]


# -- 1. as collected ---------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES)
def test_scenario_cause_commands_and_no_unparsed_line(case):
    assert case in EXPECTED, f"new scenario {case}: add its expectations here"
    causes, cmds = EXPECTED[case]
    s = _run(files(case))
    for a in s.artifacts:
        assert a.unparsed == 0 and a.kind not in ("unknown", "unreadable"), (a.path, a.kind, a.unparsed)
    assert _errors(s) == causes
    text = _commands(s)
    for want in cmds:
        assert want in text, f"{case}: {want!r} not in\n{text}"
    for f in s.findings:
        if f.severity == "error":
            assert f.commands or f.next_steps, f"{case}: {f.cause} says neither what to do nor what to collect"
    got = " ".join(f.explanation for f in s.findings if f.severity == "error")
    for want in NAMED.get(case, []):
        assert want in got, f"{case}: explanation does not name {want!r}"


def test_racf_commands_are_valid_syntax():
    """Every RACF command the scenarios produce: balanced parentheses and quotes,
    a known verb, continuation only as a trailing ' -'."""
    verbs = ("RACDCERT", "PERMIT", "RDEFINE", "SETROPTS", "RALTER", "RLIST", "SEARCH", "F ", "P ", "S ", "#",
             "TTLS", "{", "}", " ", "//", "/*")
    for case in CASES:
        s = _run(files(case))
        for f in s.findings:
            for c in f.commands:
                for line in c.text.split("\n"):
                    assert line.startswith(verbs), (case, line)
                    if line.startswith(("RACDCERT", "PERMIT", "RDEFINE", "SETROPTS")):
                        one = flat(c.text)
                        assert one.count("(") == one.count(")"), (case, one)
                        assert re.sub(r"''", "", one).count("'") % 2 == 0, (case, one)
                        assert not line.endswith("-") or line.endswith(" -"), (case, line)
                        assert len(line) <= 72 or not line.startswith("RACDCERT"), (case, line)


def test_json_of_every_scenario_has_the_shape_of_issue_2(capsys):
    from tlsworkbench.cli import main

    art = {"path", "kind", "encoding", "records", "unparsed", "note"}  # note: added (issue 14)
    con = {"id", "system", "job", "user", "local", "remote", "rule", "connid", "rcs", "peer", "keyring"}
    fin = {"id", "cause", "severity", "title", "explanation", "rc", "evidence", "commands"}
    for case in CASES:
        assert main(["diagnose", *map(str, files(case)), "--json"]) == 0
        d = json.loads(capsys.readouterr().out)
        assert set(d) == {"artifacts", "connections", "findings"}
        assert d["artifacts"] and all(set(a) == art and type(a["records"]) is int
                                      and type(a["unparsed"]) is int for a in d["artifacts"])
        ids = {c["id"] for c in d["connections"]}
        for c in d["connections"]:
            assert set(c) == con and all(type(x) is int for x in c["rcs"])
            assert c["peer"] is None or c["peer"] in ids
            assert all(c[k] is None or isinstance(c[k], str) for k in con - {"rcs"})
        for f in d["findings"]:
            # the issue's keys must all be there; additions are allowed
            assert fin <= set(f) and all(type(x) is int for x in f["rc"])
            assert f["severity"] in ("error", "warning", "info")
            assert all(set(e) == {"artifact", "line"} and type(e["line"]) is int for e in f["evidence"])
            assert all(isinstance(x, str) for x in f["commands"])
        assert {f["cause"] for f in d["findings"] if f["severity"] == "error"} == EXPECTED[case][0]


# -- 2. the same evidence as it leaves z/OS ---------------------------------------------------
@pytest.mark.parametrize("how", ["cp1047-nl", "fb133"])
@pytest.mark.parametrize("case", CASES)
def test_ebcdic_copies_read_and_diagnose_identically(case, how, tmp_path):
    ref = _run(files(case))
    conv = _nl_cp1047 if how == "cp1047-nl" else _fb133_where_it_fits
    paths = _copy(case, tmp_path / how, conv)
    hit = _known_lrecl_bug(paths) if how == "fb133" else []
    got = _run(paths)
    for a in got.artifacts:
        assert a.encoding.startswith("cp1047"), (a.path, a.encoding)
    a, b = _shape(ref), _shape(got)
    for key in a:
        assert a[key] == b[key], f"{case} {how}: {key} differ"
    assert _findings(ref) == _findings(got)
    if hit:
        pytest.xfail(f"ingest/decode.py _lrecl reads FB 133 {', '.join(hit)} as 44-byte records;"
                     " compared with those files as cp1047 NL instead")


def _known_lrecl_bug(paths) -> list[str]:
    """A short FB 133 RACDCERT LISTRING (11-12 records) is taken for 44-byte
    records by ingest/decode.py ``_lrecl`` (reported to its owner). Until that
    is fixed such a file is rewritten as cp1047 NL, the rest of the case is
    compared as FB 133, and the test ends as xfail naming the files; once the
    detection is right it runs in full by itself."""
    from tlsworkbench.ingest.decode import sniff_layout

    hit = []
    for p in paths:
        data = p.read_bytes()
        if b"\x15" in data:
            continue
        lay = sniff_layout(data[:65536])
        if lay.layout != "fixed:133":
            hit.append(f"{p.name} ({len(data) // 133} records, read as {lay.layout})")
            text = "\n".join(data[i:i + 133].decode("cp1047").rstrip() for i in range(0, len(data), 133))
            p.write_bytes(_nl_cp1047(text))
    return hit


def test_fb133_is_really_read_as_fixed_records():
    from tlsworkbench.ingest.decode import sniff_layout

    for src in (SCEN / "error3-cert-not-on-ring" / "MVS3.racdcert-list.txt",
                SCEN / "mixed" / "MVS3.racdcert-listring.txt", SCEN / "mixed" / "MVS3.syslog.txt"):
        data = _fb(src.read_text(), 133)
        assert b"\n" not in data and b"\x15" not in data
        lay = sniff_layout(data[:65536])
        assert lay.layout == "fixed:133" and lay.encoding == "cp1047", (src, lay)


# -- 3. variations ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", sorted(FAILING_SIDE))
def test_failing_side_alone_names_the_same_cause(case):
    s = _run(files(case, only=FAILING_SIDE[case]))
    assert EXPECTED[case][0] <= _errors(s), case


@pytest.mark.parametrize("case", ["error1-keyring-not-found", "error3-cert-not-on-ring",
                                  "error4-wrong-owner", "cipher-mismatch"])
def test_partner_side_alone_blames_nobody_on_its_own_side(case):
    """Only the client's files of a server-side failure: no RACF fix for the
    client, and the finding points at the partner."""
    other = "MVS1" if FAILING_SIDE[case] == "MVS3" else "MVS3"
    s = _run(files(case, only=other))
    assert not _errors(s), (case, _errors(s))
    assert "RACDCERT" not in _commands(s)
    peer = [f for f in s.findings if f.cause == "peer-reported-error"]
    assert peer and "192.168.20.93" in peer[0].explanation


@pytest.mark.parametrize("case", ["error1-keyring-not-found", "error3-cert-not-on-ring",
                                  "error4-wrong-owner", "error5-hostname", "error6-expired", "ca-missing"])
def test_without_racf_displays_says_what_to_collect_instead_of_guessing(case):
    s = _run(files(case, skip=("racdcert",)))
    errs = [f for f in s.findings if f.severity == "error"]
    assert errs, case
    for f in errs:
        text = "\n".join(c.text for c in f.commands)
        # no RACF change guessed without the ring or certificate display
        assert "CONNECT(" not in text and "GENCERT" not in text and "REMOVE(" not in text, (case, text)
        assert "Keyring FTPD/" not in text, (case, text)
    collect = " ".join(n for f in errs for n in f.next_steps) + " ".join(f.explanation for f in errs)
    assert "RACDCERT" in collect or "LISTRING" in collect, (case, collect)
    with_racf = _run(files(case))
    conf = {f.cause: f.confidence for f in with_racf.findings}
    for f in errs:
        if f.cause in conf:
            assert f.confidence <= conf[f.cause], (case, f.cause)


RENAME = [  # longer first: no rename may touch the result of another
    ("FTP Server on MVS1-MVS7", "Payroll Web Server"),
    ("MVS1 LABS Certificate Authority", "Corp Root CA 2"),
    ("FTPP/", "WEBX/"), ("FTPD", "WEBSRV"), ("USER301", "PAYR042"), ("USER3*", "PAYR*"),
    ("Server_RING", "Web.Ring1"), ("SERVER_RING", "WEB.RING1"), ("Client_RING", "Pay_Ring"), ("FTPRing31", "SecRing9"),
    ("FTPXRing31", "HostRing7"), ("192.168.20.", "10.44.7."), ("10.1.1.", "172.16.9."),
]


def _renamed(text: str) -> str:
    for a, b in RENAME:
        text = text.replace(a, b)
    return text


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("error") or c == "ca-missing"])
def test_other_names_and_addresses_flow_into_the_commands(case, tmp_path):
    s = _run(_copy(case, tmp_path / case, repl=RENAME))
    causes, cmds = EXPECTED[case]
    assert _errors(s) == causes, case
    text = _commands(s)
    for want in cmds:
        assert _renamed(want) in text, f"{case}: {_renamed(want)!r} not in\n{text}"
    every = text + " ".join(f.explanation for f in s.findings)
    for old, _new in RENAME:
        if old not in ("USER3*",):
            assert old not in every, f"{case}: old value {old!r} still in the output"
    for want in NAMED.get(case, []):
        assert _renamed(want) in " ".join(f.explanation for f in s.findings), (case, want)
