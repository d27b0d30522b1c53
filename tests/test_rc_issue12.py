"""`tlsworkbench rc` on every code issue 12 (and the rc part of issue 10) names:
each is answered in the right family, says whether IBM's meaning was read
(confirmed), not read (unconfirmed) or not found at all, and a code whose
meaning was not found says so in plain words instead of guessing."""

from __future__ import annotations

import json

import pytest

from tlsworkbench.cli import main

# (what the user types, family, state): state is "confirmed", "unconfirmed"
# (a meaning from a weaker source) or "not_found" (no source read gives it).
CODES = [
    ("6002", "tn3270", "confirmed"),
    ("600E", "tn3270", "confirmed"),
    ("600E-00", "tn3270", "confirmed"),
    ("446", "gsk", "confirmed"),
    ("450", "gsk", "confirmed"),
    ("514", "gsk", "unconfirmed"),
    ("516", "gsk", "unconfirmed"),
    ("517", "gsk", "unconfirmed"),
    ("542", "gsk", "unconfirmed"),
    ("412", "gsk", "confirmed"),
    ("420", "gsk", "confirmed"),
    ("03353006", "cms", "not_found"),
    ("0335300C", "cms", "not_found"),
    ("03353024", "cms", "not_found"),
    ("03353028", "cms", "not_found"),
    ("0335302D", "cms", "not_found"),
    ("5005", "atls", "not_found"),
    *[(str(c), "atls", "not_found") for c in range(5007, 5018)],
    ("CSQX620E", "message", "confirmed"),
    ("DSNL511I", "message", "confirmed"),
    ("IRRD114I", "message", "confirmed"),
    ("EZA2898I", "message", "unconfirmed"),
    ("8", "gsk", "confirmed"),
    ("8", "rdatalib", "confirmed"),
    ("8", "hwth", "unconfirmed"),
]


def _rc(capsys, *args):
    status = main(["rc", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("query,family,state", CODES)
def test_every_code_of_the_issue_is_answered_in_its_family(capsys, query, family, state):
    status, out, err = _rc(capsys, query, "--json")
    assert status == 0, err
    mine = [m for m in json.loads(out)["matches"] if m["family"] == family]
    assert mine, (query, family)
    m = mine[0]
    assert m["source"], query
    assert m["confirmed"] is (state == "confirmed"), (query, family)
    assert m["not_found"] is (state == "not_found"), (query, family)
    if state != "confirmed":
        assert "unconfirmed" in m["meaning"].lower() or state == "unconfirmed"


@pytest.mark.parametrize("query,family,state", [c for c in CODES if c[2] == "not_found"])
def test_a_code_without_a_source_says_so_plainly(capsys, query, family, state):
    status, out, _ = _rc(capsys, query, "--family", family)
    assert status == 0
    title, *rest = out.splitlines()
    assert "[not found]" in title and "[unconfirmed]" not in title
    meaning = " ".join(" ".join(rest).split("Action:")[0].split())
    assert "not found in the sources read" in meaning
    # it names where the meaning would be, it does not invent one
    assert "Source:" in out


def test_the_family_label_is_printed_with_each_answer(capsys):
    status, out, _ = _rc(capsys, "8")
    assert status == 0
    titles = [b.splitlines()[0] for b in out.split("\n\n")]
    assert any("System SSL" in t for t in titles)
    assert any("R_datalib" in t for t in titles)
    assert any("HWTH" in t for t in titles)
    status, out, _ = _rc(capsys, "6002")
    first = out.splitlines()[0]
    assert first.startswith("6002  TN3270") and "[unconfirmed]" not in first


def test_tn3270_codes_are_printed_as_written_not_converted(capsys):
    status, out, _ = _rc(capsys, "600E", "--json")
    (m,) = json.loads(out)["matches"]
    assert (m["code_text"], m["hex"]) == ("600E", "")
    status, out, _ = _rc(capsys, "6002", "--family", "tn3270", "--json")
    (m,) = json.loads(out)["matches"]
    assert (m["code_text"], m["hex"]) == ("6002", "")


def test_parm1_of_a_tn3270_6002_leads_to_the_system_ssl_code(capsys):
    # EZZ6035I ... RCODE: 6002-00 ... PARM1: 0000019C: the hex form of 412
    status, out, _ = _rc(capsys, "0000019C", "--json")
    assert [m["code"] for m in json.loads(out)["matches"]][0] == 412
    status, out, _ = _rc(capsys, "53817370", "--json")  # CMS 0335301A printed in decimal
    assert "0335301A" in [m["code_text"] for m in json.loads(out)["matches"]]
