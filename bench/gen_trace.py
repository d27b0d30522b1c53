"""Generate a large GSKSRVR trace (IPCS FULL layout) for bench/bench_trace.py.

    python bench/gen_trace.py                 # 100,000 records -> bench/out/gsktrace_100000.txt
    python bench/gen_trace.py --records 20000

The handshakes are real ones (TLS 1.2, ECDHE, server certificate chain) made in
memory with OpenSSL by tests/tlshelpers.py, spread over 8 interleaved threads;
one handshake in ten fails with the partner closing the socket (rc 420).
"""

from __future__ import annotations

import argparse
import ssl
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import tlshelpers  # noqa: E402


FILLER = [
    ("gsk_get_default_label", "SSL_ENTRY", "Handle 7EC87478"),
    ("gsk_get_default_label", "SSL_EXIT", "Exit status 00000000 (0)"),
    ("edit_ciphers", "SSL_INFO", "Using server certificate 'FTP Server on MVS1-MVS7'"),
    ("gsk_get_certificate_algorithm", "SSL_ENTRY", "Handle 7EC87478, Label FTP Server on MVS1-MVS7"),
    ("gsk_get_certificate_algorithm", "SSL_EXIT", "Exit status 00000000 (0)"),
    ("gsk_get_record_by_label", "SSL_ENTRY", "Handle 7EC87478 Label FTP Server on MVS1-MVS7"),
    ("gsk_get_record_by_label", "SSL_EXIT", "Exit status 00000000 (0)"),
    ("gsk_get_local_certificates", "SSL_INFO", "Using subject record 'FTP Server on MVS1-MVS7'"),
    ("gsk_get_record_by_id", "SSL_ENTRY", "Handle 7EC87478, ID 1"),
    ("gsk_get_record_by_id", "SSL_EXIT", "Exit status 00000000 (0)"),
    ("read_v3_client_hello", "SSL_INFO", "Renegotiation Indication signaled by initial CLIENT-HELLO"),
    ("gsk_query_security_level", "SSL_INFO", "Security level 0x00000007"),
    ("crypto_ec_sign", "SSL_INFO", "Software ECDSA signature generation performed"),
    ("gsk_write_v3_record", "SSL_INFO", "Calling write routine for 1409 bytes"),
] + [("gsk_read_v3_record", "SSL_INFO", text) for text in
     ("Calling read routine for 5 bytes", "5 bytes received", "Calling read routine for 49 bytes",
      "49 bytes received")] * 6


def generate(records: int, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        pki = tlshelpers.make_pki(Path(tmp))
        msgs = tlshelpers.handshake_messages(tlshelpers.handshake(
            pki, ssl.TLSVersion.TLSv1_2, "ECDHE-ECDSA-AES128-GCM-SHA256"))
    w = tlshelpers.TraceWriter(start=(0, 0, 0, 0))
    n, hs = 0, 0
    threads = [f"{t:08X}" for t in range(1, 9)]
    while n < records:
        th = threads[hs % len(threads)]
        peer = f"10.1.{hs // 250 % 250}.{hs % 250}.{1024 + hs % 30000}"
        fail = hs % 10 == 9
        w.entry("SSL_ENTRY", "gsk_secure_socket_init", ["Handle 7EB38318"], thread=th)
        w.entry("SSL_INFO", "gsk_secure_socket_init", [f"Establishing secure connection with {peer}."],
                thread=th)
        w.entry("SSL_INFO", "edit_ciphers", ["SSL V3 cipher specs: C02FC02B009C002F"], thread=th)
        w.entry("SSL_INFO", "read_v3_client_hello", ["Using TLSV1.2 protocol"], thread=th)
        n += 4
        saved, w.thread = w.thread, th
        for i, (direction, raw) in enumerate(msgs):
            if fail and i > 3:
                break
            w.message("in" if direction == "c2s" else "out", raw)
            n += 2
        w.thread = saved
        # the bookkeeping a LEVEL=255 trace shows around the messages (as in the seed)
        for fn, kind, text in FILLER:
            w.entry(kind, fn, [text], thread=th)
            n += 1
        if fail:
            w.entry("SSL_ERROR", "gsk_read_v3_record", [f"Socket closed by {peer}."], thread=th)
            w.entry("SSL_EXIT", "gsk_secure_socket_init", ["Exit status 000001A4 (420)"], thread=th)
        else:
            w.entry("SSL_EXIT", "gsk_secure_socket_init", ["Exit status 00000000 (0)"], thread=th)
        n += 2 if fail else 1
        hs += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(w.text(), encoding="utf-8")
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--out", type=Path)
    a = p.parse_args()
    out = a.out or HERE / "out" / f"gsktrace_{a.records}.txt"
    generate(a.records, out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
