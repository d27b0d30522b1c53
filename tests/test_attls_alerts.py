"""EZD1285I data lines: the TLS alert bytes decoded into level and description
(RFC 5246 section 7.2, RFC 8446 section 6), on every path that reads the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tlsworkbench.ingest import syslogd
from tlsworkbench.ingest.attls_fields import alert_fields, attls, split_fields
from tlsworkbench.model import Artifact

LINE = "EZD1285I TTLS Data  CONNID: 000007CA SEND CIPHER 15030200020228"


@pytest.mark.parametrize("data,want", [
    ("15030200020228", {"alert_level": "fatal", "alert": 40, "alert_name": "handshake_failure"}),
    ("1503030002012A", {"alert_level": "warning", "alert": 42, "alert_name": "bad_certificate"}),
    ("15030300020230", {"alert_level": "fatal", "alert": 48, "alert_name": "unknown_ca"}),
    ("1503030002022E", {"alert_level": "fatal", "alert": 46, "alert_name": "certificate_unknown"}),
    ("15030300020270", {"alert_level": "fatal", "alert": 112, "alert_name": "unrecognized_name"}),
    ("150303001A0000000000000001AB", {"alert_encrypted": True}),
    ("16030100A5010000A1", {}),      # a handshake record, not an alert
    ("15ZZ", {}),
    ("150A0000020228", {}),          # not a TLS version
])
def test_alert_bytes(data, want):
    assert alert_fields(data) == want


def test_general_and_split_paths_agree():
    fields, sev = attls("EZD1285I", LINE)
    assert fields["alert_name"] == "handshake_failure" and fields["alert_level"] == "fatal"
    split, _ = split_fields("EZD1285I", LINE.split()[3:])
    assert {k: split[k] for k in ("alert", "alert_level", "alert_name")} == \
        {k: fields[k] for k in ("alert", "alert_level", "alert_name")}


def test_syslogd_reader_gives_the_alert_of_a_stored_trace():
    path = Path(__file__).parent / "data" / "syslogd" / "mvs3_attls_trace255.log"
    art = Artifact(id="a1", path=str(path))
    recs = [r for r in syslogd.read(enumerate(path.read_text().splitlines(), 1), art)
            if getattr(r, "msgid", None) == "EZD1285I" and r.fields.get("hex", "").startswith("15")]
    assert recs and all(r.fields["alert_name"] == "handshake_failure" for r in recs)
