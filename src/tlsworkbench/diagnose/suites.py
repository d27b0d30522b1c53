"""Judging cipher suites by their IANA names, for the fixes of a cipher mismatch.

A fix never recommends a suite that is broken or obsolete: single DES, RC4, RC2,
NULL encryption, export-grade or anonymous suites. Among the rest AES-GCM comes
first, then AES-CBC with SHA-2, then AES-CBC with SHA-1; ECDHE (forward secrecy)
before plain RSA key exchange; 3DES (64-bit blocks, Sweet32) last and only kept,
never proposed.
"""

from __future__ import annotations

import re

_WEAK = [
    (re.compile(r"_(?:DES40|DES)_CBC_|_DES_CBC40_"), "single DES, 56-bit key"),
    (re.compile(r"_RC4_"), "RC4, a broken stream cipher"),
    (re.compile(r"_RC2_"), "RC2"),
    (re.compile(r"_WITH_NULL_|_NULL_WITH_"), "no encryption (NULL)"),
    (re.compile(r"EXPORT"), "export grade"),
    (re.compile(r"_anon_|_ANON_"), "anonymous, no server authentication"),
]


def weak(name: str) -> str | None:
    """Why a suite must not be recommended (None: it may be)."""
    n = str(name)
    for pat, why in _WEAK:
        if pat.search(n):
            return why
    return None


def obsolete(name: str) -> bool:
    """3DES: still negotiable but not worth proposing (64-bit blocks)."""
    return "3DES" in str(name)


def needs_tls12(name: str) -> bool:
    """GCM and SHA-256/384 MAC suites exist only from TLS 1.2 on."""
    n = str(name)
    return not n.startswith("TLS_AES_") and not n.startswith("TLS_CHACHA20_") and (
        "_GCM_" in n or n.endswith(("_SHA256", "_SHA384")))


def key_type(name: str) -> str | None:
    """``"RSA"`` or ``"ECDSA"``: the server certificate key the suite needs (None: any or unknown)."""
    n = str(name)
    if "_ECDSA_" in n:
        return "ECDSA"
    if n.startswith("TLS_AES_") or n.startswith("TLS_CHACHA20_"):
        return None  # TLS 1.3: the key type is not part of the suite
    if "_RSA_" in n or "_DHE_RSA_" in n or "_ECDHE_RSA_" in n:
        return "RSA"
    return None


def rank(name: str) -> int:
    """Higher is better; below 0: never recommend."""
    n = str(name)
    if weak(n) or not n.startswith(("TLS_", "SSL_")):
        return -1
    score = 0
    if "_AES_" in n and "_GCM_" in n:
        score += 40
    elif "_AES_" in n and n.endswith(("_SHA256", "_SHA384")):
        score += 30
    elif "_AES_" in n:
        score += 20
    elif "CHACHA20" in n:
        score += 35
    elif obsolete(n):
        score += 1
    else:
        score += 5
    if "_ECDHE_" in n or "_DHE_" in n:
        score += 5
    if "_AES_128_" in n:
        score += 1  # as strong in practice, and cheaper
    return score


def recommendable(name: str) -> bool:
    return rank(name) >= 10


def best(names, *, key: str | None = None, tls12: bool = True) -> str | None:
    """The best suite of ``names`` to recommend, fitting a server key type ``key`` and
    the availability of TLS 1.2 (``tls12``); None when none is good enough."""
    fit = [n for n in names if recommendable(n)
           and (key is None or key_type(n) in (None, key))
           and (tls12 or not needs_tls12(n))]
    return max(fit, key=rank) if fit else None


DEFAULT_STRONG = {
    "RSA": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA"],
    "ECDSA": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"],
}
"""What to propose when neither side allows a strong suite (first one that fits)."""
