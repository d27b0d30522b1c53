"""The partner is named by what the evidence knows of it (issue 15: "partner
BATCHCLI on None" came from a partner connection whose system was not known)."""

from tlsworkbench.diagnose.common import partner
from tlsworkbench.model import Connection


def test_partner_names_only_what_is_known():
    assert partner(Connection(id="c2", job="BATCHCLI")) == "the partner BATCHCLI"
    assert partner(Connection(id="c2", job="BATCHCLI", system="MVS1"), True) == \
        "The partner BATCHCLI on MVS1"
    assert partner(Connection(id="c2", system="MVS1")) == "the partner on MVS1"
    assert partner(Connection(id="c2"), True) == "The partner"


def test_no_finding_text_says_on_none():
    from tlsworkbench.engine import diagnose
    from tlsworkbench.ingest.loader import load
    from pathlib import Path

    root = Path(__file__).parent / "data" / "scenarios"
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        s = load([str(folder)])
        for c in s.connections:  # the partner's system unknown: the worst case
            c.system = None
        diagnose(s)
        for f in s.findings:
            assert "None" not in f.explanation, (folder.name, f.explanation)
