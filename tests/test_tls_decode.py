"""The hand-written TLS decoder (tlsworkbench.tls) on hand-made and seed bytes."""

import struct

import pytest

from tlsworkbench.tls.certificates import describe
from tlsworkbench.tls.handshake import HRR_RANDOM, decode, decode_alert
from tlsworkbench.tls.names import (extension_name, gsk_message_name, gsk_protocol_version,
                                    split_cipher_specs, suite_by_spec, suite_label, suite_name,
                                    suite_specs)
from tlsworkbench.tls.records import split_records

SEED_CH = bytes.fromhex(
    "0100002D03025089 8BF6761EA90F924A 0B90920345AE6AD5 DC1ECCCF3AF60746"
    "275180D1DCD00000 0600FF000A002F01 00".replace(" ", ""))
# The seed's SERVER-HELLO dump (page 3), as its hex lines give it.
SEED_SH = bytes.fromhex(
    "0200004D030250898BF6AEF45983AEB4773685134676E66A2AF41E415FFC9CFB50720BF745542000050022C0"
    "A8145B040A000000000000000000000000000050898BF6000000A0000A000005FF01000100")


def u16(n):
    return struct.pack(">H", n)


def u24(n):
    return n.to_bytes(3, "big")


def ext(t, body):
    return u16(t) + u16(len(body)) + body


def hs(t, body):
    return bytes([t]) + u24(len(body)) + body


def client_hello(version=0x0303, suites=(0xC02F, 0x009C), exts=b""):
    body = u16(version) + bytes(32) + b"\x00" + u16(2 * len(suites)) + b"".join(map(u16, suites)) + b"\x01\x00"
    if exts is not None:
        body += u16(len(exts)) + exts
    return hs(1, body)


def test_seed_client_hello():
    (m,) = decode(SEED_CH)
    assert m.type == "ClientHello" and m.complete
    assert m.version == 0x0302
    assert [suite_name(s) for s in m.cipher_suites] == [
        "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"]
    assert m.fields["compression_methods"] == [0]
    assert m.extensions == []


def test_seed_server_hello():
    (m,) = decode(SEED_SH)
    assert m.type == "ServerHello" and m.complete, m.problem
    assert m.version == 0x0302
    assert suite_name(m.cipher_suite) == "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
    assert len(m.fields["session_id"]) == 64
    assert m.extensions == ["renegotiation_info"]


def test_client_hello_extensions_by_name():
    sni = ext(0, u16(3 + 4) + b"\x00" + u16(4) + b"zos1")
    sv = ext(43, b"\x04\x03\x04\x03\x03")
    groups = ext(10, u16(4) + u16(29) + u16(23))
    sigs = ext(13, u16(4) + u16(0x0804) + u16(0x0403))
    grease = ext(0x0A0A, b"")
    alpn = ext(16, u16(3) + b"\x02h2")
    (m,) = decode(client_hello(exts=sni + sv + groups + sigs + grease + alpn))
    assert m.complete
    assert m.server_name == "zos1"
    assert m.extensions == ["server_name", "supported_versions", "supported_groups",
                            "signature_algorithms", "GREASE_0A0A", "application_layer_protocol_negotiation"]
    assert m.fields["supported_versions"] == ["TLSv1.3", "TLSv1.2"]
    assert m.fields["supported_groups"] == ["x25519", "secp256r1"]
    assert m.fields["signature_algorithms"] == ["rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256"]
    assert m.fields["alpn"] == ["h2"]


def test_with_record_header_and_two_messages_in_one_record():
    shd = hs(14, b"")
    sh = hs(2, u16(0x0303) + bytes(32) + b"\x00" + u16(0x002F) + b"\x00")
    payload = sh + shd
    msgs = decode(b"\x16\x03\x03" + u16(len(payload)) + payload)
    assert [m.type for m in msgs] == ["ServerHello", "ServerHelloDone"]
    assert msgs[0].offset == 5


def test_server_hello_tls13_and_hello_retry_request():
    body = u16(0x0303) + bytes(32) + b"\x00" + u16(0x1301) + b"\x00"
    exts = ext(43, u16(0x0304)) + ext(51, u16(29) + u16(32) + bytes(32))
    (m,) = decode(hs(2, body + u16(len(exts)) + exts))
    assert m.version == 0x0304 and m.fields["version"] == 0x0303
    assert suite_name(m.cipher_suite) == "TLS_AES_128_GCM_SHA256"
    assert m.fields["key_share"] == ["x25519(32)"]
    hrr_body = u16(0x0303) + HRR_RANDOM + b"\x00" + u16(0x1301) + b"\x00"
    hrr_ext = ext(43, u16(0x0304)) + ext(51, u16(23))
    (h,) = decode(hs(2, hrr_body + u16(len(hrr_ext)) + hrr_ext))
    assert h.type == "HelloRetryRequest"
    assert h.fields["key_share"] == ["secp256r1"]


def test_truncated_client_hello_keeps_what_is_there():
    full = client_hello(exts=ext(0, u16(7) + b"\x00" + u16(4) + b"zos1") + ext(23, b""))
    for cut in range(1, len(full)):
        msgs = decode(full[:cut])
        assert msgs and not msgs[-1].complete
        assert msgs[-1].stopped_at is not None and msgs[-1].stopped_at <= cut
    (m,) = decode(full[:45])
    assert m.type == "ClientHello"
    assert m.cipher_suites == [0xC02F, 0x009C]
    assert "needs" in m.problem


def test_sslv2_compatible_client_hello():
    specs = bytes.fromhex("00002F" "00000A" "010080")
    body = b"\x01" + u16(0x0301) + u16(len(specs)) + u16(0) + u16(16) + specs + bytes(range(16))
    data = bytes([0x80 | (len(body) >> 8), len(body) & 0xFF]) + body
    (m,) = decode(data)
    assert m.type == "ClientHello" and m.fields["sslv2_format"]
    assert m.version == 0x0301
    assert m.cipher_suites == [0x2F, 0x0A]
    assert m.fields["sslv2_cipher_kinds"] == ["0x010080"]


def test_certificate_tls12_and_tls13_layouts():
    c1, c2 = b"\x30\x03\x02\x01\x05", b"\x30\x03\x02\x01\x07"
    lst = u24(len(c1)) + c1 + u24(len(c2)) + c2
    (m12,) = decode(hs(11, u24(len(lst)) + lst))
    assert m12.certificates == [c1, c2]
    lst13 = u24(len(c1)) + c1 + u16(0) + u24(len(c2)) + c2 + u16(0)
    (m13,) = decode(hs(11, b"\x00" + u24(len(lst13)) + lst13))
    assert m13.fields["layout"] == "TLS 1.3" and m13.certificates == [c1, c2]
    (forced,) = decode(hs(11, b"\x00" + u24(len(lst13)) + lst13), version=0x0304)
    assert forced.certificates == [c1, c2]


def test_seed_certificate_excerpt_partial():
    data = bytes.fromhex("0B000523000520 0002A1 3082029D30820206A003020102020106300D".replace(" ", ""))
    (m,) = decode(data)
    assert m.type == "Certificate" and not m.complete
    assert m.fields["list_length"] == 0x520
    assert m.fields["certificate_lengths"] == [0x2A1]
    assert m.stopped_at == len(data)
    facts = describe(m.fields["partial_certificate"], 0x2A1)
    assert facts["partial"] and facts["serial"] == "6" and facts["subject"] is None


def test_other_messages():
    ske = hs(12, b"\x03" + u16(23) + b"\x41" + bytes(65) + u16(0x0403) + u16(8) + bytes(8))
    (m,) = decode(ske, version=0x0303)
    assert m.fields["group"] == "secp256r1" and m.fields["signature_scheme"] == "ecdsa_secp256r1_sha256"
    (m,) = decode(hs(16, u16(128) + bytes(128)))
    assert m.fields["encrypted_length"] == 128
    (m,) = decode(hs(16, b"\x41" + bytes(65)))
    assert m.fields["key_exchange"] == "ECDHE"
    (m,) = decode(hs(15, u16(0x0804) + u16(4) + bytes(4)))
    assert m.fields["signature_scheme"] == "rsa_pss_rsae_sha256"
    (m,) = decode(hs(20, bytes(12)))
    assert m.fields["verify_data_length"] == 12
    (m,) = decode(hs(4, bytes(4) + u16(3) + b"abc"))
    assert m.fields["ticket_length"] == 3
    (m,) = decode(hs(4, bytes(4) + bytes(4) + b"\x01\x00" + u16(2) + b"ab" + u16(0)), version=0x0304)
    assert m.fields["ticket_length"] == 2
    ee = ext(0, b"") + ext(16, u16(3) + b"\x02h2")
    (m,) = decode(hs(8, u16(len(ee)) + ee))
    assert m.type == "EncryptedExtensions" and m.fields["alpn"] == ["h2"]
    cr = hs(13, b"\x02\x01\x40" + u16(4) + u16(0x0401) + u16(0x0403) + u16(5) + u16(3) + b"\x30\x01\x00")
    (m,) = decode(cr, version=0x0303)
    assert m.fields["certificate_types"] == [1, 0x40] and m.fields["certificate_authorities"] == 1
    assert m.fields["signature_algorithms"] == ["rsa_pkcs1_sha256", "ecdsa_secp256r1_sha256"]
    (m,) = decode(hs(14, b""))
    assert m.type == "ServerHelloDone" and m.complete


def test_alerts():
    a = decode_alert(b"\x02\x30")
    assert a.fields["alert"] == "fatal unknown_ca"
    (m,) = decode(b"\x15\x03\x03\x00\x02\x02\x2a")
    assert m.type == "Alert" and m.fields["alert"] == "fatal bad_certificate"
    assert not decode_alert(b"\x02").complete


@pytest.mark.parametrize("junk", [b"", b"\x00", b"\xff" * 40, b"\x16\x03\x01\xff\xff\x01", bytes(range(256))])
def test_junk_never_raises(junk):
    for m in decode(junk):
        assert m.type


def test_records_split():
    rl = split_records(b"\x16\x03\x01\x00\x04" + hs(14, b"") + b"\x16\x03\x01\x00\x09\x01")
    assert rl.framed and len(rl.records) == 2 and rl.problem


def test_names_and_specs():
    assert suite_by_spec("0A") == (0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA")
    assert suite_by_spec("C02F") == (0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    assert suite_by_spec("TLS_RSA_WITH_AES_128_CBC_SHA")[0] == 0x2F
    assert suite_by_spec("AES128-SHA")[0] == 0x2F
    assert suite_by_spec("ZZ") is None and suite_by_spec("0x7777") is None
    assert suite_specs(0x0A) == ("0A", "000A") and suite_specs(0xC02F) == (None, "C02F")
    assert suite_label(0x0A) == "TLS_RSA_WITH_3DES_EDE_CBC_SHA (0A, 000A)"
    assert suite_name(0x5600) == "TLS_FALLBACK_SCSV"
    assert suite_name(0x0009) == "TLS_RSA_WITH_DES_CBC_SHA"
    assert suite_name(0x7777).endswith("(unassigned)")
    assert split_cipher_specs("0A2F") == [0x0A, 0x2F]
    assert split_cipher_specs("C02FC030") == [0xC02F, 0xC030]
    assert extension_name(65281) == "renegotiation_info"
    assert gsk_message_name("SERVER-HELLO-DONE") == "ServerHelloDone"
    assert gsk_protocol_version("TLSV1.1") == "TLSv1.1" and gsk_protocol_version("TLSV1") == "TLSv1.0"


def test_sslv3_hello_and_key_exchange():
    (ch,) = decode(client_hello(version=0x0300, suites=(0x000A, 0x00FF), exts=None))
    assert ch.complete and ch.version == 0x0300 and ch.extensions == []
    (cke,) = decode(hs(16, bytes(128)), version=0x0300)  # SSLv3: no length prefix
    assert cke.fields["key_exchange"] == "RSA (SSLv3 layout)" and cke.complete


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([None, 0x0300, 0x0301, 0x0303, 0x0304]))
def test_any_bytes_decode_without_error(data, version):
    for m in decode(data, version):
        assert m.type and (m.complete or m.problem)
        assert not (m.problem or "").startswith("decoder error"), m.problem  # no internal bug


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED_SH) - 1), st.integers(min_value=0, max_value=255))
def test_corrupted_server_hello_never_raises(pos, value):
    data = bytearray(SEED_SH)
    data[pos] = value
    msgs = decode(bytes(data))
    assert msgs and all(m.type for m in msgs)
    assert not any((m.problem or "").startswith("decoder error") for m in msgs)
