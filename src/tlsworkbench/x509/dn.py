"""Distinguished names: RACF's display form <-> RFC 4514 strings.

RACDCERT LIST shows a name as ``>CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US<``: the
RDNs separated by ``.``, most specific first, RACF's own attribute keywords
(``SP`` for state or province, ``T`` for title, ``EMAIL``...), no escaping.

RDN order: RFC 4514 strings list the RDNs in the reverse of their ASN.1 order,
so the most specific (usually CN) comes first; ``cryptography``'s
``Name.rfc4514_string()`` does the same (``CN=x,OU=y,C=US``). RACF prints its
names in that same order, so the conversion keeps the order and only changes
separators, keywords and escaping. The result is exactly what
``rfc4514_string()`` gives for the same certificate, so a name read from
RACDCERT output compares equal to one read from the DER certificate (as long as
the values themselves do not contain ``.KEYWORD=``, which no text form can tell
apart).

Splitting: values contain dots (``MVS1CA.LABS.IBM.COM``), so a ``.`` separates
two RDNs only when it is followed by a known attribute keyword and ``=``.
"""

from __future__ import annotations

import re

_EMAIL_OID = "1.2.840.113549.1.9.1"

# RACF keyword (upper case) -> the attribute name cryptography's rfc4514_string()
# prints. cryptography has short names only for CN, L, ST, O, OU, C, STREET, DC
# and UID; every other attribute comes out as its dotted OID.
_RACF_TO_RFC: dict[str, str] = {
    "CN": "CN",
    "OU": "OU",
    "O": "O",
    "C": "C",
    "L": "L",
    "SP": "ST",
    "ST": "ST",
    "S": "ST",
    "STREET": "STREET",
    "DC": "DC",
    "UID": "UID",
    "T": "2.5.4.12",
    "TITLE": "2.5.4.12",
    "E": _EMAIL_OID,
    "EMAIL": _EMAIL_OID,
    "MAIL": _EMAIL_OID,
    "EMAILADDRESS": _EMAIL_OID,
    "POSTALCODE": "2.5.4.17",
    "SERIALNUMBER": "2.5.4.5",
    "SN": "2.5.4.4",
    "SURNAME": "2.5.4.4",
    "GIVENNAME": "2.5.4.42",
    "G": "2.5.4.42",
    "INITIALS": "2.5.4.43",
    "DNQ": "2.5.4.46",
    "DNQUALIFIER": "2.5.4.46",
    "GENERATIONQUALIFIER": "2.5.4.44",
    "PSEUDONYM": "2.5.4.65",
    "NAME": "2.5.4.41",
    "UNSTRUCTUREDNAME": "1.2.840.113549.1.9.2",
}

# RFC 4514 / cryptography name -> the keyword RACF shows.
_RFC_TO_RACF: dict[str, str] = {
    "CN": "CN", "OU": "OU", "O": "O", "C": "C", "L": "L", "ST": "SP",
    "STREET": "STREET", "DC": "DC", "UID": "UID",
    "2.5.4.12": "T", _EMAIL_OID: "EMAIL", "2.5.4.17": "POSTALCODE",
    "2.5.4.5": "SERIALNUMBER", "2.5.4.4": "SN", "2.5.4.42": "GIVENNAME",
    "2.5.4.43": "INITIALS", "2.5.4.46": "DNQ", "2.5.4.44": "GENERATIONQUALIFIER",
    "2.5.4.65": "PSEUDONYM", "2.5.4.41": "NAME", "1.2.840.113549.1.9.2": "UNSTRUCTUREDNAME",
}

_KW = "|".join(sorted((re.escape(k) for k in _RACF_TO_RFC), key=len, reverse=True))
_OID = r"\d{1,10}(?:\.\d{1,10}){1,40}"
# Bounded (40 arcs of up to 10 digits): the lookahead below runs at every "." of a
# name, so an unbounded OID made a long run like "1.1.1.1..." quadratic.
# A separator: "." before KEYWORD= (or a dotted OID and "="), case-insensitive.
_SPLIT_RE = re.compile(rf"\.(?=(?:{_KW}|{_OID})[ \t]{{0,16}}=)", re.IGNORECASE)
_MULTI_RE = re.compile(rf"\+(?=(?:{_KW}|{_OID})[ \t]{{0,16}}=)", re.IGNORECASE)
_ATTR_RE = re.compile(rf"^\s*({_KW}|{_OID})\s*=(.*)$", re.IGNORECASE | re.DOTALL)


def escape_value(val: str) -> str:
    """Escape a value the way cryptography's rfc4514_string() does."""
    if not val:
        return ""
    val = val.replace("\\", "\\\\")
    for ch in '"+,;<>':
        val = val.replace(ch, "\\" + ch)
    val = val.replace("\0", "\\00")
    if val[0] == "#" or (val[0] == " " and len(val) > 1):
        val = "\\" + val
    if val[-1] == " ":
        val = val[:-1] + "\\ "
    return val


def unescape_value(val: str) -> str:
    """Undo RFC 4514 escaping (``\\,`` and ``\\2C`` forms)."""
    out: list[str] = []
    i = 0
    while i < len(val):
        ch = val[i]
        if ch == "\\" and i + 1 < len(val):
            pair = val[i + 1:i + 3]
            if len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair):
                out.append(chr(int(pair, 16)))
                i += 3
                continue
            out.append(val[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def strip_brackets(text: str) -> str:
    """``">CN=a.C=US<"`` -> ``"CN=a.C=US"`` (blanks around kept out)."""
    s = text.strip()
    if s.startswith(">"):
        s = s[1:]
    if s.endswith("<"):
        s = s[:-1]
    return s


def racf_rdns(racf: str) -> list[list[tuple[str, str]]]:
    """The RDNs of a RACF display name, each a list of (RACF keyword, value).

    Text before the first keyword (not a name at all) is kept as one attribute
    with an empty keyword so nothing is silently lost."""
    body = strip_brackets(racf)
    rdns: list[list[tuple[str, str]]] = []
    for part in _SPLIT_RE.split(body):
        if not part.strip():
            continue
        rdn: list[tuple[str, str]] = []
        for piece in _MULTI_RE.split(part):
            m = _ATTR_RE.match(piece)
            if m:
                rdn.append((m.group(1).upper(), m.group(2)))
            elif rdns and rdns[-1]:
                # a value that only looked like a separator: glue it back
                key, value = rdns[-1][-1]
                rdns[-1][-1] = (key, value + "." + piece)
            else:
                rdn.append(("", piece))
        if rdn:
            rdns.append(rdn)
    return rdns


def racf_to_rfc4514(racf: str) -> str:
    """``">CN=MVS1CA.LABS.IBM.COM.O=MVS1 CA.C=US<"`` -> ``"CN=MVS1CA.LABS.IBM.COM,O=MVS1 CA,C=US"``.

    The order is kept (RACF and RFC 4514 both put the most specific RDN first)."""
    out = []
    for rdn in racf_rdns(racf):
        attrs = []
        for key, value in rdn:
            name = _RACF_TO_RFC.get(key, key)
            attrs.append(f"{name}={escape_value(value)}" if name else escape_value(value))
        out.append("+".join(attrs))
    return ",".join(out)


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, cur, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            cur.append(text[i:i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def rfc4514_rdns(dn: str) -> list[list[tuple[str, str]]]:
    """RDNs of an RFC 4514 string as lists of (attribute name, unescaped value)."""
    rdns = []
    for part in _split_unescaped(dn, ","):
        if not part.strip():
            continue
        rdn = []
        for attr in _split_unescaped(part, "+"):
            key, eq, value = attr.partition("=")
            if not eq:
                continue
            rdn.append((key.strip(), unescape_value(value)))
        if rdn:
            rdns.append(rdn)
    return rdns


def rfc4514_to_racf(dn: str, brackets: bool = False) -> str:
    """``"CN=a,O=b c,C=US"`` -> ``"CN=a.O=b c.C=US"`` (``>...<`` around it when asked)."""
    out = []
    for rdn in rfc4514_rdns(dn):
        attrs = []
        for key, value in rdn:
            upper = key.upper()
            kw = _RFC_TO_RACF.get(upper) or _RFC_TO_RACF.get(_RACF_TO_RFC.get(upper, ""), key)
            attrs.append(f"{kw}={value}")
        out.append("+".join(attrs))
    body = ".".join(out)
    return f">{body}<" if brackets else body


def looks_racf(dn: str) -> bool:
    """True when ``dn`` is in RACF's display form rather than RFC 4514."""
    s = dn.strip()
    if s.startswith(">") or s.endswith("<"):
        return True
    return "," not in s and bool(_SPLIT_RE.search(s))


def to_rfc4514(dn: str) -> str:
    """Either form in, RFC 4514 (cryptography's spelling) out."""
    if looks_racf(dn):
        return racf_to_rfc4514(dn)
    return ",".join(
        "+".join(f"{_RACF_TO_RFC.get(k.upper(), k)}={escape_value(v)}" for k, v in rdn)
        for rdn in rfc4514_rdns(dn)
    )


def cn_of(dn: str | None) -> str | None:
    """The (first) common name of a DN in either form; None when it has none."""
    if not dn:
        return None
    rdns = racf_rdns(dn) if looks_racf(dn) else rfc4514_rdns(dn)
    for rdn in rdns:
        for key, value in rdn:
            if key.upper() == "CN":
                return value
    return None
