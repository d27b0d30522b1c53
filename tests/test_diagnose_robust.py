"""The rules never raise and stay well-formed on thin or odd evidence: a
connection with nothing but a return code, records without fields, entities
with missing values."""

from __future__ import annotations

import logging

import pytest

from diagnose_helpers import SCEN

from tlsworkbench.diagnose import run
from tlsworkbench.diagnose.causes import CAUSES
from tlsworkbench.model import (CertInfo, Connection, Endpoint, KeyRing, PolicyStatement, Record, RingEntry,
                                Session)

CODES = [6, 7, 8, 109, 202, 401, 402, 406, 407, 412, 417, 420, 428, 435, 437, 438, 439, 5001, 5002, 5003,
         5004, 5006, 6001, 9999]


@pytest.mark.parametrize("rc", CODES)
def test_a_bare_return_code(rc, caplog):
    s = Session()
    s.records.append(Record("a1", 1, "message", f"EZD1287I TTLS Error RC: {rc:4d} Initial Handshake",
                            msgid="EZD1287I", fields={"rc": rc}, severity="error"))
    s.connections.append(Connection("c1", rcs=[rc], records=["a1:1"]))
    with caplog.at_level(logging.ERROR):
        fs = run(s)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert fs, rc
    for f in fs:
        assert f.cause in CAUSES and 0 <= f.confidence <= 1 and f.explanation
        assert f.connections == ["c1"] or "c1" in f.connections or not f.connections
    assert any(f.next_steps for f in fs), rc


def test_odd_entities_do_not_break_rules(caplog):
    s = Session()
    s.rings.append(KeyRing("", "", [RingEntry("", "", "", False, "a1:2")], "a1:2"))
    s.certs.append(CertInfo("a1:3", "racdcert"))
    s.policy.append(PolicyStatement("TTLSRule", "R", {"TTLSEnvironmentActionRef": ["E", "E2"]}, "a1:4"))
    s.policy.append(PolicyStatement("TTLSEnvironmentAction", "E", {"Keyring": None}, "a1:5"))
    s.connections.append(Connection("c1", system="X", rule="R", rcs=[428, 6, 401, 435, 402, 5004],
                                    local=Endpoint("1.2.3.4", None), remote=Endpoint("::1", 21)))
    with caplog.at_level(logging.ERROR):
        run(s)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("case", sorted(p.name for p in SCEN.iterdir() if p.is_dir()))
def test_no_rule_fails_on_a_scenario(case, caplog):
    from diagnose_helpers import diagnose_case

    with caplog.at_level(logging.ERROR):
        diagnose_case(case)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and "diagnos" in r.name]


def test_empty_session():
    assert run(Session()) == []


def test_a_retried_failure_is_one_finding():
    from datetime import datetime

    s = Session()
    for i in range(3):
        s.records.append(Record("a1", i + 1, "message", "EZD1287I TTLS Error RC: 5004 Initial Handshake",
                                msgid="EZD1287I", system="MVS3", severity="error",
                                fields={"rc": 5004, "event": "Initial Handshake"}))
        s.connections.append(Connection(f"c{i + 1}", system="MVS3", job="FTPT1", rule="R1", rcs=[5004],
                                        records=[f"a1:{i + 1}"], first_time=datetime(2014, 3, 12, 17, 30, i)))
    s.connections.append(Connection("c4", system="MVS3", job="OTHER", rule="R2", rcs=[5004], records=[]))
    fs = run(s)
    assert [f.cause for f in fs] == ["handshake-timeout", "handshake-timeout"]
    assert fs[0].connections == ["c1", "c2", "c3"] and "3 times" in fs[0].explanation
    assert fs[1].connections == ["c4"] and "times" not in fs[1].explanation
