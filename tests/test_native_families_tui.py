"""The native families' sample sessions in the workbench: selecting a family's
error line relates its connection, the ring its configuration names, the
return code and the finding with the family's refresh."""

from __future__ import annotations


import pytest
from diagnose_helpers import SAMPLES, sample_session
from test_tui_app import select_error
from test_tui_helpers import app_on, isolated, run_async, settle  # noqa: F401

from tlsworkbench.diagnose import run
from tlsworkbench.engine import load
from tlsworkbench.tui.panes.reference import ReferencePane


CASES = [
    # sample, msgid of the line to select, rc of it, ring, text in the finding's fix
    ("native-cics", "DFHSO0123", 428, "CICSPRD/CICSRING2", "CEMT PERFORM SSL REBUILD"),
    ("native-mq", "CSQX620E", 428, "CSQ1CHIN/CSQ1RING", "REFRESH SECURITY TYPE(SSL)"),
    ("native-zowe", "ZWED0148E", None, "ZWESVUSR/ZoweKeyring", "S ZWESLSTC,JOBNAME=ZWE1SV"),
    ("native-hwth", None, 202, "WEBCLNT/RatesRing", "Submit WEBCALL2 again"),
]


@pytest.mark.parametrize("stem,msgid,rc,ring,fix", CASES, ids=[c[0] for c in CASES])
@run_async
async def test_family_error_line_relates_ring_code_and_fix(isolated, stem, msgid, rc, ring, fix):
    session = load([SAMPLES / f"{stem}.tlswb"])
    run(session)
    rec = next(r for r in session.records if r.msgid == msgid and r.kind == "message" and r.fields.get("family")
               and (rc is None or r.fields.get("rc") == rc))
    app = app_on(session)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_error(pilot, rec.id)
        await pilot.pause()
        rel = app.selection.related
        conns = {c.id: c for c in session.connections}
        assert rel.connections and all(conns[cid].family == stem[7:] for cid in rel.connections)
        assert ring in rel.rings
        if rc is not None:
            assert rc in app.query_one(ReferencePane).codes
        f = app.current_finding()
        assert f is not None and f.id in rel.findings
        assert any(fix in c.text for c in f.commands)


# -- snapshots of the findings pane (regenerate: pytest tests/test_native_families_tui.py --snapshot-update)
@pytest.mark.parametrize("stem,fix", [("native-cics", "F CICSPRD2,CEMT PERFORM SSL REBUILD"),
                                      ("native-mq", "+CSQ1 REFRESH SECURITY TYPE(SSL)"),
                                      ("native-db2", "F PAGENT"),
                                      ("native-zowe", "P ZWE1SV"),
                                      ("native-hwth", "Submit WEBCALL2 again")],
                         ids=["cics", "mq", "db2", "zowe", "hwth"])
def test_findings_pane_of_a_family_sample(snap_compare, isolated, stem, fix):
    session = sample_session(stem)
    assert any(c.text.startswith(fix) for f in session.findings for c in f.commands)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(app_on(session, theme="dark"), terminal_size=(100, 30), run_before=run_before)
