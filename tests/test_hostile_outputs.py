"""Issue 14, item 2: an output never replaces an input (however the path is
spelled), a device, a FIFO or anything inside the installed package; the
workbench asks for a new name instead of saving over the bundled sample and asks
before it replaces a file the user did not open."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from test_tui_helpers import app_on, isolated, run_async, settle  # noqa: F401

from tlsworkbench import outputs, paths as where
from tlsworkbench.cli import main

SCEN = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"


def _digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def evidence(tmp_path):
    ev = tmp_path / "evidence"
    shutil.copytree(SCEN, ev)
    (ev / "sub").mkdir()
    (ev / "sub" / "note.txt").write_text("kept\n")
    return ev


def _refused(capsys, argv, *words):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("tlsworkbench: "), err
    for w in words:
        assert w in err, err
    return err


def test_report_into_an_input_folder_is_refused(capsys, evidence):
    before = _digest(evidence)
    victim = next(p for p in evidence.iterdir() if p.is_file())
    for target in (victim, evidence / "new-report.md", evidence / "sub" / "note.txt",
                   evidence / "sub" / ".." / victim.name):
        _refused(capsys, ["report", str(evidence), "-o", str(target)], "input")
    assert _digest(evidence) == before and not (evidence / "new-report.md").exists()


def test_export_map_onto_an_input_is_refused(capsys, evidence, tmp_path):
    before = _digest(evidence)
    victim = next(p for p in evidence.iterdir() if p.is_file())
    _refused(capsys, ["export", str(victim), "-o", str(tmp_path / "x.tlswb"), "--redact",
                      "--map", str(victim)], "input")
    _refused(capsys, ["export", str(evidence), "-o", str(tmp_path / "x.tlswb"), "--redact",
                      "--map", str(evidence / "sub" / "m.json")], "input folder")
    _refused(capsys, ["export", str(evidence), "-o", str(tmp_path / "x.tlswb"), "--redact",
                      "--map", str(tmp_path / "x.tlswb")], "twice")
    assert _digest(evidence) == before and not (tmp_path / "x.tlswb").exists()


def test_links_to_an_input_are_refused(capsys, evidence, tmp_path):
    victim = next(p for p in evidence.iterdir() if p.is_file())
    before = victim.read_bytes()
    sym = tmp_path / "sym.md"
    sym.symlink_to(victim)
    hard = tmp_path / "hard.md"
    os.link(victim, hard)
    for target in (sym, hard):
        _refused(capsys, ["report", str(victim), "-o", str(target)], "input")
    assert victim.read_bytes() == before and sym.is_symlink()


def test_bundle_onto_its_own_session_file_is_refused(capsys, tmp_path):
    sess = tmp_path / "s.tlswb"
    shutil.copy(where.sample_sessions_dir() / "healthy.tlswb", sess)
    before = sess.read_bytes()
    _refused(capsys, ["bundle", str(sess), "-o", str(sess)], "input")
    _refused(capsys, ["export", str(sess), "-o", str(sess)], "input")
    assert sess.read_bytes() == before


def test_devices_fifos_and_fd_links_are_refused(capsys, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, word in ((Path("/dev/null"), "system file"), (fifo, "FIFO"),
                         (Path("/proc/self/fd/1"), "system file")):
        _refused(capsys, ["report", str(SCEN), "-o", str(target)], word)
        _refused(capsys, ["bundle", str(SCEN), "-o", str(target)])
    link = tmp_path / "to-null"
    link.symlink_to("/dev/null")
    _refused(capsys, ["report", str(SCEN), "-o", str(link)], "system file")
    assert Path("/dev/null").is_char_device() and fifo.is_fifo() and link.is_symlink()


def test_outputs_inside_the_package_are_refused(capsys):
    sample = where.sample_sessions_dir() / "healthy.tlswb"
    before = sample.read_bytes()
    new = where.sample_sessions_dir() / "zz-should-never-exist.tlswb"
    try:
        _refused(capsys, ["bundle", str(SCEN), "-o", str(sample)], "package")
        _refused(capsys, ["bundle", str(SCEN), "-o", str(new)], "package")
        _refused(capsys, ["report", str(SCEN), "-o", str(where._PKG / "x.md")], "package")
    finally:
        new.unlink(missing_ok=True)
        (where._PKG / "x.md").unlink(missing_ok=True)
    assert sample.read_bytes() == before
    assert outputs.is_protected(sample) and not outputs.is_protected(Path.cwd() / "x")


def test_guard_names_the_reason_in_one_line(tmp_path):
    with pytest.raises(outputs.OutputError, match="no file name"):
        outputs.check("", [], "the report")
    with pytest.raises(outputs.OutputError, match="does not exist"):
        outputs.check(tmp_path / "missing" / "r.md", [], "the report")
    assert outputs.check(tmp_path / "ok.md", [tmp_path / "other"]) == tmp_path / "ok.md"


def test_export_redacted_api_refuses_input_folder(evidence):
    from tlsworkbench.redact import RedactError, export_redacted

    before = _digest(evidence)
    with pytest.raises(RedactError, match="input"):
        export_redacted([str(evidence)], evidence / "sub" / "x.tlswb")
    assert _digest(evidence) == before


# -- the workbench -----------------------------------------------------------------------
@run_async
async def test_ctrl_s_on_the_bundled_sample_asks_for_a_new_path(isolated, monkeypatch):
    from tlsworkbench.tui.screens import PromptScreen

    monkeypatch.chdir(isolated)
    sample = where.sample_sessions_dir() / "healthy.tlswb"
    before = sample.read_bytes()
    app = app_on([str(sample)])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.changes.add("notes")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        box = app.screen.query_one("#prompt-input")
        assert box.value == str(isolated / "session.tlswb"), box.value
        box.value = str(sample)  # typed anyway: refused
        await pilot.press("enter")
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        assert any("package" in m for m in shown), shown
        assert sample.read_bytes() == before
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # the suggested new path
        await settle(pilot)
    assert (isolated / "session.tlswb").is_file() and sample.read_bytes() == before


@run_async
async def test_saving_over_a_file_not_opened_asks_first(isolated):
    from test_tui_helpers import hand_session

    from tlsworkbench.tui.screens import PromptScreen

    other = isolated / "other.tlswb"
    other.write_bytes(b"not mine")
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and "Overwrite" in str(
            app.screen.question)
        await pilot.press("enter")  # the default answer is n
        await settle(pilot)
        assert other.read_bytes() == b"not mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "y"
        await pilot.press("enter")
        await settle(pilot)
        assert app.session_path == str(other) and not app.changes
    from tlsworkbench import sessionfile

    assert sessionfile.is_session_file(other)


@run_async
async def test_save_suggests_a_path_outside_the_input_folder(isolated, monkeypatch):
    from tlsworkbench.tui.screens import PromptScreen

    ev = isolated / "evidence"
    shutil.copytree(SCEN, ev)
    monkeypatch.chdir(ev)  # tlsworkbench . from inside the evidence folder
    before = _digest(ev)
    app = app_on([str(ev)])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one("#prompt-input").value == str(isolated / "session.tlswb")
        await pilot.press("enter")
        await settle(pilot)
    assert (isolated / "session.tlswb").is_file() and _digest(ev) == before
