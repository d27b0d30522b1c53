"""One certificate of ``RACDCERT LIST`` output, read line by line (used by racdcert.py).

A block starts at ``Label:`` and holds ``Key: value`` lines; some values
continue on the next lines: ``>...<`` names and serial numbers (wrapped, each
piece bracketed or only the whole), the certificate id, fingerprints (colon
hex), Subject's AltNames and Ring Associations.
"""

from __future__ import annotations

import re

from tlsworkbench.model import CertInfo, Record, Unparsed
from tlsworkbench.x509.dn import racf_to_rfc4514

_I = re.IGNORECASE
LABEL = re.compile(r"^Label\s*:\s?(.*)$", _I)
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9 '()/.-]{0,60}")


class _KV:
    """``Key: value`` split without a backtracking regex (lines can be huge)."""

    def __init__(self, key: str, value: str):
        self.key, self.value = key, value

    def group(self, n: int) -> str:
        return self.key if n == 1 else self.value


class KEYVAL:
    @staticmethod
    def match(s: str):
        i = s.find(":")
        if i <= 0 or i > 64:
            return None
        key = s[:i].rstrip()
        if not _KEY.fullmatch(key):
            return None
        return _KV(key, s[i + 1:].strip())
HEX_LINE = re.compile(r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*:?$")
TOKEN_LINE = re.compile(r"^[A-Za-z0-9+/=]+$")
NO_RINGS = re.compile(r"^\*+\s*No rings associated\s*\*+$", _I)
_STOP = re.compile(
    r"^(Digital (ring|certificate) information for|[A-Z]{3,5}\d{3,5}[IEWAS]\b|"
    r"(RACDCERT|RACDCRT|RACCERT|SETROPTS|SETR|RLIST|PERMIT)\b|(READY|END)\s*$)", _I)
_SAN_TYPES = {"IP": "IP:", "IPADDR": "IP:", "EMAIL": "email:", "E-MAIL": "email:",
              "DOMAIN": "domain:", "DNS": "DNS:", "URI": "URI:"}
_DATE = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})(?:\s+(\d{2}):(\d{2}):(\d{2}))?")


def _norm_key(key: str) -> str:
    return re.sub(r"[^a-z0-9()]", "", key.lower())


_KNOWN = {
    "certificateid": "id", "status": "status", "startdate": "start", "enddate": "end",
    "serialnumber": "serial", "issuersname": "issuer", "issuername": "issuer",
    "subjectsname": "subject", "subjectname": "subject", "subjectsaltnames": "altnames",
    "subjectaltnames": "altnames", "signingalgorithm": "sigalg", "keyusage": "keyusage",
    "extendedkeyusage": "eku", "keytype": "keytype", "keysize": "keysize",
    "privatekey": "privkey", "ringassociations": "rings",
}


class CertBlock:
    """Lines of one certificate; ``feed`` says whether a line belongs to it."""

    def __init__(self, owner: str | None, line: int, raw: str, label: str):
        self.owner = owner
        self.line = line
        self.end = line
        self.texts = [raw]
        self.v: dict = {"label": label.strip()}
        self.section: str | None = None   # altnames / rings / fp:<alg>
        self.open_key: str | None = None  # a >...< value not closed yet
        self.last_key: str | None = None  # the value the previous line added to
        self.parts: dict[str, list[tuple[str, str]]] = {}  # key -> [(piece, raw line)]
        self.san: list[str] = []
        self.rings: list[str] = []
        self.ring_owner: str | None = None
        self.problems: list[tuple[int, str, str]] = []

    # -- reading -----------------------------------------------------------
    def feed(self, num: int, raw: str, s: str) -> bool:
        if not s:
            if self.open_key is None:
                self.last_key = None
            return True
        if self.open_key is None and (LABEL.match(s) or _STOP.match(s)):
            return False
        self.texts.append(raw)
        self.end = num
        if self.open_key is not None:
            if KEYVAL.match(s) and _norm_key(KEYVAL.match(s).group(1)) in _KNOWN and not s.startswith(">"):
                self.problems.append((num, raw, f"{self.open_key} not closed with '<'"))
                self.open_key = None
            else:
                self._piece(self.open_key, s, raw)
                return True
        if s.startswith(">") and self.last_key in ("serial", "issuer", "subject", "ring"):
            self._piece(self.last_key, s, raw)   # a name wrapped as >...< on each line
            return True
        if self.section and self.section.startswith("fp:") and HEX_LINE.match(s):
            self.v[self.section] = self.v.get(self.section, "") + s
            return True
        if self.last_key == "id" and TOKEN_LINE.match(s) and ":" not in s:
            self.v["id"] = self.v.get("id", "") + s
            return True
        if NO_RINGS.match(s):
            return True
        m = KEYVAL.match(s)
        if not m:
            self.problems.append((num, raw, "not a line of a RACDCERT LIST certificate"))
            return True
        self._keyval(num, raw, m.group(1), m.group(2))
        return True

    def _keyval(self, num: int, raw: str, key: str, value: str) -> None:
        nk = _norm_key(key)
        self.last_key = None
        if self.section == "altnames" and nk.upper() in _SAN_TYPES:
            self.san.append(_SAN_TYPES[nk.upper()] + value)
            return
        if self.section == "rings" and nk in ("ringowner", "ring"):
            if nk == "ringowner":
                self.ring_owner = value.upper()
            elif value:
                self._piece("ring", value, raw)
            else:
                self.last_key = "ring"
                self.parts["ring"] = []
            return
        fp = re.match(r"certificatefingerprint\((\w+)\)", nk)
        if fp:
            self.section = "fp:" + fp.group(1).lower()
            if value:
                self.v[self.section] = value.replace(" ", "")
            return
        what = _KNOWN.get(nk)
        if what is None:
            self.v.setdefault("extra", {})[key] = value
            return
        self.section = what if what in ("altnames", "rings") else None
        if what in ("serial", "issuer", "subject"):
            self.parts[what] = []
            if value:
                self._piece(what, value, raw)
            else:
                self.last_key = what
            return
        self.v[what] = value
        self.last_key = what

    def _piece(self, key: str, s: str, raw: str) -> None:
        piece = s
        closed = False
        if piece.startswith(">"):
            piece = piece[1:]
        if piece.endswith("<"):
            piece, closed = piece[:-1], True
        self.parts.setdefault(key, []).append((piece, raw))
        self.open_key = None if closed else key
        self.last_key = key
        if closed and key == "ring":
            name = self._joined("ring")
            self.rings.append(f"{self.ring_owner or '?'}/{name}")
            self.parts["ring"] = []

    def _joined(self, key: str) -> str:
        """Join the pieces of a wrapped value.

        Pieces bracketed one by one (``>...<`` on every line) are cut at a fixed
        width: joined as they are. A name wrapped without brackets (copied from
        a document) lost the blank at a short break: put it back unless the
        line ends with ``-`` or ``.`` or the next starts with ``.``."""
        pieces = self.parts.get(key) or []
        out = ""
        for i, (piece, raw) in enumerate(pieces):
            if i and out:
                prev_raw = pieces[i - 1][1].rstrip()
                each_bracketed = prev_raw.endswith("<") and raw.strip().startswith(">")
                short = len(prev_raw) < 60
                if (not each_bracketed and short and key in ("issuer", "subject")
                        and not out.endswith(("-", ".", " ")) and not piece.startswith((".", " "))):
                    out += " "
            out += piece
        return out

    # -- result ------------------------------------------------------------
    def finish(self, art):
        aid = art.id
        truncated = self.open_key is not None
        if truncated:
            self.problems.append((self.end, self.texts[-1],
                                  f"certificate listing ends inside {self.open_key} (truncated?)"))
        serial = re.sub(r"[^0-9a-f]", "", self._joined("serial").lower()).lstrip("0") or (
            "0" if self.parts.get("serial") else None)
        issuer = self._joined("issuer") if self.parts.get("issuer") else None
        subject = self._joined("subject") if self.parts.get("subject") else None
        status = (self.v.get("status") or "").split()
        key_size = re.match(r"\d+", self.v.get("keysize", "") or "")
        usage = [u for u in re.split(r"[,\s]+", self.v.get("keyusage", "")) if u]
        priv = (self.v.get("privkey") or "").split()
        rid = f"{aid}:{self.line}"
        fields = {"label": self.v["label"], "owner": self.owner}
        if self.v.get("id"):
            fields["cert_id"] = self.v["id"]
        if status:
            fields["status"] = status[0].upper()
        for k, v in (self.v.get("extra") or {}).items():
            fields.setdefault("other", {})[k] = v
        if truncated:
            fields["truncated"] = True
        if subject:
            fields["subject"] = racf_to_rfc4514(subject)
        if issuer:
            fields["issuer"] = racf_to_rfc4514(issuer)
        if serial:
            fields["serial"] = serial
        yield Record(aid, self.line, "cert", "\n".join(self.texts),
                     end_line=self.end if self.end != self.line else 0,
                     system=art.system, fields=fields)
        for line, raw, reason in self.problems:
            yield Unparsed(aid, line, raw, reason)
        info = CertInfo(
            record=rid,
            source="racdcert",
            owner=self.owner,
            label=self.v["label"],
            subject=racf_to_rfc4514(subject) if subject else None,
            issuer=racf_to_rfc4514(issuer) if issuer else None,
            serial=serial,
            not_before=_date(self.v.get("start")),
            not_after=_date(self.v.get("end")),
            status=status[0].upper() if status else None,
            key_type=self.v.get("keytype") or None,
            key_size=int(key_size.group()) if key_size else None,
            signature_algorithm=self.v.get("sigalg") or None,
            key_usage=[u.upper() for u in usage],
            san=self.san,
            private_key=(priv[0].upper() == "YES") if priv else None,
            is_ca=True if "CERTSIGN" in (u.upper() for u in usage) else None,
            sha256=_hex(self.v.get("fp:sha256")),
            sha1=_hex(self.v.get("fp:sha1")),
            rings=self.rings,
            system=art.system,
        )
        eku = [u for u in re.split(r"[,\s]+", self.v.get("eku", "")) if u]
        if eku:
            try:
                info.eku = eku
            except AttributeError:  # an older model without the field
                pass
        yield info


def _hex(text: str | None) -> str | None:
    if not text:
        return None
    h = re.sub(r"[^0-9a-fA-F]", "", text).lower()
    return h or None


def _date(text: str | None):
    from datetime import datetime, timezone

    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    parts = [int(g) if g else 0 for g in m.groups()]
    try:
        return datetime(*parts, tzinfo=timezone.utc)
    except ValueError:
        return None
