"""Facts of one certificate, read from its DER bytes with ``cryptography``.

``facts_from_der`` fills a :class:`CertInfo` (the same entity the RACDCERT LIST
reader fills from text), so the checks, the chain walker and the panes treat a
certificate from a file, from a trace dump or from RACF alike. Nothing here
keeps or touches a private key.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, SignatureAlgorithmOID

from tlsworkbench.model.entities import CertInfo

# Our own names for signature algorithms (cryptography's ``_name`` is private).
_SIG_NAMES = {
    SignatureAlgorithmOID.RSA_WITH_MD5: "md5WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA1: "sha1WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA224: "sha224WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA256: "sha256WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA384: "sha384WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA512: "sha512WithRSAEncryption",
    SignatureAlgorithmOID.RSASSA_PSS: "rsassaPss",
    SignatureAlgorithmOID.ECDSA_WITH_SHA1: "ecdsa-with-SHA1",
    SignatureAlgorithmOID.ECDSA_WITH_SHA224: "ecdsa-with-SHA224",
    SignatureAlgorithmOID.ECDSA_WITH_SHA256: "ecdsa-with-SHA256",
    SignatureAlgorithmOID.ECDSA_WITH_SHA384: "ecdsa-with-SHA384",
    SignatureAlgorithmOID.ECDSA_WITH_SHA512: "ecdsa-with-SHA512",
    SignatureAlgorithmOID.DSA_WITH_SHA1: "dsa-with-sha1",
    SignatureAlgorithmOID.DSA_WITH_SHA224: "dsa-with-sha224",
    SignatureAlgorithmOID.DSA_WITH_SHA256: "dsa-with-sha256",
    SignatureAlgorithmOID.ED25519: "Ed25519",
    SignatureAlgorithmOID.ED448: "Ed448",
}

_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
    ExtendedKeyUsageOID.CODE_SIGNING: "codeSigning",
    ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
    ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "anyExtendedKeyUsage",
}

# RFC 5280 4.2.1.3 names, in bit order, with cryptography's attribute names.
_KU_BITS = [
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
]

# Short attribute names RACF shows inside >...< (the rest fall back to the OID).
_SHORT = {
    NameOID.COMMON_NAME: "CN", NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.ORGANIZATION_NAME: "O", NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "SP", NameOID.COUNTRY_NAME: "C",
    NameOID.TITLE: "T", NameOID.EMAIL_ADDRESS: "EMAIL", NameOID.SERIAL_NUMBER: "SERIALNUMBER",
    NameOID.STREET_ADDRESS: "STREET", NameOID.POSTAL_CODE: "POSTALCODE",
}


@lru_cache(maxsize=256)
def load_der(der: bytes) -> x509.Certificate:
    """Parse DER (cached: the panes and the checks ask for the same bytes again)."""
    return x509.load_der_x509_certificate(der)


def certificate_of(info: CertInfo) -> x509.Certificate | None:
    """The parsed certificate behind a CertInfo, or None when only text facts exist."""
    if not info.der:
        return None
    try:
        return load_der(info.der)
    except ValueError:
        return None


def signature_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    return _SIG_NAMES.get(oid) or getattr(oid, "_name", None) or oid.dotted_string


def key_facts(cert: x509.Certificate) -> tuple[str, int | None, str | None]:
    """(key type, size in bits, curve name) of the subject public key."""
    try:
        pk = cert.public_key()
    except (ValueError, Exception):  # unsupported or malformed key: say so, not crash
        return "unknown", None, None
    if isinstance(pk, rsa.RSAPublicKey):
        return "RSA", pk.key_size, None
    if isinstance(pk, ec.EllipticCurvePublicKey):
        return "EC", pk.curve.key_size, pk.curve.name
    if isinstance(pk, dsa.DSAPublicKey):
        return "DSA", pk.key_size, None
    if isinstance(pk, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, None
    if isinstance(pk, ed448.Ed448PublicKey):
        return "Ed448", 456, None
    return type(pk).__name__, None, None


def _ext(cert: x509.Certificate, cls):
    try:
        return cert.extensions.get_extension_for_class(cls).value
    except x509.ExtensionNotFound:
        return None
    except ValueError:  # a malformed extension elsewhere in the certificate
        return None


def san_entries(cert: x509.Certificate) -> list[str]:
    san = _ext(cert, x509.SubjectAlternativeName)
    out: list[str] = []
    for g in san or []:
        if isinstance(g, x509.DNSName):
            out.append(f"DNS:{g.value}")
        elif isinstance(g, x509.IPAddress):
            out.append(f"IP:{g.value}")
        elif isinstance(g, x509.RFC822Name):
            out.append(f"email:{g.value}")
        elif isinstance(g, x509.UniformResourceIdentifier):
            out.append(f"URI:{g.value}")
        elif isinstance(g, x509.DirectoryName):
            out.append(f"DirName:{g.value.rfc4514_string()}")
        elif isinstance(g, x509.RegisteredID):
            out.append(f"RID:{g.value.dotted_string}")
        else:
            out.append(f"othername:{getattr(g, 'type_id', g)}")
    return out


def key_usage_names(cert: x509.Certificate) -> list[str]:
    ku = _ext(cert, x509.KeyUsage)
    if ku is None:
        return []
    names = [n for attr, n in _KU_BITS if getattr(ku, attr)]
    if ku.key_agreement:
        if ku.encipher_only:
            names.append("encipherOnly")
        if ku.decipher_only:
            names.append("decipherOnly")
    return names


def eku_names(cert: x509.Certificate) -> list[str]:
    eku = _ext(cert, x509.ExtendedKeyUsage)
    return [_EKU_NAMES.get(o, o.dotted_string) for o in eku or []]


def facts_from_der(der: bytes, record: str, source: str) -> CertInfo:
    """A CertInfo from DER bytes. Raises ValueError (cryptography's reason) when
    the bytes are not a certificate."""
    cert = load_der(bytes(der))
    key_type, key_size, _curve = key_facts(cert)
    bc = _ext(cert, x509.BasicConstraints)
    aki = _ext(cert, x509.AuthorityKeyIdentifier)
    ski = _ext(cert, x509.SubjectKeyIdentifier)
    return CertInfo(
        record=record,
        source=source,
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type,
        key_size=key_size,
        signature_algorithm=signature_name(cert),
        key_usage=key_usage_names(cert),
        san=san_entries(cert),
        is_ca=bool(bc.ca) if bc is not None else False,
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
        sha1=cert.fingerprint(hashes.SHA1()).hex(),
        der=bytes(der),
        eku=eku_names(cert),
        aki=aki.key_identifier.hex() if aki is not None and aki.key_identifier else None,
        ski=ski.digest.hex() if ski is not None else None,
        path_len=bc.path_length if bc is not None else None,
        basic_constraints=bc is not None,
    )


def cert_facts_extra(der: bytes) -> dict:
    """Facts CertInfo does not hold: version, curve, policies, CRL distribution
    points, every extension with its criticality, whether the CN is UTF-8."""
    cert = load_der(bytes(der))
    _t, _s, curve = key_facts(cert)
    out: dict = {"version": cert.version.value + 1, "curve": curve, "extensions": [],
                 "policies": [], "crl_distribution_points": [], "cn_utf8": False}
    try:
        exts = list(cert.extensions)
    except ValueError as exc:
        out["extension_error"] = str(exc)
        exts = []
    for e in exts:
        out["extensions"].append({"oid": e.oid.dotted_string,
                                  "name": getattr(e.oid, "_name", e.oid.dotted_string),
                                  "critical": e.critical})
        if isinstance(e.value, x509.CertificatePolicies):
            out["policies"] = [p.policy_identifier.dotted_string for p in e.value]
        elif isinstance(e.value, x509.CRLDistributionPoints):
            out["crl_distribution_points"] = [
                n.value for dp in e.value for n in (dp.full_name or [])
                if isinstance(n, x509.UniformResourceIdentifier)]
    out["cn_utf8"] = cn_is_utf8(cert)
    return out


def cn_is_utf8(cert: x509.Certificate) -> bool:
    """True when a subject CN is encoded as UTF8String (System SSL then compares
    it case-sensitively, see hostname.py)."""
    try:
        from cryptography.x509.name import _ASN1Type  # private, hence the guard
    except ImportError:
        return False
    return any(a.oid == NameOID.COMMON_NAME and getattr(a, "_type", None) == _ASN1Type.UTF8String
               for a in cert.subject)


def common_names(cert_or_dn) -> list[str]:
    """The CN values of a subject (an x509.Name, or an RFC 4514 string)."""
    if isinstance(cert_or_dn, x509.Name):
        return [str(a.value) for a in cert_or_dn.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if not cert_or_dn:
        return []
    try:
        name = x509.Name.from_rfc4514_string(cert_or_dn)
    except ValueError:
        return [p[3:] for p in cert_or_dn.split(",") if p.strip().upper().startswith("CN=")]
    return [str(a.value) for a in name.get_attributes_for_oid(NameOID.COMMON_NAME)]


def zos_dn(rfc4514: str | None) -> str | None:
    """RACF's display form of a DN: ``>CN=a.OU=b.C=US<`` (most specific first)."""
    if not rfc4514:
        return None
    try:
        from tlsworkbench.x509 import dn as _dn  # helper H2's module

        conv = getattr(_dn, "rfc4514_to_racf", None)
        if conv is not None:
            try:
                return conv(rfc4514, brackets=True)
            except TypeError:
                text = conv(rfc4514)
                return text if text.startswith(">") else f">{text}<"
    except ImportError:
        pass
    try:
        name = x509.Name.from_rfc4514_string(rfc4514)
    except ValueError:
        return f">{rfc4514}<"
    parts = []
    for rdn in reversed(name.rdns):
        for a in rdn:
            parts.append(f"{_SHORT.get(a.oid, a.oid.dotted_string)}={a.value}")
    return ">" + ".".join(parts) + "<"
