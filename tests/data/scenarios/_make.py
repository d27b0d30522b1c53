"""Builds the scenario artifacts under tests/data/scenarios/<case>/.

Run ``python tests/data/scenarios/_make.py`` after changing it; the files it
writes are committed, so tests never depend on this script. Each case holds what
a systems programmer would collect on both systems, in the formats of
docs/formats.md (SDSF SYSLOG columns, job logs, syslogd, RACDCERT, pasearch,
policy, SDSF DA, FTP client session, GSKSRVR trace).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- formatting


def _julian(day: datetime) -> str:
    return day.strftime("%y") + f"{day.timetuple().tm_yday:03d}"


class Syslog:
    """SDSF SYSLOG hardcopy lines with the real column layout."""

    def __init__(self, system: str, day: datetime):
        self.system = system
        self.day = day
        self.lines: list[str] = []
        self.conn = 900

    def _head(self, rtype: str, time: str, jobid: str, flags: str = "00000090") -> str:
        return (f"{rtype} 0000000 {self.system:<8} {_julian(self.day)} {time:<11} "
                f"{jobid:<8} {flags}  ")

    def single(self, time: str, jobid: str, text: str, rtype: str = "N", flags: str = "00000290") -> None:
        self.lines.append(self._head(rtype, time, jobid, flags) + text)

    def multi(self, time: str, jobid: str, first: str, rest: list[str], flags: str = "00000090") -> None:
        self.conn += 7
        cid = str(self.conn)
        self.lines.append(self._head("M", time, jobid, flags) + f"{first} {cid}")
        for i, text in enumerate(rest):
            kind = "E" if i == len(rest) - 1 else "D"
            self.lines.append(f"{kind:<37}{cid:>8} {flags}  {text}")

    def ezd1287(self, time: str, jobid: str, rc: int, event: str, local: str, remote: str,
                job: str, rule: str, user: str, grp: str, env: str, connid: str) -> None:
        self.multi(time, jobid, f"EZD1287I TTLS Error RC: {rc:4d} {event}", [
            f"LOCAL: {local}", f"REMOTE: {remote}", f"JOBNAME: {job} RULE: {rule}",
            f"USERID: {user} GRPID: {grp} ENVID: {env} CONNID: {connid}"])

    def ich408(self, time: str, jobid: str, user: str, group: str, resource: str, cls: str,
               intent: str = "READ", allowed: str = "NONE") -> None:
        self.multi(time, jobid, f"ICH408I USER({user:<8}) GROUP({group:<8}) NAME({user:<20})", [
            f"  {resource} CL({cls})", "  INSUFFICIENT ACCESS AUTHORITY",
            f"  ACCESS INTENT({intent:<7})  ACCESS ALLOWED({allowed:<7})"], flags="00000090")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class JobLog:
    """JESMSGLG of the TCP/IP stack (hh.mm.ss JOBID  message, continuation with the connect id)."""

    def __init__(self, job: str, jobid: str, system: str, day: datetime):
        self.jobid = jobid
        self.conn = 470
        self.lines = [
            "                    J E S 2  J O B  L O G  --  S Y S T E M  "
            f"{system}  --  N O D E  N1",
            "",
            f"00.00.00 {jobid}  ---- {day:%A, %d %b %Y} ----".upper(),
        ]

    def msg(self, time: str, text: str) -> None:
        self.lines.append(f"{time.replace(':', '.')[:8]} {self.jobid}  {text}")

    def ezd1287(self, time: str, rc: int, event: str, local: str, remote: str, job: str, rule: str,
                user: str, grp: str, env: str, connid: str) -> None:
        self.conn += 9
        self.lines.append(f"{time.replace(':', '.')[:8]} {self.jobid}  EZD1287I TTLS Error RC: {rc:4d} {event}")
        for t in (f"LOCAL: {local}", f"REMOTE: {remote}", f"JOBNAME: {job} RULE: {rule}",
                  f"USERID: {user} GRPID: {grp} ENVID: {env} CONNID: {connid}"):
            self.lines.append(f"   {self.conn:<4}            {t}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Syslogd:
    def __init__(self, system: str, stack: str, pid: int, mon: str = "Mar", day: int = 12):
        self.system, self.stack, self.pid = system, stack, pid
        self.prefix_date = f"{mon} {day:2d}"
        self.lines: list[str] = []

    def add(self, time: str, text: str) -> None:
        self.lines.append(f"{self.prefix_date} {time} {self.system} {self.stack}[{self.pid}]: "
                          f"{time} {self.stack:<8} {text}")

    def map(self, time, connid, local, remote, job, user, rule, actions, type_="InBound",
            status="Enabled") -> None:
        self.add(time, f"EZD1281I TTLS Map   CONNID: {connid} LOCAL: {local} REMOTE: {remote} "
                 f"JOBNAME: {job} USERID: {user} TYPE: {type_} STATUS: {status} RULE: {rule} "
                 f"ACTIONS: {' '.join(actions)}")

    def start(self, time, grp, env, connid, event, actions) -> None:
        self.add(time, f"EZD1282I TTLS Start GRPID: {grp} ENVID: {env} CONNID: {connid} {event} "
                 f"ACTIONS: {' '.join(actions)}")

    def flow(self, time, grp, env, connid, rc, action, func, value="") -> None:
        self.add(time, f"EZD1284I TTLS Flow GRPID: {grp} ENVID: {env} CONNID: {connid} "
                 f"RC: {rc:4d} {action} {func} - {value}".rstrip())

    def event(self, time, grp, env, connid, rc, event, add="00000000 7EC28B98") -> None:
        self.add(time, f"EZD1283I TTLS Event GRPID: {grp} ENVID: {env} CONNID: {connid} "
                 f"RC: {rc:4d} {event} {add}")

    def error(self, time, grp, env, connid, local, remote, job, user, rule, rc, event,
              add="00000000 7EC28B98") -> None:
        self.add(time, f"EZD1286I TTLS Error GRPID: {grp} ENVID: {env} CONNID: {connid} "
                 f"LOCAL: {local} REMOTE: {remote} JOBNAME: {job} USERID: {user} RULE: {rule} "
                 f"RC: {rc:4d} {event} {add}")

    def data(self, time, connid, direction, hexdata) -> None:
        self.add(time, f"EZD1285I TTLS Data  CONNID: {connid} {direction} CIPHER {hexdata}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def env_flows(d: Syslogd, time: str, grp: str, env: str, ring: str, role: str,
              protocols=("TLSV1", "TLSV1_1"), ciphers: str | None = None,
              init_rc: int = 0) -> None:
    """The EZD1284I flow of an environment being built (trace 16)."""
    d.flow(time, grp, env, "00000000", 0, "Call", "GSK_ENVIRONMENT_OPEN", "7EC25118")
    d.flow(time, grp, env, "00000000", 0, "Set", "GSK_KEYRING_FILE", ring)
    d.flow(time, grp, env, "00000000", 0, "Set", "GSK_SESSION_TYPE", role.upper())
    for p in ("SSLV2", "SSLV3", "TLSV1", "TLSV1_1", "TLSV1_2"):
        d.flow(time, grp, env, "00000000", 0, "Set", f"GSK_PROTOCOL_{p}",
               "ON" if p in protocols else "OFF")
    if ciphers:
        d.flow(time, grp, env, "00000000", 0, "Set", "GSK_V3_CIPHER_SPECS", ciphers)
    d.flow(time, grp, env, "00000000", init_rc, "Call", "GSK_ENVIRONMENT_INIT", "7EC25118")


def listring(owner: str, rings: dict[str, list[tuple[str, str, str, str]]], cmd: str | None = None) -> str:
    out = []
    if cmd:
        out.append(f"READY\n{cmd}")
    out.append(f" Digital ring information for user {owner}:\n")
    for name, entries in rings.items():
        out.append(f"   Ring:\n        >{name}<")
        if not entries:
            out.append("   *** No certificates connected ***\n")
            continue
        out.append("   Certificate Label Name             Cert Owner     USAGE      DEFAULT")
        out.append("   --------------------------------   ------------   --------   -------")
        for label, cowner, usage, default in entries:
            if len(label) > 32:
                out.append(f"   {label}")
                out.append(f"   {'':<32}   {cowner:<12}   {usage:<8}     {default}")
            else:
                out.append(f"   {label:<32}   {cowner:<12}   {usage:<8}     {default}")
        out.append("")
    if cmd:
        out.append("READY")
    return "\n".join(out) + "\n"


def racf_dn(dn: str) -> list[str]:
    """RACF shows DNs most significant RDN last, dot separated, wrapped at 50."""
    s = f">{dn}<"
    lines = []
    while len(s) > 50:
        lines.append(s[:50])
        s = s[50:]
    lines.append(s)
    return [f"       {x}" for x in lines]


def cert_list(owner_title: str, certs: list[dict], cmd: str | None = None) -> str:
    out = []
    if cmd:
        out.append(f"READY\n{cmd}")
    out.append(f"Digital certificate information for {owner_title}:\n")
    for c in certs:
        out.append(f"  Label: {c['label']}")
        out.append(f"  Certificate ID: {c.get('id', '2QTG49fExuPXQOKFmaWFmUCWIUDU5eLnYNTI4uhA')}")
        out.append(f"  Status: {c.get('status', 'TRUST')}")
        out.append(f"  Start Date: {c['start']}")
        out.append(f"  End Date:   {c['end']}")
        out.append("  Serial Number:")
        out.append(f"       >{c['serial']}<")
        out.append("  Issuer's Name:")
        out.extend(racf_dn(c["issuer"]))
        out.append("  Subject's Name:")
        out.extend(racf_dn(c["subject"]))
        if c.get("alt"):
            out.append("  Subject's AltNames:")
            out.extend(f"    {a}" for a in c["alt"])
        out.append(f"  Signing Algorithm: {c.get('sig', 'sha256RSA')}")
        out.append(f"  Key Usage: {c.get('usage', 'HANDSHAKE, DATAENCRYPT')}")
        out.append("  Key Type: RSA")
        out.append(f"  Key Size: {c.get('size', 2048)}")
        out.append(f"  Private Key: {c.get('pk', 'YES')}")
        out.append("  Certificate Fingerprint (SHA256):")
        out.append(f"       {c.get('fp1', '3C:55:1A:0E:77:4B:C2:19:88:D0:5F:21:6B:7E:90:14:')}")
        out.append(f"       {c.get('fp2', 'A2:3D:4C:81:F0:66:2E:B7:09:5A:C3:DD:41:18:7F:9A')}")
        if c.get("rings"):
            out.append("  Ring Associations:")
            for rown, rname in c["rings"]:
                out.append(f"    Ring Owner: {rown}")
                out.append("    Ring:")
                out.append(f"       >{rname}<")
        else:
            out.append("  Ring Associations:")
            out.append("    *** No rings associated ***")
        out.append("")
    if cmd:
        out.append("READY")
    return "\n".join(out) + "\n"


def sdsf_da(system: str, jobs: list[tuple[str, str, str, str]]) -> str:
    out = [f"SDSF DA {system:<8}  {system:<8}  PAG 0 CPU 3      LINE 1-{len(jobs)} ({len(jobs)})",
           "COMMAND INPUT ===>                                            SCROLL ===> CSR",
           "PREFIX=*  DEST=(ALL)  OWNER=*  SYSNAME=",
           "NP   JOBNAME  StepName ProcStep JobID    Owner    C Pos DP Real Paging"]
    for job, step, jobid, owner in jobs:
        out.append(f"     {job:<8} {step:<8} {'':<8} {jobid:<8} {owner:<8}   NS  FE  2345   0.00")
    return "\n".join(out) + "\n"


def policy_conf(header: str, rule: dict, env: dict, conn: dict, group: dict, ring_name: str,
                ring: str, extra: list[str] | None = None) -> str:
    def block(kind, name, params):
        lines = [f"{kind:<30}{name}", "{"]
        for k, v in params.items():
            if isinstance(v, list):
                for item in v:
                    lines.append(f"  {k:<28}{item}")
            elif isinstance(v, dict):
                lines.append(f"  {k}")
                lines.append("  {")
                for k2, v2 in v.items():
                    if isinstance(v2, list):
                        for item in v2:
                            lines.append(f"    {k2:<26}{item}")
                    else:
                        lines.append(f"    {k2:<26}{v2}")
                lines.append("  }")
            else:
                lines.append(f"  {k:<28}{v}")
        lines.append("}")
        return lines

    out = [f"# {header}", "#"]
    out += block("TTLSRule", rule["name"], rule["params"])
    out += block("TTLSGroupAction", group["name"], group["params"])
    out += block("TTLSEnvironmentAction", env["name"], env["params"])
    out += block("TTLSConnectionAction", conn["name"], conn["params"])
    out += block("TTLSKeyringParms", ring_name, {"Keyring": ring})
    out += extra or []
    return "\n".join(out) + "\n"


def pasearch(stack: str, date: str, time: str, rule: dict, env: dict, ring: str, role: str,
             conn: dict | None = None, ciphers: list[str] | None = None, inst: int = 0,
             protocols: dict | None = None) -> str:
    out = [f"TCP/IP pasearch CS V1R13                 Image Name: {stack}",
           f"  Date:          {date}              Time: {time}",
           "  TTLS Instance Id:  1394632698", "",
           f"policyRule:             {rule['name']}",
           "  Rule Type:            TTLS",
           "  Version:              3                Status:           Active",
           "  Weight:               255              ForLoadDist:      False",
           "  Priority:             255              Sequence Actions: Don't Care",
           "  No. Policy Action:    3",
           f"  policyAction:         {rule['group']}",
           "   ActionType:          TTLS Group",
           f"  policyAction:         {env['name']}",
           "   ActionType:          TTLS Environment",
           f"  policyAction:         {rule['conn']}",
           "   ActionType:          TTLS Connection",
           "  TTLS Condition Summary:          NegativeIndicator: Off",
           "   Local Address:",
           f"    FromAddr:           {rule['local']}",
           f"    ToAddr:             {rule['local']}"]
    if rule.get("remote"):
        out += ["   Remote Address:", f"    FromAddr:           {rule['remote']}",
                f"    ToAddr:             {rule['remote']}"]
    lp, rp = rule.get("lport", "0"), rule.get("rport", "0")
    out += [f"   LocalPortFrom:       {lp:<16} LocalPortTo:      {lp}",
            f"   RemotePortFrom:      {rp:<16} RemotePortTo:     {rp}",
            f"   JobName:             {rule['job']:<16} UserId:",
            f"   ServiceDirection:    {rule['direction']}", "",
            f"policyAction:           {env['name']}",
            "  Version:              3                Status:           Active",
            "  Scope:                Environment",
            "  TTLSEnvironmentAction:",
            f"    HandshakeRole:       {role}",
            f"    EnvironmentUserInstance: {inst}",
            "    TTLSKeyringParms:",
            f"      Keyring:           {ring}"]
    if ciphers:
        out.append("    TTLSCipherParms:")
        for c in ciphers:
            out.append(f"      V3CipherSuites:    {c}")
    if protocols:
        out.append("    TTLSEnvironmentAdvancedParms:")
        for k, v in protocols.items():
            out.append(f"      {k + ':':<19}{v}")
    if conn:
        out += ["", f"policyAction:           {conn['name']}",
                "  Version:              3                Status:           Active",
                "  Scope:                Connection",
                "  TTLSConnectionAction:"]
        for k, v in conn.get("params", {}).items():
            out.append(f"    {k + ':':<21}{v}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the two systems

DAY = datetime(2014, 3, 12)
CA1 = {"label": "MVS1 LABS Certificate Authority", "serial": "0", "start": "2011/01/01 05:00:00",
       "end": "2016/01/01 04:59:59", "issuer": "CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US",
       "subject": "CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US", "usage": "CERTSIGN", "size": 2048,
       "id": "LNDxNDHTNCFBOCFMQ0FCU0FSVEVSSUZJQ0FURSBBVVRI", "pk": "NO",
       "fp1": "9E:04:51:7D:22:C8:0B:6A:3F:E1:95:44:07:B2:DE:53:",
       "fp2": "11:8C:FA:60:2B:71:4D:E9:A0:37:58:C6:93:0F:BD:24"}
SRV = {"label": "FTP Server on MVS1-MVS7", "serial": "74", "start": "2012/09/08 00:00:00",
       "end": "2015/12/31 23:59:59", "issuer": "CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US",
       "subject": "CN=FTP Server on MVS1-MVS7.OU=WSC.C=US",
       "alt": ["IP: 192.168.20.93", "EMail: FTP@ZOS1.WSC.IBM.COM", "Domain: WSC.IBM.COM"]}

C_IP, S_IP = "192.168.20.91", "192.168.20.93"
S_RULE, C_RULE = "FTPTat192.168.20.9n~1", "FTPTClient@192.168.20.9n~5"
S_ACTS = ["gAct1~FTPT", "eAct1~FTPTat192.168.20.9n", "cAct1~FTPTat192.168.20.9n"]
C_ACTS = ["gAct1~FTPTClient", "eAct1~FTPTClient", "cAct1~FTPTClient"]


def server_policy(ring="FTPD/Server_RING", inst=0, trace=255, extra_env=None, port="21",
                  local=S_IP, rule=S_RULE, acts=S_ACTS, job="FTPT*", conn_params=None,
                  header="MVS3 AT-TLS policy for the FTP server FTPT1 (TCPIPT)") -> str:
    env = {"HandshakeRole": "Server", "EnvironmentUserInstance": str(inst), "TTLSKeyringParmsRef": "keyR1"}
    env.update(extra_env or {})
    return policy_conf(header,
        {"name": rule, "params": {"LocalAddr": local, "LocalPortRange": port, "Jobname": job,
                                  "Direction": "Inbound", "Priority": "255",
                                  "TTLSGroupActionRef": acts[0], "TTLSEnvironmentActionRef": acts[1],
                                  "TTLSConnectionActionRef": acts[2]}},
        {"name": acts[1], "params": env},
        {"name": acts[2], "params": conn_params or {"HandshakeRole": "Server", "Trace": str(trace)}},
        {"name": acts[0], "params": {"TTLSEnabled": "On", "GroupUserInstance": "0", "Trace": "7"}},
        "keyR1", ring)


def client_policy(ring="Client_RING", role="Client", extra_env=None, remote=S_IP, port="21",
                  rule=C_RULE, acts=C_ACTS, trace=7,
                  header="MVS1 AT-TLS policy for the FTP client (TCPIPT)") -> str:
    env = {"HandshakeRole": role, "TTLSKeyringParmsRef": "keyRC"}
    env.update(extra_env or {})
    return policy_conf(header,
        {"name": rule, "params": {"RemoteAddr": remote, "RemotePortRange": port, "Userid": "USER3*",
                                  "Direction": "Outbound", "Priority": "200",
                                  "TTLSGroupActionRef": acts[0], "TTLSEnvironmentActionRef": acts[1],
                                  "TTLSConnectionActionRef": acts[2]}},
        {"name": acts[1], "params": env},
        {"name": acts[2], "params": {"HandshakeRole": role, "Trace": str(trace)}},
        {"name": acts[0], "params": {"TTLSEnabled": "On", "Trace": "7"}},
        "keyRC", ring)


def ftp_client(host, ip, port, replies: list[str], server_job="FTPT1", system="MVS3") -> str:
    lines = [f"EZA1450I IBM FTP CS V1R13", f"EZA1772I FTP: EXIT has been set.",
             f"EZA1736I FTP {host} {port if port != 21 else ''}".rstrip(),
             f"EZA1554I Connecting to:   {host} {ip} port: {port}.",
             f"220-{server_job} IBM FTP CS V1R13 at {system}, 13:59:02 on 2014-03-12.",
             "220 Connection will close if idle for more than 5 minutes.",
             "EZA1701I >>> AUTH TLS",
             "234 Security environment established - ready for negotiation",
             "FC2838 authServerAttls: Start Handshake"]
    return "\n".join(lines + replies) + "\n"


FAIL_RESET = ["FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. "
              "(errno2=0x77A9733D)",
              "EZA2897I Authentication negotiation failed",
              "EZA1534I *** Control connection with {ip} dies.",
              "EZA1457I You must first issue the 'OPEN' command",
              "EZA1460I Command:", "EZA1736I QUIT"]


def base_syslog(system: str, stc: dict[str, str]) -> Syslog:
    s = Syslog(system, DAY)
    s.single("13:58:40.11", stc.get("PAGENT", "STC15790"),
             "EZZ8771I PAGENT CONFIG POLICY PROCESSING COMPLETE FOR TCPIPT : TTLS")
    if system == "MVS3":
        s.single("13:59:01.02", "STC16246",
                 "EZY2702I Server-FTP: Initialization completed at 13:59:01 on 03/12/14.")
    s.single("13:59:01.77", "JOB05133", "$HASP373 PAYROLL1 STARTED - INIT 1    - CLASS A - SYS "
             + system, flags="00000290")
    return s


def w(case: str, name: str, text: str) -> None:
    d = HERE / case
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text)


def client_ring(ca_entries=None) -> str:
    entries = ca_entries if ca_entries is not None else [
        ("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO")]
    return listring("USER301", {"Client_RING": entries}, "RACDCERT ID(USER301) LISTRING(Client_RING)")


def server_ring(entries=None, owner="FTPD", name="Server_RING") -> str:
    if entries is None:
        entries = [("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO"),
                   ("FTP Server on MVS1-MVS7", "ID(TCPIP)", "PERSONAL", "YES")]
    return listring(owner, {name: entries}, f"RACDCERT ID({owner}) LISTRING(*)")


def server_pasearch(ring="FTPD/Server_RING", inst=0, ciphers=None, protocols=None, role="Server") -> str:
    return pasearch("TCPIPT", "03/12/2014", "13:58:40",
                    {"name": S_RULE, "group": S_ACTS[0], "conn": S_ACTS[2], "local": S_IP, "lport": "21",
                     "job": "FTPT*", "direction": "Inbound"},
                    {"name": S_ACTS[1]}, ring, role, conn={"name": S_ACTS[2], "params": {
                        "HandshakeRole": role, "Trace": "255"}}, ciphers=ciphers, inst=inst,
                    protocols=protocols)


SDSF3 = sdsf_da("MVS3", [("FTPCCL1", "STEP1", "STC15829", "TCPIP"), ("FTPT1", "STEP1", "STC16246", "TCPIP"),
                         ("PAGENT", "PAGENT", "STC15790", "PAGENT"), ("TCPIPT", "TCPIPT", "STC15830", "TCPIP")])


def readme(case: str, text: str) -> None:
    w(case, "README.md", text.strip() + "\n")


# ---------------------------------------------------------------- cases

def error1() -> None:
    case = "error1-keyring-not-found"
    grp, env, cid, ccid = "00000001", "00000002", "000007C9", "000000C4"
    local, remote = f"{S_IP}..21", f"{C_IP}..1034"
    s = base_syslog("MVS3", {})
    s.ezd1287("13:59:02.91", "STC15830", 202, "Environment Master Init", local, remote, "FTPT1",
              S_RULE, "TCPIP", grp, env, cid)
    s.ezd1287("13:59:02.91", "STC15830", 202, "Environment Link", local, remote, "FTPT1",
              S_RULE, "TCPIP", grp, env, cid)
    s.ezd1287("13:59:02.92", "STC15830", 5006, "Initial Handshake", local, remote, "FTPT1",
              S_RULE, "TCPIP", grp, env, cid)
    w(case, "MVS3.syslog.txt", s.text())
    d = Syslogd("MVS3", "TCPIPT", 67174435)
    d.map("13:59:02", cid, local, remote, "FTPT1", "TCPIP", S_RULE, S_ACTS)
    d.start("13:59:02", grp, env, "00000000", "Environment Create", S_ACTS[:2])
    d.event("13:59:02", grp, env, "00000000", 0, "Environment Master Create", "00000001")
    env_flows(d, "13:59:02", grp, env, "FTPP/Server_RING", "Server", init_rc=202)
    d.event("13:59:02", grp, env, "00000000", 202, "Environment Master Init", "00000000 7EC25118")
    d.error("13:59:02", grp, env, cid, local, remote, "FTPT1", "TCPIP", S_RULE, 202,
            "Environment Master Init", "00000000 7EC25118")
    d.error("13:59:02", grp, env, cid, local, remote, "FTPT1", "TCPIP", S_RULE, 202,
            "Environment Link", "00000000 7EC25118")
    d.error("13:59:02", grp, env, cid, local, remote, "FTPT1", "TCPIP", S_RULE, 5006,
            "Initial Handshake", "00000000 00000000")
    w(case, "MVS3.syslogd.log", d.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy(ring="FTPP/Server_RING"))
    w(case, "MVS3.pasearch.txt", server_pasearch(ring="FTPP/Server_RING"))
    w(case, "MVS3.racdcert-listring.txt", server_ring())
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    c = base_syslog("MVS1", {})
    c.ezd1287("13:59:02.93", "STC15801", 406, "Initial Handshake", f"{C_IP}..1034", f"{S_IP}..21",
              "USER301", C_RULE, "USER301", "00000001", "00000006", ccid)
    w(case, "MVS1.syslog.txt", c.text())
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [
        "FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. "
        "(errno2=0x74520442)", "EZA2897I Authentication negotiation failed",
        f"EZA1534I *** Control connection with {S_IP} dies."]))
    w(case, "MVS1.pagent-ttls.conf", client_policy())
    w(case, "MVS1.racdcert-listring.txt", client_ring())
    readme(case, f"""
# error1-keyring-not-found (seed Error #1)

FTP client USER301 on MVS1 ({C_IP}) opens a secure control connection to the FTP
server FTPT1 on MVS3 ({S_IP}, port 21). The AT-TLS policy on MVS3 names the key
ring `FTPP/Server_RING` (TTLSKeyringParms keyR1), but the ring belongs to FTPD:
`FTPD/Server_RING` is what RACDCERT LISTRING shows.

Evidence: MVS3 console EZD1287I RC 202 Environment Master Init and Environment Link,
then RC 5006 Initial Handshake; syslogd at trace 255 shows `Set GSK_KEYRING_FILE -
FTPP/Server_RING` followed by `RC: 202 Call GSK_ENVIRONMENT_INIT`; MVS1 sees RC 406
(the server reset the connection) and the FTP client reports EZA2897I.

Expected cause: `keyring-not-found` at MVS3 (suggest FTPD/Server_RING), the MVS1 406
explained as the partner's failure. Fix: Keyring FTPD/Server_RING in keyR1, raise
EnvironmentUserInstance, `F PAGENT,UPDATE`.

Assumption: the environment-level EZD1287I lines (Environment Master Init /
Environment Link) carry the LOCAL/REMOTE and CONNID of the connection that caused
the environment to be built; the seed shows only their first lines.
""")


def error2() -> None:
    case = "error2-not-authorized"
    grp, env, ccid, scid = "00000001", "00000006", "000000CA", "000007CA"
    c = base_syslog("MVS1", {})
    c.ich408("13:59:02.90", "TSU04711", "USER301", "USER", "IRR.DIGTCERT.LISTRING", "FACILITY")
    c.ezd1287("13:59:02.90", "STC15801", 202, "Environment Master Init", f"{C_IP}..1035", f"{S_IP}..21",
              "USER301", C_RULE, "USER301", grp, env, ccid)
    w(case, "MVS1.syslog.txt", c.text())
    d = Syslogd("MVS1", "TCPIPT", 50397219)
    d.map("13:59:02", ccid, f"{C_IP}..1035", f"{S_IP}..21", "USER301", "USER301", C_RULE, C_ACTS,
          type_="OutBound")
    d.start("13:59:02", grp, env, "00000000", "Environment Create", C_ACTS[:2])
    env_flows(d, "13:59:02", grp, env, "Client_RING", "Client", init_rc=202)
    d.error("13:59:02", grp, env, ccid, f"{C_IP}..1035", f"{S_IP}..21", "USER301", "USER301", C_RULE,
            202, "Environment Master Init", "00000000 7EB3C318")
    w(case, "MVS1.syslogd.log", d.text())
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [
        "FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC5111I Permission denied. "
        "(errno2=0x74520444)", "EZA2897I Authentication negotiation failed",
        f"EZA1534I *** Control connection with {S_IP} dies."]))
    w(case, "MVS1.pagent-ttls.conf", client_policy(trace=255))
    w(case, "MVS1.racdcert-listring.txt", client_ring())
    s = base_syslog("MVS3", {})
    s.ezd1287("13:59:02.95", "STC15830", 406, "Initial Handshake", f"{S_IP}..21", f"{C_IP}..1035",
              "FTPT1", S_RULE, "TCPIP", "00000001", "00000002", scid)
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy())
    w(case, "MVS3.racdcert-listring.txt", server_ring())
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    readme(case, f"""
# error2-not-authorized (seed Error #2)

The FTP client USER301 on MVS1 may not read its own key ring `Client_RING`: RACF
writes ICH408I USER(USER301) for IRR.DIGTCERT.LISTRING CL(FACILITY), ACCESS INTENT(READ)
ACCESS ALLOWED(NONE). AT-TLS then fails System SSL environment init with RC 202 on
MVS1 and the FTP client ends with EZA2897I. The server FTPT1 on MVS3 sees the client
drop the connection (RC 406).

The policy on MVS1 gives the ring without an owner (`Keyring Client_RING`), so it is
USER301's own ring.

Expected cause: `keyring-not-authorized` at MVS1. Fix: RDEFINE/PERMIT
IRR.DIGTCERT.LISTRING CLASS(FACILITY) ID(USER301) ACCESS(READ), SETROPTS
RACLIST(FACILITY) REFRESH.
""")


def error3() -> None:
    case = "error3-cert-not-on-ring"
    grp, env, cid, ccid = "00000005", "0000000C", "000007CC", "000000CA"
    local, remote = f"{S_IP}..21", f"{C_IP}..1037"
    s = base_syslog("MVS3", {})
    s.ezd1287("13:59:02.92", "STC15830", 6, "Initial Handshake", local, remote, "FTPT1", S_RULE,
              "TCPIP", grp, env, cid)
    w(case, "MVS3.syslog.txt", s.text())
    d = Syslogd("MVS3", "TCPIPT", 67174435)
    d.map("13:59:02", cid, local, remote, "FTPT1", "TCPIP", S_RULE, S_ACTS)
    d.start("13:59:02", grp, env, "00000000", "Environment Create", S_ACTS[:2])
    env_flows(d, "13:59:02", grp, env, "FTPD/Server_RING", "Server")
    d.event("13:59:02", grp, env, cid, 6, "Initial Handshake")
    d.error("13:59:02", grp, env, cid, local, remote, "FTPT1", "TCPIP", S_RULE, 6, "Initial Handshake")
    w(case, "MVS3.syslogd.log", d.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy())
    w(case, "MVS3.pasearch.txt", server_pasearch())
    w(case, "MVS3.racdcert-listring.txt", server_ring(
        [("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO")]))
    w(case, "MVS3.racdcert-list.txt", cert_list("user FTPD", [dict(SRV)],
                                                "RACDCERT ID(FTPD) LIST(LABEL('FTP Server on MVS1-MVS7'))"))
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    j = JobLog("TCPIPT", "STC15801", "MVS1", DAY)
    j.msg("13:58:40", "EZZ4202I Z/OS UNIX - TCP/IP CONNECTION ESTABLISHED FOR TCPIPT")
    j.ezd1287("13:59:02", 438, "Initial Handshake", f"{C_IP}..1037", f"{S_IP}..21", "USER301", C_RULE,
              "USER301", "00000001", "00000006", ccid)
    w(case, "MVS1.joblog.txt", j.text())
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [x.format(ip=S_IP) for x in FAIL_RESET]))
    w(case, "MVS1.pagent-ttls.conf", client_policy())
    readme(case, f"""
# error3-cert-not-on-ring (seed Error #3)

FTPT1 on MVS3 opens its ring `FTPD/Server_RING` fine, but the ring holds only the CA
certificate `MVS1 LABS Certificate Authority`: no PERSONAL certificate, no default.
System SSL ends the handshake with RC 6 (key label not found); the client USER301
on MVS1 gets RC 438 (the partner reported an internal error).

RACDCERT LIST shows that `FTP Server on MVS1-MVS7` exists, owned by FTPD, with a
private key and no ring association. FTPT1 runs as TCPIP (SDSF DA, EZD1287I USERID),
so connecting FTPD's certificate would move the failure to RC 428 (seed Error #4).

Expected cause: `certificate-not-on-ring` at MVS3, with the warning about the owner.
""")


def error4() -> None:
    case = "error4-wrong-owner"
    grp, env, cid, ccid = "00000005", "0000000D", "000007D1", "000000CF"
    local, remote = f"{S_IP}..21", f"{C_IP}..1039"
    s = base_syslog("MVS3", {})
    s.ezd1287("14:21:47.30", "STC15830", 428, "Initial Handshake", local, remote, "FTPT1", S_RULE,
              "TCPIP", grp, env, cid)
    w(case, "MVS3.syslog.txt", s.text())
    d = Syslogd("MVS3", "TCPIPT", 67174435)
    d.map("14:21:47", cid, local, remote, "FTPT1", "TCPIP", S_RULE, S_ACTS)
    d.event("14:21:47", grp, env, cid, 428, "Initial Handshake")
    d.error("14:21:47", grp, env, cid, local, remote, "FTPT1", "TCPIP", S_RULE, 428, "Initial Handshake")
    w(case, "MVS3.syslogd.log", d.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy(inst=1))
    w(case, "MVS3.racdcert-listring.txt", server_ring(
        [("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO"),
         ("FTP Server on MVS1-MVS7", "ID(FTPD)", "PERSONAL", "YES")]))
    srv = dict(SRV, rings=[("FTPD", "Server_RING")])
    w(case, "MVS3.racdcert-list.txt", cert_list("user FTPD", [srv],
                                                "RACDCERT ID(FTPD) LIST(LABEL('FTP Server on MVS1-MVS7'))"))
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    c = base_syslog("MVS1", {})
    c.ezd1287("14:21:47.31", "STC15801", 438, "Initial Handshake", f"{C_IP}..1039", f"{S_IP}..21",
              "USER301", C_RULE, "USER301", "00000001", "00000006", ccid)
    w(case, "MVS1.syslog.txt", c.text())
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [x.format(ip=S_IP) for x in FAIL_RESET]))
    readme(case, f"""
# error4-wrong-owner (seed Error #4)

The ring `FTPD/Server_RING` now has `FTP Server on MVS1-MVS7` as PERSONAL DEFAULT,
but the certificate is owned by FTPD (`ID(FTPD)`) while FTPT1 runs as TCPIP (SDSF DA
owner, EZD1287I USERID). System SSL cannot get the private key of another user's
certificate: RC 428 at MVS3, RC 438 at MVS1. RACDCERT LIST shows Private Key: YES,
so the key exists and is not in ICSF: the owner is the problem.

Expected cause: `private-key-unavailable` at MVS3 naming FTPD vs TCPIP. Fix: connect
a certificate owned by TCPIP (or run FTPT1 as FTPD via the STARTED profile).
""")


def error5() -> None:
    case = "error5-hostname"
    sip, cip = "10.1.1.13", "10.1.1.11"
    rule, acts = "FTPX31Rule~1", ["gAct1~FTPX", "eAct1~FTPX31", "cAct1~FTPX31"]
    crule, cacts = "FTPX31Client~2", ["gAct1~FTPXC", "eAct1~FTPX31C", "cAct1~FTPX31C"]
    cid, ccid = "00000A12", "0000031B"
    host = "FTPXSRV31.WAS.IBM.COM"
    d = Syslogd("MVS3", "TCPIPX", 83951651)
    d.map("10:02:11", cid, f"{sip}..21", f"{cip}..1041", "FTPX31", "TCPIP", rule, acts)
    d.event("10:02:11", "00000002", "00000003", cid, 0, "Initial Handshake", "00000000 7EC30910")
    d.add("10:02:11", f"EZD1283I TTLS Event GRPID: 00000002 ENVID: 00000003 CONNID: {cid} RC:    0 "
          "Connection Close 00000000 7EC30910")
    w(case, "MVS3.syslogd.log", d.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy(ring="TCPIP/FTPXRing31", port="21", local=sip,
                                                   rule=rule, acts=acts, job="FTPX*", trace=15,
                                                   header="MVS3 AT-TLS policy for FTPX31 (TCPIPX)"))
    w(case, "MVS3.racdcert-listring.txt", listring("TCPIP", {"FTPXRing31": [
        ("ACME31 CACERT", "CERTAUTH", "CERTAUTH", "NO"), ("FTPXSRV31 CERT", "ID(TCPIP)", "PERSONAL", "YES")]},
        "RACDCERT ID(TCPIP) LISTRING(FTPXRing31)"))
    w(case, "MVS3.racdcert-list.txt", cert_list("user TCPIP", [{
        "label": "FTPXSRV31 CERT", "serial": "03", "start": "2012/12/31 00:00:00",
        "end": "2016/09/22 23:59:59", "issuer": "CN=ACME31 CA.OU=ACME.C=US",
        "subject": "CN=FTPXSRV31.OU=ACME.C=US", "size": 1024, "sig": "sha1RSA",
        "alt": ["IP: 10.1.1.13", "EMail: FTPX--@ACME.LABS.IBM.COM", "Domain: ACME.LABS.IBM.COM"],
        "rings": [("TCPIP", "FTPXRing31")]}], "RACDCERT ID(TCPIP) LIST(LABEL('FTPXSRV31 CERT'))"))
    c = Syslogd("MVS1", "TCPIPX", 50397300)
    c.map("10:02:11", ccid, f"{cip}..1041", f"{sip}..21", "USER301", "USER301", crule, cacts,
          type_="OutBound")
    c.event("10:02:11", "00000001", "00000002", ccid, 0, "Initial Handshake", "00000000 7EB3A100")
    w(case, "MVS1.syslogd.log", c.text())
    w(case, "MVS1.ftpclient.txt", "\n".join([
        "EZA1450I IBM FTP CS V1R13",
        f"EZA1736I FTP {host}",
        f"EZA1554I Connecting to:   {host} {sip} port: 21.",
        "220-FTPX31 IBM FTP CS V1R13 at MVS3, 10:02:11 on 2014-03-14.",
        "EZA1701I >>> AUTH TLS",
        "234 Security environment established - ready for negotiation",
        "FC2838 authServerAttls: Start Handshake",
        "FC2890 authServerAttls: Using TLSv1.1 protocol",
        "FC2904 authServerAttls: SSL cipher: 0A",
        "FU1486 getCtrlConnCertAttls: Request certificate, size 662",
        f"FC2951 authServerAttls: SECURE_HOSTNAME REQUIRED - checking {host}",
        f"FC2955 authServerAttls: hostname {host} not valid for server certificate - 0335304B",
        "EZA2897I Authentication negotiation failed",
        f"EZA1534I *** Control connection with {host} dies."]) + "\n")
    w(case, "MVS1.pagent-ttls.conf", client_policy(remote=sip, rule=crule, acts=cacts, ring="USER301/Client_RING"))
    w(case, "MVS1.racdcert-listring.txt", client_ring([("ACME31 CACERT", "CERTAUTH", "CERTAUTH", "NO")]))
    readme(case, f"""
# error5-hostname (seed Error #5)

FTP client USER301 on MVS1 ({cip}) has `SECURE_HOSTNAME REQUIRED` in its FTP.DATA
and connects to `{host}` ({sip}). The TLS handshake itself succeeds (RC 0 on both
sides), then the client checks the server certificate `FTPXSRV31 CERT`: subject
CN=FTPXSRV31, AltNames IP 10.1.1.13 and Domain ACME.LABS.IBM.COM. None of them is
`{host}`, so the client reports CMS status 0335304B (certificate not valid for
host) and ends the session with EZA2897I.

The FC29xx trace lines of the FTP client are written after the seed's description
(the exact IBM wording of the host-name trace line was not available).

Expected cause: `hostname-mismatch` at MVS1. Fix: connect with a name the
certificate covers, add the name to DNS / /etc/ipnodes, or reissue the certificate
with ALTNAME(DOMAIN('{host}')).
""")


def error6() -> None:
    case = "error6-expired"
    sip, cip = "192.168.20.113", "192.168.20.111"
    rule = "FTPT@192.168.20.113"
    crule = "FTPTClient@192.168.20.11n-5"
    cid, ccid = "000000AD", "000000CA"
    s = Syslog("MVS3", DAY)
    s.single("13:40:12.55", "STC16246", "EZY2702I Server-FTP: Initialization completed at 13:40:12 on 03/12/14.")
    s.ezd1287("13:41:07.18", "STC15830", 401, "Initial Handshake", f"{sip}..21", f"{cip}..1038", "FTPT1",
              rule, "TCPIP", "00000002", "00000009", cid)
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy(ring="TCPIP/FTPRing31", local=sip, rule=rule,
                                                   acts=["gAct1~FTPT", "eAct1~FTPT113", "cAct1~FTPT113"]))
    w(case, "MVS3.racdcert-listring.txt", listring("TCPIP", {"FTPRing31": [
        ("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO"),
        ("FTPServer31 EXP", "ID(TCPIP)", "PERSONAL", "YES")]}, "RACDCERT ID(TCPIP) LISTRING(FTPRing31)"))
    w(case, "MVS3.racdcert-list.txt", cert_list("user TCPIP", [{
        "label": "FTPServer31 EXP", "id": "2QXjw9fJ18bj1+KFmaWFmfLyQMXn10BA", "serial": "2A",
        "start": "2008/10/07 00:00:00", "end": "2011/10/07 23:59:59",
        "issuer": "CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US",
        "subject": "CN=FTPServer31.OU=WSC.C=US", "size": 1024, "sig": "sha1RSA",
        "rings": [("TCPIP", "FTPRing31")]}], "RACDCERT ID(TCPIP) LIST(LABEL('FTPServer31 EXP'))"))
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    d = Syslogd("MVS1", "TCPIPT", 50397219)
    d.flow("13:41:07", "00000001", "00000006", ccid, 401, "Call", "GSK_SECURE_SOCKET_INIT", "7EB3C318")
    d.event("13:41:07", "00000001", "00000006", ccid, 401, "Initial Handshake", "00000000 7EB9C798")
    d.error("13:41:07", "00000001", "00000006", ccid, f"{cip}..1038", f"{sip}..21", "USER301", "USER301",
            crule, 401, "Initial Handshake", "00000000 7EB9C798")
    w(case, "MVS1.syslogd.log", d.text())
    w(case, "MVS1.pagent-ttls.conf", client_policy(remote=sip, rule=crule, trace=255))
    readme(case, f"""
# error6-expired (seed Error #6)

FTPT1 on MVS3 ({sip}) presents `FTPServer31 EXP` (owner TCPIP, ring
TCPIP/FTPRing31), valid 2008/10/07 to 2011/10/07 23:59:59. The failure happened
on 2014-03-12 (SYSLOG date 14071): RC 401 on both sides (EZD1287I at MVS3, the
EZD1284I/EZD1283I/EZD1286I trace at MVS1, trace level 255).

Expected cause: `certificate-expired`, judged at the time of the failure. Fix:
RACDCERT GENREQ from the old certificate, GENCERT with a new NOTAFTER signed by the
CA, ALTER TRUST, then refresh.
""")


def ca_missing() -> None:
    case = "ca-missing"
    cid, ccid = "000007E2", "000000D4"
    s = base_syslog("MVS3", {})
    s.ezd1287("15:07:33.40", "STC15830", 406, "Initial Handshake", f"{S_IP}..21", f"{C_IP}..1052",
              "FTPT1", S_RULE, "TCPIP", "00000005", "0000000C", cid)
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy())
    srv = dict(SRV, issuer="CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US", owner="TCPIP",
               rings=[("FTPD", "Server_RING")])
    w(case, "MVS3.racdcert-listring.txt", server_ring(
        [("MVS3 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO"),
         ("FTP Server on MVS1-MVS7", "ID(TCPIP)", "PERSONAL", "YES")]))
    w(case, "MVS3.racdcert-list.txt", cert_list("user TCPIP", [srv],
                                                "RACDCERT ID(TCPIP) LIST(LABEL('FTP Server on MVS1-MVS7'))"))
    c = base_syslog("MVS1", {})
    c.ezd1287("15:07:33.39", "STC15801", 435, "Initial Handshake", f"{C_IP}..1052", f"{S_IP}..21",
              "USER301", C_RULE, "USER301", "00000001", "00000006", ccid)
    w(case, "MVS1.syslog.txt", c.text())
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [
        "FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. "
        "(errno2=0x77A9733D)", "EZA2897I Authentication negotiation failed"]))
    w(case, "MVS1.pagent-ttls.conf", client_policy())
    w(case, "MVS1.racdcert-listring.txt", client_ring())
    mvs3ca = {"label": "MVS3 LABS Certificate Authority", "serial": "0", "start": "2012/01/01 05:00:00",
              "end": "2022/01/01 04:59:59", "issuer": "CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US",
              "subject": "CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US", "usage": "CERTSIGN", "pk": "NO",
              "id": "LNDxNDPTNCFBOCFMQ0FCU0FSVEVSSUZJQ0FURSBBVVRI"}
    w(case, "MVS1.racdcert-list.txt", cert_list("CERTAUTH", [dict(CA1, rings=[("USER301", "Client_RING")]),
                                                             mvs3ca], "RACDCERT CERTAUTH LIST"))
    readme(case, f"""
# ca-missing

The server certificate `FTP Server on MVS1-MVS7` on MVS3 was reissued by the MVS3
CA (issuer CN=MVS3CA.LABS.IBM.COM, O=MVS3 CA, C=US). The FTP client USER301 on MVS1
validates it against its ring `USER301/Client_RING`, which holds only the MVS1 CA.
The MVS3 CA is defined on MVS1 (RACDCERT CERTAUTH LIST shows it, TRUST) but it is not
connected to Client_RING. MVS1: RC 435 (unknown CA); MVS3: RC 406 (the client
closed the connection).

Expected cause: `ca-not-trusted` at MVS1. Fix: RACDCERT ID(USER301)
CONNECT(CERTAUTH LABEL('MVS3 LABS Certificate Authority') RING(Client_RING)
USAGE(CERTAUTH)).

Assumption: the server's code is 406 (the client closed the connection); which
System SSL code a server reports when the client rejects its certificate was not
confirmed.
""")


def _dump(data: bytes) -> list[str]:
    out = []
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        hx = chunk.hex().upper()
        groups = " ".join(hx[i:i + 8] for i in range(0, len(hx), 8))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        out.append(f"              {off:08X}: {groups:<35}  *{text}*")
    return out


def client_hello(suites: list[int], version: int = 0x0303) -> bytes:
    rnd = bytes.fromhex("5320A4B67E11C2D90F3A8B4C6D2E1F00A1B2C3D4E5F60718293A4B5C6D7E8F90")
    body = version.to_bytes(2, "big") + rnd + b"\x00"
    cs = b"".join(s.to_bytes(2, "big") for s in suites + [0x00FF])
    body += len(cs).to_bytes(2, "big") + cs + b"\x01\x00"
    return b"\x01" + len(body).to_bytes(3, "big") + body


def gsktrace(system: str, job: str, recs: list[tuple[str, str, str, str, str, list[str]]]) -> str:
    out = [" COMPONENT TRACE FULL FORMAT", f" SYSNAME({system})", " COMP(GSKSRVR)", " **** 03/12/2014", "",
           " SYSNAME  MNEMONIC  ENTRY ID    TIME STAMP       DESCRIPTION",
           " -------  --------  --------  ---------------  ----------------"]
    for mnem, eid, time, desc, func, detail in recs:
        out.append(f" {system:<8} {mnem:<9} {eid}  {time}  {desc}")
        out.append(f"              Job {job:<8}  Process 00050022  Thread 00000004  {func}")
        out.extend(d if d.startswith("              ") else f"              {d}" for d in detail)
        out.append("")
    return "\n".join(out) + "\n"


def cipher_mismatch() -> None:
    case = "cipher-mismatch"
    cid, ccid = "000007F0", "000000E1"
    local, remote = f"{S_IP}..21", f"{C_IP}..1060"
    s_ciphers = ["TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
                 "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
    c_ciphers = ["TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_DES_CBC_SHA"]
    s = base_syslog("MVS3", {})
    s.ezd1287("16:12:05.61", "STC15830", 402, "Initial Handshake", local, remote, "FTPT1", S_RULE, "TCPIP",
              "00000005", "0000000E", cid)
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy(extra_env={
        "TTLSCipherParms": {"V3CipherSuites": s_ciphers},
        "TTLSEnvironmentAdvancedParms": {"TLSv1": "Off", "TLSv1.1": "Off", "TLSv1.2": "On"}}))
    w(case, "MVS3.pasearch.txt", server_pasearch(ciphers=s_ciphers, protocols={
        "TLSv1": "Off", "TLSv1.1": "Off", "TLSv1.2": "On"}))
    w(case, "MVS3.racdcert-listring.txt", server_ring())
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    hello = client_hello([0x000A, 0x0009])
    w(case, "MVS3.gsksrvr.txt", gsktrace("MVS3", "TCPIPT", [
        ("MESSAGE", "00000001", "16:12:05.610112", "SSL_ENTRY", "gsk_secure_socket_init", ["Handle 7EB38318"]),
        ("MESSAGE", "00000008", "16:12:05.610140", "SSL_INFO", "gsk_secure_socket_init",
         [f"Establishing secure connection with {C_IP}.1060."]),
        ("MESSAGE", "00000008", "16:12:05.610170", "SSL_INFO", "read_v3_client_hello",
         ["Received CLIENT-HELLO message"]),
        ("DUMP", "00000020", "16:12:05.610188", "SSL_ASCII_DUMP", "read_v3_client_hello",
         ["CLIENT-HELLO message"] + _dump(hello)),
        ("MESSAGE", "00000008", "16:12:05.610230", "SSL_INFO", "edit_ciphers", ["SSL V3 cipher specs: 3D3C"]),
        ("MESSAGE", "00000004", "16:12:05.610251", "SSL_ERROR", "read_v3_client_hello",
         ["No common cipher specification with the client"]),
        ("MESSAGE", "00000002", "16:12:05.610270", "SSL_EXIT", "gsk_secure_socket_init",
         ["Exit status 0x00000192 (402)"]),
    ]))
    c = base_syslog("MVS1", {})
    c.ezd1287("16:12:05.62", "STC15801", 406, "Initial Handshake", f"{C_IP}..1060", f"{S_IP}..21",
              "USER301", C_RULE, "USER301", "00000001", "00000006", ccid)
    w(case, "MVS1.syslog.txt", c.text())
    w(case, "MVS1.pagent-ttls.conf", client_policy(extra_env={
        "TTLSCipherParms": {"V3CipherSuites": c_ciphers},
        "TTLSEnvironmentAdvancedParms": {"TLSv1.2": "On"}}))
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [
        "FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. "
        "(errno2=0x77A9733D)", "EZA2897I Authentication negotiation failed"]))
    readme(case, """
# cipher-mismatch

The MVS3 policy for FTPT1 allows only TLS 1.2 with TLS_RSA_WITH_AES_256_CBC_SHA256,
TLS_RSA_WITH_AES_128_CBC_SHA256 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. The MVS1
client policy offers TLS_RSA_WITH_3DES_EDE_CBC_SHA and TLS_RSA_WITH_DES_CBC_SHA
only. MVS3 ends the handshake with RC 402 (no common cipher); the GSKSRVR trace at
MVS3 shows the CLIENT-HELLO with suites 000A, 0009 (and the 00FF signalling value).
MVS1 sees RC 406.

Expected cause: `cipher-mismatch` naming both lists. Fix: add a common suite
(e.g. TLS_RSA_WITH_AES_128_CBC_SHA256) to the client's V3CipherSuites, F PAGENT,UPDATE.

Assumptions: the client's code (406) is what a reset looks like from the client; the
SSL_ERROR line of the trace is written in the style of the seed's trace, not copied
from IBM output.
""")


def handshake_timeout() -> None:
    case = "handshake-timeout"
    cid, ccid = "00000801", "000000E9"
    s = base_syslog("MVS3", {})
    s.ezd1287("17:30:10.00", "STC15830", 5004, "Initial Handshake", f"{S_IP}..21", f"{C_IP}..1071",
              "FTPT1", S_RULE, "TCPIP", "00000005", "0000000C", cid)
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy())
    w(case, "MVS3.pasearch.txt", server_pasearch())
    c = base_syslog("MVS1", {})
    c.ezd1287("17:30:10.02", "STC15801", 5004, "Initial Handshake", f"{C_IP}..1071", f"{S_IP}..21",
              "USER301", C_RULE, "USER301", "00000001", "00000006", ccid)
    w(case, "MVS1.syslog.txt", c.text())
    w(case, "MVS1.pagent-ttls.conf", client_policy(role="Server"))
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [
        "FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. "
        "(errno2=0x77A9733D)", "EZA2897I Authentication negotiation failed"]))
    readme(case, """
# handshake-timeout

Someone copied the server's environment action into the MVS1 client policy: the
client rule FTPTClient@192.168.20.9n~5 now has HandshakeRole Server. Both ends
wait for the other's first TLS message; after HandshakeTimeout both report
RC 5004 Initial Handshake.

Expected cause: `handshake-timeout`, naming the HandshakeRole Server on MVS1 (the
side that connects out). Fix: HandshakeRole Client in eAct1~FTPTClient and
cAct1~FTPTClient, F PAGENT,UPDATE.
""")


def healthy() -> None:
    case = "healthy"
    cid, ccid = "000007CD", "000000CB"
    local, remote = f"{S_IP}..21", f"{C_IP}..1038"
    d = Syslogd("MVS3", "TCPIPT", 67174435)
    d.map("14:40:02", cid, local, remote, "FTPT1", "TCPIP", S_RULE, S_ACTS)
    d.start("14:40:02", "00000005", "0000000C", "00000000", "Environment Create", S_ACTS[:2])
    env_flows(d, "14:40:02", "00000005", "0000000C", "FTPD/Server_RING", "Server")
    d.flow("14:40:02", "00000005", "0000000C", cid, 0, "Call", "GSK_SECURE_SOCKET_OPEN", "7EC28B98")
    d.flow("14:40:02", "00000005", "0000000C", cid, 0, "Call", "GSK_SECURE_SOCKET_INIT", "7EC28B98")
    d.event("14:40:02", "00000005", "0000000C", cid, 0, "Initial Handshake", "00000000 7EC28B98")
    d.flow("14:40:02", "00000005", "0000000C", cid, 0, "Get", "GSK_CONNECT_CIPHER_SPEC", "0A")
    d.flow("14:40:02", "00000005", "0000000C", cid, 0, "Get", "GSK_CONNECT_SEC_TYPE", "TLSV1.1")
    w(case, "MVS3.syslogd.log", d.text())
    s = base_syslog("MVS3", {})
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.pagent-ttls.conf", server_policy(inst=1))
    w(case, "MVS3.racdcert-listring.txt", server_ring())
    w(case, "MVS3.racdcert-list.txt", cert_list("user TCPIP", [dict(SRV, rings=[("FTPD", "Server_RING")])],
                                                "RACDCERT ID(TCPIP) LIST(LABEL('FTP Server on MVS1-MVS7'))"))
    w(case, "MVS3.sdsf-da.txt", SDSF3)
    c = Syslogd("MVS1", "TCPIPT", 50397219)
    c.map("14:40:02", ccid, f"{C_IP}..1038", f"{S_IP}..21", "USER301", "USER301", C_RULE, C_ACTS, type_="OutBound")
    c.event("14:40:02", "00000001", "00000006", ccid, 0, "Initial Handshake", "00000000 7EB9C798")
    w(case, "MVS1.syslogd.log", c.text())
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 21, [
        "FC2869 authServerAttls: FIPS140 not enabled", "FC2890 authServerAttls: Using TLSv1.1 protocol",
        "FC2904 authServerAttls: SSL cipher: 0A", "FU1486 getCtrlConnCertAttls: Request certificate, size 673",
        "EZA2895I Authentication negotiation succeeded", "EZA1701I >>> PBSZ 0",
        "200 Protection buffer size accepted", "EZA1701I >>> PROT P",
        "200 Data connection protection set to private", "EZA2906I Data connection protection is private",
        f"EZA1459I NAME ({S_IP}:USER301):"]))
    w(case, "MVS1.pagent-ttls.conf", client_policy())
    w(case, "MVS1.racdcert-listring.txt", client_ring())
    readme(case, """
# healthy

The same FTP client/server pair after the seed's fixes: policy Keyring
FTPD/Server_RING, the server certificate owned by TCPIP (the user FTPT1 runs
under) connected as PERSONAL DEFAULT, valid 2012/09/08 to 2015/12/31 (the session
is from 2014-03-12). EZD1281I maps the connection, every flow and event has RC 0,
and the FTP client reports EZA2895I.

Expected: no finding of severity error (the certificates have since expired, but
that is judged at the time of the session, not today).
""")


def mixed() -> None:
    case = "mixed"
    tn_rule, tn_acts = "TN3270Rule~1", ["gAct1~TN", "eAct1~TN3270T", "cAct1~TN3270T"]
    fx_rule, fx_acts = "FTPX2121Rule~1", ["gAct1~FTPT", "eAct1~FTPX2121", "cAct1~FTPX2121"]
    pol = server_policy(inst=1, header="MVS3 AT-TLS policy (TCPIPT): FTPT1, TN3270T, FTPX31")
    pol += server_policy(ring="TN3270/TNring", port="992", rule=tn_rule, acts=tn_acts, job="TN3270T",
                         header="TN3270 server").replace("keyR1", "keyTN")
    pol += server_policy(ring="TCPIP/FTPRing31", port="2121", rule=fx_rule, acts=fx_acts, job="FTPX31",
                         header="second FTP server FTPX31 on port 2121").replace("keyR1", "keyFX")
    w(case, "MVS3.pagent-ttls.conf", pol)
    w(case, "MVS3.racdcert-listring.txt",
      server_ring() + listring("TN3270", {"TNRing": [
          ("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO"),
          ("TN3270 Server MVS3", "ID(TN3270)", "PERSONAL", "YES")]}, "RACDCERT ID(TN3270) LISTRING(*)")
      + listring("TCPIP", {"FTPRing31": [
          ("MVS1 LABS Certificate Authority", "CERTAUTH", "CERTAUTH", "NO"),
          ("FTPServer31 EXP", "ID(TCPIP)", "PERSONAL", "YES")]}, "RACDCERT ID(TCPIP) LISTRING(FTPRing31)"))
    w(case, "MVS3.racdcert-list.txt", cert_list("user TCPIP", [
        dict(SRV, rings=[("FTPD", "Server_RING")]),
        {"label": "FTPServer31 EXP", "id": "2QXjw9fJ18bj1+KFmaWFmfLyQMXn10BA", "serial": "2A",
         "start": "2008/10/07 00:00:00", "end": "2011/10/07 23:59:59",
         "issuer": "CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US",
         "subject": "CN=FTPServer31.OU=WSC.C=US", "size": 1024, "sig": "sha1RSA",
         "rings": [("TCPIP", "FTPRing31")]}], "RACDCERT ID(TCPIP) LIST"))
    w(case, "MVS3.sdsf-da.txt", sdsf_da("MVS3", [
        ("FTPT1", "STEP1", "STC16246", "TCPIP"), ("FTPX31", "STEP1", "STC16250", "TCPIP"),
        ("TN3270T", "TN3270T", "STC16101", "TN3270"), ("TCPIPT", "TCPIPT", "STC15830", "TCPIP")]))
    s = Syslog("MVS3", DAY)
    s.single("07:58:40.11", "STC15790", "EZZ8771I PAGENT CONFIG POLICY PROCESSING COMPLETE FOR TCPIPT : TTLS")
    s.single("08:00:01.02", "STC16246", "EZY2702I Server-FTP: Initialization completed at 08:00:01 on 03/12/14.")
    d = Syslogd("MVS3", "TCPIPT", 67174435)
    # 1. healthy FTP at 08:15
    d.map("08:15:20", "00000700", f"{S_IP}..21", f"{C_IP}..1030", "FTPT1", "TCPIP", S_RULE, S_ACTS)
    d.event("08:15:20", "00000005", "0000000C", "00000700", 0, "Initial Handshake", "00000000 7EC28B98")
    # 2. TN3270 ring name case typo, 09:02, workstation client
    tcid = "00000731"
    tl, tr = f"{S_IP}..992", "10.1.5.20..50211"
    s.ezd1287("09:02:44.10", "STC15830", 202, "Environment Master Init", tl, tr, "TN3270T", tn_rule,
              "TN3270", "00000007", "00000010", tcid)
    s.ezd1287("09:02:44.10", "STC15830", 5006, "Initial Handshake", tl, tr, "TN3270T", tn_rule,
              "TN3270", "00000007", "00000010", tcid)
    d.map("09:02:44", tcid, tl, tr, "TN3270T", "TN3270", tn_rule, tn_acts)
    env_flows(d, "09:02:44", "00000007", "00000010", "TN3270/TNring", "Server", init_rc=202)
    d.error("09:02:44", "00000007", "00000010", tcid, tl, tr, "TN3270T", "TN3270", tn_rule, 202,
            "Environment Master Init", "00000000 7EC25118")
    # 3. batch FTP from MVS1 as USER302 cannot read its ring: server sees 406 at 10:20
    s.ezd1287("10:20:05.33", "STC15830", 406, "Initial Handshake", f"{S_IP}..21", f"{C_IP}..1044",
              "FTPT1", S_RULE, "TCPIP", "00000005", "0000000C", "00000752")
    # 4. expired cert on FTPX31 port 2121 at 11:45
    xl, xr = f"{S_IP}..2121", f"{C_IP}..1047"
    s.single("11:40:00.01", "STC16250", "EZY2702I Server-FTP: Initialization completed at 11:40:00 on 03/12/14.")
    s.ezd1287("11:45:31.80", "STC15830", 401, "Initial Handshake", xl, xr, "FTPX31", fx_rule, "TCPIP",
              "00000005", "00000011", "00000760")
    d.map("11:45:31", "00000760", xl, xr, "FTPX31", "TCPIP", fx_rule, fx_acts)
    d.error("11:45:31", "00000005", "00000011", "00000760", xl, xr, "FTPX31", "TCPIP", fx_rule, 401,
            "Initial Handshake")
    w(case, "MVS3.syslog.txt", s.text())
    w(case, "MVS3.syslogd.log", d.text())
    c = Syslog("MVS1", DAY)
    c.single("07:58:41.20", "STC15790", "EZZ8771I PAGENT CONFIG POLICY PROCESSING COMPLETE FOR TCPIPT : TTLS")
    b_rule, b_acts = "FTPBatchClient~3", ["gAct1~FTPTClient", "eAct1~FTPBatch", "cAct1~FTPBatch"]
    c.ich408("10:20:05.30", "JOB05140", "USER302", "BATCH", "USER302.Batch_RING.LST", "RDATALIB")
    c.ezd1287("10:20:05.31", "STC15801", 202, "Environment Master Init", f"{C_IP}..1044", f"{S_IP}..21",
              "FTPBAT1", b_rule, "USER302", "00000001", "00000008", "000000D0")
    c.ezd1287("11:45:31.81", "STC15801", 401, "Initial Handshake", f"{C_IP}..1047", f"{S_IP}..2121",
              "USER301", C_RULE, "USER301", "00000001", "00000006", "000000D7")
    w(case, "MVS1.syslog.txt", c.text())
    cpol = client_policy()
    cpol += client_policy(ring="Batch_RING", rule=b_rule, acts=b_acts,
                          header="batch FTP jobs (USER302)").replace("keyRC", "keyRB").replace(
        "USER3*", "USER302")
    w(case, "MVS1.pagent-ttls.conf", cpol)
    w(case, "MVS1.ftpclient.txt", ftp_client(S_IP, S_IP, 2121, [
        "FC2847 authServerAttls: ioctl() failed on SIOCTTLSCCTL - EDC8121I Connection reset. "
        "(errno2=0x77A9733D)", "EZA2897I Authentication negotiation failed"], server_job="FTPX31"))
    readme(case, f"""
# mixed (the default sample session)

One day on the same pair of systems, four AT-TLS connections to MVS3 ({S_IP}):

| time | what | expected cause |
|---|---|---|
| 08:15 | USER301 FTP to FTPT1 port 21 | none (RC 0) |
| 09:02 | workstation 10.1.5.20 to TN3270T port 992: policy Keyring `TN3270/TNring`, the ring is `TN3270/TNRing` (RACF ring names are case-sensitive) | `keyring-not-found` (only MVS3's evidence) |
| 10:20 | batch job FTPBAT1 (USER302) on MVS1: ICH408I for `USER302.Batch_RING.LST` CL(RDATALIB), client RC 202, server RC 406 | `keyring-not-authorized` |
| 11:45 | USER301 FTP to FTPX31 port 2121: `FTPServer31 EXP` ended 2011/10/07; RC 401 on both sides | `certificate-expired` |
""")


CASES = [error1, error2, error3, error4, error5, error6, ca_missing, cipher_mismatch,
         handshake_timeout, healthy, mixed]

if __name__ == "__main__":
    for fn in CASES:
        fn()
    print("wrote", len(CASES), "cases under", HERE)
