"""Cipher suite look-ups for the reference, on top of ``tlsworkbench.tls.ciphersuites``.

That module belongs to the TLS decoder; it is imported lazily and every use is
guarded, so the reference keeps working when it is absent or changes shape.
"""

from __future__ import annotations

import importlib
import re

from .codes import Entry

_SPEC = re.compile(r"(?:0[xX])?([0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})")
_NAME = re.compile(r"(?:TLS|SSL)_[A-Z0-9_]+")


def _module():
    try:
        return importlib.import_module("tlsworkbench.tls.ciphersuites")
    except Exception:  # absent, or broken while someone edits it
        return None


def _coerce(result) -> tuple[int | None, str | None]:
    """(code, IANA name) from whatever suite_by_spec / suite_name returned."""
    if result is None:
        return None, None
    if isinstance(result, int):
        return result, None
    if isinstance(result, str):
        return None, result
    if isinstance(result, tuple):
        code = next((x for x in result if isinstance(x, int)), None)
        name = next((x for x in result if isinstance(x, str)), None)
        return code, name
    code = next((getattr(result, a) for a in ("code", "value", "iana_code", "id")
                 if isinstance(getattr(result, a, None), int)), None)
    name = next((getattr(result, a) for a in ("name", "iana", "iana_name")
                 if isinstance(getattr(result, a, None), str)), None)
    return code, name


def _resolve(mod, text: str) -> tuple[int | None, str | None]:
    by_spec = getattr(mod, "suite_by_spec", None)
    by_code = getattr(mod, "suite_name", None)
    suites = getattr(mod, "SUITES", None)
    code = name = None
    if callable(by_spec):
        code, name = _coerce(by_spec(text))
    if code is None and name is None and isinstance(suites, dict):
        m = _SPEC.fullmatch(text)
        if m:
            code = int(m.group(1), 16)
            if code not in suites:
                code = None
        else:
            up = text.upper()
            code = next((c for c, v in suites.items()
                         if isinstance(v, tuple) and v and str(v[0]).upper() == up), None)
    if code is not None and name is None:
        if callable(by_code):
            name = _coerce(by_code(code))[1]
        elif isinstance(suites, dict) and isinstance(suites.get(code), tuple):
            name = suites[code][0]
    if code is None and name is not None and isinstance(suites, dict):
        code = next((c for c, v in suites.items()
                     if isinstance(v, tuple) and v and v[0] == name), None)
    return code, name


def cipher_entries(query: str) -> list[Entry]:
    """A "cipher" entry when ``query`` is a System SSL cipher spec (``0A``,
    ``C02F``) or an IANA suite name; [] otherwise or when the TLS module is absent."""
    text = query.strip()
    if not (_SPEC.fullmatch(text) or _NAME.fullmatch(text.upper())):
        return []
    mod = _module()
    if mod is None:
        return []
    try:
        code, name = _resolve(mod, text)
    except Exception:
        return []
    if code is None or not name:
        return []
    spec = f"{code & 0xFF:02X}" if code <= 0xFF else f"{code:04X}"
    return [Entry(
        code=code, family="cipher", name=name,
        meaning=f"TLS cipher suite {name} (IANA 0x{code:04X}; System SSL cipher spec {spec}).",
        action="Enable or remove it with V3CipherSuites (2-character specs) or "
               "V3CipherSuites4Char in TTLSCipherParms; both sides need one suite in common.",
        confirmed=False, source="IANA",
    )]
