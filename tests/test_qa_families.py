"""The QA review's family cases (tests/data/qa/, QA.md defects 1, 3, 4, 9, 10, 14): the
FTP client through AT-TLS, Zowe's R_datalib failure followed by RC 202, the CICS and MQ
job logs that name the region's user (IEF695I), the ring wording per family, the GSKSRVR
trace of the application's own job, and the Connections summary."""

from __future__ import annotations

from diagnose_helpers import diagnose_paths as diagnose, errors, text_of

import shutil
from pathlib import Path

import pytest

from tlsworkbench.commands.diagnose import to_json

QA = Path(__file__).parent / "data" / "qa"


def files(case: str, skip=()) -> list[str]:
    return sorted(str(p) for p in (QA / case).iterdir() if p.is_file() and p.name not in skip)





# -- 1: FTP client through AT-TLS ------------------------------------------------------------
def test_ftp_client_attls_hostname_mismatch_is_a_failing_connection():
    s, found = diagnose(files("c5-hostname-ftpclient"))
    [f] = errors(found)
    assert f.cause == "hostname-mismatch"
    assert "ftpprod.example.com" in f.explanation and "ftpx.sysb.example.com" in f.explanation
    assert "TLSMECHANISM ATTLS" in f.explanation
    texts = [s.record(r).text for r in f.evidence if s.record(r) is not None]
    assert any(t.startswith("EZA2897I") for t in texts)
    assert any("SECURE_HOSTNAME" in t for t in texts)
    assert "Connections: 1 (1 failing)" in text_of(s)


def test_ftp_client_same_files_with_tlsmechanism_ftp_same_cause(tmp_path):
    for p in files("c5-hostname-ftpclient"):
        shutil.copy(p, tmp_path)
    data = tmp_path / "SYSA.ftpdata.txt"
    data.write_text(data.read_text().replace("TLSMECHANISM     ATTLS", "TLSMECHANISM     FTP"))
    _, native = diagnose(sorted(tmp_path.iterdir()))
    _, attls = diagnose(files("c5-hostname-ftpclient"))
    assert [f.cause for f in errors(native)] == [f.cause for f in errors(attls)] == ["hostname-mismatch"]


def test_seed_client_excerpt_connection_reset_points_to_the_partner():
    s, found = diagnose(files("c5c-seedclient"))
    [f] = errors(found)
    assert f.cause == "peer-reported-error"
    assert "EDC8121I" in f.explanation and "partner" in f.explanation
    steps = " ".join(f.next_steps)
    assert "EZD1287I" in steps and "pasearch -t" in steps
    conn = s.connections[0]
    assert conn.id in f.connections
    assert "Connections: 1 (1 failing)" in text_of(s)


def test_ftp_client_eza2897i_alone_without_config_is_still_a_failure(tmp_path):
    p = tmp_path / "client.txt"
    p.write_text("EZA1701I >>> AUTH TLS\n234 Security environment established - ready for negotiation\n"
                 "EZA2897I Authentication negotiation failed\n")
    s, found = diagnose([p])
    assert [f.severity for f in found] == ["error"]


# -- 3: Zowe: R_datalib 8/8/8 then RC 202 is one failure ---------------------------------------
def test_zowe_rdatalib_then_202_is_not_authorized_like_the_rdatalib_line_alone():
    s, found = diagnose(files("zowe"))
    _, alone = diagnose(files("zowe2"))
    [f] = errors(found)
    [g] = errors(alone)
    assert f.cause == g.cause == "keyring-not-authorized"
    assert [c.text for c in f.commands] == [c.text for c in g.commands]
    assert f.confidence >= g.confidence
    texts = [s.record(r).text for r in f.evidence if s.record(r) is not None]
    assert any("ZWED0148E" in t for t in texts) and any("ZWES1060W" in t for t in texts)
    assert "RC 406" not in f.explanation
    conn = s.connections[0]
    assert (conn.system, conn.job, conn.user) == ("SYSZ", "ZWE1SV", "ZWESVUSR")


def test_zowe_202_alone_has_no_at_tls_client_words(tmp_path):
    for p in files("zowe", skip={"SYSZ.zwe1sv.log"}):
        shutil.copy(p, tmp_path)
    log = (QA / "zowe" / "SYSZ.zwe1sv.log").read_text().splitlines()
    (tmp_path / "SYSZ.zwe1sv.log").write_text("\n".join(x for x in log if "ZWED0148E" not in x) + "\n")
    s, found = diagnose(sorted(tmp_path.iterdir()))
    [f] = errors(found)
    assert "a z/OS client using AT-TLS" not in f.explanation
    assert (s.connections[0].system, s.connections[0].job) == ("SYSZ", "ZWE1SV")
    trace = [t for t in f.next_steps if "GSKSRVR" in t]
    assert trace and all("JOBNAME=(ZWE1SV)" in t for t in trace)


# -- 4: IEF695I names the region's user --------------------------------------------------------
def test_cics_job_log_ief695i_gives_the_user_and_the_owner_mismatch():
    s, found = diagnose(files("cics"))
    conn = s.connections[0]
    assert conn.user == "CICSWEBU"
    assert conn.keyring == "CICSWEBU/CICSWEB1.Ring"
    [f] = errors(found)
    assert f.cause == "private-key-unavailable"
    assert "CICSADM" in f.explanation and "IEF695I" in f.explanation
    assert not any("Show who CICSWEB1 runs as" in t for t in f.next_steps)
    assert any(j.jobname == "CICSWEB1" and j.owner == "CICSWEBU" for j in s.jobs)


def test_mq_job_log_user_and_sslkeyr_from_csqm409i_lines():
    s, _ = diagnose(files("mq"))
    conn = s.connections[0]
    assert (conn.user, conn.keyring) == ("QM2ACHIN", "QM2ACHIN/QM2ARING")


# -- 9: the ring assumption names the family's own setting ----------------------------------
def test_mq_ring_assumption_names_sslkeyr_not_the_attls_policy():
    s, found = diagnose(files("mq", skip={"SYSM.qm2a-display.txt"}))
    [f] = errors(found)
    words = " ".join(f.assumptions)
    assert "SSLKEYR" in words and "CSQM409I" in words
    assert "pasearch" not in words and "AT-TLS policy" not in words
    out = text_of(s)
    assert "QM2ACHIN/QM2ARING (assumed)" in out


# -- 10: GSKSRVR trace of the application's own job -------------------------------------------
def test_gsksrvr_trace_names_the_cics_region_not_tcpip(tmp_path):
    for p in files("cics", skip={"SYSC.racdcert.txt", "SYSC.csd.txt"}):
        shutil.copy(p, tmp_path)
    _, found = diagnose(sorted(tmp_path.iterdir()))
    steps = [t for f in found for t in f.next_steps if "GSKSRVR" in t]
    assert steps and all("trace of CICSWEB1" in t and "JOBNAME=(CICSWEB1)" in t for t in steps)


# -- 14: the Connections summary -------------------------------------------------------------
@pytest.mark.parametrize("case,system", [("c5-hostname-ftpclient", "SYSA"), ("zowe2", "SYSZ")])
def test_failing_count_and_system_from_file_name(case, system):
    s, _ = diagnose(files(case))
    d = to_json(s)
    assert [c["system"] for c in d["connections"]] == [system]
    assert "(1 failing)" in text_of(s)


# -- the same from EBCDIC copies ---------------------------------------------------------------
@pytest.mark.parametrize("case", ["c5-hostname-ftpclient", "c5c-seedclient", "zowe", "cics", "mq"])
def test_ebcdic_copy_gives_the_same_findings(case, tmp_path):
    copies = []
    for p in map(Path, files(case)):
        out = tmp_path / p.name
        if p.suffix == ".pem":
            shutil.copy(p, out)
        else:
            out.write_bytes(b"".join(line.encode("cp1047") + b"\x15" for line in p.read_text().splitlines()))
        copies.append(out)
    _, f1 = diagnose(files(case))
    _, f2 = diagnose(copies)
    assert [(f.cause, f.connections, [c.text for c in f.commands]) for f in f1] == \
        [(f.cause, f.connections, [c.text for c in f.commands]) for f in f2]


def test_native_private_key_variant_has_no_at_tls_refresh_words():
    base = Path(__file__).parent / "data" / "tn3270"
    paths = sorted(p for p in base.rglob("*") if p.is_file() and p.suffix != ".md" and "ebcdic" not in p.parts)
    _, found = diagnose(paths)
    f = next(f for f in found if f.cause == "private-key-unavailable")
    assert "GroupUserInstance" not in f.explanation and "F PAGENT" not in f.explanation
    assert "TN3270 server did not pick it up" in f.explanation
    assert not any("before the TCP/IP stack" in t for t in f.next_steps)


def test_ftp_client_attls_with_the_clients_attls_trace_still_finds_the_host_name():
    s, found = diagnose(files("c5-hostname-ftpclient-trace"))
    [f] = errors(found)
    assert f.cause == "hostname-mismatch"
    assert s.connections[0].connid and s.connections[0].id in f.connections
