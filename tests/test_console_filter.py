"""The console filter against grep-style counts on a generated syslogd file
(bench/gen_shapes.py), on both reading paths (records; line numbers of the
big-file path): ``job:`` keeps every line of that job's connections, ``rc:``
reads hex as the return-code pane does and several ``rc:`` terms are a union;
a term that is not a code is said (QA2 defects 13, 14)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_tui_helpers import app_on, isolated, run_async, settle  # noqa: F401

from tlsworkbench.engine import load
from tlsworkbench.ingest import loader
from tlsworkbench.tui.filters import Filter
from tlsworkbench.tui.logindex import LogIndex
from tlsworkbench.tui.panes.console import ConsolePane

ROOT = Path(__file__).resolve().parents[1]
_CONNID = re.compile(r"CONNID: (\w+)")
_MAP = re.compile(r"CONNID: (\w+) .*JOBNAME: (\S+)")


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    path = tmp_path_factory.mktemp("shapes") / "MVS3.syslogd.log"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_shapes.py"), "--shape", "short",
                    "--lines", "20000", "-o", str(path)], check=True, capture_output=True)
    return path


def _grep(path: Path, job: str, rcs: tuple[int, ...] = ()) -> set[int]:
    """Line numbers of the job's connections (by CONNID, from its EZD1281I map
    line) or carrying JOBNAME: job, with one of ``rcs`` when given."""
    lines = path.read_text().splitlines()
    job_of = {m.group(1): m.group(2) for m in map(_MAP.search, lines) if m}
    out = set()
    for n, line in enumerate(lines, 1):
        m = _CONNID.search(line)
        if job and not ((m and job_of.get(m.group(1)) == job) or f"JOBNAME: {job} " in line):
            continue
        if rcs and not any(re.search(rf"RC: +{rc} ", line) for rc in rcs):
            continue
        out.add(n)
    return out


def _rows(session, query: str) -> set[int]:
    ix = LogIndex(session).build()
    rows = ix.filter_rows(Filter.parse(query))
    return {ix.row_line[r] for r in rows}


@pytest.mark.parametrize("big", [False, True], ids=["records", "big-file-path"])
def test_job_and_rc_filters_match_grep(shapes, big, monkeypatch):
    if big:
        monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 1)
    session = load([shapes])
    if big:
        assert session.attls is not None and session.attls.lazy > 1000
    http = _grep(shapes, "HTTPD1")
    assert len(http) > 1000
    assert _rows(session, "job:HTTPD1") == http
    with_435 = _grep(shapes, "HTTPD1", (435,))
    assert with_435  # the EZD1283I and the EZD1286I of each failing connection
    assert _rows(session, "job:HTTPD1 rc:435") == with_435
    any_428 = _grep(shapes, "", (428,))
    for query in ("rc:1AC", "rc:0x1AC", "rc:X'1AC'", "rc:428"):
        assert _rows(session, query) == any_428, query
    both = _grep(shapes, "", (428, 435))
    assert _rows(session, "rc:428 rc:435") == both > any_428


def test_rc_term_that_is_not_a_code_is_an_error():
    flt = Filter.parse("rc:abc job:FTPT1")
    assert flt.errors and "rc:abc is not a return code" in flt.errors[0]
    assert Filter.parse("rc:1B3").rcs == {435}
    assert Filter.parse("rc:6").rcs == {6}


@run_async
async def test_console_says_when_a_filter_term_is_not_a_code(isolated, shapes):
    app = app_on(load([shapes]))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        pane = app.query_one(ConsolePane)
        total = pane.view.count
        assert "HTTPD1" in pane.query_one("#console-filter").placeholder or \
            "job:" in pane.query_one("#console-filter").placeholder
        assert "MVS3 job:FTPT1 rc:6" not in pane.query_one("#console-filter").placeholder
        pane.apply_filter("rc:abc")
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("rc:abc is not a return code" in m for m in said), said
        assert pane.view.count == total  # the view is left as it was, not emptied
        assert str(pane.query_one("#console-title").render()).endswith("from 1 log")
