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
    "message", "event", "errno", "errno2", "cipher",
)

FAMILY_LABELS = {
    "atls": "AT-TLS",
    "atls-internal": "AT-TLS internal",
    "gsk": "System SSL",
    "gsk-deprecated": "System SSL (deprecated API)",
    "cms": "CMS status",
    "message": "Message",
    "event": "AT-TLS event",
    "errno": "errno",
    "errno2": "errno2",
    "cipher": "Cipher suite",
}

# Families whose codes are numbers (the rest are keyed by text).
NUMERIC_FAMILIES = frozenset({"atls", "atls-internal", "gsk", "gsk-deprecated", "cms", "errno2", "cipher"})
# Families whose numbers are shown as 8 hex digits.
HEX8_FAMILIES = frozenset({"cms", "errno2"})

CMS_LOW, CMS_HIGH = 0x03353000, 0x03353FFF


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
    return []


def looks_like_code(text: str) -> bool:
    """True when ``text`` is written like a code (hex/decimal), readable or not."""
    s = _RC_PREFIX.sub("", (text or "").strip(), count=1).strip()
    return bool(re.fullmatch(r"[+-]?\d+|0[xX]\w*|[Xx]'[^']*'", s))
