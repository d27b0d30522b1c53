"""The reference pane: its search box reads codes, hex codes, symbolic names,
several codes at once and words; a selected line's codes are answered in the
family of the program that wrote it; a snapshot shows a TN3270 and a CMS code."""

from __future__ import annotations

from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401
from textual.widgets import Input

from tlsworkbench.model.records import Record
from tlsworkbench.tui.panes.reference import ReferencePane, entries_for, search, selected_codes


def _codes(entries) -> list[tuple[str, object]]:
    return [(e.family, e.code) for e in entries]


def test_search_reads_several_codes_hex_symbols_and_words():
    got = _codes(search("6002 03353024"))
    assert ("tn3270", 6002) in got and ("cms", 0x03353024) in got
    assert ("gsk", 446) in _codes(search("1BE"))
    assert _codes(search("GSK_ERR_TLS_EXTENSION_MISMATCH")) == [("gsk", 446)]
    assert ("gsk", 446) in _codes(search("extension mismatch"))
    assert _codes(search("8/8/44")) == [("rdatalib", "8/8/44")]
    # words are not split into codes: "no certificate" is a text search
    assert ("rdatalib", "8/8/44") in _codes(search("no certificate"))


def test_a_selected_line_is_answered_in_its_family():
    assert _codes(entries_for(8, "zowe"))[0] == ("rdatalib", 8)
    assert _codes(entries_for(8, "cics"))[0] == ("gsk", 8)
    assert _codes(entries_for(6002, "tn3270")) == [("tn3270", 6002)]
    fams = {f for f, _ in _codes(entries_for(6002))}
    assert {"tn3270", "atls-internal"} <= fams


def test_selected_codes_reads_the_native_family_fields():
    zowe = Record(artifact="a9", line=1, kind="message", text="ZWED0148E ...",
                  fields={"family": "zowe", "rc": 8, "saf_rc": 8, "racf_rc": 8, "racf_rsn": 44})
    assert selected_codes(zowe) == ("zowe", [("rdatalib", "8/8/44")])
    tn = Record(artifact="a9", line=2, kind="message", text="EZZ6035I ...",
                fields={"family": "tn3270", "rcode": "1030-01"})
    assert selected_codes(tn) == ("tn3270", [("tn3270", 1030)])
    assert selected_codes(None) == (None, [])
    timed_out = Record(artifact="a9", line=4, kind="message", text="EZZ6035I ...",
                       fields={"family": "tn3270", "rcode": "600E-00"})
    assert selected_codes(timed_out) == ("tn3270", [("tn3270", "600E")])
    assert _codes(entries_for("600E", "tn3270")) == [("tn3270", "600E")]
    odd = Record(artifact="a9", line=3, kind="message", text="x",
                 fields={"family": ["not", "a", "name"], "rcode": "\x1b[31m"})
    assert selected_codes(odd) == (None, [])


@run_async
async def test_pane_shows_the_family_of_the_selected_line(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(ReferencePane)
        pane.show_codes([8], "zowe", [("rdatalib", "8/8/44")])
        await pilot.pause()
        prompts = [str(o.prompt) for o in pane.query_one("#ref-list").options]
        assert prompts[0].startswith("R_datalib (IRRSDL00) 8"), prompts
        assert any("8/8/44" in p for p in prompts)
        title = str(pane.query_one("#ref-title").render())
        assert "for RC 8, 8/8/44 (zowe line)" in title
        pane.query_one("#ref-search", Input).value = "6002 03353024"
        await pilot.pause()
        prompts = [str(o.prompt) for o in pane.query_one("#ref-list").options]
        assert any(p.startswith("TN3270 6002") for p in prompts), prompts
        assert any(p.startswith("CMS status 03353024") for p in prompts), prompts


def test_snapshot_shows_a_tn3270_and_a_cms_code(snap_compare, isolated):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        pilot.app.query_one("#ref-search", Input).value = "6002 03353024"
        await settle(pilot)

    assert snap_compare(app_on(hand_session(), theme="dark"), terminal_size=(100, 30),
                        run_before=run_before)
