"""Reference entries and code parsing: what a return code, message id or event
name means, and how a code typed by a user or copied from a log is read.

Plain Python; no I/O here (see ``loader.py``), nothing imports Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Families, in the order results are listed.
FAMILY_ORDER = (
    "atls", "atls-internal", "gsk", "gsk-deprecated", "cms",
    "tn3270", "rdatalib", "hwth", "ftp",
    "message", "event", "errno", "errno2", "cipher",
)

FAMILY_LABELS = {
    "atls": "AT-TLS",
    "atls-internal": "AT-TLS internal",
    "gsk": "System SSL",
    "gsk-deprecated": "System SSL (deprecated API)",
    "cms": "CMS status",
    "tn3270": "TN3270",
    "rdatalib": "R_datalib (IRRSDL00)",
    "hwth": "HWTH (Web Enablement Toolkit)",
    "ftp": "FTP reply",
    "message": "Message",
    "event": "AT-TLS event",
    "errno": "errno",
    "errno2": "errno2",
    "cipher": "Cipher suite",
}

# Families whose codes are numbers (the rest are keyed by text).
NUMERIC_FAMILIES = frozenset({"atls", "atls-internal", "gsk", "gsk-deprecated", "cms", "errno2",
                              "cipher", "tn3270", "hwth", "ftp"})
# Families whose numbers are shown as 8 hex digits.
HEX8_FAMILIES = frozenset({"cms", "errno2"})

CMS_LOW, CMS_HIGH = 0x03353000, 0x03353FFF
# gsk_strerror() takes System SSL codes also in their internal form 134CCxxx
# (xxx = the code in hex): 134CC19E is 414 (System SSL Programming, gsk_strerror).
SSL_INTERNAL_LOW, SSL_INTERNAL_HIGH = 0x134CC001, 0x134CCFFF

# What a user may type after --family, and the families of the model
# (model.connection.FAMILIES, records' fields["family"]): the reference
# families that answer for it, most specific first.
FAMILY_ALIASES: dict[str, tuple[str, ...]] = {
    "atls": ("atls", "atls-internal", "gsk"),
    "attls": ("atls", "atls-internal", "gsk"),  # model.connection.FAMILIES spells it so
    "at-tls": ("atls", "atls-internal", "gsk"),
    "atls-internal": ("atls-internal",),
    "gsk": ("gsk",), "ssl": ("gsk",), "systemssl": ("gsk",), "system-ssl": ("gsk",),
    "gsk-deprecated": ("gsk-deprecated",), "deprecated": ("gsk-deprecated",),
    "cms": ("cms",),
    "tn3270": ("tn3270", "gsk"), "telnet": ("tn3270", "gsk"),
    "rdatalib": ("rdatalib",), "r_datalib": ("rdatalib",), "irrsdl00": ("rdatalib",),
    "racf": ("rdatalib", "message"),
    "zowe": ("rdatalib", "gsk", "message"), "zosmf": ("rdatalib", "gsk", "message"),
    "hwth": ("hwth", "gsk"), "cwet": ("hwth", "gsk"),
    "ftp": ("ftp", "gsk"),
    "cics": ("gsk", "message"), "mq": ("gsk", "message"), "db2": ("gsk", "message"),
    "message": ("message",), "messages": ("message",), "msg": ("message",),
    "event": ("event",), "events": ("event",),
    "errno": ("errno", "errno2"), "errno2": ("errno2",), "cipher": ("cipher",),
}


def resolve_family(name: str | None) -> tuple[str, ...] | None:
    """The reference families for a family name a user or a record gives
    (``"rdatalib"``, ``"R_datalib"``, ``"tn3270"``, ``"cics"`` ...); None for
    no name; ``()`` for a name that is not known."""
    if name is None:
        return None
    key = str(name).strip().lower().replace(" ", "")
    if not key:
        return None
    return FAMILY_ALIASES.get(key, ())


@dataclass(frozen=True, slots=True)
class ContextNote:
    """What a code typically means in one situation (event, side, sequence)."""

    when: str
    note: str
    side: str = ""
    """``"local"``: look at this side's configuration; ``"partner"``: the other
    side's; ``"either"`` or empty: it depends."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One reference entry: a return code, message id, event name or cipher suite."""

    code: int | str
    family: str
    name: str
    meaning: str
    action: str
    confirmed: bool
    source: str
    events: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    context: tuple[ContextNote, ...] = ()
    aliases: tuple[str, ...] = ()
    where: str = ""
    """For messages: where the message appears (console, syslogd, job log)."""
    generic: bool = field(default=False, compare=False)
    """True for an entry made from a documented range, not from the code itself."""
    section: str = ""
    """Where in the source the fact is (a table, a message, an APAR section)."""
    fields: tuple[str, ...] = ()
    """For messages: the variable fields the message carries, in order."""
    not_found: bool = False
    origin: str = field(default="", compare=False)
    """The data file the entry came from ("" for made-up entries)."""
    """True when the code is known to exist but its meaning was not found in
    any source that was read (the entry says so instead of guessing)."""

    @property
    def code_text(self) -> str:
        """The code as a z/OS user writes it (``428``, ``0335304B``, ``EZD1287I``)."""
        if isinstance(self.code, str):
            return self.code
        if self.family in HEX8_FAMILIES:
            return f"{self.code:08X}"
        if self.family == "cipher":
            return f"{self.code:04X}"
        return str(self.code)

    @property
    def hex(self) -> str:
        """The code in hex as z/OS prints it (``1B3`` for 435); "" for text codes."""
        if not isinstance(self.code, int) or self.code < 0 or self.family == "tn3270":
            return ""  # TN3270 codes are printed as written (6002, 600E): no conversion
        if self.family in HEX8_FAMILIES:
            return f"{self.code:08X}"
        return f"{self.code:X}"

    @property
    def symbol(self) -> str:
        """The symbolic name (``GSK_ERR_BAD_DATE``, ``HWTH_UNSUPPORTED_RELEASE``) when known."""
        n = self.name or ""
        return n if re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", n) else ""

    @property
    def family_label(self) -> str:
        return FAMILY_LABELS.get(self.family, self.family)

    @property
    def sort_key(self) -> tuple:
        fam = FAMILY_ORDER.index(self.family) if self.family in FAMILY_ORDER else len(FAMILY_ORDER)
        code = self.code if isinstance(self.code, int) else 0
        return (fam, code, str(self.code))

    def to_dict(self) -> dict:
        """JSON-ready form; the keys code, family, meaning, action, confirmed and
        source are a stable contract of ``tlsworkbench rc --json``."""
        return {
            "code": self.code,
            "code_text": self.code_text,
            "family": self.family,
            "family_label": self.family_label,
            "name": self.name,
            "meaning": self.meaning,
            "action": self.action,
            "confirmed": self.confirmed,
            "source": self.source,
            "events": list(self.events),
            "see": list(self.see),
            "context": [{"when": c.when, "note": c.note, "side": c.side} for c in self.context],
            "where": self.where,
            "generic": self.generic,
            "hex": self.hex,
            "symbol": self.symbol,
            "section": self.section,
            "fields": list(self.fields),
            "not_found": self.not_found,
        }


def family_of(code: int) -> str:
    """The family a bare return code belongs to.

    Negative: deprecated SSL API; 03353xxx: CMS status; 5000-5999: AT-TLS;
    6000-6999: AT-TLS internal; anything else: System SSL.
    """
    if code < 0:
        return "gsk-deprecated"
    if CMS_LOW <= code <= CMS_HIGH:
        return "cms"
    if 5000 <= code <= 5999:
        return "atls"
    if 6000 <= code <= 6999:
        return "atls-internal"
    return "gsk"


_XQUOTE = re.compile(r"[Xx]'([0-9A-Fa-f]{1,16})'")
_0X = re.compile(r"0[xX]([0-9A-Fa-f]{1,16})")
_DEC = re.compile(r"([+-]?)(\d{1,16})")
_HEX = re.compile(r"[0-9A-Fa-f]{1,16}")
# "0000019A (410)" as in a GSKSRVR trace's "Exit status 0000019A (410)".
_TRACE_PAIR = re.compile(r"([0-9A-Fa-f]{8})\s*\(\s*-?\d+\s*\)")
# TN3270 EZZ6035I "RCODE: 1030-01": the code and its instance number.
_RCODE_INSTANCE = re.compile(r"(\d{1,5})-(\d{1,3})")
# The same with a code that has hex letters ("RCODE: 600E-00"): the code is a name.
RCODE_TEXT = re.compile(r"([0-9A-Fa-f]{4})-(\d{1,3})")
# SAF rc / RACF rc / RACF reason as R_datalib callers print them: 8/8/44,
# "8, 8, 44", (8,8,44), "SAF rc: 8, RACF rc: 8, RACF rsn: 44".
_TRIPLE = re.compile(r"\(?\s{0,8}(\d{1,3})\s{0,8}[/,]\s{0,8}(\d{1,3})(?:\s{0,8}[/,]\s{0,8}(\d{1,10}))?\s{0,8}\)?")
_SAF_WORDS = re.compile(r"SAF\s+rc:?\s*(\d+)\W+RACF\s+rc:?\s*(\d+)\W+RACF\s+(?:rsn|reason):?\s*(\d+)",
                        re.IGNORECASE)
_RC_PREFIX = re.compile(r"(?:RC|RCODE|RETURN\s+CODE|EXIT\s+STATUS)(?:\s*[:=]\s*|\s+)", re.IGNORECASE)


def parse_code(text: str) -> list[tuple[int, str]]:
    """Every reading of ``text`` as a number, as ``(value, "decimal"|"hex")``.

    ``"435"`` is decimal; ``"1B3"``, ``"0x1B3"`` and ``"X'1B3'"`` are hex (435);
    an 8-digit form such as ``"0000019A"`` or ``"03353009"`` (trace exit status,
    CMS status) is read as hex first and, when it has only digits, also as
    decimal. Text that is not a code gives ``[]``.
    """
    s = _RC_PREFIX.sub("", (text or "").strip(), count=1).strip()
    if not s:
        return []
    m = _TRACE_PAIR.fullmatch(s)
    if m:
        return [(int(m.group(1), 16), "hex")]
    m = _XQUOTE.fullmatch(s) or _0X.fullmatch(s)
    if m:
        return [(int(m.group(1), 16), "hex")]
    m = _DEC.fullmatch(s)
    if m:
        sign, digits = m.groups()
        dec = int(sign + digits)
        if not sign and len(digits) == 8:
            hexv = int(digits, 16)
            return [(hexv, "hex")] if hexv == dec else [(hexv, "hex"), (dec, "decimal")]
        return [(dec, "decimal")]
    if _HEX.fullmatch(s):
        return [(int(s, 16), "hex")]
    m = _RCODE_INSTANCE.fullmatch(s)
    if m:
        return [(int(m.group(1)), "decimal")]
    return []


def parse_triple(text: str) -> str | None:
    """``"8/8/44"`` for R_datalib's SAF rc / RACF rc / RACF reason written as
    ``8/8/44``, ``8,8,44``, ``(8, 8, 44)`` or ``SAF rc: 8, RACF rc: 8, RACF rsn: 44``;
    ``"8/12"`` for a pair; None for anything else."""
    s = (text or "").strip()
    m = _SAF_WORDS.search(s) or _TRIPLE.fullmatch(s)
    if not m:
        return None
    parts = [g for g in m.groups() if g is not None]
    return "/".join(str(int(p)) for p in parts)


def looks_like_code(text: str) -> bool:
    """True when ``text`` is written like a code (hex/decimal), readable or not."""
    s = _RC_PREFIX.sub("", (text or "").strip(), count=1).strip()
    return bool(re.fullmatch(r"[+-]?\d+|0[xX]\w*|[Xx]'[^']*'", s))
