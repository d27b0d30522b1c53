"""Ticket-ready reports: content from the diagnosis, escaping of untrusted text,
one self-contained HTML file that prints well."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tlsworkbench.engine import open_session
from tlsworkbench.report import build, redacted_session, render
from tlsworkbench.report.build import Evidence, FindingView, Ladder, Report, Rung
from tlsworkbench.report.html import render as render_html
from tlsworkbench.report.markdown import render as render_md

SCEN = Path(__file__).parent / "data" / "scenarios"


@pytest.fixture(scope="module")
def cipher():
    return open_session([SCEN / "cipher-mismatch"])


def test_markdown_has_findings_evidence_fix_ladder_and_checksums(cipher):
    md = render(cipher, "md")
    assert "## Summary" in md and "| f1 | error | cipher-mismatch |" in md
    assert "### Evidence" in md and "EZD1287I TTLS Error RC:  402" in md
    assert "### Fix" in md and "F PAGENT,UPDATE" in md
    assert "## Handshake ladders" in md and "ClientHello" in md
    assert "No common cipher specification with the client" in md
    for art in cipher.artifacts:
        digest = hashlib.sha256(Path(art.path).read_bytes()).hexdigest()
        assert digest in md


def test_ladder_puts_client_left_and_server_right(cipher):
    rep = build(cipher)
    lad = rep.ladders[0]
    assert "MVS1" in lad.left and "MVS3" in lad.right
    hello = next(r for r in lad.rungs if r.text.startswith("ClientHello"))
    assert hello.arrow and hello.side == "left"          # sent by the client
    assert any(r.side == "right" and "402" in r.text for r in lad.rungs)
    assert any(r.side == "left" and "406" in r.text for r in lad.rungs)


def test_html_is_self_contained_and_prints(cipher):
    html = render(cipher, "html")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "@media print" in html and "break-inside: avoid" in html
    assert "<script" not in html.lower()
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:|//)", html)
    assert "<link" not in html.lower() and "@import" not in html
    assert "cipher-mismatch" in html and "F PAGENT,UPDATE" in html


def test_certificate_facts_listed():
    s = open_session([SCEN / "error6-expired"])
    md = render(s, "md")
    assert "## Certificates" in md
    cert = next(c for c in s.certs if c.not_after is not None)
    assert cert.not_after.isoformat() in md


HOSTILE = "<script>alert(1)</script> | `x` ** [link](http://evil.example) \x1b[31m"


def _hostile_report() -> Report:
    f = FindingView(id="f1", cause="certificate-expired", severity="error", title=HOSTILE,
                    explanation=HOSTILE, rcs=[401], confidence=0.9, rc_meanings=["RC 401: expired"],
                    evidence=[Evidence("a.txt", 3, "Label: " + HOSTILE + "\n```\n~~~")],
                    commands=[("purpose " + HOSTILE, "RACDCERT ID(X) ALTER(LABEL('" + HOSTILE + "'))")],
                    verify=[], next_steps=[HOSTILE], connections=[])
    return Report(title="t " + HOSTILE, created="now", findings=[f],
                  ladders=[Ladder("x", HOSTILE, "srv", [Rung("1", "left", HOSTILE, True)])],
                  certs=[{"label": HOSTILE, "owner": "X", "subject": "CN=" + HOSTILE, "issuer": "", "serial": "1",
                          "not_before": None, "not_after": None, "key": None, "signature": None, "san": [HOSTILE],
                          "rings": [], "private_key": None, "status": None, "system": None}],
                  artifacts=[{"name": HOSTILE, "kind": "console", "encoding": "utf-8", "size": 1,
                              "sha256": "ab", "records": 1, "unparsed": 0, "note": ""}],
                  connections=1, failing=1)


def test_html_escapes_untrusted_text():
    html = render_html(_hostile_report())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in html and "\\x1b" in html
    assert 'href="http' not in html


def test_markdown_escapes_untrusted_text():
    md = render_md(_hostile_report())
    assert "\x1b" not in md
    # outside code blocks (where text is shown literally) no raw HTML survives
    prose = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", md, flags=re.M | re.S)
    assert "<script>" not in prose and "&lt;script&gt;" in prose
    # table rows keep their column count despite the | in the text
    row = next(line for line in md.splitlines() if line.startswith("| f1 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7
    # the fenced evidence block is not closed early by the ``` inside it
    ev = md.split("### Evidence", 1)[1]
    fence = re.search(r"^(`{3,})$", ev, re.M).group(1)
    assert len(fence) >= 4
    assert "[link](http" not in prose and "\\[link\\](http" in prose


def test_redacted_report_names_stand_ins_only():
    s = open_session([SCEN / "error4-wrong-owner"])
    red, redaction = redacted_session(s, seed=4)
    md = render(red, "md", redacted=True)
    assert "**Redacted:**" in md
    for real in ("FTPD", "TCPIP", "Server_RING", "192.168.20.93", "FTP Server on MVS1-MVS7", "USER301"):
        assert real not in md, real
    assert sorted(f.cause for f in red.findings) == sorted(f.cause for f in s.findings)
    stand_ins = {d["original"]: d["stand_in"] for d in redaction.rewriter.mapping()}
    assert stand_ins["FTPD"] in md
