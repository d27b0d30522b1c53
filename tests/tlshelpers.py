"""Test helpers: real TLS handshakes made in memory with OpenSSL (Python's ssl
module over MemoryBIO), and the rendering of their handshake messages as a
GSKSRVR component trace in IPCS FULL format, as the server side would trace it.

Keys and certificates are throwaway ones made with ``cryptography`` (EC P-256,
or RSA 1024 where the test needs RSA key exchange).
"""

from __future__ import annotations

import datetime as dt
import ssl
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

GSK_NAMES = {1: "CLIENT-HELLO", 2: "SERVER-HELLO", 4: "NEW-SESSION-TICKET", 8: "ENCRYPTED-EXTENSIONS",
             11: "CERTIFICATE", 12: "SERVER-KEY-EXCHANGE", 13: "CERTIFICATE-REQUEST",
             14: "SERVER-HELLO-DONE", 15: "CERTIFICATE-VERIFY", 16: "CLIENT-KEY-EXCHANGE",
             20: "FINISHED"}


# -- certificates -----------------------------------------------------------------
@dataclass
class Pki:
    ca_pem: Path
    server_chain: Path
    server_key: Path
    client_chain: Path
    client_key: Path
    server_der: bytes
    ca_der: bytes
    client_der: bytes


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MVS1 CA"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, issuer, pub, signer, serial, ca=False, san=None) -> x509.Certificate:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(serial).not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if san:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    return b.sign(signer, hashes.SHA256())


def make_pki(folder: Path, rsa_server: bool = False) -> Pki:
    """A CA, a server certificate (EC, or RSA 1024 for RSA key exchange) and a
    client certificate, written as PEM files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert(_name("MVS1CA.LABS.IBM.COM"), _name("MVS1CA.LABS.IBM.COM"), ca_key.public_key(),
               ca_key, 0x74, ca=True)
    skey = rsa.generate_private_key(65537, 1024) if rsa_server else ec.generate_private_key(ec.SECP256R1())
    srv = _cert(_name("zos1.endicott.ibm.com"), ca.subject, skey.public_key(), ca_key, 0x1234,
                san="zos1.endicott.ibm.com")
    ckey = ec.generate_private_key(ec.SECP256R1())
    cli = _cert(_name("USER301"), ca.subject, ckey.public_key(), ca_key, 0x99)

    def pem(*certs):
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)

    def key_pem(k):
        return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption())

    files = {"ca.pem": pem(ca), "server.pem": pem(srv, ca), "server.key": key_pem(skey),
             "client.pem": pem(cli, ca), "client.key": key_pem(ckey)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    der = serialization.Encoding.DER
    return Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key",
               folder / "client.pem", folder / "client.key",
               srv.public_bytes(der), ca.public_bytes(der), cli.public_bytes(der))


# -- handshakes -------------------------------------------------------------------
def handshake(pki: Pki, version: ssl.TLSVersion, ciphers: str | None = None,
              mutual: bool = False, server_name: str = "zos1.endicott.ibm.com"
              ) -> list[tuple[str, bytes]]:
    """Run one handshake in memory; return the wire bytes as flights
    ``[("c2s"|"s2c", bytes), ...]`` in the order they were sent."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        for ctx in (sctx, cctx):
            ctx.minimum_version = version
            ctx.maximum_version = version
            if ciphers:
                ctx.set_ciphers(ciphers)
        sctx.load_cert_chain(pki.server_chain, pki.server_key)
        cctx.load_verify_locations(pki.ca_pem)
        if mutual:
            sctx.verify_mode = ssl.CERT_REQUIRED
            sctx.load_verify_locations(pki.ca_pem)
            cctx.load_cert_chain(pki.client_chain, pki.client_key)
        if version < ssl.TLSVersion.TLSv1_3:
            sctx.options |= ssl.OP_NO_TICKET
    sin, sout, cin, cout = (ssl.MemoryBIO() for _ in range(4))
    srv = sctx.wrap_bio(sin, sout, server_side=True)
    cli = cctx.wrap_bio(cin, cout, server_hostname=server_name)
    flights: list[tuple[str, bytes]] = []
    done_c = done_s = False
    for _ in range(20):
        if not done_c:
            try:
                cli.do_handshake()
                done_c = True
            except ssl.SSLWantReadError:
                pass
        data = cout.read()
        if data:
            flights.append(("c2s", data))
            sin.write(data)
        if not done_s:
            try:
                srv.do_handshake()
                done_s = True
            except ssl.SSLWantReadError:
                pass
        data = sout.read()
        if data:
            flights.append(("s2c", data))
            cin.write(data)
        if done_c and done_s and not data:
            break
    return flights


def handshake_messages(flights: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The plaintext handshake messages of each direction (record headers removed),
    up to ChangeCipherSpec / the first encrypted record: ``[(dir, message bytes)]``."""
    out: list[tuple[str, bytes]] = []
    stopped = {"c2s": False, "s2c": False}
    pending = {"c2s": b"", "s2c": b""}
    for direction, data in flights:
        pos = 0
        while pos + 5 <= len(data):
            ctype, n = data[pos], int.from_bytes(data[pos + 3:pos + 5], "big")
            payload = data[pos + 5:pos + 5 + n]
            pos += 5 + n
            if ctype in (20, 23):
                stopped[direction] = True
            if ctype != 22 or stopped[direction]:
                continue
            buf = pending[direction] + payload
            while len(buf) >= 4 and len(buf) >= 4 + int.from_bytes(buf[1:4], "big"):
                size = 4 + int.from_bytes(buf[1:4], "big")
                out.append((direction, buf[:size]))
                buf = buf[size:]
            pending[direction] = buf
    return out


# -- trace rendering ----------------------------------------------------------------
class TraceWriter:
    """Writes trace entries in the IPCS FULL layout (or the compact one)."""

    def __init__(self, system="MVS3", job="TCPIPT", process="00050022", thread="00000004",
                 day="03/12/2014", start=(13, 59, 2, 912484), wide=True):
        self.system, self.job, self.process, self.thread = system, job, process, thread
        self.wide = wide
        h, m, s, us = start
        self.t = dt.datetime(2014, 1, 1, h, m, s, us)
        self.lines = [" COMPONENT TRACE FULL FORMAT", f" SYSNAME({system})", " COMP(GSKSRVR)",
                      f" **** {day}", "",
                      " SYSNAME  MNEMONIC  ENTRY ID    TIME STAMP       DESCRIPTION",
                      " -------  --------  --------  ---------------  ----------------"] if wide else []

    def entry(self, kind: str, function: str, detail: list[str], thread: str | None = None) -> None:
        entry_ids = {"SSL_ENTRY": 1, "SSL_EXIT": 2, "SSL_ERROR": 4, "SSL_INFO": 8,
                     "SSL_EBCDIC_DUMP": 0x10, "SSL_ASCII_DUMP": 0x20}
        mnem = "DUMP" if kind.endswith("_DUMP") else "MESSAGE"
        self.t += dt.timedelta(microseconds=23)
        ts = self.t.strftime("%H:%M:%S.%f")
        th = thread or self.thread
        if self.wide:
            self.lines.append(f" {self.system:<8} {mnem:<9} {entry_ids[kind]:08X}  {ts}  {kind}")
            self.lines.append(f"              Job {self.job:<8} Process {self.process}  Thread {th}  "
                              f"{function}")
            self.lines.extend(f"              {d}" for d in detail)
        else:
            self.lines.append(f"{self.system} {mnem} {entry_ids[kind]:08X} {ts} {kind}")
            self.lines.append(f"Job {self.job} Process {self.process} Thread {th} {function}")
            self.lines.extend(detail)

    def message(self, direction: str, msg: bytes, truncate: int | None = None) -> None:
        name = GSK_NAMES.get(msg[0], f"TYPE-{msg[0]}")
        fn = "read_v3_" + name.lower().replace("-", "_") if direction == "in" else "send_v3_server_messages"
        verb = "Received" if direction == "in" else "Sent"
        self.entry("SSL_INFO", fn, [f"{verb} {name} message"])
        self.entry("SSL_ASCII_DUMP", fn, [f"{name} message"] + hex_lines(msg[:truncate]))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def hex_lines(data: bytes) -> list[str]:
    out = []
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        groups = " ".join(chunk[i:i + 4].hex().upper() for i in range(0, len(chunk), 4))
        text = "".join(chr(b) if 32 <= b < 127 and chr(b) not in "*" else "." for b in chunk)
        out.append(f"{off:08X}: {groups:<35}  *{text}*")
    return out


def render_server_trace(messages: list[tuple[str, bytes]], peer="192.168.20.91.1034", rc=0,
                        wide=True, truncate: dict[int, int] | None = None, **kw) -> str:
    """A GSKSRVR trace of the server side of ``messages`` (from
    ``handshake_messages``). ``truncate`` maps a message index to the number of
    bytes its dump keeps."""
    w = TraceWriter(wide=wide, **kw)
    w.entry("SSL_ENTRY", "gsk_secure_socket_init", ["Handle 7EB38318"])
    w.entry("SSL_INFO", "gsk_secure_socket_init", [f"Establishing secure connection with {peer}."])
    w.entry("SSL_INFO", "gsk_perform_v3_server_handsh",
            [f"Performing SSL V3 server handshake with {peer}."])
    for i, (direction, msg) in enumerate(messages):
        w.message("in" if direction == "c2s" else "out", msg, (truncate or {}).get(i))
    w.entry("SSL_EXIT", "gsk_secure_socket_init", [f"Exit status {rc:08X} ({rc})"])
    return w.text()
