"""Generate the certificate fixtures in this folder (run once; outputs are checked in).

    python tests/data/certs/make_certs.py

z/OS-style certificates modelled on the seed session: the "MVS1 LABS
Certificate Authority" root, the "FTP Server on MVS1-MVS7" server certificate,
an expired one (Error #6), the FTPXSRV31 one with the wrong host (Error #5),
weak ones, an EC chain with an intermediate, PKCS#7 and PKCS#12 bundles, and
damaged files. SHA-1 and MD5 signatures are made with the ``openssl`` CLI
(cryptography refuses to sign with them). Private keys live only in memory and
in a temporary folder that is deleted; none is written here except inside the
two PKCS#12 files, which exist to test that the reader drops the key.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent
P12_PASSWORD = b"zos-secret"


def utc(*a) -> dt.datetime:
    return dt.datetime(*a, tzinfo=dt.timezone.utc)


def name(cn: str, o: str | None = None, ou: str | None = None, c: str = "US") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, c)]
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def ku(**on) -> x509.KeyUsage:
    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    return x509.KeyUsage(**{n: bool(on.get(n)) for n in names})


def build(subject, issuer, pub, signer_key, serial, nb, na, *, ca=False, path_len=None,
          bc=True, key_usage=None, eku=None, san=None, aki_from=None, hash_alg=hashes.SHA256()):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(serial).not_valid_before(nb).not_valid_after(na))
    if bc:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True)
    if key_usage is not None:
        b = b.add_extension(key_usage, critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if san:
        b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
    if aki_from is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_from), critical=False)
    return b.sign(signer_key, hash_alg)


def pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def write(fname: str, data: bytes) -> None:
    (HERE / fname).write_bytes(data)
    print(f"wrote {fname} ({len(data)} bytes)")


def openssl_sign(ca_cert, ca_key, subject: str, md: str, serial: str, start: str, end: str,
                 san: str, key_bits: int = 2048) -> bytes:
    """Sign a fresh RSA key's request with ``openssl ca -md <md>`` and fixed dates."""
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "ca.pem").write_bytes(pem(ca_cert))
        (t / "ca.key").write_bytes(ca_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (t / "db").mkdir()
        (t / "db" / "index.txt").write_text("")
        (t / "db" / "serial").write_text(serial + "\n")
        (t / "ca.cnf").write_text(
            "[ca]\ndefault_ca=c\n[c]\ndatabase=db/index.txt\nnew_certs_dir=db\nserial=db/serial\n"
            "policy=p\nunique_subject=no\ncopy_extensions=none\n[p]\ncommonName=supplied\n"
            "[ext]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
            f"extendedKeyUsage=serverAuth\nsubjectAltName={san}\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        run = lambda *a: subprocess.run(a, cwd=t, check=True, capture_output=True)  # noqa: E731
        run("openssl", "req", "-new", "-newkey", f"rsa:{key_bits}", "-nodes", "-keyout", "l.key",
            "-subj", subject, "-out", "l.csr")
        run("openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
            "-in", "l.csr", "-out", "l.pem", "-md", md, "-startdate", start, "-enddate", end,
            "-extensions", "ext", "-notext", "-preserveDN")
        return (t / "l.pem").read_bytes()


def main() -> None:
    rsa_key = lambda bits=2048: rsa.generate_private_key(public_exponent=65537, key_size=bits)  # noqa: E731
    ca_ku = ku(key_cert_sign=True, crl_sign=True)
    srv_ku = ku(digital_signature=True, key_encipherment=True)
    srv_eku = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]

    # --- the MVS1 LABS root (label 'MVS1 LABS Certificate Authority') ---------------
    ca_key = rsa_key()
    ca_name = name("MVS1CA.LABS.IBM.COM", o="MVS1 CA")
    ca = build(ca_name, ca_name, ca_key.public_key(), ca_key, 1, utc(2005, 1, 1), utc(2035, 12, 31, 23, 59, 59),
               ca=True, key_usage=ca_ku, aki_from=ca_key.public_key())
    write("mvs1_ca.pem", pem(ca))
    write("mvs1_ca.der", ca.public_bytes(serialization.Encoding.DER))

    # --- 'FTP Server on MVS1-MVS7': IP SAN and a domain-suffix SAN -----------------
    ftp_key = rsa_key()
    ftp = build(name("FTP Server on MVS1-MVS7", ou="WSC"), ca_name, ftp_key.public_key(), ca_key, 0x74,
                utc(2012, 9, 8), utc(2015, 12, 31, 23, 59, 59), key_usage=srv_ku, eku=srv_eku,
                san=[x509.DNSName("mvs3.wsc.ibm.com"), x509.DNSName(".wsc.ibm.com"),
                     x509.IPAddress(ipaddress.ip_address("192.168.20.93")),
                     x509.RFC822Name("FTP@ZOS1.WSC.IBM.COM")],
                aki_from=ca_key.public_key())
    write("ftp_server.pem", pem(ftp))
    write("ftp_server.der", ftp.public_bytes(serialization.Encoding.DER))
    write("ftp_server_bundle.pem",
          b"Exported from RACF with RACDCERT EXPORT FORMAT(CERTB64)\n"
          b"subject=CN = FTP Server on MVS1-MVS7, OU = WSC, C = US\n" + pem(ftp)
          + b"\nBag Attributes: <No Attributes>\nsubject=CN = MVS1CA.LABS.IBM.COM, O = MVS1 CA, C = US\n"
          + pem(ca) + b"-- end of listing --\n")
    write("ftp_server.p12", pkcs12.serialize_key_and_certificates(
        b"FTP Server on MVS1-MVS7", ftp_key, ftp, [ca], serialization.NoEncryption()))
    write("ftp_server_pw.p12", pkcs12.serialize_key_and_certificates(
        b"FTP Server on MVS1-MVS7", ftp_key, ftp, [ca], serialization.BestAvailableEncryption(P12_PASSWORD)))

    # --- Error #6: expired 2008/10/07 - 2011/10/07 ------------------------------
    exp_key = rsa_key()
    exp = build(name("FTPServer31", ou="ACME"), ca_name, exp_key.public_key(), ca_key, 0x31,
                utc(2008, 10, 7), utc(2011, 10, 7, 23, 59, 59), key_usage=srv_ku, eku=srv_eku,
                san=[x509.DNSName("ftpserver31.acme.labs.ibm.com")], aki_from=ca_key.public_key())
    write("expired_ftpserver31.pem", pem(exp))

    # --- Error #5: FTPXSRV31, IP 10.1.1.13, signed by 'ACME31 CACERT', RSA-1024 ------
    acme_key = rsa_key()
    acme_name = name("ACME31 CA", o="ACME")
    acme = build(acme_name, acme_name, acme_key.public_key(), acme_key, 2, utc(2010, 1, 1),
                 utc(2030, 12, 31, 23, 59, 59), ca=True, key_usage=ca_ku, aki_from=acme_key.public_key())
    write("acme31_ca.pem", pem(acme))
    x31_key = rsa_key(1024)
    x31 = build(name("FTPXSRV31", ou="ACME"), acme_name, x31_key.public_key(), acme_key, 0x0131,
                utc(2012, 12, 31), utc(2016, 9, 22, 23, 59, 59), key_usage=srv_ku,
                san=[x509.IPAddress(ipaddress.ip_address("10.1.1.13")), x509.DNSName("ACME.LABS.IBM.COM"),
                     x509.RFC822Name("FTPX--@ACME.LABS.IBM.COM")],
                aki_from=acme_key.public_key())
    write("ftpxsrv31.pem", pem(x31))

    # --- weak ones ----------------------------------------------------------------
    k1024 = rsa_key(1024)
    write("rsa1024_server.pem", pem(build(
        name("TN3270 Server on MVS1", ou="WSC"), ca_name, k1024.public_key(), ca_key, 0x1024,
        utc(2012, 1, 1), utc(2016, 12, 31, 23, 59, 59), key_usage=srv_ku, eku=srv_eku,
        san=[x509.DNSName("mvs1.wsc.ibm.com")], aki_from=ca_key.public_key())))
    write("sha1_server.pem", openssl_sign(
        ca, ca_key, "/C=US/OU=WSC/CN=SHA1 Server on MVS2", "sha1", "05A1", "120101000000Z",
        "161231235959Z", "DNS:mvs2.wsc.ibm.com"))
    write("md5_server.pem", openssl_sign(
        ca, ca_key, "/C=US/OU=WSC/CN=MD5 Server on MVS2", "md5", "03D5", "100101000000Z",
        "161231235959Z", "DNS:mvs2.wsc.ibm.com"))

    # --- an EC chain: root -> EC intermediate -> EC leaf ----------------------------
    int_key = ec.generate_private_key(ec.SECP384R1())
    int_name = name("MVS1 LABS Intermediate CA", o="MVS1 CA")
    inter = build(int_name, ca_name, int_key.public_key(), ca_key, 0x0A, utc(2012, 1, 1),
                  utc(2030, 12, 31, 23, 59, 59), ca=True, path_len=0, key_usage=ca_ku,
                  aki_from=ca_key.public_key())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = build(name("zos1.endicott.ibm.com", ou="Endicott"), int_name, leaf_key.public_key(), int_key,
                 0x0E, utc(2013, 1, 1), utc(2016, 1, 1), key_usage=ku(digital_signature=True),
                 eku=[ExtendedKeyUsageOID.SERVER_AUTH],
                 san=[x509.DNSName("zos1.endicott.ibm.com"), x509.DNSName(".endicott.ibm.com"),
                      x509.IPAddress(ipaddress.ip_address("10.1.2.3"))],
                 aki_from=int_key.public_key(), hash_alg=hashes.SHA384())
    write("ec_intermediate.pem", pem(inter))
    write("ec_server.pem", pem(leaf))
    write("ec_chain.pem", pem(leaf, inter, ca))
    write("ec_chain.p7b", pkcs7.serialize_certificates([leaf, inter, ca], serialization.Encoding.DER))
    write("ec_chain_p7.pem", pkcs7.serialize_certificates([leaf, inter, ca], serialization.Encoding.PEM))

    # --- wildcard, no SAN, CA without basicConstraints -----------------------------
    wk = rsa_key()
    write("wildcard_server.pem", pem(build(
        name("*.wsc.ibm.com", ou="WSC"), ca_name, wk.public_key(), ca_key, 0x2A, utc(2012, 1, 1),
        utc(2016, 12, 31, 23, 59, 59), key_usage=srv_ku, eku=srv_eku,
        san=[x509.DNSName("*.wsc.ibm.com")], aki_from=ca_key.public_key())))
    nk = rsa_key()
    write("no_san_server.pem", pem(build(
        name("ftp.wsc.ibm.com", ou="WSC"), ca_name, nk.public_key(), ca_key, 0x5E, utc(2012, 1, 1),
        utc(2016, 12, 31, 23, 59, 59), key_usage=ku(key_agreement=True), eku=[ExtendedKeyUsageOID.CLIENT_AUTH],
        aki_from=ca_key.public_key())))
    ok = rsa_key()
    old_name = name("OLD LABS CA", o="OLD LABS")
    write("ca_no_bc.pem", pem(build(old_name, old_name, ok.public_key(), ok, 7, utc(2001, 1, 1),
                                    utc(2031, 1, 1), bc=False)))

    # --- damaged files ------------------------------------------------------------------
    der = ftp.public_bytes(serialization.Encoding.DER)
    write("truncated.der", der[:300])
    text = pem(ftp)
    write("truncated.pem", text[: len(text) // 2])
    write("garbage_b64.pem", b"-----BEGIN CERTIFICATE-----\nMIIB!!not base64 at all@@\n-----END CERTIFICATE-----\n")
    write("empty.pem", b"")
    p7 = pkcs7.serialize_certificates([leaf, inter, ca], serialization.Encoding.DER)
    write("truncated.p7b", p7[: len(p7) // 2])


if __name__ == "__main__":
    main()
