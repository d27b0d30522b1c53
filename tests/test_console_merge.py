"""The console's merge by time across files never breaks on lines without a
time of their own: the remainder of a line cut at decode.MAX_LINE, JES2 job log
header rows, untimed records of a job log (QA2 defects 1 and 2)."""

from __future__ import annotations

from pathlib import Path

from tlsworkbench.engine import load
from tlsworkbench.ingest.decode import MAX_LINE
from tlsworkbench.tui.compact import compact, layouts
from tlsworkbench.tui.logindex import LogIndex

ROOT = Path(__file__).resolve().parents[1]

_SYSLOG = "M 4020000 SYSA     26339 {t} STC05120 00000090  {msg}\n"
_ICH408I = (
    "M 4020000 SYSA     26339 09:02:17.31 STC05120 00000090  ICH408I USER(PAYBAT  ) "
    "GROUP(PAYGRP  ) NAME(PAYROLL BATCH TLS   ) 881\n"
    "D                                         881 00000090    IRR.DIGTCERT.LISTRING CL(FACILITY)\n"
    "D                                         881 00000090    FROM IRR.DIGTCERT.* (G)\n"
    "E                                         881 00000090    ACCESS INTENT(READ   )  "
    "ACCESS ALLOWED(NONE   )\n")
_SYSLOGD = (
    "Dec  5 09:02:17 SYSA TCPIPA[33620010]: 09:02:17 TCPIPA   EZD1281I TTLS Map   CONNID: 0001B2C4 "
    "LOCAL: 10.50.2.11..1044 REMOTE: 10.60.9.40..443 JOBNAME: PAYB01 USERID: PAYBAT TYPE: OutBound "
    "STATUS: Enabled RULE: rulePay ACTIONS: grpPay envPayCli connPayCli\n"
    "Dec  5 09:02:17 SYSA TCPIPA[33620010]: 09:02:17 TCPIPA   EZD1286I TTLS Error GRPID: 00000007 "
    "ENVID: 00000011 CONNID: 0001B2C4 LOCAL: 10.50.2.11..1044 REMOTE: 10.60.9.40..443 "
    "JOBNAME: PAYB01 USERID: PAYBAT RULE: rulePay RC:  202 Initial Handshake\n")


def _order(ix: LogIndex) -> list[tuple[str, int]]:
    return [(Path(ix.arts[ix.row_art[r]].path).name, ix.row_line[r]) for r in range(len(ix))]


def _syslog_with_long_line(path: Path, size: int) -> None:
    lines = [_SYSLOG.format(t="09:02:10.00", msg=f"EZZ000{n}I line {n}") for n in (1, 2)]
    lines.append(_SYSLOG.format(t="09:02:10.00", msg="EZZ0005I long " + "A" * size))
    lines += [_SYSLOG.format(t="09:02:10.00", msg=f"EZZ000{n}I line {n}") for n in (6, 7)]
    path.write_text("".join(lines) + _ICH408I)


def test_a_cut_long_line_keeps_the_merge_order(tmp_path):
    syslog = tmp_path / "SYSA.syslog-ich408i.txt"
    _syslog_with_long_line(syslog, 100 * 1024)
    syslogd = tmp_path / "SYSA.syslogd.txt"
    syslogd.write_text(_SYSLOGD)
    ix = LogIndex(load([syslog, syslogd])).build()
    order = _order(ix)
    mine = [n for a, n in order if a == syslog.name]
    assert mine == sorted(mine)
    cut = [n for n in mine if len(ix.text(order.index((syslog.name, n)))) >= MAX_LINE - 200]
    assert cut, "the 100 KB line is cut into pieces"
    # the rest of the cut line goes on with it: a plain line, not an error line
    rest = order.index((syslog.name, cut[0] + 1))
    assert rest not in set(ix.error_rows) and ix.record_at(rest) is None
    first_syslogd = order.index((syslogd.name, 1))
    # every 09:02:10 line of the SYSLOG (the pieces of the long line, EZZ0006I,
    # EZZ0007I) comes before the 09:02:17 syslogd lines; the 09:02:17.31
    # ICH408I after them
    tail = mine.index(max(mine)) - 3  # the ICH408I and its 3 continuation lines
    for n in mine[:tail]:
        assert order.index((syslog.name, n)) < first_syslogd, n
    assert order.index((syslog.name, mine[tail])) > order.index((syslogd.name, 2))


def _prefix_times(ix: LogIndex) -> list[str]:
    out = []
    kinds: dict[int, tuple] = {}
    for r in range(len(ix)):
        ai = ix.row_art[r]
        if ai not in kinds:
            art = ix.arts[ai]
            kinds[ai] = layouts(art.lines(1, 200), art.kind)
        t = compact(ix.text(r), kinds[ai]).time
        if t:
            out.append(t.replace(".", ":"))
    return out


def test_three_cics_job_logs_merge_by_time():
    session = load([ROOT / "sample_sessions" / "native-cics.tlswb"])
    ix = LogIndex(session).build()
    jobs = [a for a in ix.arts if "J E S 2" in a.line(1)]
    assert len(jobs) == 3
    times = _prefix_times(ix)
    assert len(times) > 20
    assert times == sorted(times)  # the prefix times of the merged console never go back
    order = _order(ix)
    for art in ix.arts:  # each file keeps its own order, header rows first
        mine = [n for a, n in order if a == Path(art.path).name]
        assert mine == sorted(mine)
