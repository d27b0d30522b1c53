"""A hand-built session of seed Error #3 (certificate not on the server's ring)
for the workbench tests, plus fixtures that make the app deterministic.

The scenario follows the seed: the FTP server FTPT1 on MVS3 fails the initial
handshake with AT-TLS RC 6 (key label not found); the FTP client on MVS1 sees
RC 438 (the partner reported an error); FTPD's ring Server_RING holds only the
CA certificate. The GSKSRVR trace is the seed's, read by the real reader.
``scenario_session()`` is the real pipeline on tests/data/scenarios/
error3-cert-not-on-ring.
"""

from __future__ import annotations

from array import array
from datetime import datetime, timezone
from pathlib import Path

from tlsworkbench.model import (
    Artifact, CertInfo, Command, Connection, Endpoint, Finding, KeyRing, Record, RingEntry, Session,
)

SCENARIO = Path(__file__).parent / "data" / "scenarios" / "error3-cert-not-on-ring"

MVS3_SYSLOG = """\
N 0000000 MVS3     14071 13:58:40.10 STC16240 00000290  EZZ4202I Z/OS UNIX - TCP/IP CONNECTION ESTABLISHED FOR TCPIP
N 0000000 MVS3     14071 13:59:01.02 STC16246 00000290  EZY2702I Server-FTP: Initialization completed at 13:59:01 on 03/12/14.
N 0000000 MVS3     14071 13:59:01.50 STC16246 00000290  EZYFT47I Server-FTP: listening on port 21
M 0000000 MVS3     14071 13:59:02.92 STC15830 00000090  EZD1287I TTLS Error RC:    6 Initial Handshake 951
D                                         951 00000090  LOCAL: 192.168.20.93..21
D                                         951 00000090  REMOTE: 192.168.20.91..1037
D                                         951 00000090  JOBNAME: FTPT1 RULE: FTPTat192.168.20.9n~1
E                                         951 00000090  USERID: TCPIP GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC
N 0000000 MVS3     14071 13:59:03.40 STC16246 00000290  EZYFT96I TLS handshake failed
"""

MVS1_JOBLOG = """\
13.58.59 JOB07777  IEF403I USER201 - STARTED - TIME=13.58.59
13.59.02 JOB07777  EZA1736I FTP 192.168.20.93 21
13.59.02 JOB07777  EZA1554I Connecting to:   192.168.20.93 port: 21.
13.59.02 JOB07777  234 Security environment established - ready for negotiation
13.59.02 JOB07777  FC2838 authServerAttls: Start Handshake
13.59.02 JOB07777  EZD1287I TTLS Error RC:  438 Initial Handshake
   479             LOCAL: 192.168.20.91..1037
   479             REMOTE: 192.168.20.93..21
   479             JOBNAME: USER201 RULE: FTPTClient@192.168.20.11n-5
   479             USERID: USER301 GRPID: 00000001 ENVID: 00000006 CONNID: 000000CA
13.59.03 JOB07777  FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. (errno2=0x77A9733D)
13.59.03 JOB07777  EZA2897I Authentication negotiation failed
13.59.03 JOB07777  EZA1534I *** Control connection with 192.168.20.93 dies.
"""

H = "Mar 12 13:59:02 MVS3 TCPIPT[67174435]: 13:59:02 TCPIPT   "
MVS3_SYSLOGD = "".join(H + s + "\n" for s in [
    "EZD1281I TTLS Map   CONNID: 000007CC LOCAL: 192.168.20.93..21 REMOTE: 192.168.20.91..1037 JOBNAME: FTPT1 USERID: TCPIP TYPE: InBound STATUS: Enabled RULE: FTPTat192.168.20.9n~1 ACTIONS: gAct1~FTPT eAct1~FTPTat192.168.20.9n cAct1~FTPTat192.168.20.9n",
    "EZD1284I TTLS Flow GRPID: 00000005 ENVID: 0000000C CONNID: 00000000 RC:    0 Set GSK_KEYRING_FILE - FTPD/Server_RING",
    "EZD1283I TTLS Event GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC RC:    6 Initial Handshake 00000000 7EC28B98",
    "EZD1286I TTLS Error GRPID: 00000005 ENVID: 0000000C CONNID: 000007CC LOCAL: 192.168.20.93..21 REMOTE: 192.168.20.91..1037 JOBNAME: FTPT1 USERID: TCPIP RULE: FTPTat192.168.20.9n~1 RC:    6 Initial Handshake 00000000 7EC28B98",
])

LISTRING = """\
 Digital ring information for user FTPD:

   Ring:
        >Server_RING<
   Certificate Label Name             Cert Owner     USAGE      DEFAULT
   --------------------------------   ------------   --------   -------
   MVS1 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO
"""

LISTCERT = """\
Digital certificate information for user FTPD:

  Label: FTP Server on MVS1-MVS7
  Status: TRUST
  Start Date: 2012/09/08 00:00:00
  End Date:   2015/12/31 23:59:59
  Serial Number:
       >74<
  Issuer's Name:
       >CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US<
  Subject's Name:
       >CN=FTP Server on MVS1-MVS7.OU=WSC.C=US<
  Signing Algorithm: sha256RSA
  Key Type: RSA
  Key Size: 1024
  Private Key: YES
  Ring Associations:
    *** No rings associated ***
"""


def _artifact(aid: str, path: str, kind: str, text: str, system: str | None) -> Artifact:
    data = text.encode()
    offsets = array("Q", [0])
    pos = 0
    for line in data.splitlines(keepends=True):
        pos += len(line)
        offsets.append(pos)
    return Artifact(id=aid, path=path, kind=kind, system=system, data=data, offsets=offsets,
                    size=len(data))


def _lns(art: Artifact, first: int, last: int) -> list[str]:
    return art.data.decode().splitlines()[first - 1:last]


def _ln(art: Artifact, n: int) -> str:
    return _lns(art, n, n)[0]


TRACE = Path(__file__).parent / "data" / "gsktrace" / "seed_mvs3_excerpts.txt"
"""The seed's GSKSRVR trace of the FTP server on MVS3 (its ClientHello, ServerHello,
Certificate, ServerHelloDone and ClientKeyExchange dumps)."""


def real_trace(aid: str, connection: str):
    """The trace artifact, its records and handshakes as the real reader makes
    them (``model.trace`` objects), given the artifact id ``aid``."""
    from tlsworkbench.ingest.loader import load

    got = load([TRACE])
    (art,) = got.artifacts
    old = art.id + ":"
    art.id = aid
    for r in got.records + got.trace_records:
        r.artifact = aid
    for h in got.handshakes:
        h.connection = connection
        h.artifact = aid
        h.line = h.line.replace(old, aid + ":", 1)
        h.records = [x.replace(old, aid + ":", 1) for x in h.records]
        for m in h.messages:
            m.line = m.line.replace(old, aid + ":", 1)
    assert got.handshakes and all(h.messages for h in got.handshakes), "the trace reader is broken"
    return art, got.records, got.trace_records, got.handshakes


def t(h: int, m: int, s: int, cs: int = 0) -> datetime:
    return datetime(2014, 3, 12, h, m, s, cs * 10000)


def hand_session() -> Session:
    s = Session()
    a1 = _artifact("a1", "mvs3.syslog.txt", "console", MVS3_SYSLOG, None)
    a2 = _artifact("a2", "mvs1.ftpclient.joblog", "console", MVS1_JOBLOG, "MVS1")
    a3 = _artifact("a3", "mvs3.syslogd.log", "syslogd", MVS3_SYSLOGD, "MVS3")
    a4 = _artifact("a4", "mvs3.listring.txt", "racdcert", LISTRING, "MVS3")
    a5 = _artifact("a5", "mvs3.listcert.txt", "racdcert", LISTCERT, "MVS3")
    a6, trace_recs, trace_items, handshakes = real_trace("a6", "c1")
    s.artifacts = [a1, a2, a3, a4, a5, a6]
    for r in trace_recs:
        s.add(r)
    s.trace_records = trace_items

    def rec(art, line, text, *, end=0, msgid=None, system="MVS3", time=None, job=None,
            sev="info", **fields):
        r = Record(artifact=art.id, line=line, kind="message" if msgid else "plain", text=text,
                   end_line=end, msgid=msgid, system=system, time=time, job=job, severity=sev,
                   fields=fields)
        s.add(r)
        return r

    srv = dict(grpid="00000005", envid="0000000C", connid="000007CC", local_ip="192.168.20.93",
               local_port=21, remote_ip="192.168.20.91", remote_port=1037, jobname="FTPT1",
               userid="TCPIP", rule="FTPTat192.168.20.9n~1")
    cli = dict(grpid="00000001", envid="00000006", connid="000000CA", local_ip="192.168.20.91",
               local_port=1037, remote_ip="192.168.20.93", remote_port=21, jobname="USER201",
               userid="USER301", rule="FTPTClient@192.168.20.11n-5")
    rec(a1, 1, _ln(a1, 1), msgid="EZZ4202I", time=t(13, 58, 40, 10), job="STC16240")
    rec(a1, 2, _ln(a1, 2), msgid="EZY2702I", time=t(13, 59, 1, 2), job="STC16246")
    rec(a1, 3, _ln(a1, 3), msgid="EZYFT47I", time=t(13, 59, 1, 50), job="STC16246")
    rec(a1, 4, "\n".join(_lns(a1, 4, 8)), end=8, msgid="EZD1287I", time=t(13, 59, 2, 92),
        job="STC15830", sev="error", rc=6, event="Initial Handshake", **srv)
    rec(a1, 9, _ln(a1, 9), msgid="EZYFT96I", time=t(13, 59, 3, 40), job="STC16246", sev="error")
    for n, mid in [(1, "IEF403I"), (2, "EZA1736I"), (3, "EZA1554I")]:
        rec(a2, n, _ln(a2, n), msgid=mid, system="MVS1", job="USER201",
            time=t(13, 59, 2) if n > 1 else t(13, 58, 59))
    rec(a2, 4, _ln(a2, 4), system="MVS1", time=t(13, 59, 2), job="USER201", reply=234)
    rec(a2, 5, _ln(a2, 5), system="MVS1", time=t(13, 59, 2), job="USER201")
    rec(a2, 6, "\n".join(_lns(a2, 6, 10)), end=10, msgid="EZD1287I", system="MVS1",
        time=t(13, 59, 2, 95), job="USER201", sev="error", rc=438, event="Initial Handshake", **cli)
    rec(a2, 11, _ln(a2, 11), system="MVS1", time=t(13, 59, 3), job="USER201", sev="error",
        errno2="77A9733D")
    rec(a2, 12, _ln(a2, 12), msgid="EZA2897I", system="MVS1", time=t(13, 59, 3), job="USER201",
        sev="error")
    rec(a2, 13, _ln(a2, 13), msgid="EZA1534I", system="MVS1", time=t(13, 59, 3), job="USER201")
    rec(a3, 1, _ln(a3, 1), msgid="EZD1281I", time=t(13, 59, 2, 90), job="TCPIPT", stack="TCPIPT",
        **srv)
    rec(a3, 2, _ln(a3, 2), msgid="EZD1284I", time=t(13, 59, 2, 90), job="TCPIPT", rc=0,
        action="Set", func="GSK_KEYRING_FILE", value="FTPD/Server_RING", stack="TCPIPT",
        grpid="00000005", envid="0000000C", connid="00000000")
    rec(a3, 3, _ln(a3, 3), msgid="EZD1283I", time=t(13, 59, 2, 91), job="TCPIPT", sev="error",
        rc=6, stack="TCPIPT", grpid="00000005", envid="0000000C", connid="000007CC")
    rec(a3, 4, _ln(a3, 4), msgid="EZD1286I", time=t(13, 59, 2, 91), job="TCPIPT", sev="error",
        rc=6, event="Initial Handshake", stack="TCPIPT", **srv)
    ring_rec = Record(artifact="a4", line=4, kind="ring", text=_ln(a4, 4), system="MVS3")
    entry_rec = Record(artifact="a4", line=7, kind="ring-entry", text=_ln(a4, 7), system="MVS3")
    cert_rec = Record(artifact="a5", line=3, kind="cert", text=_ln(a5, 3), system="MVS3")
    for r in (ring_rec, entry_rec, cert_rec):
        s.add(r)
    s.add(KeyRing(owner="FTPD", name="Server_RING", record="a4:4", system="MVS3", entries=[
        RingEntry(label="MVS1 LABS Certificate Authority", owner="CERTAUTH", usage="CERTAUTH",
                  default=False, record="a4:7")]))
    s.add(CertInfo(record="a5:3", source="racdcert", owner="FTPD", label="FTP Server on MVS1-MVS7",
                   subject="CN=FTP Server on MVS1-MVS7,OU=WSC,C=US",
                   issuer="CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US", serial="74",
                   not_before=datetime(2012, 9, 8, tzinfo=timezone.utc),
                   not_after=datetime(2015, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
                   status="TRUST", key_type="RSA", key_size=1024,
                   signature_algorithm="sha256RSA", private_key=True, system="MVS3"))
    c1 = Connection(id="c1", system="MVS3", stack="TCPIPT", job="FTPT1", user="TCPIP",
                    local=Endpoint("192.168.20.93", 21), remote=Endpoint("192.168.20.91", 1037),
                    rule=srv["rule"], grpid="00000005", envid="0000000C", connid="000007CC",
                    role="server", rcs=[6], events=["Initial Handshake"],
                    records=["a1:4", "a3:1", "a3:2", "a3:3", "a3:4", "a1:9"], peer="c2",
                    keyring="FTPD/Server_RING", first_time=t(13, 59, 2, 90),
                    last_time=t(13, 59, 3, 40), handshakes=[h.id for h in handshakes])
    c2 = Connection(id="c2", system="MVS1", job="USER201", user="USER301",
                    local=Endpoint("192.168.20.91", 1037), remote=Endpoint("192.168.20.93", 21),
                    rule=cli["rule"], grpid="00000001", envid="00000006", connid="000000CA",
                    role="client", rcs=[438], events=["Initial Handshake"],
                    records=["a2:2", "a2:3", "a2:4", "a2:5", "a2:6", "a2:11", "a2:12", "a2:13"],
                    peer="c1", first_time=t(13, 59, 2), last_time=t(13, 59, 3))
    s.connections = [c1, c2]
    s.handshakes = handshakes
    s.findings = [
        Finding(id="f1", cause="certificate-not-on-ring", severity="error",
                title="FTPT1's certificate is not connected to FTPD/Server_RING",
                explanation="The server's AT-TLS environment uses key ring FTPD/Server_RING, which "
                "holds only the CA certificate MVS1 LABS Certificate Authority. With no PERSONAL "
                "certificate on the ring System SSL cannot find a key label (RC 6), and the client "
                "sees the partner's alert as RC 438.",
                rcs=[6, 438], evidence=["a1:4", "a2:6", "a4:4"], connections=["c1", "c2"],
                confidence=0.9,
                commands=[
                    Command('RACDCERT ID(FTPD) CONNECT(ID(FTPD) -\n  LABEL(\'FTP Server on '
                            'MVS1-MVS7\') -\n  RING(Server_RING) USAGE(PERSONAL) DEFAULT)',
                            purpose="connect the server certificate"),
                    Command("SETROPTS RACLIST(DIGTCERT) REFRESH", purpose="refresh"),
                ],
                verify=[Command("RACDCERT ID(FTPD) LISTRING(Server_RING)")]),
        Finding(id="f2", cause="peer-reported-error", severity="info",
                title="The client's RC 438 is the server's alert, not a client fault",
                explanation="RC 438 on MVS1 means the partner reported an internal error.",
                rcs=[438], evidence=["a2:6"], connections=["c2"], confidence=0.8),
    ]
    return s


def complete(session) -> bool:
    """The pipeline solves Error #3 end to end: both sides' EZD1287I, the peer
    link, and a finding whose fix connects the certificate to the ring."""
    rcs = {rc for c in session.connections for rc in c.rcs}
    linked = any(c.peer for c in session.connections)
    fixed = any("CONNECT" in c.text.upper() for f in session.findings for c in f.commands)
    return {6, 438} <= rcs and linked and fixed


def scenario_session() -> Session:
    """The real pipeline on the Error #3 scenario (a broken reader or rule fails
    the test that asks for it: there is no fallback)."""
    from tlsworkbench.engine import open_session

    session = open_session([str(SCENARIO)])
    assert complete(session), "the pipeline no longer solves Error #3 from its evidence"
    return session


# -- fixtures ----------------------------------------------------------------------
import pytest  # noqa: E402


@pytest.fixture
def isolated(tmp_path):
    """A temporary folder for the test's files (tests/conftest.py isolates the
    config directories and the terminal for every test)."""
    return tmp_path


def app_on(session, **kw):
    from tlsworkbench.tui.app import make_app
    from tlsworkbench.tui.config import Config

    kw.setdefault("config", Config())
    kw.setdefault("env", {})
    return make_app(session, **kw)


async def settle(pilot, timeout: float = 60.0) -> None:
    """Wait until the session is loaded and indexed, and the messages it caused."""
    import asyncio
    import time

    app = pilot.app
    end = time.monotonic() + timeout
    while app.loading and time.monotonic() < end:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await asyncio.sleep(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def run_async(fn):
    """Run an async test with asyncio (the project has no async pytest plugin)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper
