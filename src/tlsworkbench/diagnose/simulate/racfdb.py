"""Users, groups and access lists the evidence shows, for the model (state.py).

No reader of the session claims LISTUSER, LISTGRP or RLIST output (a file of them is
kept as lines, like SETROPTS LIST output: ``common.raclisted``), so their few lines
are read here, from the files no reader claimed and from RACDCERT files (where
they are often pasted after the RACDCERT commands):

* ``LISTUSER``: ``USER=name``, ``DEFAULT-GROUP=g``, and one ``GROUP=g AUTH=...`` line
  per group the user is connected to (RACF CLR, LISTUSER);
* ``LISTGRP``: ``INFORMATION FOR GROUP g`` and, after ``USER(S)= ACCESS=``, one line
  per connected user with its group authority (RACF CLR, LISTGRP);
* ``RLIST class profile AUTHUSER``: the ``CLASS NAME`` pair, the ``UNIVERSAL ACCESS``
  column, and after ``USER ACCESS ACCESS COUNT`` the standard access list, whose
  entries are user IDs or group names (RACF CLR, RLIST; PERMIT);
* ``SETROPTS LIST``: ``LIST OF GROUPS ACCESS CHECKING IS ACTIVE`` (or ``INACTIVE``):
  with it, every group the user is connected to takes part in access checking;
  without it, only the current connect group (RACF SAG, "Activating list-of-groups
  checking (GRPLIST option)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KINDS = {"unknown", "racdcert"}
_MAX_LINES = 20000
_NAME = r"[A-Z0-9@#$*]{1,8}"
_USER = re.compile(rf"^\s*USER=({_NAME})\b", re.I)
_DEFGRP = re.compile(rf"\bDEFAULT-GROUP=({_NAME})\b", re.I)
_CONNECT = re.compile(rf"^\s*GROUP=({_NAME})\s+AUTH=", re.I)
_GROUP = re.compile(rf"^\s*INFORMATION FOR GROUP\s+({_NAME})\s*$", re.I)
_MEMBERS = re.compile(r"^\s*USER\(S\)=\s+ACCESS=", re.I)
_MEMBER = re.compile(rf"^\s+({_NAME})\s+(USE|CREATE|CONNECT|JOIN)\s+\d+", re.I)
_CLASS_HDR = re.compile(r"^\s*CLASS\s+NAME\s*$", re.I)
_CLASS_ROW = re.compile(r"^\s*([A-Z0-9@#$]{1,8})\s+(\S{1,246})\s*$", re.I)
_LEVEL_ROW = re.compile(rf"^\s*\d\d\s+{_NAME}\s+(NONE|READ|UPDATE|CONTROL|ALTER|EXECUTE)\b", re.I)
_ACL_HDR = re.compile(r"^\s*USER\s+ACCESS\s+ACCESS COUNT\s*$", re.I)
_ACL_ROW = re.compile(rf"^\s*({_NAME})\s+(NONE|READ|UPDATE|CONTROL|ALTER|EXECUTE)\b", re.I)
_GRPLIST = re.compile(r"LIST OF GROUPS ACCESS CHECKING IS (ACTIVE|INACTIVE)", re.I)


@dataclass
class RacfDb:
    connects: dict = field(default_factory=dict)
    """user -> set of groups it is connected to (LISTUSER: the complete list)."""
    default_group: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)
    """group -> set of users (LISTGRP: the complete list)."""
    acls: dict = field(default_factory=dict)
    """(class, profile) -> (uacc, {id: access}) from RLIST."""
    grplist: bool | None = None


def read(session) -> RacfDb:
    db = RacfDb()
    for a in session.artifacts:
        if a.kind not in _KINDS:
            continue
        try:
            n = min(a.line_count, _MAX_LINES)
            lines = a.lines(1, n) if n else []
        except Exception:  # a file that cannot be read again: nothing from it
            continue
        _scan(db, lines)
    return db


def _scan(db: RacfDb, lines: list[str]) -> None:
    user = group = None
    in_members = False
    cls_next = level_next = acl = False
    res = None
    for raw in lines:
        s = (raw or "")[:300]
        m = _GRPLIST.search(s)
        if m:
            db.grplist = m.group(1).upper() == "ACTIVE"
            continue
        m = _USER.match(s)
        if m:
            user, group, in_members = m.group(1).upper(), None, False
            db.connects.setdefault(user, set())
        m = _DEFGRP.search(s)
        if m and user:
            db.default_group[user] = m.group(1).upper()
        m = _CONNECT.match(s)
        if m and user:
            db.connects[user].add(m.group(1).upper())
            continue
        m = _GROUP.match(s)
        if m:
            group, user, in_members = m.group(1).upper(), None, False
            db.members.setdefault(group, set())
            continue
        if group and _MEMBERS.match(s):
            in_members = True
            continue
        if in_members:
            m = _MEMBER.match(s)
            if m:
                db.members[group].add(m.group(1).upper())
                continue
            if not s or s[0].isspace():
                continue  # CONNECT ATTRIBUTES=, REVOKE DATE= lines of a member
            in_members = False  # the next command's output
        if _CLASS_HDR.match(s):
            cls_next, acl, res = True, False, None
            continue
        if cls_next and not s.strip().startswith("-"):
            m = _CLASS_ROW.match(s)
            cls_next = False
            if m:
                res = (m.group(1).upper(), m.group(2))
                db.acls[res] = ("NONE", {})
                level_next = True
            continue
        if res and level_next:
            m = _LEVEL_ROW.match(s)
            if m:
                db.acls[res] = (m.group(1).upper(), db.acls[res][1])
                level_next = False
                continue
        if res and _ACL_HDR.match(s):
            acl = True
            continue
        if acl:
            if s.strip().startswith("-"):
                continue
            m = _ACL_ROW.match(s)
            if m:
                db.acls[res][1][m.group(1).upper()] = m.group(2).upper()
            else:
                acl, res = False, None
