"""The console pane's compact lines and merged order: what a rendered line
shows in compact and raw mode, the prefix of each layout, and where lines
without a time of their own go."""

from __future__ import annotations

from test_tui_helpers import (  # noqa: F401
    MVS1_JOBLOG, MVS3_SYSLOG, MVS3_SYSLOGD, _artifact, app_on, hand_session, isolated, run_async,
    settle, t,
)

from tlsworkbench.model import Connection, Endpoint, Record, Session
from tlsworkbench.tui.compact import JOBLOG, SYSLOG, SYSLOGD, compact, layouts
from tlsworkbench.tui.logindex import LogIndex
from tlsworkbench.tui.panes.console import ConsolePane


def shown(view, pos: int) -> str:
    """The text of the console row at ``pos`` as the screen shows it."""
    return view.render_line(pos - int(view.scroll_offset.y)).text


@run_async
async def test_compact_shows_the_message_id_at_80_columns_and_raw_the_prefix(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.query_one(ConsolePane).view
        row = view.index.row_of["a1:4"]  # the server's EZD1287I in the SYSLOG
        view.goto_row(row)
        await pilot.pause()
        pos = view.cursor
        line = shown(view, pos)
        assert len(line) == view.size.width <= 80
        assert "EZD1287I TTLS Error RC:    6" in line
        assert "13:59:02.92" in line and "STC15830" in line
        assert "M 0000000" not in line
        cont = shown(view, pos + 1)
        assert cont.split() == ["MVS3", "LOCAL:", "192.168.20.93..21"]
        assert cont.index("LOCAL:") == line.index("EZD1287I") + 2  # indented under it
        title = str(app.query_one("#console-title").render())
        assert "(raw)" not in title

        await pilot.press("r")
        await pilot.pause()
        line = shown(view, pos)
        assert "M 0000000 MVS3     14071 13:59:02.92 STC15830" in line
        assert "EZD1287I TTLS Error" not in line  # pushed past column 80 by the prefix
        assert "D                                         951" in shown(view, pos + 1)
        assert "(raw)" in str(app.query_one("#console-title").render())
        assert view.row_at(view.cursor) == row  # the selection stays

        from tlsworkbench.tui.commands import WorkbenchCommands

        names = {c[0]: c[1] for c in WorkbenchCommands(app.screen).commands()}
        assert "console: raw lines" not in names
        names["console: compact lines"]()  # the palette's way back
        await pilot.pause()
        assert "EZD1287I TTLS Error RC:    6" in shown(view, pos)
        assert "console: raw lines" in [c[0] for c in WorkbenchCommands(app.screen).commands()]


@run_async
async def test_search_and_filter_see_the_prefix_in_compact_mode(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(ConsolePane)
        assert not pane.view.raw
        assert pane.search("STC16246")  # only in the SYSLOG prefix
        assert "EZY" in pane.view.index.text(pane.view.row_at(pane.view.cursor))
        pane.apply_filter("00000290")
        await settle(pilot)
        assert pane.view.count > 0


def test_prefix_of_each_layout():
    syslog = MVS3_SYSLOG.splitlines()
    kinds = layouts(syslog, "console")
    assert kinds == (SYSLOG,)
    first = compact(syslog[3], kinds)
    assert (first.text, first.time, first.system, first.job, first.cont) == (
        "EZD1287I TTLS Error RC:    6 Initial Handshake 951", "13:59:02.92", "MVS3", "STC15830",
        False)
    assert compact(syslog[7], kinds).text == (
        "USERID: TCPIP GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC")
    assert compact(syslog[7], kinds).cont
    # a blank job id column: the flags are not taken for a job
    no_job = "N 0000000 MVS3     14071 13:59:01.77          00000290  $HASP373 PAYROLL1 STARTED"
    got = compact(no_job, kinds)
    assert (got.job, got.text) == ("", "$HASP373 PAYROLL1 STARTED")

    job = MVS1_JOBLOG.splitlines()
    assert layouts(job, "console") == (JOBLOG,)
    got = compact(job[5], (JOBLOG,))
    assert (got.text, got.time, got.job) == (
        "EZD1287I TTLS Error RC:  438 Initial Handshake", "13:59:02", "JOB07777")
    assert compact(job[6], (JOBLOG,)).text == "LOCAL: 192.168.20.91..1037"

    sd = MVS3_SYSLOGD.splitlines()
    assert layouts(sd, "syslogd") == (SYSLOGD,)
    got = compact(sd[2], (SYSLOGD,))
    assert got.text.startswith("EZD1283I TTLS Event GRPID: 00000005")
    assert (got.time, got.system, got.job) == ("13:59:02", "MVS3", "TCPIPT")


def test_lines_of_no_known_layout_are_shown_whole():
    bare = ["EZA1736I FTP 192.168.20.93", "220-FTPT1 IBM FTP CS V1R13 at MVS3"]
    assert layouts(bare, "console") == ()
    for line in bare:
        assert compact(line, ()).text == line
    odd = "M 0000000 MVS3 garbage that only looks like a SYSLOG line"
    assert compact(odd, (SYSLOG, JOBLOG)).text == odd
    assert compact("", (SYSLOG,)).text == ""


FTP_CLIENT = """\
EZA1736I FTP 192.168.20.93
EZA1554I Connecting to:   192.168.20.93 port: 21.
FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset.
EZA1534I *** Control connection with 192.168.20.93 dies.
"""


def test_a_log_without_times_sits_at_its_connections_time():
    s = Session()
    early = _artifact("a1", "mvs3.syslog.txt", "console", MVS3_SYSLOG, "MVS3")
    ftp = _artifact("a2", "ftp.out", "console", FTP_CLIENT, "MVS1")
    s.artifacts = [early, ftp]
    for n, when in [(1, t(13, 58, 40, 10)), (4, t(13, 59, 2, 92)), (9, t(13, 59, 3, 40))]:
        s.add(Record(artifact="a1", line=n, kind="message", text="", system="MVS3", time=when,
                     end_line=8 if n == 4 else 0))
    for n in range(1, 5):
        s.add(Record(artifact="a2", line=n, kind="message", text="", system="MVS1"))
    s.connections = [Connection(
        id="c2", system="MVS1", local=Endpoint("192.168.20.91", 1037),
        remote=Endpoint("192.168.20.93", 21), records=["a2:2", "a2:3"],
        first_time=t(13, 59, 3), last_time=t(13, 59, 3))]
    ix = LogIndex(s).build()
    order = [(ix.arts[ix.row_art[r]].id, ix.row_line[r]) for r in range(len(ix))]
    # the FTP lines keep their own order, right after the SYSLOG lines of 13:59:02
    # and before the one of 13:59:03.40
    assert order == [("a1", n) for n in range(1, 9)] + [("a2", n) for n in range(1, 5)] + [
        ("a1", 9)]


def test_plain_lines_before_the_first_record_sort_at_their_own_time():
    s = Session()
    syslog = _artifact("a1", "mvs3.syslog.txt", "console", MVS3_SYSLOG, "MVS3")
    job = _artifact("a2", "job.txt", "console", MVS1_JOBLOG, "MVS1")
    s.artifacts = [syslog, job]
    s.add(Record(artifact="a1", line=4, kind="message", text="", system="MVS3",
                 time=t(13, 59, 2, 92), end_line=8))
    s.add(Record(artifact="a2", line=6, kind="message", text="", system="MVS1",
                 time=t(13, 59, 2, 95), end_line=10))
    ix = LogIndex(s).build()
    order = [(ix.arts[ix.row_art[r]].id, ix.row_line[r]) for r in range(len(ix))]
    # 13:58:40 and 13:59:01 SYSLOG lines come before the job log's 13:59:02 lines
    assert order.index(("a1", 1)) < order.index(("a2", 2))
    assert order.index(("a1", 3)) < order.index(("a2", 2))
    assert order.index(("a2", 1)) < order.index(("a1", 2))  # 13:58:59 before 13:59:01
    # every artifact keeps its own order
    for aid in ("a1", "a2"):
        lines = [n for a, n in order if a == aid]
        assert lines == sorted(lines)
