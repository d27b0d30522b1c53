"""Names that only the text gives away: no reader turns them into a field, yet a
redacted export must not keep them.

* comments in a Policy Agent configuration (``# Jobname FTPD1``, ``# Userid
  TCPIP``, ``# label 'FTP Server Cert'``, ``# host ftp.corp.example``,
  ``# ring FTPD/Server_RING``);
* ``key: value`` and ``"key": "value"`` fields of z/OSMF OPERLOG and other JSON
  or log text (``jobName``, ``userId``, ``owner``);
* the SDSF panel header (``PREFIX=FTP*  OWNER=USER1``);
* distinguished names written in running text (IRRD109I and other RACF
  messages name a certificate as ``serial.issuer-DN``), with ``.`` or ``¢``
  between the attributes (``¢`` is how some code pages show RACF's separator);
* AT-TLS rule names (``RULE: FTPTat192.168.20.9n~1``: the ``~1`` is added by the
  stack, so the name is taken without it).

Free text is guessed at carefully: a user or job name must be written in upper
case (as z/OS shows them) and a host name must have a dot and a letter, so that
ordinary words of a comment are never taken for names.
"""

from __future__ import annotations

import re

_NAME = r"[A-Za-z#$@][A-Za-z0-9#$@]{0,7}"
_COMMENT_KEY = re.compile(
    r"\b(job\s?name|user\s?id|userid|user|owner|label|host\s?name|host|key\s?ring|ring)\b"
    r"[ \t]{0,4}[:=]?[ \t]{0,4}('[^'\n]{1,64}'|\"[^\"\n]{1,64}\"|[^\s,;()]{1,128})",
    re.IGNORECASE)
_FIELD = re.compile(r"\b(job_?name|user_?id|owner)\"?[ \t]{0,4}[:=][ \t]{0,4}\"?(" + _NAME + r")"
                    r"(?![A-Za-z0-9#$@])", re.IGNORECASE)
_SDSF = re.compile(r"\b(PREFIX|OWNER)=([A-Za-z#$@][A-Za-z0-9#$@*%]{0,7})")
_DN_START = re.compile(r"(?<![A-Za-z0-9])(?:CN|OU|O|L|SP|ST|T|DC|EMAIL|UID|SERIALNUMBER)=",
                       re.IGNORECASE)
_DN_PART = re.compile(r"[.¢](?=(?:CN|OU|O|L|SP|ST|C|T|DC|EMAIL|UID|SERIALNUMBER)=)",
                      re.IGNORECASE)
_TRAILING_WORDS = re.compile(r"(?<!\s)\s+(?=[a-z])")
_RULE_SUFFIX = re.compile(r"~\d{1,5}$")
_STOP = frozenset("IS THE A AN AND OR OF TO FOR IN ON AT BY WITH FROM AS BE NOT NO".split())


def rule_name(value) -> str | None:
    """A rule name as the policy writes it (``~N`` the stack appends taken off)."""
    if not isinstance(value, str):
        return None
    name = _RULE_SUFFIX.sub("", value.strip())
    return name or None


_COMMENT = re.compile(r"(?:^|(?<=[ \t;]))#([^\n]*)", re.MULTILINE)


def add_rule(sens, value) -> None:
    """An AT-TLS rule name (as the policy writes it, without the stack's ``~N``)."""
    name = rule_name(value)
    if name:
        sens.add(name, "rule")


def scan(sens, text: str) -> None:
    """Add what ``text`` (one line or many) names in comments, fields, SDSF
    headers and DNs. Every pattern is bounded: linear in the text."""
    from .collect import add_dn_value, add_host, add_racf, add_ring

    if "#" in text:
        for c in _COMMENT.finditer(text):
            _comment(sens, c.group(1), add_racf, add_host, add_ring)
    if ":" in text or "=" in text:
        for m in _FIELD.finditer(text):
            if m.group(2).isupper():
                add_racf(sens, m.group(2))
    if "=" in text:
        for m in _SDSF.finditer(text):
            add_racf(sens, m.group(2))
        pos = 0
        while (start := _DN_START.search(text, pos)) is not None:
            end = text.find("\n", start.start())
            end = len(text) if end < 0 else end
            _dn(sens, text[start.start():end], add_dn_value)
            pos = end


def _comment(sens, comment: str, add_racf, add_host, add_ring) -> None:
    for m in _COMMENT_KEY.finditer(comment):
        key = m.group(1).lower().replace(" ", "")
        raw = m.group(2)
        val = raw.strip("'\"").rstrip(".:")
        quoted = raw[:1] in "'\""
        if not val:
            continue
        if key in ("jobname", "userid", "user", "owner"):
            if val.isupper() and val.upper() not in _STOP:
                add_racf(sens, val)
        elif key == "label":
            if quoted or any(c.isdigit() or c == "_" for c in val) or val.isupper():
                sens.add(val, "label")
        elif key in ("host", "hostname"):
            if "." in val and any(c.isalpha() for c in val):
                add_host(sens, val)
        elif not val.islower():  # ring, keyring: Server_RING, FTPD/Server_RING
            add_ring(sens, val)


def _dn(sens, text: str, add_dn_value) -> None:
    """The attributes of a DN running to the end of the line (or to ``<``/``>``);
    words in lower case after a value are the message, not the name."""
    text = re.split(r"[<>\"]", text, maxsplit=1)[0]
    for part in _DN_PART.split(text)[:32]:
        key, sep, val = part.partition("=")
        if not sep:
            continue
        val = _TRAILING_WORDS.split(val.strip(), maxsplit=1)[0].rstrip(".,;")
        if val:
            add_dn_value(sens, key, val)
