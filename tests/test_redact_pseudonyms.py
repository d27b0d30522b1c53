"""Stand-ins keep the form of what they replace, are stable within one export
and never reproduce a real value."""

from __future__ import annotations

import ipaddress
import re

from tlsworkbench.redact.pseudonyms import KEYWORDS, Pseudonymizer

RACF = re.compile(r"^[A-Z#$@][A-Z0-9#$@]*$")


def test_same_input_same_stand_in_and_seeds_differ():
    a = Pseudonymizer(seed=1)
    b = Pseudonymizer(seed=1)
    c = Pseudonymizer(seed=2)
    names = ["FTPD", "TCPIP", "USER301", "FTPT1"]
    assert [a.get("racf", n) for n in names] == [a.get("racf", n) for n in names]
    assert [a.get("racf", n) for n in names] == [b.get("racf", n) for n in names]
    assert [a.get("racf", n) for n in names] != [c.get("racf", n) for n in names]


def test_ipv4_keeps_form_network_and_host_octet():
    pz = Pseudonymizer(seed=5, avoid={"192.168.20.93"})
    s1 = pz.get("ipv4", "192.168.20.93")
    s2 = pz.get("ipv4", "192.168.20.91")
    s3 = pz.get("ipv4", "10.1.1.13")
    for s in (s1, s2, s3):
        assert ipaddress.ip_address(s).is_private
    assert s1.split(".")[:3] == s2.split(".")[:3]          # same /24 stays one /24
    assert s1.split(".")[3] == "93" and s2.split(".")[3] == "91"
    assert s1.split(".")[:2] != s3.split(".")[:2]          # other /16, other stand-in network
    assert len({s1, s2, s3}) == 3
    assert s1 != "192.168.20.93"


def test_ipv4_stand_in_never_equals_a_real_address():
    real = {f"10.1.{c}.7" for c in range(256)}
    pz = Pseudonymizer(seed=9, avoid=real)
    s = pz.get("ipv4", "172.16.4.7")
    assert s not in real and ipaddress.ip_address(s)


def test_ipv6_in_documentation_prefix():
    pz = Pseudonymizer(seed=3)
    s = pz.get("ipv6", "fd00:1234:5678::20")
    t = pz.get("ipv6", "fd00:1234:5678::21")
    addr = ipaddress.IPv6Address(s)
    assert addr in ipaddress.IPv6Network("2001:db8::/32")
    assert s != t
    assert ipaddress.IPv6Address(t).packed[:8] == addr.packed[:8]   # same /64 stays together


def test_racf_names_keep_length_rules_and_prefixes():
    pz = Pseudonymizer(seed=4, avoid={"FTPD", "TCPIP"})
    for name in ("FTPD", "TCPIP", "USER301", "FTPT1", "#MQ1", "@ADM", "A1"):
        s = pz.get("racf", name)
        assert len(s) == len(name)
        assert RACF.match(s), s
        assert s != name and s.upper() not in KEYWORDS
        for o, n in zip(name, s):
            assert o.isdigit() == n.isdigit()
    # prefix-preserving: the policy pattern FTPT* still matches FTPT1's stand-in
    assert pz.get("racf", "FTPT1").startswith(pz.get("racf-prefix", "FTPT"))
    assert pz.get("racf", "TCPIPT").startswith(pz.get("racf", "TCPIP"))


def test_racf_stand_in_avoids_real_values():
    # nearly every two-letter name is "real": the stand-in must still be a free one
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ#$@"
    real = {a + b for a in letters for b in letters} - {"QZ", "#K", "W@"}
    pz = Pseudonymizer(seed=1, avoid=real)
    s = pz.racf_name("AB")
    assert s in {"QZ", "#K", "W@"}


def test_host_names_keep_labels_length_and_suffixes():
    pz = Pseudonymizer(seed=6)
    full = pz.get("host", "FTPXSRV31.WAS.IBM.COM")
    dom = pz.get("host", "WAS.IBM.COM")
    other = pz.get("host", "ACME.LABS.IBM.COM")
    low = pz.get("host", "ftpxsrv31.was.ibm.com")
    assert full.count(".") == 3 and len(full) == len("FTPXSRV31.WAS.IBM.COM")
    assert full.endswith("." + dom)                     # the domain suffix still matches
    assert full.endswith(".COM") and full.isupper()
    assert low == full.lower()                          # host names compare without case
    assert not other.endswith("." + dom)
    assert "FTPXSRV31" not in full and "IBM" not in full


def test_rings_labels_dn_values_and_serials():
    pz = Pseudonymizer(seed=7)
    assert pz.get("ring", "Server_RING") == "Ring01"
    assert pz.get("ring", "Client_RING") == "Ring02"
    assert pz.get("ring", "Server_RING") == "Ring01"
    assert pz.get("label", "FTP Server on MVS1-MVS7") == "Label 01"
    assert pz.get("dn-o", "MVS1 CA") == "Org 01"
    s = pz.get("serial", "4f2a19")
    assert len(s) == 6 and re.fullmatch(r"[0-9a-f]+", s) and s != "4f2a19"
