"""Issue 14, item 7: a save killed in the middle leaves a hidden temporary file;
the next save of the same target removes it (unless a running save holds it),
and the workbench saves in a worker thread with progress, never in the UI's."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading

from test_tui_helpers import app_on, hand_session, isolated, run_async, settle  # noqa: F401

from tlsworkbench import sessionfile
from tlsworkbench.atomicfile import clean_stale, write_atomic


def test_stale_temporary_files_of_the_target_are_removed(tmp_path):
    target = tmp_path / "s.tlswb"
    stale = [tmp_path / ".s.tlswb.abcd1234.tmp", tmp_path / ".s.tlswb.x_y9zz12.tmp"]
    for p in stale:
        p.write_bytes(b"\0" * 4096)
    other = [tmp_path / ".t.tlswb.abcd1234.tmp", tmp_path / "s.tlswb.abcd1234.tmp",
             tmp_path / ".s.tlswb.notes.txt"]
    for p in other:
        p.write_bytes(b"keep")
    busy = tmp_path / ".s.tlswb.busy0001.tmp"
    busy.write_bytes(b"a save in another process")
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        write_atomic(target, b"new")
    finally:
        os.close(fd)
    assert target.read_bytes() == b"new"
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in other) and busy.exists()
    assert clean_stale(target) == 1 and not busy.exists()  # its lock is gone now


def test_a_save_killed_mid_write_is_cleaned_by_the_next(tmp_path):
    target = tmp_path / "big.tlswb"
    code = ("import sys, time; sys.path.insert(0, %r)\n"
            "from tlsworkbench.atomicfile import write_atomic\n"
            "def slow(fh):\n"
            "    fh.write(b'x' * 65536); fh.flush(); print('writing', flush=True); time.sleep(60)\n"
            "write_atomic(%r, slow)\n") % (str(__import__('tlsworkbench').__path__[0] + "/.."),
                                           str(target))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"writing"
        left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(left) == 1
        assert clean_stale(target) == 0  # still being written: locked
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert left[0].exists() and not target.exists()
    write_atomic(target, b"done")
    assert not left[0].exists() and target.read_bytes() == b"done"


@run_async
async def test_the_workbench_saves_in_a_worker_with_progress(isolated, monkeypatch):
    seen = {}
    real = sessionfile.save

    def save(session, path, force=False, progress=None):
        seen["thread"] = threading.current_thread() is threading.main_thread()
        seen["progress"] = progress is not None
        seen["loading"] = app.loading  # what the status line says while it saves
        return real(session, path, force=force, progress=progress)

    monkeypatch.setattr(sessionfile, "save", save)
    out = isolated / "saved.tlswb"
    app = app_on(hand_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session_path == str(out) and not app.loading
    assert seen == {"thread": False, "progress": True, "loading": "saving..."}
    assert sessionfile.is_session_file(out)
