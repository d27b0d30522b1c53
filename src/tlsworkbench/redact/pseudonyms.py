"""Pseudonyms: one stand-in per sensitive value, stable within one export.

A :class:`Pseudonymizer` is keyed by a secret drawn for each export (or a seed
given by a test), so the same input always gets the same stand-in within one
export and different exports cannot be joined. Every stand-in keeps the form of
what it replaces, so that the readers and the diagnosis still work on it:

* IPv4: ``10.<n>.<c'>.<d>``: one ``/16`` of 10/8 per original ``/16``, the third
  octet permuted per network, the host octet kept (address ranges inside a /24
  stay ranges);
* IPv6: ``2001:db8:<n>::/64`` per original /64, the interface id permuted;
* RACF names (user ids, job names, groups): same length, upper case, every
  character keeps its class (letter, digit, national ``#$@``) and the mapping is
  prefix-preserving, so ``FTPT1`` and the policy pattern ``FTPT*`` still match;
* host names: every label is replaced by a label of the same length (the top
  level domain is kept), so a suffix still matches its domain and the name keeps
  its number of labels and its length;
* rings ``Ring01``, AT-TLS rule names ``Rule01``, labels ``Label 01``, other DN values ``Name 01`` / ``Org 01`` /
  ``Unit 01``, serials: hex of the same length;
* a stand-in never equals an original value or a RACF / AT-TLS keyword.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
import secrets
import string

NATIONAL = "#$@"
LETTERS = string.ascii_uppercase
DIGITS = string.digits

# Words that stay as they are: RACF / AT-TLS / message keywords and vendor names.
# A value equal to one of them is not redacted (it names nothing of the user's).
KEYWORDS = frozenset("""
CERTAUTH SITE ID USER GROUP NAME PERSONAL TRUST NOTRUST HIGHTRUST YES NO NONE READ UPDATE
CONTROL ALTER EXECUTE RING LABEL LIST LISTRING CONNECT REMOVE DELETE ADD ALL IBM FTP TCP IP
TLS SSL AT-TLS RACF CS MVS ZOS Z/OS OMVS STEP1 STDATA STARTED FACILITY RDATALIB DIGTCERT
DIGTRING IRR ICSF CSFKEYS CSFSERV SYS1 TTLS RULE JOBNAME USERID LOCAL REMOTE CLIENT SERVER
INBOUND OUTBOUND ON OFF TRUE FALSE DEFAULT US ANY NULL STC TSU JOB INIT MASTER JES2 JES3
PAGENT SYSLOGD RESOLVER INETD OMPROUTE
""".split())


class Pseudonymizer:
    """Deterministic stand-ins for one export."""

    def __init__(self, key: bytes | None = None, seed: int | str | None = None,
                 avoid: set[str] | None = None):
        if key is None:
            key = secrets.token_bytes(32) if seed is None else hashlib.sha256(
                f"tlsworkbench-redact:{seed}".encode()).digest()
        self._key = key
        self.avoid = {a.upper() for a in (avoid or set())}
        """Upper-cased original values: a stand-in never equals one of them."""
        self.map: dict[tuple[str, str], str] = {}
        """(category, original) -> stand-in."""
        self._counters: dict[str, int] = {}
        self._used: set[str] = set()
        self._perm: dict[tuple, dict[str, str]] = {}
        self._nets4: dict[str, int] = {}
        self._nets6: dict[str, int] = {}

    # -- helpers -----------------------------------------------------------------
    def _rng(self, *parts: str) -> random.Random:
        digest = hmac.new(self._key, "\x00".join(parts).encode("utf-8", "replace"),
                          hashlib.sha256).digest()
        return random.Random(int.from_bytes(digest, "big"))

    def _permutation(self, kind: str, context: str, alphabet: str) -> dict[str, str]:
        k = (kind, context, alphabet)
        p = self._perm.get(k)
        if p is None:
            shuffled = list(alphabet)
            self._rng(kind, context, alphabet).shuffle(shuffled)
            p = dict(zip(alphabet, shuffled))
            self._perm[k] = p
        return p

    def _fresh(self, candidate: str) -> bool:
        up = candidate.upper()
        return up not in self.avoid and up not in KEYWORDS and up not in self._used

    def _remember(self, category: str, original: str, stand_in: str) -> str:
        self.map[(category, original)] = stand_in
        self._used.add(stand_in.upper())
        return stand_in

    def _next(self, category: str, fmt: str) -> str:
        while True:
            n = self._counters.get(category, 0) + 1
            self._counters[category] = n
            cand = fmt.format(n=n)
            if self._fresh(cand):
                return cand

    # -- public ------------------------------------------------------------------
    def get(self, category: str, original: str) -> str:
        """The stand-in for ``original`` of ``category`` (see collect.CATEGORIES)."""
        got = self.map.get((category, original))
        if got is not None:
            return got
        fn = getattr(self, f"_make_{category.replace('-', '_')}", None)
        stand_in = fn(original) if fn is not None else self._next(category, "X{n:02d}")
        return self._remember(category, original, stand_in)

    # -- makers by category ------------------------------------------------------
    def _make_ipv4(self, original: str) -> str:
        parts = original.split(".")
        net = ".".join(parts[:2])
        n = self._nets4.get(net)
        if n is None:
            n = len(self._nets4) + 1
            self._nets4[net] = n
        hi, lo = divmod(n, 256)
        third = self._permutation("ipv4-c", net, "".join(chr(i) for i in range(256)))
        c = ord(third[chr(int(parts[2]) % 256)])
        cand = f"{10 + hi}.{lo}.{c}.{int(parts[3])}" if hi < 10 else f"100.{64 + hi % 64}.{c}.{int(parts[3])}"
        if not self._fresh(cand):  # an original address sits there: move the host octet
            for d in range(256):
                alt = cand.rsplit(".", 1)[0] + f".{(int(parts[3]) + d) % 256}"
                if self._fresh(alt):
                    return alt
        return cand

    def _make_ipv6(self, original: str) -> str:
        try:
            addr = ipaddress.IPv6Address(original)
        except ValueError:
            return self._next("ipv6", "2001:db8:ffff::{n:x}")
        packed = addr.packed
        net = packed[:8].hex()
        n = self._nets6.get(net)
        if n is None:
            n = len(self._nets6) + 1
            self._nets6[net] = n
        rng = self._rng("ipv6-iid", packed.hex())
        iid = rng.getrandbits(64) if any(packed[8:]) else 0
        if packed[8:] == b"\0" * 7 + b"\x01":
            iid = 1
        out = ipaddress.IPv6Address((0x20010DB8 << 96) | ((n & 0xFFFF) << 80) | iid)
        text = out.compressed
        return text.upper() if original.upper() == original and original.lower() != original else text

    def racf_name(self, original: str) -> str:
        """Same length, upper case, class-preserving and prefix-preserving."""
        src = original.upper()
        for attempt in range(50):
            out = []
            for i, ch in enumerate(src):
                ctx = f"{attempt}:{src[:i]}"
                if ch in LETTERS:
                    out.append(self._permutation("racf-a", ctx, LETTERS)[ch])
                elif ch in DIGITS:
                    out.append(self._permutation("racf-d", ctx, DIGITS)[ch])
                elif ch in NATIONAL:
                    out.append(self._permutation("racf-n", ctx, NATIONAL)[ch])
                else:
                    out.append(ch)  # a wildcard or anything else stays
            cand = "".join(out)
            if cand.upper() not in self.avoid and cand.upper() not in KEYWORDS:
                return cand
            # A clash with a real value: the whole mapping of this name moves on.
        rng = self._rng("racf-fallback", src)
        for _ in range(20000):  # crowded short names: any fresh name of the same form
            cand = "".join(rng.choice(LETTERS + NATIONAL) if i == 0 or c in LETTERS + NATIONAL
                           else rng.choice(DIGITS) if c in DIGITS else c for i, c in enumerate(src))
            if cand.upper() not in self.avoid and cand.upper() not in KEYWORDS:
                return cand
        return cand

    def _make_racf(self, original: str) -> str:
        return self.racf_name(original)

    _make_user = _make_job = _make_group = _make_racf

    def _make_racf_prefix(self, original: str) -> str:
        # a pattern prefix (``FTPT`` of ``FTPT*``): the same mapping as a full name
        return self.racf_name(original)

    def host_label(self, label: str) -> str:
        low = label.lower()
        out = []
        for i, ch in enumerate(low):
            rng = self._rng("host", low, str(i))
            if ch in string.ascii_lowercase:
                out.append(rng.choice(string.ascii_lowercase))
            elif ch in DIGITS:
                out.append(rng.choice(DIGITS))
            else:
                out.append(ch)
        cand = "".join(out)
        if cand == low:
            cand = "x" + cand[1:] if cand[:1] != "x" else "y" + cand[1:]
        if label.isupper() or (label.upper() == label and any(c.isalpha() for c in label)):
            return cand.upper()
        return cand

    def _make_host(self, original: str) -> str:
        labels = original.split(".")
        out = []
        for i, lab in enumerate(labels):
            last = i == len(labels) - 1 and len(labels) > 1
            if lab in ("", "*") or (last and _is_tld(lab)):
                out.append(lab)
            else:
                out.append(self.host_label(lab))
        return ".".join(out)

    def _make_email(self, original: str) -> str:
        local, _, domain = original.rpartition("@")
        return f"{self.host_label(local)}@{self._make_host(domain)}"

    def _make_ring(self, original: str) -> str:
        return self._next("ring", "Ring{n:02d}")

    def _make_label(self, original: str) -> str:
        return self._next("label", "Label {n:02d}")

    def _make_dn_cn(self, original: str) -> str:
        return self._next("dn-cn", "Name {n:02d}")

    def _make_dn_o(self, original: str) -> str:
        return self._next("dn-o", "Org {n:02d}")

    def _make_dn_ou(self, original: str) -> str:
        return self._next("dn-ou", "Unit {n:02d}")

    def _make_dn(self, original: str) -> str:
        return self._next("dn", "Value {n:02d}")

    def _make_serial(self, original: str) -> str:
        """Hex of the same length that keeps the DER size of the number: leading
        zeros stay, and the first digit stays below 8 when the original's is (a
        20-byte serial must stay under 2**159, or no certificate can carry it)."""
        rng = self._rng("serial", original.lower())
        lead = len(original) - len(original.lstrip("0"))
        body = original[lead:]
        if not body:
            return original
        low = body[0] in "01234567"
        while True:
            digits = "".join(rng.choice("0123456789abcdef") for _ in body)
            if len(body) > 1:
                digits = rng.choice("1234567" if low else "89abcdef") + digits[1:]
            digits = "0" * lead + digits
            if digits.lower() != original.lower() and self._fresh(digits):
                return digits.upper() if original.isupper() else digits

    def _make_rule(self, original: str) -> str:
        return self._next("rule", "Rule{n:02d}")

    def _make_opaque(self, original: str) -> str:
        """Same length, same character classes (certificate ids, fingerprints)."""
        rng = self._rng("opaque", original)
        out = []
        for ch in original:
            if ch in "0123456789":
                out.append(rng.choice(DIGITS))
            elif "a" <= ch <= "f" and original.lower() == original:
                out.append(rng.choice("abcdef"))
            elif "A" <= ch <= "F" and all(c in "0123456789ABCDEF:" for c in original):
                out.append(rng.choice("ABCDEF"))
            elif ch.isupper():
                out.append(rng.choice(LETTERS))
            elif ch.islower():
                out.append(rng.choice(string.ascii_lowercase))
            else:
                out.append(ch)
        return "".join(out)

    def _make_name(self, original: str) -> str:
        return self._next("name", "Name {n:02d}")


_TLDS = frozenset("com org net edu gov mil int info biz local localdomain arpa".split())


def _is_tld(label: str) -> bool:
    low = label.lower()
    return low in _TLDS or (len(low) == 2 and low.isalpha())
