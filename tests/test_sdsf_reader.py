"""SDSF panels and STARTED profiles: who a job runs as."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tlsworkbench.ingest import sdsf
from tlsworkbench.model import Artifact, JobInfo, Record, StartedProfile, Unparsed

DATA = Path(__file__).parent / "data" / "sdsf"


def _read(name: str, text: str | None = None):
    art = Artifact(id="a1", path=name, kind="sdsf")
    text = (DATA / name).read_text() if text is None else text
    items = list(sdsf.read(enumerate(text.splitlines(), 1), art))
    pick = lambda t: [i for i in items if isinstance(i, t)]  # noqa: E731
    return pick(Record), pick(Unparsed), pick(JobInfo), pick(StartedProfile)


def test_seed_da_panel_with_empty_procstep_error_4():
    recs, unparsed, jobs, _ = _read("seed_da_mvs3.txt")
    assert unparsed == []
    assert [(j.jobname, j.owner, j.jobid, j.step, j.system) for j in jobs] == [
        ("FTPCCL1", "TCPIP", "STC15829", "STEP1", "MVS3"),
        ("FTPT1", "TCPIP", "STC16246", "STEP1", "MVS3")]
    rec = next(r for r in recs if r.id == jobs[1].record)
    assert rec.kind == "job" and rec.line == 6 and rec.job == "FTPT1"


def test_da_panel_with_all_columns_and_sysname_per_row():
    _, unparsed, jobs, _ = _read("da_full_columns.txt")
    assert unparsed == []
    by = {j.jobname: j for j in jobs}
    assert by["PAGENTT"].owner == "PAGENT" and by["PAGENTT"].system == "MVS1"
    assert by["USER201"].owner == "USER301" and by["USER201"].system == "MVS3"  # from SysName
    assert by["FTPT1"].step == "STEP1" and by["FTPT1"].jobid == "STC16246"


def test_st_panel():
    _, unparsed, jobs, _ = _read("st_panel.txt")
    assert unparsed == []
    by = {j.jobname: j for j in jobs}
    assert by["FTPT1"].owner == "TCPIP" and by["FTPT1"].system == "MVS3"
    assert by["ACFTPX31"].owner == "USER31" and by["ACFTPX31"].system is None  # '12' is Pos


def test_started_profiles_from_rlist_and_commands():
    recs, unparsed, _, profs = _read("started_profiles.txt")
    assert unparsed == []
    assert [(p.profile, p.user, p.group) for p in profs] == [
        ("FTPT1.*", "TCPIP", "OMVSGRP"), ("MYFTP*.*", "FTPDP", None), ("FTPT1.*", "FTPD", "OMVSGRP")]
    first = next(r for r in recs if r.id == profs[0].record)
    assert first.kind == "started" and first.line == 5 and first.end_line == 18
    cont = next(r for r in recs if r.id == profs[2].record)
    assert (cont.line, cont.end_line) == (24, 25)


def test_bad_rows_are_reported_good_rows_kept():
    _, unparsed, jobs, _ = _read("bad_sdsf.txt")
    assert [j.jobname for j in jobs] == ["FTPT1", "FTPCCL1"]
    assert [u.line for u in unparsed] == [4, 5]


def test_sniff():
    assert sdsf.sniff((DATA / "seed_da_mvs3.txt").read_text().splitlines(), "x") >= 85
    assert sdsf.sniff(["RDEFINE STARTED MYFTP*.* STDATA(USER(FTPD))"], "x") >= 80
    assert sdsf.sniff(["SDSF SYSLOG  5011.101 MVS3 MVS3 03/12/2014 0W 12345"], "x") == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=30))
def test_never_raises(lines):
    art = Artifact(id="a1", path="x", kind="sdsf")
    prefix = ["SDSF DA MVS3 MVS3", "NP JOBNAME StepName ProcStep JobID Owner"]
    assert all(i is not None for i in sdsf.read(enumerate(prefix + lines, 1), art))


def test_huge_line_in_a_panel():
    text = "SDSF DA MVS3 MVS3\nNP JOBNAME StepName ProcStep JobID Owner\n" + "?" * 50000 + \
        "\n   FTPT1    STEP1      STC16246 TCPIP\n"
    _, unparsed, jobs, _ = _read("huge", text)
    assert [j.owner for j in jobs] == ["TCPIP"] and [u.line for u in unparsed] == [3]
