"""PERMIT to a group on the model (diagnose/simulate): followed where LISTUSER, LISTGRP,
RLIST or an ICH408I show who is connected to which group, and said to be unknown
(never "clears") where they do not."""

from __future__ import annotations

from pathlib import Path

from diagnose_helpers import diagnose_paths, prove_with
from test_simulate import _copy

from tlsworkbench.diagnose.simulate import racfdb
from tlsworkbench.model import Command

GROUPS = Path(__file__).parent / "data" / "fixes" / "groups"
LISTUSER = (GROUPS / "MVS1.listuser.txt", "MVS1.listuser.txt", [])
SETROPTS = (GROUPS / "MVS1.setropts-list.txt", "MVS1.setropts-list.txt", [])


def _prove(paths, to_id):
    s, fs = diagnose_paths(paths)
    f = next(x for x in fs if x.cause == "keyring-not-authorized")
    cmds = [Command(c.text.replace("ID(USER301)", f"ID({to_id})"), c.kind) for c in f.commands]
    assert any(f"ID({to_id})" in c.text for c in cmds)
    return prove_with(s, f, cmds)


def test_permit_to_a_group_the_user_is_connected_to_clears(tmp_path):
    """LISTUSER USER301 shows it connected to FTPUSERS, and SETROPTS LIST shows
    list-of-groups checking active: READ for FTPUSERS is READ for USER301."""
    text = _prove(_copy("error2-not-authorized", tmp_path, extra=[LISTUSER, SETROPTS]), "FTPUSERS")
    assert "finding clears" in text and "does NOT clear" not in text, text
    assert "GRPLIST" not in text  # SETROPTS LIST is in the session: nothing assumed


def test_permit_to_a_group_the_user_is_not_in_does_not_clear(tmp_path):
    """LISTGRP OTHERGRP lists FTPD and TCPIP only."""
    text = _prove(_copy("error2-not-authorized", tmp_path, extra=[LISTUSER, SETROPTS]), "OTHERGRP")
    assert "does NOT clear" in text and "RC 202" in text, text


def test_permit_to_a_group_whose_members_are_unknown_is_not_proven(tmp_path):
    text = _prove(_copy("error2-not-authorized", tmp_path), "FTPUSERS")
    assert "Not proven: whether USER301 is connected to group FTPUSERS is not in the evidence" in text
    assert "LISTUSER USER301 or LISTGRP FTPUSERS" in text
    assert "finding clears" not in text and "does NOT clear" not in text


def test_without_grplist_only_the_current_connect_group_counts(tmp_path):
    """SETROPTS NOGRPLIST: USER301 works under its current connect group USER (the
    ICH408I's GROUP), so its connection to FTPUSERS does not enter the check."""
    off = (GROUPS / "MVS1.setropts-list.txt", "MVS1.setropts-list.txt",
           [("IS ACTIVE.", "IS INACTIVE.")])
    paths = _copy("error2-not-authorized", tmp_path, extra=[LISTUSER, off])
    assert "does NOT clear" in _prove(paths, "FTPUSERS")
    assert "finding clears" in _prove(paths, "USER")


def test_grplist_not_in_the_session_is_said_to_be_assumed(tmp_path):
    text = _prove(_copy("error2-not-authorized", tmp_path, extra=[LISTUSER]), "FTPUSERS")
    assert "finding clears" in text
    assert "Assumed: list-of-groups checking (SETROPTS GRPLIST) is taken as active" in text


def test_rlist_access_list_with_groups_is_read():
    lines = """RLIST FACILITY IRR.DIGTCERT.LISTRING AUTHUSER
CLASS      NAME
-----      ----
FACILITY   IRR.DIGTCERT.LISTRING

LEVEL  OWNER      UNIVERSAL ACCESS  YOUR ACCESS  WARNING
-----  --------   ----------------  -----------  -------
 00    SYS1              NONE              ALTER    NO

INSTALLATION DATA
-----------------
NONE

USER      ACCESS   ACCESS COUNT
----      ------   ------ -----
FTPUSERS   READ        000000
TCPIP      UPDATE      000000

READY""".split("\n")
    db = racfdb.RacfDb()
    racfdb._scan(db, lines)
    assert db.acls[("FACILITY", "IRR.DIGTCERT.LISTRING")] == ("NONE", {"FTPUSERS": "READ", "TCPIP": "UPDATE"})


def test_hostile_lines_do_not_break_the_reader():
    db = racfdb.RacfDb()
    racfdb._scan(db, ["USER=" + "A" * 70000, "INFORMATION FOR GROUP " + "(" * 5000, "", "USER(S)=  ACCESS=",
                      "CLASS      NAME", "-" * 9000, "USER      ACCESS   ACCESS COUNT", "x" * 65536])
    assert isinstance(db.connects, dict)
