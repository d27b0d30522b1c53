"""The return-code and message reference: meanings, families, code parsing and
the well-formedness of the shipped data files."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tlsworkbench import reference
from tlsworkbench.reference import codes, loader


# --- the six failures of the seed session -------------------------------------------

SEED = [
    # (code, family, words the meaning must contain)
    (202, "gsk", ["key ring", "opened"]),
    (406, "gsk", ["socket", "reset"]),
    (5006, "atls", ["TTLSEnvironmentAction", "initialize"]),
    (6, "gsk", ["label", "key ring"]),
    (438, "gsk", ["partner", "internal error"]),
    (428, "gsk", ["private key"]),
    (401, "gsk", ["expired"]),
    (0x0335304B, "cms", ["host"]),
]


@pytest.mark.parametrize("code,family,words", SEED)
def test_seed_codes_have_the_right_family_and_meaning(code, family, words):
    e = reference.get(code)
    assert e is not None and not e.generic
    assert e.family == family
    for w in words:
        assert w.lower() in e.meaning.lower()
    assert e.action and e.source


def test_seed_codes_found_by_lookup_as_written_in_the_logs():
    assert [e.family for e in reference.lookup("0335304B")] == ["cms"]
    assert [e.code for e in reference.lookup("RC: 5006")] == [5006]
    assert reference.lookup("401")[0].name == "GSK_ERR_BAD_DATE"


def test_partner_codes_say_to_look_at_the_partner():
    for code in (406, 438, 420):
        e = reference.get(code)
        assert any(c.side == "partner" for c in e.context), code


def test_202_context_tells_environment_init_cause():
    e = reference.get(202)
    notes = " ".join(c.when + " " + c.note for c in e.context)
    assert "Environment Init" in notes and "IRR.DIGTCERT.LISTRING" in notes


def test_actions_name_concrete_objects():
    assert "RACDCERT" in reference.get(6).action
    assert "IRR.DIGTCERT.LISTRING" in reference.get(202).action
    assert "PERSONAL" in reference.get(428).action
    assert "HandshakeRole" in reference.get(5004).action


# --- code parsing ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["435", "1B3", "1b3", "0x1B3", "0X1b3", "X'1B3'", "x'1b3'",
                                  "000001B3", "RC 435", " 435 "])
def test_hex_and_decimal_forms_of_435(text):
    assert [(e.family, e.code) for e in reference.lookup(text)] == [("gsk", 435)]


def test_trace_exit_status_is_hex():
    assert [e.code for e in reference.lookup("0000019A")] == [410]
    assert reference.parse_code("Exit status 0000019A (410)") == [(410, "hex")]


def test_parse_code_readings():
    assert reference.parse_code("435") == [(435, "decimal")]
    assert reference.parse_code("1B3") == [(0x1B3, "hex")]
    assert reference.parse_code("-27") == [(-27, "decimal")]
    assert reference.parse_code("03353009") == [(0x03353009, "hex"), (3353009, "decimal")]
    assert reference.parse_code("00000006") == [(6, "hex")]
    assert reference.parse_code("RC4") == []
    assert reference.parse_code("key ring") == []
    assert reference.parse_code("") == []


def test_family_of_follows_the_numbering_rules():
    assert reference.family_of(428) == "gsk"
    assert reference.family_of(4999) == "gsk"
    assert reference.family_of(5001) == "atls"
    assert reference.family_of(6001) == "atls-internal"
    assert reference.family_of(0x0335304B) == "cms"
    assert reference.family_of(-27) == "gsk-deprecated"


def test_codes_of_documented_ranges_get_generic_entries():
    e = reference.get(5099)
    assert e.family == "atls" and e.generic and not e.confirmed
    assert "unconfirmed" in e.meaning
    known = reference.get(5005)  # known to exist, meaning not found: said so, not guessed
    assert known.not_found and not known.generic and "not found" in known.meaning
    i = reference.get(6123)
    assert i.family == "atls-internal" and i.confirmed and "IBM" in i.action


def test_get_respects_family():
    assert reference.get(428, "gsk") is reference.get(428)
    assert reference.get(428, "atls") is None
    assert reference.get(-27).family == "gsk-deprecated"


def test_unknown_codes():
    assert reference.get(9999) is None
    assert reference.lookup("9999") == []
    assert reference.lookup("") == []
    assert reference.lookup("qqzzyx") == []
    assert "not in the reference" in reference.describe(9999)


def test_describe_is_one_line_and_marks_unconfirmed():
    line = reference.describe(428)
    assert line.startswith("RC 428 (System SSL): ") and "\n" not in line
    assert "unconfirmed" in reference.describe(404)
    assert reference.describe(5006).startswith("RC 5006 (AT-TLS): ")
    assert "0335304B" in reference.describe(0x0335304B)


# --- message ids, names, events, free text -------------------------------------------

@pytest.mark.parametrize("msgid", ["EZD1281I", "EZD1286I", "EZD1287I", "EZD2052I", "EZD2054I",
                                   "ICH408I", "IRRD101I", "IRRD107I", "IRRD109I", "IRRD115I",
                                   "EZA2897I", "EZA2895I", "EZA1534I", "EZZ6034I", "EZZ6035I",
                                   "DFHSO0123", "IRRI031I", "GSK01036E", "EZYFT96I"])
def test_message_ids(msgid):
    found = reference.lookup(msgid.lower())
    assert [e.code for e in found] == [msgid]
    assert found[0].family == "message" and found[0].where


def test_ezd1287i_appears_on_console_and_job_log():
    e = reference.lookup("EZD1287I")[0]
    assert "job log" in e.where and "console" in e.where


def test_symbolic_names_and_errno():
    assert [e.code for e in reference.lookup("GSK_ERR_BAD_DATE")] == [401]
    assert [e.code for e in reference.lookup("gsk_err_unknown_ca")] == [435]
    econn = reference.lookup("ECONNRESET")
    assert [e.code for e in econn] == ["EDC8121I"] and "reset" in econn[0].meaning.lower()
    assert reference.lookup("EDC8121I") == econn


@pytest.mark.parametrize("name,side", [("Initial Handshake", "either"),
                                       ("environment master init", "local"),
                                       ("Environment  Link", "local"),
                                       ("Connection Init", "local"),
                                       ("Environment Init", "local")])
def test_event_names_point_at_a_side(name, side):
    found = reference.lookup(name)
    assert len(found) == 1 and found[0].family == "event"
    assert found[0].context[0].side == side


def test_free_text_search():
    codes_found = {e.code for e in reference.lookup("private key")}
    assert 428 in codes_found and -27 in codes_found
    assert all(e.family != "cipher" for e in reference.lookup("private key"))


# --- cipher suites (H4's module, when present) ---------------------------------------

def _ciphers_available() -> bool:
    return bool(reference.lookup("TLS_RSA_WITH_3DES_EDE_CBC_SHA"))


def test_cipher_lookups():
    pytest.importorskip("tlsworkbench.tls.ciphersuites")
    if not _ciphers_available():
        pytest.skip("tls.ciphersuites offers neither suite_by_spec nor SUITES")
    by_name = reference.lookup("TLS_RSA_WITH_3DES_EDE_CBC_SHA")
    assert [(e.family, e.code) for e in by_name] == [("cipher", 0x000A)]
    spec = [e for e in reference.lookup("0A") if e.family == "cipher"]
    assert spec and spec[0].name == "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
    four = [e for e in reference.lookup("C02F") if e.family == "cipher"]
    assert four and "AES_128_GCM" in four[0].name


def test_cipher_lookup_survives_a_missing_module(monkeypatch):
    from tlsworkbench.reference import ciphers
    monkeypatch.setattr(ciphers, "_module", lambda: None)
    assert [e.family for e in reference.lookup("C02F")] == []
    assert [e.family for e in reference.lookup("0A")] == ["gsk"]


# --- the data files -----------------------------------------------------------------

def _raw_files():
    base = resources.files("tlsworkbench.reference").joinpath("data")
    for name in loader.DATA_FILES:
        yield name, json.loads(base.joinpath(name).read_text("utf-8"))


def test_data_files_are_well_formed():
    srcs = reference.sources()
    for name, doc in _raw_files():
        assert doc.get("family") in codes.FAMILY_LABELS, name
        seen = set()
        for raw in doc["entries"]:
            for key in ("code", "name", "meaning", "action", "confirmed", "source"):
                assert key in raw, (name, raw.get("code"), key)
            assert isinstance(raw["confirmed"], bool)
            assert raw["meaning"].strip() and "\n" not in raw["meaning"], raw["code"]
            assert raw["action"].strip(), raw["code"]
            fam = raw.get("family", doc["family"])
            assert (fam, raw["code"]) not in seen, (name, raw["code"])
            seen.add((fam, raw["code"]))
            assert raw["source"] in srcs, (raw["code"], raw["source"])
            if raw["confirmed"]:
                assert srcs[raw["source"]]["zos"], (raw["code"], raw["source"])
            else:
                assert "unconfirmed" in raw["meaning"].lower(), raw["code"]


def test_every_reference_between_entries_resolves():
    events = {e.code for e in reference.all_entries() if e.family == "event"}
    for e in reference.all_entries():
        for s in e.see:
            assert reference.lookup(s), (e.code, s)
        for ev in e.events:
            assert ev in events, (e.code, ev)


def test_no_duplicate_codes_per_family_after_loading():
    keys = [(e.family, e.code) for e in reference.all_entries()]
    assert len(keys) == len(set(keys))


def test_every_family_is_present_and_entries_are_complete():
    fams = {e.family for e in reference.all_entries()}
    assert {"atls", "gsk", "gsk-deprecated", "cms", "message", "event", "errno", "errno2"} <= fams
    for e in reference.all_entries():
        d = e.to_dict()
        for key in ("code", "family", "meaning", "action", "confirmed", "source"):
            assert key in d
        json.dumps(d)


def test_a_broken_data_file_is_reported(monkeypatch):
    monkeypatch.setattr(loader, "_read", lambda name: {"family": "gsk", "entries": [{"code": 1}]})
    loader.table.cache_clear()
    try:
        with pytest.raises(loader.ReferenceDataError):
            loader.table()
    finally:
        monkeypatch.undo()
        loader.table.cache_clear()
    assert reference.get(428) is not None
