"""Checks of one certificate: validity at the incident's time, host name, chain,
key and signature strength, key usage for its role, RACF status, private key.

Every check runs; nothing stops at the first problem. Each result is a
:class:`Check` with a one-letter severity (E error, W warning, I info, N notice)
and a citation (an RFC 5280 / RFC 6125 section, or the System SSL rule).
Inspecting a certificate is not verifying it: the chain is only judged against
the pool (key ring, files) it is given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from tlsworkbench.model.entities import CertInfo

from .chain import build_chain, self_issued
from .hostname import check_host

ERROR, WARNING, INFO, NOTICE = "E", "W", "I", "N"

# RACF key usage names (RACDCERT LIST "Key Usage:") -> RFC 5280 names.
_RACF_KU = {
    "HANDSHAKE": {"digitalSignature", "keyEncipherment"},
    "DATAENCRYPT": {"dataEncipherment"},
    "DOCSIGN": {"nonRepudiation"},
    "CERTSIGN": {"keyCertSign", "cRLSign"},
    "KEYAGREE": {"keyAgreement"},
}


@dataclass
class Check:
    id: str
    severity: str
    message: str
    citation: str

    def as_dict(self) -> dict:
        return asdict(self)


def _utc(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(timezone.utc)
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def validity_state(cert: CertInfo, at: datetime | None = None, warn_days: int = 60) -> str:
    """``"valid"``, ``"expiring"`` (within ``warn_days``), ``"expired"``,
    ``"not-yet-valid"`` or ``"unknown"``, at ``at`` (default: now)."""
    if cert.not_before is None or cert.not_after is None:
        return "unknown"
    t = _utc(at)
    if t < cert.not_before:
        return "not-yet-valid"
    if t > cert.not_after:
        return "expired"
    if cert.not_after - t <= timedelta(days=warn_days):
        return "expiring"
    return "valid"


def usages(cert: CertInfo) -> set[str]:
    """Key usage as RFC 5280 names, whether the source spoke RFC or RACF."""
    out: set[str] = set()
    for u in cert.key_usage:
        name = u.strip()
        out |= _RACF_KU.get(name.upper(), {name})
    return out


def looks_ca(cert: CertInfo) -> bool:
    return bool(cert.is_ca) or (cert.owner or "").upper() == "CERTAUTH" or "keyCertSign" in usages(cert)


def _name(c: CertInfo) -> str:
    return c.label or c.subject or "the certificate"


def _validity(cert: CertInfo, at: datetime | None, warn_days: int) -> list[Check]:
    t = _utc(at)
    when = f"at {t:%Y-%m-%d %H:%M} UTC" + ("" if at is not None else " (now; no incident time was given)")
    state = validity_state(cert, t, warn_days)
    cite = "RFC 5280 4.1.2.5; System SSL 401"
    if state == "unknown":
        return [Check("validity-unknown", NOTICE, "The validity dates are not known.", "RFC 5280 4.1.2.5")]
    span = f"{cert.not_before:%Y-%m-%d %H:%M:%S} to {cert.not_after:%Y-%m-%d %H:%M:%S} UTC"
    if state == "expired":
        days = (t - cert.not_after).days
        return [Check("validity-expired", ERROR, f"Expired {when}: valid {span}, ended {days} day(s) earlier.", cite)]
    if state == "not-yet-valid":
        return [Check("validity-not-yet-valid", ERROR, f"Not yet valid {when}: valid {span}.", cite)]
    if state == "expiring":
        days = (cert.not_after - t).days
        return [Check("validity-expiring", WARNING,
                      f"Expires within {warn_days} days {when}: {days} day(s) left (valid {span}).",
                      "RFC 5280 4.1.2.5; RACF health check window of 60 days")]
    return [Check("validity-ok", INFO, f"Valid {when} (valid {span}).", "RFC 5280 4.1.2.5")]


def _host(cert: CertInfo, host: str, wildcard: bool) -> list[Check]:
    sys_v, rfc_v = check_host(cert, host, wildcard)
    cite_sys = "System SSL: gsk_validate_server host name rules (CN or SAN DNS; '.suffix'; wildcard opt-in)"
    out: list[Check] = []
    if sys_v.matched:
        out.append(Check("host-ok", INFO, sys_v.sentence, cite_sys))
        if sys_v.case_only:
            out.append(Check("host-case", WARNING,
                             f"{host} matches only when letter case is ignored; older System SSL levels compared"
                             " host names case-sensitively.", cite_sys))
    elif sys_v.wildcard_only:
        out.append(Check("host-wildcard-only", WARNING, sys_v.sentence,
                         "System SSL: GSK_WILDCARD_VALIDATION_ENABLE"))
    else:
        out.append(Check("host-mismatch", ERROR, sys_v.sentence + " (CMS status 0335304B: not valid for host.)",
                         cite_sys))
    if rfc_v.matched != sys_v.matched or not rfc_v.matched:
        sev = INFO if rfc_v.matched else (WARNING if sys_v.matched else INFO)
        out.append(Check("host-rfc6125", sev, rfc_v.sentence, "RFC 6125 6.4"))
    return out


def _key(cert: CertInfo) -> list[Check]:
    kt, ks = (cert.key_type or "").upper(), cert.key_size
    if ks is None:
        return []
    if kt in ("RSA", "DSA"):
        if ks < 1024:
            return [Check("key-weak", ERROR, f"{kt} key of {ks} bits: far too small to be safe.",
                          "NIST SP 800-131A")]
        if ks < 2048:
            return [Check("key-weak", WARNING, f"{kt} key of {ks} bits: below 2048 bits.", "NIST SP 800-131A")]
    elif kt in ("EC", "ECC", "ECDSA") and ks < 256:
        return [Check("key-weak", WARNING, f"EC key of {ks} bits: below 256 bits.", "NIST SP 800-131A")]
    return []


def _signature(cert: CertInfo) -> list[Check]:
    alg = (cert.signature_algorithm or "").lower().replace("-", "")
    if self_issued(cert) and cert.is_ca:
        return []  # a root's self-signature is not relied on (RFC 5280 6.1)
    if "md5" in alg or "md2" in alg:
        return [Check("signature-md5", ERROR, f"Signed with {cert.signature_algorithm}: MD5 signatures can be forged.",
                      "RFC 6151")]
    if "sha1" in alg:
        return [Check("signature-sha1", WARNING, f"Signed with {cert.signature_algorithm}: SHA-1 is deprecated"
                      " and rejected by modern clients.", "RFC 6194")]
    return []


def _role_word(role: str) -> str:
    return "server or client" if role == "personal" else role


def _usage(cert: CertInfo, role: str | None) -> list[Check]:
    ku, eku, out = usages(cert), set(cert.eku), []
    kt = (cert.key_type or "").upper()
    if role in ("server", "client", "personal") and ku:
        need = {"digitalSignature", "keyEncipherment"} if kt == "RSA" else {"digitalSignature", "keyAgreement"}
        if not ku & need:
            out.append(Check("key-usage-role", ERROR,
                             f"Key usage {', '.join(sorted(ku))} does not allow a TLS {_role_word(role)} key"
                             f" (needs {' or '.join(sorted(need))}).", "RFC 5280 4.2.1.3; System SSL 440"))
    if role in ("server", "client", "personal") and eku:
        want = {"server": {"serverAuth"}, "client": {"clientAuth"}}.get(role, {"serverAuth", "clientAuth"})
        if not eku & (want | {"anyExtendedKeyUsage"}):
            out.append(Check("eku-role", ERROR, f"Extended key usage {', '.join(sorted(eku))} lacks"
                             f" {' or '.join(sorted(want))} needed for a TLS {_role_word(role)}.",
                             "RFC 5280 4.2.1.12"))
    if role == "ca" and ku and "keyCertSign" not in ku:
        out.append(Check("key-usage-role", ERROR, f"A CA certificate whose key usage ({', '.join(sorted(ku))})"
                         " lacks keyCertSign cannot sign certificates.", "RFC 5280 4.2.1.3"))
    return out


def check_cert(cert: CertInfo, at: datetime | None = None, host: str | None = None,
               pool: list[CertInfo] = (), role: str | None = None, wildcard: bool = False,
               warn_days: int = 60, others: list[CertInfo] = (), verify: bool | None = None,
               undetailed: list[str] = ()) -> list[Check]:
    """Every check of ``cert`` at ``at`` (the incident's time; default now).

    ``role``: ``"server"``, ``"client"``, ``"ca"`` or ``"personal"`` (a RACF personal
    certificate: server or client); guessed when None (CA facts, ``host``, a user owner).
    ``others``: certificates defined elsewhere but not in ``pool`` (named when missing).
    ``verify``: walk the chain even through an empty pool (a known ring with no CA);
    default: only when ``pool`` has certificates.
    ``undetailed``: labels connected to the ring (LISTRING) whose details (RACDCERT
    LIST) are not at hand: a missing issuer may be one of them, so it is a warning
    that names them, not an error."""
    t = _utc(at)
    if role is None:
        owner = (cert.owner or "").upper()
        role = ("ca" if looks_ca(cert) else "server" if host
                else "personal" if owner and owner not in ("CERTAUTH", "SITE") else None)
    out: list[Check] = []
    out += _validity(cert, at, warn_days)
    if host:
        out += _host(cert, host, wildcard)
    pool = list(pool or [])
    if pool if verify is None else verify:
        res = build_chain(cert, pool, t, host, others=list(others or []))
        for p in res.problems:
            k = Check(f"chain-{p.id}", p.severity, p.message, p.citation)
            if k.id == "chain-issuer-missing" and undetailed:
                k.severity = WARNING
                k.message = k.message.replace("is in the pool: the CA certificate is not on the ring.",
                                              "is among the certificates given in detail.")
                k.message += (f" The ring also connects {', '.join(repr(b) for b in undetailed)} without"
                              " details; if the issuer is among them, add its RACDCERT LIST output to"
                              " check it.")
            out.append(k)
        if res.ok:
            out.append(Check("chain-ok", INFO, res.summary(), "RFC 5280 6.1"))
        out.append(Check("chain-webpki", INFO, res.webpki, "cryptography.x509.verification (CA/B Forum profile)"))
    else:
        out.append(Check("chain-not-verified", NOTICE, "Inspecting is not verifying: no key ring or CA"
                         " certificates were given, so the chain was not checked.", "RFC 5280 6.1"))
    out += _key(cert)
    out += _signature(cert)
    out += _usage(cert, role)
    status = (cert.status or "").upper()
    if status == "NOTRUST":
        out.append(Check("racf-notrust", ERROR, f"{_name(cert)} is marked NOTRUST in RACF: System SSL does not"
                         " see it on any key ring.", "System SSL: NOTRUST certificates are not returned from a"
                         " RACF key ring (return code 6)"))
    if cert.private_key is False and role in ("server", "client", "personal"):
        out.append(Check("no-private-key", ERROR, f"{_name(cert)} has no private key, so it cannot be used as"
                         f" a TLS {_role_word(role)} certificate.", "System SSL 428: key entry has no private key"))
    if role != "ca" and not looks_ca(cert) and not self_issued(cert) and not cert.san:
        out.append(Check("san-missing", NOTICE, "No subject alternative name: clients that follow RFC 6125"
                         " (and System SSL SAN-only validation) cannot match a host name.", "RFC 6125 6.4.4"))
    if (role == "ca" or looks_ca(cert) or self_issued(cert)) and cert.basic_constraints is False:
        out.append(Check("ca-no-basic-constraints", WARNING, f"{_name(cert)} is used as a CA but has no"
                         " basicConstraints extension.", "RFC 5280 4.2.1.9"))
    return out


def undetailed_labels(rings, known: list[CertInfo]) -> list[str]:
    """Labels connected to the rings (RACDCERT LISTRING) with no RACDCERT LIST
    details among ``known``."""
    have = {c.label for c in known}
    return sorted({e.label for r in rings for e in r.entries if e.label not in have})

