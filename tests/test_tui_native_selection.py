"""Every native family's sample session in the workbench (issue 10): it opens with
nothing selected, and selecting the family's failing line changes the ring tree (the
ring the configuration names, cursor on it, the title naming it), the inspector (a
certificate of that ring, when the session lists certificates), the reference (the
line's code) and the findings (the finding with the family's fix)."""

from __future__ import annotations

import pytest
from diagnose_helpers import SAMPLES
from test_tui_app import select_error
from test_tui_helpers import app_on, isolated, run_async, settle  # noqa: F401

from tlsworkbench.diagnose import run
from tlsworkbench.engine import load
from tlsworkbench.tui.panes.inspector import InspectorPane
from tlsworkbench.tui.panes.reference import ReferencePane
from tlsworkbench.tui.panes.ringtree import RingTree, RingTreePane

CASES = [
    # sample, msgid of the failing line (None: any), its rc (None: any), code the reference
    # names, ring, certificate the inspector shows (None: no RACDCERT LIST in the sample), fix
    ("ftp-native", "SE0915", 428, "428", "FTPSRV/FTPSRVRING", "FTPSRV on MVSB 2026", "P FTPD1"),
    ("tn3270-native", "EZZ6035I", 401, "401", "TCPIP/TNRING", "TN3270 MVSC 2026", "OBEYFILE"),
    ("native-db2", "DSNL511I", None, "77A9733C",  # its own errno2 (QA2 3), not the connection's 401
     "DB2AUSR/DB2ARING", "DB2A DDF Server", "F PAGENT"),
    ("native-cics", "DFHSO0123", 428, "428", "CICSPRD/CICSRING2", None, "CEMT PERFORM SSL REBUILD"),
    ("native-mq", "CSQX620E", 428, "428", "CSQ1CHIN/CSQ1RING", None, "REFRESH SECURITY TYPE(SSL)"),
    ("native-zowe", "ZWED0148E", None, "8/8/44", "ZWESVUSR/ZoweKeyring", None, "S ZWESLSTC,JOBNAME=ZWE1SV"),
    ("native-hwth", None, 202, "202", "WEBCLNT/RatesRing", None, "Submit WEBCALL2 again"),
]


def _line(session, msgid, rc):
    return next(r for r in session.records if r.kind == "message" and r.severity == "error"
                and r.fields.get("family") and (msgid is None or r.msgid == msgid)
                and (rc is None or r.fields.get("rc") == rc))


def _state(app):
    rt, ins, ref = app.query_one(RingTreePane), app.query_one(InspectorPane), app.query_one(ReferencePane)
    return {"record": app.selection.record, "rings": tuple(app.selection.related.rings),
            "tree": rt.rel is not None and tuple(rt.rel.rings),
            "cert": ins.cert.label if ins.cert else None, "codes": list(ref.codes),
            "ref_title": str(ref.query_one("#ref-title").render()),
            "ring_title": str(rt.query_one("#ring-title").render())}


@pytest.mark.parametrize("stem,msgid,rc,code,ring,cert,fix", CASES, ids=[c[0] for c in CASES])
@run_async
async def test_selecting_the_failing_line_moves_every_pane(isolated, stem, msgid, rc, code, ring, cert, fix):
    session = load([SAMPLES / f"{stem}.tlswb"])
    run(session)
    rec = _line(session, msgid, rc)
    app = app_on(session)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        before = _state(app)
        assert before["record"] is None and not before["rings"] and before["cert"] is None
        assert "for RC" not in before["ref_title"] and ring not in before["ring_title"]
        await select_error(pilot, rec.id)
        await pilot.pause()
        after = _state(app)
        rel = app.selection.related
        conns = {c.id: c for c in session.connections}
        fam = "ftp" if stem == "ftp-native" else "tn3270" if stem == "tn3270-native" else stem[7:]
        assert rel.connections and all(conns[cid].family == fam for cid in rel.connections)
        # ring tree: the ring the family's configuration names, the cursor on it, named in the title
        assert ring in after["rings"] and after["tree"] == after["rings"]
        tree = app.query_one(RingTree)
        assert ring.partition("/")[2] in str(tree.cursor_node.label)
        assert f"Key rings  {ring}  (" in after["ring_title"]
        # inspector: a certificate of that ring
        if cert is not None:
            assert after["cert"] == cert
            assert app.query_one(InspectorPane).cert.record in rel.certs
        # reference: the line's code
        assert f"for RC {code}" in after["ref_title"] or code in after["ref_title"]
        # findings: the finding of that connection, with the family's fix
        f = app.current_finding()
        assert f is not None and f.id in rel.findings
        assert any(fix in c.text for c in f.commands)
        assert after != before


@run_async
async def test_cics_second_failure_moves_the_panes_to_the_other_ring(isolated):
    """Two regions, two rings: going from the 435 line to the 428 line changes the ring,
    the code and the finding."""
    session = load([SAMPLES / "native-cics.tlswb"])
    run(session)
    first, second = _line(session, "DFHSO0123", 435), _line(session, "DFHSO0123", 428)
    app = app_on(session)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_error(pilot, first.id)
        one = _state(app) | {"finding": app.current_finding().cause}
        await select_error(pilot, second.id)
        two = _state(app) | {"finding": app.current_finding().cause}
    assert one["rings"] == ("CICSPRD/CICSRING",) and two["rings"] == ("CICSPRD/CICSRING2",)
    assert one["codes"] == [435] and two["codes"] == [428]
    assert (one["finding"], two["finding"]) == ("ca-not-trusted", "private-key-unavailable")
