"""Issue 14, item 8: redaction gaps. Names that only the text gives away
(policy comments, z/OSMF OPERLOG ``jobName`` fields, DNs with ``¢`` between
the attributes as in IRRD109I, the SDSF ``PREFIX=`` header), AT-TLS rule names
in ``report --redact``, Markdown-escaped names in the leak scan, and
certificates with 20-byte serials (never dropped from an export)."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tlsworkbench.cli import main
from tlsworkbench.redact import export_redacted
from tlsworkbench.redact.collect import Sensitive
from tlsworkbench.redact.scan import Scanner, rendered_forms

SCEN = Path(__file__).parent / "data" / "scenarios" / "error1-keyring-not-found"
SECRETS = ["FTPSECRT", "SECRUSR1", "Secret Label 7", "secret.corp.example", "Secret_RING",
           "OPERJOB1", "Payments Unit", "Secret Bank", "vault.corp.example", "SECJ", "SECOWN1",
           "Web_Inbound"]


@pytest.fixture
def evidence(tmp_path):
    ev = tmp_path / "ev"
    shutil.copytree(SCEN, ev)
    for p in ev.iterdir():  # one rule gets a name with an underscore (escaped in Markdown)
        p.write_bytes(p.read_bytes().replace(b"FTPTat192.168.20.9n", b"Web_Inbound"))
    conf = ev / "MVS3.pagent-ttls.conf"
    conf.write_text("# Jobname FTPSECRT runs behind this rule; Userid SECRUSR1 owns the ring\n"
                    "# label 'Secret Label 7' on host secret.corp.example\n"
                    "# ring SECRUSR1/Secret_RING is the one to use\n" + conf.read_text())
    (ev / "MVS3.operlog.json").write_text(json.dumps({"items": [
        {"jobName": "OPERJOB1", "system": "MVS3", "message": "IEF403I OPERJOB1 - STARTED"},
        {"jobName": "OPERJOB1", "system": "MVS3",
         "message": "IRRD109I The certificate cannot be added. Profile "
                    "00.CN=vault.corp.example¢OU=Payments Unit¢O=Secret Bank¢C=US "
                    "is already defined."}]}, indent=1, ensure_ascii=False), encoding="utf-8")
    sdsf = ev / "MVS3.sdsf-da.txt"
    sdsf.write_text(sdsf.read_text().replace("PREFIX=*  DEST=(ALL)  OWNER=*",
                                             "PREFIX=SECJ*  DEST=(ALL)  OWNER=SECOWN1"))
    return ev


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("latin-1") for n in zf.namelist())


def test_export_redacts_names_only_the_text_gives(evidence, tmp_path, capsys):
    out = tmp_path / "x.tlswb"
    assert main(["export", str(evidence), "--redact", "-o", str(out)]) == 0, capsys.readouterr()
    text = _all_text(out)
    for s in SECRETS:
        assert s.lower() not in text.lower(), s
    doc = json.loads((tmp_path / "x.tlswb.map.json").read_text())
    originals = {v["original"] for v in doc["values"]}
    assert {"FTPSECRT", "SECRUSR1", "Secret Label 7", "OPERJOB1", "Payments Unit",
            "Web_Inbound", "SECJ", "SECOWN1"} <= originals
    assert any(v["category"] == "rule" for v in doc["values"])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_redacted_report_has_no_rule_names_and_succeeds(evidence, fmt, capsys):
    assert main(["report", str(evidence), "--redact", "--format", fmt]) == 0
    out = capsys.readouterr().out
    for s in SECRETS + ["FTPTClient@192.168.20.9n"]:
        for form in rendered_forms(out, fmt):
            assert s.lower() not in form.lower(), (s, fmt)
    assert "Rule0" in out


def test_the_leak_scan_reads_markdown_escapes_and_html_entities():
    sens = Sensitive()
    sens.add("Web_Inbound", "rule")
    sens.add("A&B Corp", "dn-o")
    sc = Scanner(sens, exact_case=True)
    md = r"the rule Web\_Inbound failed"
    assert not sc.text(md, "r")  # what the scan saw before: nothing
    assert [lk.value for f in rendered_forms(md, "md") for lk in sc.text(f, "r")] == ["Web_Inbound"]
    html = "<td>A&amp;B Corp</td>"
    assert [lk.value for f in rendered_forms(html, "html") for lk in sc.text(f, "r")] == ["A&B Corp"]


def test_certificates_with_20_byte_serials_are_never_dropped(tmp_path):
    rng = random.Random(14)
    ev = tmp_path / "certs"
    ev.mkdir()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for i in range(12):
        serial = rng.randrange(1 << 152, 1 << 159)  # 20 bytes, as CAs issue them
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"host{i}.corp.example")])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(serial).not_valid_before(now)
                .not_valid_after(now + dt.timedelta(days=90)).sign(key, hashes.SHA256()))
        (ev / f"c{i}.pem").write_bytes(cert.public_bytes(ser.Encoding.PEM))
        (ev / f"c{i}.der").write_bytes(cert.public_bytes(ser.Encoding.DER))
    for seed in range(4):
        res = export_redacted([str(ev)], tmp_path / f"o{seed}.tlswb", seed=seed)
        assert res.dropped == [], res.dropped
        assert len(res.artifacts) == 24
