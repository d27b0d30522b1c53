"""Reader for FTP.DATA, the FTP client's or server's configuration data set.

One statement a line, ``KEYWORD value``; a semicolon starts a comment (IP
Configuration Reference, "FTP.DATA data set statements"). The TLS statements
are kept with their line (``TLSMECHANISM``, ``KEYRING``, ``SECURE_FTP``,
``SECURE_MECHANISM``, ``SECURE_HOSTNAME``, ``CIPHERSUITE``, ``TLSRFCLEVEL``,
``TLSTIMEOUT``, ``SECURE_CTRLCONN``, ``SECURE_DATACONN``, ``EXTENSIONS`` ...);
every other statement becomes a record too, so the file reads whole.

Client or server: statements only one side accepts decide (SECURE_MECHANISM and
SECURE_HOSTNAME are the client's; EXTENSIONS AUTH_TLS, SECURE_LOGIN and
TLSPORT the server's); a comment naming the client or the server decides when
no statement does. The file yields one ``AppConfig`` (family ``"ftp"``) whose
``keyring`` is KEYRING as written (an unqualified ring belongs to the user the
FTP job runs under, or for a client the user who runs ftp).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from tlsworkbench.model import Record, Unparsed
from tlsworkbench.model.entities import AppConfig

KIND = "ftpdata"

TLS_KEYWORDS = frozenset({
    "TLSMECHANISM", "KEYRING", "SECURE_FTP", "SECURE_MECHANISM", "SECURE_HOSTNAME", "CIPHERSUITE",
    "TLSRFCLEVEL", "TLSTIMEOUT", "SECURE_CTRLCONN", "SECURE_DATACONN", "SECURE_LOGIN",
    "SECURE_PBSZ", "SECURE_SESSION_REUSE", "EXTENSIONS", "TLSPORT", "SECUREIMPLICITZOS",
})
OTHER_KEYWORDS = frozenset({
    "AUTOMOUNT", "AUTORECALL", "BLKSIZE", "BUFNO", "CCTRANS", "CHKCONFIDENCE", "CONDDISP",
    "CTRLCONN", "DATACLASS", "DATAKEEPALIVE", "DB2", "DB2PLAN", "DCONNTIME", "DEBUG", "DEST",
    "DIRECTORY", "DIRECTORYMODE", "DSNTYPE", "DSWAITTIME", "DUMP", "EPSV4", "FIFOIOTIME",
    "FIFOOPENTIME", "FILETYPE", "INACTIVE", "ISPFSTATS", "JESENTRYLIMIT", "JESINTERFACELEVEL",
    "LISTSUBDIR", "LRECL", "MGMTCLASS", "MIGRATEVOL", "MYOPENTIME", "PASSIVEDATAPORTS",
    "PORTCOMMAND", "PRIMARY", "QUOTESOVERRIDE", "RDW", "RECFM", "RETPD", "SBDATACONN", "SBSUB",
    "SECONDARY", "SPACETYPE", "STARTDIRECTORY", "STORCLASS", "TRACE", "UMASK", "UNITNAME",
    "VOLUME", "WRAPRECORD", "BANNER", "ANONYMOUS", "ADMINEMAILADDRESS", "SMF", "FTPLOGGING",
    "LOGINMSG", "WLMCLUSTERNAME", "ACCESSERRORMSGS", "EATTR", "ENCODING", "MBDATACONN",
    "PASSIVEIGNOREADDR", "SECURE_ACCT", "SITE", "TLSRFCLEVEL", "UCSHOSTCS", "UNICODEFILESYSTEMBOM",
    "ASATRANS", "SQLCOL", "SECURE_PASSWORD_KERBEROS",
})
CLIENT_ONLY = frozenset({"SECURE_MECHANISM", "SECURE_HOSTNAME", "EPSV4", "DCONNTIME", "MYOPENTIME",
                         "DATAKEEPALIVE"})
SERVER_ONLY = frozenset({"SECURE_LOGIN", "TLSPORT", "SECUREIMPLICITZOS", "ANONYMOUS", "BANNER",
                         "ADMINEMAILADDRESS", "FTPLOGGING", "LOGINMSG", "STARTDIRECTORY", "UMASK",
                         "PASSIVEDATAPORTS", "ACCESSERRORMSGS"})
_STMT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)(?:\s+(.*?))?\s*$")
_ROLE_HINT = re.compile(r"\b(client|server|ftpd|ftps?rv)\b", re.IGNORECASE)


def sniff(head: list[str], name: str) -> int:
    tls = other = unknown = 0
    for line in head:
        body = line.split(";", 1)[0].strip()
        if not body:
            continue
        m = _STMT.match(body)
        word = m.group(1).upper() if m else ""
        if word in TLS_KEYWORDS:
            tls += 1
        elif word in OTHER_KEYWORDS:
            other += 1
        else:
            unknown += 1
    known = tls + other
    if known >= 3 and tls >= 1 and known >= 2 * unknown:
        return 88
    if known >= 4 and known >= 3 * unknown:
        return 60
    return 0


def read(lines: Iterable[tuple[int, str]], art) -> Iterator:
    settings: dict = {}
    where: dict = {}
    first: str | None = None
    role_votes = {"client": 0, "server": 0}
    comment_role = None
    records: list = []
    for n, text in lines:
        try:
            rec = _line(art, n, text, settings, where, role_votes)
        except Exception as exc:  # never lose a line to a bug
            records.append(Unparsed(art.id, n, text, f"statement not read: {exc}"))
            continue
        if rec is None:
            if comment_role is None and ";" in text and _ROLE_HINT.search(text):
                w = _ROLE_HINT.search(text).group(1).lower()
                comment_role = "client" if w == "client" else "server"
            continue
        if isinstance(rec, Record) and first is None:
            first = rec.id
        records.append(rec)
    yield from records
    if first is None:
        return
    role = ("client" if role_votes["client"] > role_votes["server"] else
            "server" if role_votes["server"] > role_votes["client"] else comment_role)
    kr = settings.get("KEYRING")
    yield AppConfig(family="ftp", record=first, system=art.system, role=role,
                    keyring=kr if isinstance(kr, str) else None, settings=settings, lines=where)


def _line(art, n: int, text: str, settings: dict, where: dict, votes: dict):
    body = text.split(";", 1)[0].rstrip()
    if not body.strip():
        return None
    m = _STMT.match(body)
    if m is None:
        return Unparsed(art.id, n, text, "not an FTP.DATA statement")
    word = m.group(1).upper()
    value = (m.group(2) or "").strip()
    rid = f"{art.id}:{n}"
    known = word in TLS_KEYWORDS or word in OTHER_KEYWORDS
    if word in CLIENT_ONLY:
        votes["client"] += 1
    elif word in SERVER_ONLY or (word == "EXTENSIONS" and "AUTH_TLS" in value.upper()):
        votes["server"] += 1
    if word == "CIPHERSUITE":
        settings.setdefault(word, []).append(value)
        where.setdefault(word, rid)
    else:
        settings[word] = value  # the last one counts, as FTP reads them
        where[word] = rid
    fields = {"family": "ftp", "keyword": word, "value": value}
    if not known:
        fields["unknown_keyword"] = True
    sev = "info"
    if word == "TLSMECHANISM" and value.upper() not in ("FTP", "ATTLS"):
        sev = "warning"
    return Record(artifact=art.id, line=n, kind="appconfig", text=text, system=art.system,
                  severity=sev, fields=fields)
