"""The fourth review's native-family cases (tests/data/qa4/): MQ's command prefix from its
messages, TN3270 SECUREPORT protocols, Zowe's empty ring, CICS without a default
certificate, z/OSMF's CWPKI0033E, HWTH environment-open failures and Db2 through AT-TLS."""

from __future__ import annotations

import io
from pathlib import Path

from tlsworkbench.commands.diagnose import write_text
from tlsworkbench.diagnose import run
from tlsworkbench.ingest.loader import load

QA = Path(__file__).parent / "data" / "qa4"


def files(case: str) -> list[str]:
    return sorted(str(p) for p in (QA / case).iterdir() if p.is_file())


def diagnose(paths):
    session = load([str(p) for p in paths])
    return session, run(session)


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def text_of(session) -> str:
    out = io.StringIO()
    write_text(session, out)
    return out.getvalue()


def commands(findings) -> list[str]:
    return [c.text for f in findings for c in f.commands]


# -- 1: MQ command prefix ---------------------------------------------------------------------
def test_mq_command_prefix_is_taken_from_the_csq_messages():
    _s, found = diagnose(files("mq"))
    cmds = commands(errors(found))
    assert "+QMQ1 REFRESH SECURITY TYPE(SSL)" in cmds
    assert not any(c.startswith("-QMQ1") for c in cmds)


def test_mq_without_a_command_prefix_writes_a_marked_placeholder(tmp_path):
    src = QA / "mq" / "MVS5.qmq1chin.joblog.txt"
    (tmp_path / src.name).write_text(src.read_text().replace("+CSQX620E +QMQ1", "+CSQX620E QMQ1")
                                     .replace("+CSQX599E +QMQ1", "+CSQX599E QMQ1"))
    (tmp_path / "MVS5.racdcert-listring.txt").write_text(
        (QA / "mq" / "MVS5.racdcert-listring.txt").read_text())
    _s, found = diagnose(sorted(tmp_path.iterdir()))
    refresh = [c for f in errors(found) for c in f.commands if "REFRESH SECURITY" in c.text]
    assert refresh and refresh[0].text == "<cpf> REFRESH SECURITY TYPE(SSL)"
    assert "placeholder" in refresh[0].purpose and "command prefix" in refresh[0].purpose
    assert not any(c.startswith("-QMQ1") for c in commands(found))
