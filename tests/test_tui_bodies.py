"""The panes' text bodies (a finding's explanation, the certificate, the ring's
"missing" notes, a return code's entry): a selection puts its whole text in
them, shown from the top, scrollable when it is longer than the box, and the
boxes around them do not jump as selections change."""

from __future__ import annotations

from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401

from tlsworkbench.tui.panes.findings import FindingsPane
from tlsworkbench.tui.panes.reference import ReferencePane
from tlsworkbench.tui.panes.ringtree import RingTreePane
from tlsworkbench.tui.panes.textbox import TextBox


def shown(box: TextBox) -> list[str]:
    """The lines the box draws right now (what is scrolled into view)."""
    return [box.render_line(y).text.rstrip()
            for y in range(box.scrollable_content_region.height)]


async def _findings_detail(app, pilot) -> TextBox:
    """The findings pane shown (key 2) and its explanation box."""
    await settle(pilot)
    await pilot.press("2")
    await pilot.pause()
    return app.query_one("#findings-detail", TextBox)


@run_async
async def test_long_explanation_is_all_reachable_by_scrolling(isolated):
    s = hand_session()
    s.findings[0].explanation = "\n".join(f"step {i} of the explanation" for i in range(60)) \
        + "\nTHE LAST LINE OF THE EXPLANATION"
    app = app_on(s)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _findings_detail(app, pilot)
        first = shown(box)
        assert first[0] == s.findings[0].title
        assert not any("THE LAST LINE" in line for line in first)
        assert box.show_vertical_scrollbar  # the user sees there is more
        box.focus()
        seen = []
        for _ in range(12):  # page down through the text: the explanation's end passes by
            await pilot.press("pagedown")
            await pilot.pause()
            seen += shown(box)
        assert any("THE LAST LINE OF THE EXPLANATION" in line for line in seen)
        assert box.scroll_y > 0
        assert "THE LAST LINE OF THE EXPLANATION" in box.text.plain


@run_async
async def test_another_finding_replaces_the_text_and_starts_at_its_top(isolated):
    s = hand_session()
    s.findings[0].explanation = "\n".join(f"line {i} of f1" for i in range(60))
    app = app_on(s)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _findings_detail(app, pilot)
        box.focus()
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y > 0
        app.query_one(FindingsPane).query_one("#findings-list").highlighted = 1
        await pilot.pause()
        assert box.scroll_y == 0
        lines = shown(box)
        assert lines[0] == s.findings[1].title
        assert "of f1" not in box.text.plain
        assert any("partner reported an internal error" in line for line in lines)


@run_async
async def test_certificate_is_whole_and_literal(isolated):
    s = hand_session()
    s.certs[0].label = "[bold red]not markup[/] \x1b[31m"
    app = app_on(s)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select("a1:4", "test")
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        box = app.query_one("#inspector-body", TextBox)
        assert shown(box)[0].startswith("Label       [bold red]not markup[/] \\x1b[31m")
        assert "\x1b" not in box.text.plain
        assert app.focused is box
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y > 0
        in_view = " ".join(" ".join(shown(box)).split())
        assert in_view.endswith("only the handshake proves the chain is accepted.")


@run_async
async def test_ring_notes_follow_the_selection_and_the_tree_stays_put(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        pane = app.query_one(RingTreePane)
        box = pane.query_one("#ring-missing", TextBox)
        tree = pane.query_one("#ring-tree")
        app.select("a1:4", "test")
        await pilot.pause()
        notes = box.text.plain
        assert "no PERSONAL certificate on FTPD/Server_RING" in notes
        assert "exists but is not connected to FTPD/Server_RING" in notes
        # every note is in view, none cut off (the box wraps them at its width)
        in_view = " ".join(" ".join(shown(box)).split())
        for note in notes.split("\n"):
            assert " ".join(note.split()) in in_view
        where = tree.region
        app.select("a1:1", "test")  # a line of no connection: nothing is missing
        await pilot.pause()
        assert "no PERSONAL" not in box.text.plain
        assert shown(box)[0].startswith("missing: nothing")
        assert tree.region == where  # the tree did not jump
        app.select("a1:4", "test")
        await pilot.pause()
        assert box.text.plain == notes
        assert tree.region == where


@run_async
async def test_return_codes_list_only_the_codes_of_the_selection(isolated):
    app = app_on(hand_session())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.select("a1:4", "test")
        await pilot.pause()
        pane = app.query_one(ReferencePane)
        ol = pane.query_one("#ref-list")
        prompts = [str(o.prompt) for o in ol.options]
        assert any(" 6 " in p or " 6" in p.split("  ")[0] for p in prompts), prompts
        assert not any("438" in p for p in prompts), prompts  # the line's own code only (QA2 3)
        detail = pane.query_one("#ref-detail", TextBox)
        first = shown(detail)[0]
        pane.show_codes([438])
        await pilot.pause()
        prompts = [str(o.prompt) for o in ol.options]
        assert prompts and all("438" in p for p in prompts), prompts
        assert shown(detail)[0] != first and "438" in shown(detail)[0]
        assert "Return codes  for RC 438" in str(pane.query_one("#ref-title").render())
