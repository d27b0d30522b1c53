"""Does a certificate name the host the client asked for?

Two rule sets, both reported, because a z/OS connection can be judged by either:

System SSL (``gsk_validate_server`` / ``gsk_validate_hostname``; z/OS System SSL
Programming SC14-7495, "gsk_validate_server()"): the certificate must carry the
host name as the subject CN or as a DNS entry of the subject alternative name.
A SAN entry is a full name (must equal the host), a domain suffix beginning with
"." (matches any host under it, never the suffix itself), or a wildcard
"``*.x``" (honoured only when wildcard validation, GSK_WILDCARD_VALIDATION_ENABLE,
is on). Case: IBM's page for that level says the host / SAN comparison is not
case-sensitive, and the CN comparison *is* case-sensitive when the CN is encoded
as UTF-8; the 2014 seed session quotes an older text that calls the whole
comparison case-sensitive, so a match that needs case folding is flagged.
How many labels a System SSL wildcard covers is not confirmed; one label is
assumed, as in RFC 6125.

RFC 6125 (``service_identity``): DNS-IDs against DNS SANs (wildcard only as the
whole left-most label, no suffix entries), IP against IP SANs; the CN is used
only when the certificate has no DNS SAN at all (section 6.4.4).

Works on a CertInfo from RACDCERT LIST (no DER: subject CN, ``san`` with
``DNS:``/``IP:``/``domain:`` entries) as well as one read from DER.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from tlsworkbench.model.entities import CertInfo

from .facts import certificate_of, cn_is_utf8, common_names

SYSTEM_SSL = "system-ssl"
RFC6125 = "rfc6125"


@dataclass
class HostVerdict:
    host: str
    matched: bool
    rule: str
    """``"system-ssl"`` or ``"rfc6125"``."""
    sentence: str
    tried: list[str] = field(default_factory=list)
    """The names of the certificate compared with the host, typed (``DNS:``, ``CN=``...)."""
    matched_by: str | None = None
    wildcard_only: bool = False
    """No match now, but a wildcard entry would match with wildcard validation on."""
    case_only: bool = False
    """Matched only when letter case is ignored."""


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _norm(host: str) -> str:
    return host.strip().rstrip(".")


def _names(cert: CertInfo) -> tuple[list[str], list[str], list[str]]:
    """(DNS-like SAN values, IP SAN values, CNs) of a CertInfo."""
    dns, ips = [], []
    for entry in cert.san:
        kind, _, value = entry.partition(":")
        k = kind.strip().lower()
        if k in ("dns", "domain"):
            dns.append(value.strip())
        elif k == "ip":
            ips.append(value.strip())
    return dns, ips, common_names(cert.subject)


def _typed(cert: CertInfo) -> list[str]:
    """The host-name SAN entries as the source wrote them (``DNS:``, ``domain:``, ``IP:``)."""
    return [e for e in cert.san if e.partition(":")[0].strip().lower() in ("dns", "domain", "ip")]


def _wild_match(pattern: str, host: str) -> bool:
    """``*.x`` against host, the star covering exactly one whole label."""
    if not pattern.startswith("*.") or "*" in pattern[1:]:
        return False
    rest = pattern[1:].lower()  # ".x"
    h = host.lower()
    return h.endswith(rest) and len(h) > len(rest) and "." not in h[: -len(rest)]


def _sys_one(pattern: str, host: str) -> str | None:
    """How one System SSL name matches: "exact", "case", "suffix", "suffix-case", None."""
    p = pattern.rstrip(".")
    if p.startswith("."):
        if len(host) > len(p) and host.endswith(p):
            return "suffix"
        if len(host) > len(p) and host.lower().endswith(p.lower()):
            return "suffix-case"
        return None
    if p == host:
        return "exact"
    if p.lower() == host.lower():
        return "case"
    return None


def system_ssl_match(cert: CertInfo, host: str, wildcard: bool = False) -> HostVerdict:
    """Judge ``host`` the way System SSL validates a server certificate."""
    h = _norm(host)
    dns, ips, cns = _names(cert)
    tried = _typed(cert) + [f"CN={c}" for c in cns]
    x509cert = certificate_of(cert)
    cn_strict = cn_is_utf8(x509cert) if x509cert is not None else False
    v = HostVerdict(h, False, SYSTEM_SSL, "", tried)

    hip = _ip(h)
    if hip is not None:
        for i in ips:
            if _ip(i) == hip:
                v.matched, v.matched_by = True, f"IP:{i}"
                v.sentence = f"System SSL: {h} is the certificate's IP address entry {i}."
                return v
    wild_hit = None
    for d in dns:
        if d.startswith("*"):
            if _wild_match(d, h):
                if wildcard:
                    v.matched, v.matched_by = True, f"DNS:{d}"
                    v.sentence = f"System SSL: {h} matches the wildcard entry {d} (wildcard validation is on)."
                    return v
                wild_hit = wild_hit or d
            continue
        how = _sys_one(d, h)
        if how:
            v.matched, v.matched_by, v.case_only = True, f"DNS:{d}", how.endswith("case")
            kind = "domain suffix" if d.startswith(".") else "name"
            v.sentence = f"System SSL: {h} matches the {kind} entry {d} of the subject alternative name."
            if v.case_only:
                v.sentence += (" Only when letter case is ignored: current System SSL ignores case here,"
                               " older levels compared case-sensitively.")
            return v
    for c in cns:
        how = _sys_one(c, h)
        if how in ("exact", "case") and not (how == "case" and cn_strict):
            v.matched, v.matched_by, v.case_only = True, f"CN={c}", how == "case"
            v.sentence = f"System SSL: {h} is the subject's common name."
            if dns:
                v.sentence += (" The SAN has DNS entries and none matched: a client that checks only"
                               " the subject alternative name (RFC 6125) rejects it.")
            if v.case_only:
                v.sentence += " Only when letter case is ignored."
            return v
        if how == "case" and cn_strict:
            v.sentence = (f"System SSL: {h} differs from the common name {c} only in letter case, and a"
                          " UTF-8 encoded CN is compared case-sensitively: no match.")
    if wild_hit:
        v.wildcard_only = True
        v.sentence = (f"System SSL: {h} would match {wild_hit} only with wildcard validation on"
                      " (GSK_WILDCARD_VALIDATION_ENABLE); as configured, no name matches.")
        return v
    if not v.sentence:
        names = ", ".join(tried) or "no host names at all"
        v.sentence = f"System SSL: {h} is not named by the certificate (it has {names})."
    return v


def _enc(name: str) -> bytes:
    return name.encode("ascii") if name.isascii() else name.encode("idna")


def _rfc6125_patterns(cert: CertInfo):
    from service_identity.hazmat import CertificateError, DNSPattern, IPAddressPattern

    x = certificate_of(cert)
    if x is not None:
        from service_identity.cryptography import extract_patterns

        try:
            return extract_patterns(x)
        except (CertificateError, ValueError):
            return []
    pats = []
    dns, ips, _cns = _names(cert)
    for d in dns:
        try:
            pats.append(DNSPattern.from_bytes(_enc(d)))
        except (CertificateError, UnicodeError, ValueError):
            continue
    for i in ips:
        ip = _ip(i)
        if ip is not None:
            pats.append(IPAddressPattern(pattern=ip))
    return pats


def rfc6125_match(cert: CertInfo, host: str) -> HostVerdict:
    """Judge ``host`` by RFC 6125 with service_identity (CN only without DNS SANs)."""
    from service_identity.hazmat import (CertificateError, DNS_ID, DNSPattern, IPAddress_ID,
                                         VerificationError, verify_service_identity)

    h = _norm(host)
    dns, ips, cns = _names(cert)
    v = HostVerdict(h, False, RFC6125, "", _typed(cert))
    hip = _ip(h)
    try:
        sid = IPAddress_ID(str(hip)) if hip is not None else DNS_ID(h)
    except (CertificateError, ValueError) as exc:
        v.sentence = f"RFC 6125: {h!r} is not a usable host name ({exc})."
        return v
    pats = _rfc6125_patterns(cert)
    if not dns and hip is None and cns:  # section 6.4.4: the CN only when there is no DNS-ID
        v.tried += [f"CN={c}" for c in cns]
        for c in cns:
            try:
                pats = list(pats) + [DNSPattern.from_bytes(_enc(c))]
            except (CertificateError, UnicodeError, ValueError):
                continue
    try:
        verify_service_identity(pats, obligatory_ids=[sid], optional_ids=[])
    except VerificationError:
        names = ", ".join(v.tried) or "no names"
        v.sentence = f"RFC 6125: {h} matches none of {names}."
        if any(d.startswith(".") for d in dns):
            v.sentence += " Domain suffix entries (\".x\") mean nothing under RFC 6125."
        return v
    except CertificateError as exc:
        v.sentence = f"RFC 6125: cannot judge ({exc})."
        return v
    v.matched = True
    v.sentence = f"RFC 6125: {h} matches the certificate."
    return v


def check_host(cert: CertInfo, host: str, wildcard: bool = False) -> tuple[HostVerdict, HostVerdict]:
    """Both verdicts: (System SSL, RFC 6125)."""
    return system_ssl_match(cert, host, wildcard), rfc6125_match(cert, host)
