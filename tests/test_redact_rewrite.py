"""Token rules of the rewrite: whole values only, longest first, case kept,
columns kept, values inside other values handled consistently."""

from __future__ import annotations

from tlsworkbench.redact.collect import Sensitive, add_dn, add_racf, add_ring, scan_text_values
from tlsworkbench.redact.pseudonyms import Pseudonymizer
from tlsworkbench.redact.rewrite import Rewriter
from tlsworkbench.redact.scan import Scanner


def _rw(**cats) -> Rewriter:
    sens = Sensitive()
    for cat, values in cats.items():
        for v in values:
            sens.add(v, cat.replace("_", "-"))
    return Rewriter(sens, Pseudonymizer(seed=11, avoid=set(sens.values)))


def test_whole_tokens_only_and_case_follows_the_text():
    rw = _rw(racf=["FTPD"])
    s = rw.stand_in("FTPD")
    assert rw.line("RACDCERT ID(FTPD) LIST") == f"RACDCERT ID({s}) LIST"
    assert rw.line("racdcert id(ftpd) list") == f"racdcert id({s.lower()}) list"
    assert rw.line("FTPDX and XFTPD stay") == "FTPDX and XFTPD stay"
    assert rw.line("FTPD/Server_RING") == f"{s}/Server_RING"


def test_address_inside_a_rule_name_is_replaced_like_the_address():
    sens = Sensitive()
    scan_text_values(sens, "TTLSRule FTPTat192.168.20.9n~1 LocalAddr 192.168.20.93")
    assert "192.168.20.9" in sens.values and "192.168.20.93" in sens.values
    rw = Rewriter(sens, Pseudonymizer(seed=2))
    line = rw.line("RULE: FTPTat192.168.20.9n~1 LOCAL: 192.168.20.93..21")
    assert "192.168" not in line
    assert f"FTPTat{rw.stand_in('192.168.20.9')}n~1" in line
    assert f"LOCAL: {rw.stand_in('192.168.20.93')}..21" in line
    # the trace writes address.port; an OID is not an address
    sens2 = Sensitive()
    scan_text_values(sens2, "connection with 192.168.20.91.1034. OID 2.5.29.17 and 1.3.6.1.5.5.7.3.1")
    assert set(sens2.values) == {"192.168.20.91"}


def test_user_id_inside_a_dn_and_a_label_gets_one_stand_in():
    sens = Sensitive()
    add_racf(sens, "FTPD")
    add_dn(sens, "CN=FTPD,OU=FTPD Servers,O=WSC,C=US")
    sens.add("FTPD cert 2024", "label")
    rw = Rewriter(sens, Pseudonymizer(seed=3, avoid=set(sens.values)))
    u = rw.stand_in("FTPD")
    assert sens.values["FTPD"] == "racf"           # the user id form wins for the CN
    out = rw.line(">CN=FTPD.OU=FTPD Servers.O=WSC.C=US<")
    assert out.startswith(f">CN={u}.OU=") and ".C=US<" in out
    assert "FTPD" not in out and "WSC" not in out
    assert rw.line("Label: FTPD cert 2024") == f"Label: {rw.stand_in('FTPD cert 2024')}"
    assert rw.line("owner ID(FTPD) label FTPD cert 2024").count(u) == 1


def test_longest_value_first_and_ring_pairs_stay_pairs():
    sens = Sensitive()
    add_ring(sens, "FTPD/Server_RING")
    sens.add("Server", "label")
    rw = Rewriter(sens, Pseudonymizer(seed=4, avoid=set(sens.values)))
    out = rw.line("Set GSK_KEYRING_FILE - FTPD/Server_RING")
    owner, ring = out.rsplit(" ", 1)[1].split("/")
    assert owner == rw.stand_in("FTPD") and ring == rw.stand_in("Server_RING")
    assert "Server" not in out


def test_table_columns_stay_aligned():
    rw = _rw(label=["MVS1 LABS Certificate Authority", "FTP Server on MVS1-MVS7"], racf=["FTPD"])
    rows = ["   MVS1 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO",
            "   FTP Server on MVS1-MVS7            ID(FTPD)       PERSONAL     YES"]
    out = [rw.line(r) for r in rows]
    assert [r.index("CERTAUTH") for r in out[:1]] == [rows[0].index("CERTAUTH")]
    assert out[1].index("PERSONAL") == rows[1].index("PERSONAL")


def test_short_serial_only_where_a_serial_is_named():
    sens = Sensitive()
    sens.add("74", "serial")
    rw = Rewriter(sens, Pseudonymizer(seed=5))
    new = rw.short_serials["74"]
    assert rw.line("       >74<") == f"       >{new}<"
    assert rw.line("port 74 and RC 74") == "port 74 and RC 74"
    sc = Scanner(sens)
    assert sc.text("port 74", "x") == []
    assert [lk.value for lk in sc.text("Serial Number:\n  >74<", "x")] == ["74"]


def test_scanner_uses_the_same_token_rules():
    sens = Sensitive()
    add_racf(sens, "TCPIP")
    sc = Scanner(sens)
    assert sc.text("TCP/IP stack TCPIPT and TCPIPX", "x") == []
    leaks = sc.text("line one\nUSERID: tcpip GRPID", "syslog.txt")
    assert len(leaks) == 1 and leaks[0].line == 2 and leaks[0].category == "racf"
    assert "syslog.txt line 2" in str(leaks[0])
