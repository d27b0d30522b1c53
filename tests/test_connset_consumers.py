"""Every consumer of ``session.connections`` gives the same answer when the healthy
routine connections are rows of a ConnSet (issue 13) as with the plain list, and
the hot paths (diagnosis, ``diagnose --json``, the index, the redaction's names,
the log filter) make no Connection for a row.

Sessions: the scenario files, sample sessions and a generated syslogd file, read
on the big-file path (routine lines kept as line numbers) so that their healthy
connections can be rows; ``connset_helper.rows_patch`` turns them into rows."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from connset_helper import as_rows, rows_patch
from test_tui_helpers import app_on, isolated, run_async, settle  # noqa: F401

from tlsworkbench import jsonout
from tlsworkbench.commands.diagnose import to_json, write_text
from tlsworkbench.diagnose import simulate
from tlsworkbench.engine import index_of, open_session
from tlsworkbench.ingest import loader
from tlsworkbench.model import connset
from tlsworkbench.model.connection import failing
from tlsworkbench.model.connset import ConnSet
from tlsworkbench.model.rowquery import ids_by, line_owners, peers_of, positions, promote
from tlsworkbench.redact.collect import collect
from tlsworkbench.report import render
from tlsworkbench.tui.filters import Filter
from tlsworkbench.tui.logindex import LogIndex
from tlsworkbench.tui.panes.inspector import _latest

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "tests" / "data" / "scenarios"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("shapes") / "MVS3.syslogd.log"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_shapes.py"), "--shape", "both",
                    "--lines", "12000", "--seed", "7", "-o", str(path)], check=True, capture_output=True)
    return path


def _pair(paths, monkeypatch):
    """(plain session, the same with rows), both diagnosed."""
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    plain = open_session(paths)
    with rows_patch():
        rows = open_session(paths)
    assert isinstance(rows.connections, ConnSet)
    return plain, rows


def _view(c):
    return (c.id, c.system, c.stack, c.job, c.user, str(c.local), str(c.remote), c.rule, c.grpid,
            c.envid, c.connid, c.role, list(c.rcs), list(c.events), list(c.records), c.peer, c.keyring,
            c.first_time, c.last_time, c.line_ids(), list(c.handshakes), c.family)


def _json(session) -> str:
    out = io.StringIO()
    jsonout.write_long(to_json(session, lazy=True), long=("connections",), stream=out)
    return out.getvalue()


def _text(session) -> str:
    out = io.StringIO()
    write_text(session, out)
    return out.getvalue()


def _same_answers(plain, rows) -> None:
    assert _json(rows) == _json(plain)
    assert _text(rows) == _text(plain)
    assert [c.id for c in failing(rows.connections, rows.findings)] == \
        [c.id for c in failing(plain.connections, plain.findings)]
    assert render(rows, "md") == render(plain, "md")
    a, b = collect(plain), collect(rows)
    assert list(b.values.items()) == list(a.values.items()) and b.kept == a.kept
    assert _latest(rows) == _latest(plain)
    assert peers_of(rows.connections) == peers_of(plain.connections)
    for col in ("rule", "keyring", "job"):
        assert ids_by(rows.connections, col) == ids_by(plain.connections, col)
    ia, ib = index_of(plain), index_of(rows)
    assert {k: list(v) for k, v in ib.line_conn.items()} == {k: list(v) for k, v in ia.line_conn.items()}
    some = [rid for f in plain.findings for rid in f.evidence][:20]
    some += [f"{a.id}:{n}" for a in plain.artifacts for n in range(1, min(a.line_count, 400), 7)]
    for rid in some:
        assert ib.related(rid) == ia.related(rid), rid
    for c in plain.connections[:50]:
        assert ib.related_to_connection(c.id) == ia.related_to_connection(c.id)


def test_generated_file_rows_answer_as_objects(generated, monkeypatch):
    plain, rows = _pair([generated], monkeypatch)
    assert rows.connections.rows > 500  # most of its connections are rows
    assert [_view(c) for c in rows.connections] == [_view(c) for c in plain.connections]
    _same_answers(plain, rows)


@pytest.mark.parametrize("case", ["error5-hostname", "mixed", "cipher-mismatch", "error2-not-authorized"])
def test_scenarios_rows_answer_as_objects(case, monkeypatch):
    plain, rows = _pair([SCEN / case], monkeypatch)
    _same_answers(plain, rows)


@pytest.mark.parametrize("name", ["mixed", "error5-hostname", "native-cics"])
def test_sample_sessions_rows_answer_as_objects(name, monkeypatch):
    plain, rows = _pair([ROOT / "sample_sessions" / f"{name}.tlswb"], monkeypatch)
    _same_answers(plain, rows)


def test_log_filter_gives_the_same_lines_with_rows(generated, monkeypatch):
    plain, rows = _pair([generated], monkeypatch)
    a, b = LogIndex(plain).build(), LogIndex(rows).build()
    for text in ("job:HTTPD1", "rc:0", "rule:TN3270", "connid:00000102", "", "sys:MVS3", "sys:MVS1 job:MQ",
                 "rule:client rc:0", "connid:10A job:MQCHIN2"):
        flt = Filter.parse(text)
        got, want = b.filter_rows(flt), a.filter_rows(flt)
        assert (list(got) if got is not None else None) == (list(want) if want is not None else None), text


def test_diagnosis_and_json_make_no_connection_of_a_row(generated, monkeypatch):
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    made = []
    real = connset.ConnSet._rows

    def counting(self, rows):
        made.extend(r for r in rows if self._cache.get(r) is None)
        return real(self, rows)

    with rows_patch():
        s = open_session([generated])
    monkeypatch.setattr(connset.ConnSet, "_rows", counting)
    monkeypatch.setattr(simulate, "MAX_CONNECTIONS", 100)  # as a big session: no model of every side
    before = len(made)
    from tlsworkbench.engine import diagnose

    diagnose(s)
    _json(s)
    index_of(s).related(f"{s.artifacts[0].id}:3")
    collect(s)
    _latest(s)
    assert s.connections.rows > 500
    assert len(made) - before < 10  # a few asked for by id at most, never the rows


def test_positions_are_id_order(generated, monkeypatch):
    plain, rows = _pair([generated], monkeypatch)
    ids = [c.id for c in plain.connections[::97]]
    assert positions(rows.connections, ids) == {cid: k for k, cid in
                                               enumerate(c.id for c in plain.connections) if cid in ids}


def test_a_row_joined_to_a_handshake_becomes_an_object(generated, monkeypatch):
    plain, rows = _pair([generated], monkeypatch)
    cs = rows.connections
    k = next(i for i in range(len(cs)) if cs._slot[i] >= 0)
    c = cs[k]
    c.handshakes.append("h1")
    got = promote(cs, [c])
    assert got.rows == cs.rows - 1 and got[k] is c and got.objs.count(c) == 1
    want = list(plain.connections)
    want[k].handshakes.append("h1")
    assert [_view(x) for x in got] == [_view(x) for x in want]
    assert [x.id for x in got.objs] == sorted((x.id for x in got.objs), key=lambda i: int(i[1:]))
    assert promote(got, [c]) is got


def test_the_helper_keeps_order_and_values(generated, monkeypatch):
    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    s = open_session([generated])
    cs = as_rows(s.connections)
    assert cs.rows and [_view(c) for c in cs] == [_view(c) for c in s.connections]


@pytest.mark.parametrize("chunk", [3, 65536])
def test_row_json_escapes_as_json_does(chunk, monkeypatch):
    monkeypatch.setattr(jsonout, "_CHUNK", chunk)
    from array import array

    from tlsworkbench.model.connection import Connection, Endpoint

    odd = ['JOB"1', "back\\slash", "tab\there", "caf\u00e9", "nl\nx", "\x01ctl", None, "", "\u2028"]
    conns = []
    for k, text in enumerate(odd * 2, 1):
        c = Connection(f"c{k}", system="MVS3", job=text, user=odd[-k % len(odd)], rule=text,
                       local=Endpoint("2001:db8::5" if k % 3 == 0 else "10.0.0.1", 443 if k % 2 else None),
                       remote=Endpoint("10.1.1.1", 1030) if k % 4 else None, connid=f"{k:08X}",
                       peer=f"c{k + 1}" if k % 5 == 0 else None, keyring=text)
        c.lines, c.lines_art = array("I", [k]), "a1"
        if k == 4:
            c.rcs = [8]  # an object among the rows
        conns.append(c)
    cs = as_rows(conns)
    assert cs.rows == len(conns) - 1
    errs = {"c2": [6, 438], "c7": [202]}

    def item(c):
        return {"id": c.id, "system": c.system, "job": c.job, "user": c.user,
                "local": jsonout.endpoint(c.local), "remote": jsonout.endpoint(c.remote),
                "rule": c.rule, "connid": c.connid, "rcs": list(c.rcs) or list(errs.get(c.id, ())),
                "peer": c.peer, "keyring": c.keyring}

    def text(items):
        out = io.StringIO()
        jsonout.write_long({"connections": items}, long=("connections",), stream=out)
        return out.getvalue()

    assert text(jsonout.connections(cs, item, errs)) == text([item(c) for c in conns])


async def _console_counts(session, queries, keys=()):
    from tlsworkbench.tui.panes.console import ConsolePane

    app = app_on(session)
    got = []
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        pane = app.query_one(ConsolePane)
        for q in queries:
            pane.apply_filter(q)
            await settle(pilot)
            got.append(pane.view.count)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return got


@run_async
async def test_the_workbench_on_rows_shows_what_it_shows_on_objects(isolated, generated):  # noqa: F811
    from tlsworkbench.engine import load

    loader.FAST_ATTLS_BYTES, keep = 0, loader.FAST_ATTLS_BYTES
    try:
        plain = load([generated])
        with rows_patch():
            rows = load([generated])
    finally:
        loader.FAST_ATTLS_BYTES = keep
    assert rows.connections.rows > 500
    queries = ["job:HTTPD1", "rc:8"]
    got = await _console_counts(rows, queries, keys=("down", "n"))
    assert isinstance(rows.connections, ConnSet) and rows.connections.rows > 500  # not correlated again
    assert got == await _console_counts(plain, queries)
    assert len(set(got)) == len(got)  # the filters do filter


def test_trace_handshakes_join_rows_as_they_join_objects(generated, monkeypatch):
    from tlsworkbench.model import trace_join
    from tlsworkbench.model.connection import Endpoint
    from tlsworkbench.model.trace import Handshake

    plain, rows = _pair([generated], monkeypatch)
    cs = rows.connections
    picked = [cs[k] for k in range(len(cs)) if cs._slot[k] >= 0][::40][:12]
    assert len(picked) >= 6

    def handshakes():
        out = []
        for n, c in enumerate(picked):
            port = None if n % 3 == 0 else (c.remote.port if n % 3 == 1 else 1)  # 1: no match
            ip = ("::FFFF:" + c.remote.ip) if n % 2 else c.remote.ip
            out.append(Handshake(f"h{n + 1}", peer=Endpoint(ip, port), system=c.system, job=c.job,
                                 start=c.first_time))
        return out

    for s in (plain, rows):
        s.handshakes = handshakes()
        trace_join.join(s)
    assert [h.connection for h in rows.handshakes] == [h.connection for h in plain.handshakes]
    assert any(h.connection for h in rows.handshakes)
    assert [_view(c) for c in rows.connections] == [_view(c) for c in plain.connections]
    joined = {h.connection for h in rows.handshakes if h.connection}
    assert joined <= {c.id for c in rows.connections.objs}  # a joined row is an object now
