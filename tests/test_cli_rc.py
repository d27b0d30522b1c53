"""``tlsworkbench rc``: text and JSON output, exit statuses."""

from __future__ import annotations

import json

from tlsworkbench.cli import main


def run(capsys, *argv):
    status = main(["rc", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_text_output_spells_out_families_within_80_columns(capsys):
    status, out, err = run(capsys, "202", "406", "5006", "6", "438", "428", "401", "0335304B")
    assert status == 0 and err == ""
    assert "AT-TLS" in out and "System SSL" in out and "CMS status" in out
    assert "private key" in out and "not valid for the host" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_unconfirmed_entries_are_marked(capsys):
    status, out, _ = run(capsys, "404")
    assert status == 0
    assert "[unconfirmed]" in out.splitlines()[0]
    status, out, _ = run(capsys, "428")
    assert "[unconfirmed]" not in out


def test_json_output_has_the_contract_keys(capsys):
    status, out, _ = run(capsys, "5006", "0x1B3", "EZD1287I", "--json")
    assert status == 0
    doc = json.loads(out)
    assert [(m["code"], m["family"]) for m in doc["matches"]] == [
        (5006, "atls"), (435, "gsk"), ("EZD1287I", "message")]
    for m in doc["matches"]:
        for key in ("code", "family", "meaning", "action", "confirmed", "source"):
            assert key in m
    assert doc["matches"][1]["query"] == "0x1B3"


def test_negative_and_cms_codes(capsys):
    status, out, _ = run(capsys, "-27", "03353009", "--json")
    doc = json.loads(out)
    assert status == 0
    assert [m["family"] for m in doc["matches"]] == ["gsk-deprecated", "cms"]
    assert doc["matches"][1]["code_text"] == "03353009"


def test_no_match_exits_1_with_a_message(capsys):
    status, out, err = run(capsys, "9999")
    assert status == 1 and out == ""
    assert "9999" in err


def test_partial_match_prints_what_matched_and_exits_1(capsys):
    status, out, err = run(capsys, "428", "9999", "--json")
    assert status == 1
    doc = json.loads(out)
    assert [m["code"] for m in doc["matches"]] == [428]
    assert doc["unmatched"] == ["9999"]
    assert "9999" in err


def test_unusable_arguments_exit_2(capsys):
    for bad in ("0xZZ", "", "   ", "X'12G'", "1" * 300):
        status, out, err = run(capsys, bad)
        assert status == 2, bad
        assert out == "" and err.startswith("tlsworkbench: rc:")


def test_escape_sequences_in_arguments_never_reach_the_terminal(capsys):
    status, out, err = run(capsys, "\x1b[31mqqzz\x07")
    assert status == 1
    assert "\x1b" not in out + err and "\x07" not in out + err


def test_event_and_message_lookup_in_text(capsys):
    status, out, _ = run(capsys, "Initial Handshake", "EZD1287I")
    assert status == 0
    assert "AT-TLS event" in out and "job log" in out
