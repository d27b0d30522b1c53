"""RACF display names <-> RFC 4514, checked against cryptography's own output."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID as N

from tlsworkbench.x509.dn import (cn_of, looks_racf, racf_rdns, racf_to_rfc4514, rfc4514_to_racf,
                                  to_rfc4514)


def _cert(subject: x509.Name, issuer: x509.Name) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime(2014, 3, 12, tzinfo=datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(0x74)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))


def test_seed_issuer_keeps_order_most_specific_first():
    assert racf_to_rfc4514(">CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US<") == \
        "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"


def test_equal_to_cryptography_for_the_seed_ca_and_server():
    # ASN.1 order C, O, CN as in the seed's hex dump (0603550406 first)
    ca = x509.Name([x509.NameAttribute(N.COUNTRY_NAME, "US"),
                    x509.NameAttribute(N.ORGANIZATION_NAME, "MVS1 CA"),
                    x509.NameAttribute(N.COMMON_NAME, "MVS1CA.LABS.IBM.COM")])
    srv = x509.Name([x509.NameAttribute(N.COUNTRY_NAME, "US"),
                     x509.NameAttribute(N.ORGANIZATIONAL_UNIT_NAME, "WSC"),
                     x509.NameAttribute(N.COMMON_NAME, "FTP Server on MVS1-MVS7")])
    cert = _cert(srv, ca)
    assert racf_to_rfc4514(">CN=FTP Server on MVS1-MVS7.OU=WSC.C=US<") == cert.subject.rfc4514_string()
    assert racf_to_rfc4514(">CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US<") == cert.issuer.rfc4514_string()


def test_equal_to_cryptography_with_racf_keywords_and_escapes():
    name = x509.Name([
        x509.NameAttribute(N.COUNTRY_NAME, "US"),
        x509.NameAttribute(N.STATE_OR_PROVINCE_NAME, "Arizona"),
        x509.NameAttribute(N.LOCALITY_NAME, "Scottsdale"),
        x509.NameAttribute(N.ORGANIZATION_NAME, "GoDaddy.com, Inc."),
        x509.NameAttribute(N.ORGANIZATIONAL_UNIT_NAME, "http://certificates.godaddy.com/repository"),
        x509.NameAttribute(N.TITLE, "Server+Admin"),
        x509.NameAttribute(N.EMAIL_ADDRESS, "pki@example.com"),
        x509.NameAttribute(N.COMMON_NAME, "Go Daddy Secure Certification Authority"),
    ])
    racf = (">CN=Go Daddy Secure Certification Authority.EMAIL=pki@example.com.T=Server+Admin."
            "OU=http://certificates.godaddy.com/repository.O=GoDaddy.com, Inc..L=Scottsdale."
            "SP=Arizona.C=US<")
    assert racf_to_rfc4514(racf) == _cert(name, name).subject.rfc4514_string()


def test_value_with_dots_is_not_split_and_unknown_word_glued_back():
    rdns = racf_rdns("CN=www.a.com.OU=Dept. of Stuff.C=US")
    assert rdns == [[("CN", "www.a.com")], [("OU", "Dept. of Stuff")], [("C", "US")]]


def test_round_trip_to_racf():
    dn = "CN=a\\,b,ST=New York,2.5.4.12=Boss,C=US"
    assert rfc4514_to_racf(dn) == "CN=a,b.SP=New York.T=Boss.C=US"
    assert rfc4514_to_racf("CN=x,C=US", brackets=True) == ">CN=x.C=US<"
    assert racf_to_rfc4514(rfc4514_to_racf("CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US")) == \
        "CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"


@pytest.mark.parametrize("dn,cn", [
    (">CN=FTP Server on MVS1-MVS7.OU=WSC.C=US<", "FTP Server on MVS1-MVS7"),
    ("CN=zos1.endicott.ibm.com,O=IBM,C=US", "zos1.endicott.ibm.com"),
    ("CN=a\\,b,C=US", "a,b"),
    ("O=No Common Name,C=US", None),
    ("", None),
])
def test_cn_of_either_form(dn, cn):
    assert cn_of(dn) == cn


def test_form_detection_and_normalising():
    assert looks_racf(">CN=a.C=US<") and looks_racf("CN=a.O=b")
    assert not looks_racf("CN=a,O=b")
    assert to_rfc4514("cn=a, o=b") == "CN=a,O=b"
    assert to_rfc4514(">CN=a.SP=NY.C=US<") == "CN=a,ST=NY,C=US"
