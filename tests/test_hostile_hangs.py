"""Issue 14, item 5: nothing hangs. A FIFO, /dev/zero or another special file
named on the command line ends every command at once with one line and exit 2;
inside a folder it becomes an unreadable artifact that says why. ``diagnose ""``
is an error, not the current folder. Artifact ids stay linear for sessions with
tens of thousands of artifacts. (Each check runs under a generous alarm: a hang
fails the test instead of stopping the suite.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from timelimit import alarm

from tlsworkbench.cli import main
from tlsworkbench.engine import load
from tlsworkbench.ingest.loader import new_artifact_id
from tlsworkbench.model import Artifact, Session

SCEN = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"
COMMANDS = [["diagnose"], ["bundle", "-o", "{out}"], ["report"], ["cert"], ["preflight"],
            ["export", "-o", "{out}"]]


@pytest.fixture
def fifo(tmp_path):
    p = tmp_path / "pipe.log"
    os.mkfifo(p)
    return p


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/null"])
@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_special_files_end_every_command_with_one_line(cmd, special, fifo, tmp_path, capsys):
    path = str(fifo) if special == "fifo" else special
    argv = [cmd[0], path] + [a.format(out=tmp_path / "o.tlswb") for a in cmd[1:]]
    with alarm():
        status = main(argv)
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1 and "not a regular file" in err, err
    assert not (tmp_path / "o.tlswb").exists()


def test_a_fifo_inside_a_folder_is_named_not_opened(tmp_path, capsys):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "MVS1.syslog.txt").write_bytes((SCEN / "MVS1.syslog.txt").read_bytes())
    os.mkfifo(folder / "stuck.log")
    with alarm():
        s = load([str(folder)])
        status = main(["diagnose", str(folder)])
    out = capsys.readouterr().out
    stuck = next(a for a in s.artifacts if a.path.endswith("stuck.log"))
    assert stuck.kind == "unreadable" and "not a regular file" in stuck.note
    assert status == 0 and "stuck.log" in out and "not a regular file" in out


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_an_empty_path_is_an_error_not_the_current_folder(cmd, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "MVS1.syslog.txt").write_bytes((SCEN / "MVS1.syslog.txt").read_bytes())
    argv = [cmd[0], ""] + [a.format(out=tmp_path / "o.tlswb") for a in cmd[1:]]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "empty path" in err


def test_the_workbench_refuses_an_empty_path(tmp_path):
    from tlsworkbench.cli import UsageError
    from tlsworkbench.tui.app import run_app

    with pytest.raises(UsageError, match="empty path"):
        run_app([""])


def test_artifact_ids_stay_linear_and_unique():
    s = Session()
    with alarm(20):
        for _ in range(40_000):
            s.artifacts.append(Artifact(id=new_artifact_id(s), path="x"))
    ids = [a.id for a in s.artifacts]
    assert len(set(ids)) == len(ids) == 40_000 and ids[-1] == "a40000"
    s.artifacts[5:10] = []  # removed, then one added from elsewhere: still unique
    s.artifacts.append(Artifact(id="a39996", path="y"))
    new = new_artifact_id(s)
    assert new not in {a.id for a in s.artifacts}
