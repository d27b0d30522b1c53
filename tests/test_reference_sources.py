"""The reference against its sources: every code a table's sources list has
an entry (and no entry lacks a source), every confirmed entry names the
section it was read in, the codes of issue 12 are answered, and a code that
means different things per family is answered per family."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tlsworkbench import reference
from tlsworkbench.cli import main
from tlsworkbench.reference import loader


def _raw(name: str) -> dict:
    base = resources.files("tlsworkbench.reference").joinpath("data")
    return json.loads(base.joinpath(name).read_text("utf-8"))


# --- the check lists ---------------------------------------------------------------

@pytest.mark.parametrize("fname", loader.DATA_FILES)
def test_each_table_matches_the_codes_its_sources_list(fname):
    doc = _raw(fname)
    assert "source_codes" in doc, f"{fname} has no source_codes check list"
    codes = doc["source_codes"]
    assert len(codes) == len(set(map(str, codes))), f"{fname}: a code is listed twice"
    entries = [e for e in reference.all_entries() if e.origin == fname]
    assert len(entries) == len(codes), (fname, len(entries), len(codes))
    problems = [p for p in loader.source_list_problems() if p.startswith(fname)]
    assert problems == []


def _problems_with(monkeypatch, table: str, edit) -> list[str]:
    """source_list_problems() with ``edit(doc)`` applied to data file ``table``."""
    real = loader._read

    def edited(name):
        doc = real(name)
        return edit(doc) if name == table else doc

    monkeypatch.setattr(loader, "_read", edited)
    loader.table.cache_clear()
    try:
        return loader.source_list_problems()
    finally:
        monkeypatch.undo()
        loader.table.cache_clear()


def test_a_missing_entry_is_caught(monkeypatch):
    problems = _problems_with(monkeypatch, "gsk.json", lambda doc: dict(
        doc, entries=[e for e in doc["entries"] if e["code"] != 446]))
    assert any("446" in p and "no entry" in p for p in problems)
    assert any("gsk.json" in p and "entries" in p for p in problems)


def test_an_unlisted_entry_is_caught(monkeypatch):
    problems = _problems_with(monkeypatch, "ftp.json", lambda doc: dict(
        doc, source_codes=[c for c in doc["source_codes"] if c != 534]))
    assert any("534" in p and "not in source_codes" in p for p in problems)


def test_every_confirmed_entry_names_a_source_section():
    srcs = reference.sources()
    for e in reference.all_entries():
        if e.confirmed:
            section = e.section or srcs[e.source].get("section", "")
            assert section.strip(), (e.family, e.code, e.source)
            assert srcs[e.source]["zos"], (e.code, e.source)


def test_not_found_entries_say_so_and_are_never_confirmed():
    nf = [e for e in reference.all_entries() if e.not_found]
    assert {5005, 5007, 5017, 0x03353024} <= {e.code for e in nf}
    for e in nf:
        assert not e.confirmed and "not found" in e.meaning, e.code


# --- the codes issue 12 names --------------------------------------------------------

ISSUE_CODES = [
    # (what the user types, family, words the meaning has)
    ("446", "gsk", ["extension"]),
    ("450", "gsk", ["extension data"]),
    ("514", "gsk", ["callback"]),
    ("516", "gsk", ["TLS 1.3"]),
    ("517", "gsk", ["TLS 1.3"]),
    ("542", "gsk", ["TLS 1.3"]),
    ("412", "gsk", ["protocol"]),
    ("420", "gsk", ["closed the socket"]),
    ("03353006", "cms", ["not found"]),
    ("0335300C", "cms", ["not found"]),
    ("03353024", "cms", ["not found"]),
    ("03353028", "cms", ["not found"]),
    ("0335302D", "cms", ["not found"]),
    ("5005", "atls", ["not found"]),
    ("5011", "atls", ["not found"]),
    ("5017", "atls", ["not found"]),
    ("6002", "tn3270", ["handshake"]),
    ("CSQX620E", "message", ["System SSL"]),
    ("CSQX633E", "message", ["certificate"]),
    ("CSQX634E", "message", ["expired"]),
    ("CSQX599E", "message", ["ended"]),
    ("DSNL511I", "message", ["Db2"]),
    ("IRRD114I", "message", ["ring"]),
    ("EZA2898I", "message", ["FTP"]),
    ("ZWED0148E", "message", ["R_datalib"]),
    ("8/8/44", "rdatalib", ["no certificate"]),
    ("234", "ftp", ["AUTH"]),
    ("534", "ftp", ["policy"]),
]


@pytest.mark.parametrize("query,family,words", ISSUE_CODES)
def test_rc_answers_the_codes_of_the_issue(capsys, query, family, words):
    status = main(["rc", query, "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    matches = [m for m in json.loads(out)["matches"] if m["family"] == family]
    assert matches, (query, family)
    text = matches[0]["meaning"].lower()
    for w in words:
        assert w.lower() in text, (query, w)


def test_6002_is_answered_per_family_not_only_as_internal_at_tls():
    found = reference.lookup("6002")
    fams = {e.family for e in found}
    assert {"tn3270", "atls-internal"} <= fams
    only = reference.lookup("6002", family="tn3270")
    assert [e.family for e in only] == ["tn3270"]
    assert "internal" not in only[0].meaning.lower().split("not the at-tls")[0]


def test_8_means_different_things_per_family(capsys):
    fams = [e.family for e in reference.lookup("8")]
    assert {"gsk", "rdatalib", "hwth"} <= set(fams)
    assert main(["rc", "8", "--family", "rdatalib", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [m["family"] for m in doc["matches"]] == ["rdatalib"]
    assert main(["rc", "8", "--family", "R_datalib"]) == 0
    assert "R_datalib" in capsys.readouterr().out
    assert reference.get(8, "hwth").family == "hwth"
    assert reference.get(8, "rdatalib").name.startswith("SAF")
    assert reference.get(8).family == "gsk"


def test_an_unknown_family_is_a_usage_error(capsys):
    assert main(["rc", "8", "--family", "\x1b[31mnope"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "unknown family" in err and "\x1b" not in err


def test_every_model_family_is_a_known_family():
    from tlsworkbench.model.connection import FAMILIES

    for fam in FAMILIES:
        assert reference.resolve_family(fam), fam
    assert reference.lookup("6002", family="attls")[0].family == "atls-internal"


def test_application_families_reach_system_ssl_codes():
    # a CICS, MQ or Db2 record carries a System SSL code
    assert reference.get(435, "cics").family == "gsk"
    assert reference.lookup("514", family="mq")[0].family == "gsk"
    assert reference.get(8, "zowe").family == "rdatalib"


# --- the forms codes are written in ---------------------------------------------------

@pytest.mark.parametrize("text", ["8/8/44", "8,8,44", "(8, 8, 44)",
                                  "SAF rc: 8, RACF rc: 8, RACF rsn: 44"])
def test_r_datalib_triples(text):
    assert [e.code for e in reference.lookup(text)] == ["8/8/44"]


def test_internal_ssl_form_tn3270_instance_and_hex():
    assert [e.code for e in reference.lookup("134CC19E")] == [414]
    assert [e.family for e in reference.lookup("1030-01")] == ["tn3270"]
    assert [e.code for e in reference.lookup("X'21E'")] == [542]
    assert reference.get(446).hex == "1BE"
    assert reference.get(446).symbol == "GSK_ERR_TLS_EXTENSION_MISMATCH"
    assert reference.get(0x03353024).hex == "03353024"


def test_search_by_symbol_hex_and_words():
    assert [e.code for e in reference.lookup("gsk_err_bad_msg_len")] == [450]
    assert 446 in {e.code for e in reference.lookup("1BE")}
    assert 446 in {e.code for e in reference.lookup("extension mismatch")}
    assert "8/8/44" in {e.code for e in reference.lookup("empty ring")}


def test_cms_codes_without_entry_get_the_range():
    e = reference.get(0x03353FF0)
    assert e.family == "cms" and e.generic and not e.confirmed


# --- IBM's access rules in the 202 and 428 actions -------------------------------------

def test_202_and_428_state_the_access_rules():
    a202 = reference.get(202).action
    assert "READ to IRR.DIGTCERT.LISTRING" in a202 and "UPDATE for another user's ring" in a202
    assert ".LST in RDATALIB" in a202
    a428 = reference.get(428).action
    for words in ("READ to <owner>.<ring>.LST", "UPDATE another user's", "CONTROL a SITE or CERTAUTH"):
        assert words in a428
    rules = reference.lookup("8/8/8")[0].action
    assert "CONTROL" in rules and "UPDATE" in rules and "IRR.DIGTCERT.LISTRING" in rules


def test_message_entries_list_their_fields():
    for msgid in ("EZD1286I", "EZZ6034I", "EZZ6035I", "CSQX620E", "DFHSO0123", "ZWED0148E"):
        e = reference.lookup(msgid)[0]
        assert e.fields, msgid
    assert "rcode-instance" in reference.lookup("EZZ6035I")[0].fields


def test_every_entry_prints_within_80_columns_with_its_source_section():
    from tlsworkbench.commands.rc import format_entry

    for e in reference.all_entries():
        text = format_entry(e)
        assert max(len(line) for line in text.splitlines()) <= 80, e.code
        if e.confirmed:
            src = " ".join(text.split("Source:")[1].split())
            assert "; " in src, e.code  # "key - title; section"


def test_json_carries_hex_symbol_section_and_fields(capsys):
    assert main(["rc", "446", "CSQX620E", "--json"]) == 0
    m446, mcsqx = json.loads(capsys.readouterr().out)["matches"]
    assert m446["hex"] == "1BE" and m446["symbol"] == "GSK_ERR_TLS_EXTENSION_MISMATCH"
    assert m446["section"] and m446["confirmed"] is True
    assert "function" in mcsqx["fields"] and mcsqx["not_found"] is False
