"""Build the certification path of a certificate through a pool (a key ring's
certificates, certificates from a trace or from files) and report every problem
on the way, not just the first.

Matching is by issuer DN = subject DN, refined by AKI = SKI when both are known.
With DER on both sides each signature is checked (``verify_directly_issued_by``,
and a manual PKCS#1 v1.5 / ECDSA check for the SHA-1 and MD5 signatures that
cryptography's check refuses). With only RACDCERT LIST facts the path is matched
by DN alone and the result says the signatures were not checked.

RACF: a certificate marked NOTRUST is not returned from the ring to System SSL
(System SSL return code 6, see the reference), so a NOTRUST CA counts as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa

from tlsworkbench.model.entities import CertInfo
from tlsworkbench.words import counted

from .facts import certificate_of

MAX_DEPTH = 12

_CA_USAGES = {"keycertsign", "certsign"}


@dataclass
class ChainProblem:
    id: str
    severity: str
    """One letter: E error, W warning, I info, N notice."""
    message: str
    citation: str
    cert: CertInfo | None = None


@dataclass
class ChainLink:
    cert: CertInfo
    issuer: CertInfo | None
    signature: str
    """``"ok"``, ``"ok-legacy"`` (SHA-1/MD5 checked by hand), ``"bad"``,
    ``"unchecked"`` (no DER) or ``"unknown"`` (could not be checked)."""
    note: str = ""


@dataclass
class ChainResult:
    path: list[CertInfo]
    """Leaf first."""
    links: list[ChainLink] = field(default_factory=list)
    problems: list[ChainProblem] = field(default_factory=list)
    complete: bool = False
    """The path ends in a self-signed certificate from the pool."""
    signatures_checked: bool = True
    webpki: str = ""
    """One line: what a modern WebPKI verifier (cryptography) says."""

    @property
    def ok(self) -> bool:
        return self.complete and not any(p.severity == "E" for p in self.problems)

    def summary(self) -> str:
        names = " <- ".join(_short(c) for c in self.path)
        if self.ok:
            head = f"Chain complete ({counted(len(self.path), 'certificate')}): {names}."
        else:
            errs = sum(p.severity == "E" for p in self.problems)
            head = f"Chain {'complete' if self.complete else 'incomplete'} with {errs} error(s): {names}."
        if not self.signatures_checked:
            head += " Matched by name only: signatures were not checked."
        return head


def _short(c: CertInfo) -> str:
    return c.label or c.subject or c.record


def norm_dn(dn: str | None) -> str:
    """A DN in a form two spellings of the same name share (RACF or RFC 4514 in)."""
    if not dn:
        return ""
    s = dn.strip()
    try:
        from tlsworkbench.x509 import dn as _dn

        s = _dn.to_rfc4514(s)
    except Exception:  # H2's module missing or the text odd: compare as written
        pass
    try:
        s = x509.Name.from_rfc4514_string(s).rfc4514_string()
    except ValueError:
        pass
    return ",".join(p.strip() for p in s.split(",")).casefold()


def self_issued(c: CertInfo) -> bool:
    return bool(c.subject) and norm_dn(c.subject) == norm_dn(c.issuer)


def _same(a: CertInfo, b: CertInfo) -> bool:
    if a is b:
        return True
    if a.sha256 and b.sha256:  # the subject too: hand-made RACDCERT samples reuse fingerprints
        return a.sha256 == b.sha256 and norm_dn(a.subject) == norm_dn(b.subject)
    return False


def _valid_at(c: CertInfo, at: datetime) -> str:
    if c.not_before is None or c.not_after is None:
        return "unknown"
    if at < c.not_before:
        return "not-yet-valid"
    if at > c.not_after:
        return "expired"
    return "valid"


def _notrust(c: CertInfo) -> bool:
    return (c.status or "").upper() == "NOTRUST"


def check_signature(child: CertInfo, issuer: CertInfo) -> tuple[str, str]:
    """(state, note) of child's signature under issuer's key."""
    cc, ic = certificate_of(child), certificate_of(issuer)
    if cc is None or ic is None:
        return "unchecked", "no DER for both certificates"
    try:
        cc.verify_directly_issued_by(ic)
        return "ok", ""
    except InvalidSignature:
        return "bad", "the signature does not verify with the issuer's key"
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        reason = str(exc)
    # manual fallback: legacy hashes cryptography's check refuses
    try:
        pk, h = ic.public_key(), cc.signature_hash_algorithm
        if isinstance(pk, rsa.RSAPublicKey):
            pk.verify(cc.signature, cc.tbs_certificate_bytes, padding.PKCS1v15(), h)
        elif isinstance(pk, ec.EllipticCurvePublicKey):
            pk.verify(cc.signature, cc.tbs_certificate_bytes, ec.ECDSA(h))
        elif isinstance(pk, dsa.DSAPublicKey):
            pk.verify(cc.signature, cc.tbs_certificate_bytes, h)
        else:
            return "unknown", f"cannot check ({reason})"
        return "ok-legacy", f"checked by hand ({reason.lower().rstrip('.')} in the standard check)"
    except InvalidSignature:
        return "bad", "the signature does not verify with the issuer's key"
    except Exception as exc:  # noqa: BLE001 - any failure here is a finding, not a crash
        return "unknown", f"cannot check ({reason}; {exc})"


def _candidates(cur: CertInfo, pool: list[CertInfo]) -> list[CertInfo]:
    want = norm_dn(cur.issuer)
    cands = [c for c in pool if not _same(c, cur) and c.subject and norm_dn(c.subject) == want]
    if cur.aki:
        by_key = [c for c in cands if c.ski == cur.aki]
        if by_key:
            cands = by_key + [c for c in cands if c not in by_key]
    return cands


def _pick(cur: CertInfo, cands: list[CertInfo], at: datetime) -> CertInfo:
    def score(c: CertInfo):
        sig = check_signature(cur, c)[0]
        return (sig in ("ok", "ok-legacy"), _valid_at(c, at) == "valid", c.ski == cur.aki if cur.aki else False)
    return max(cands, key=score)


def _is_ca_usable(c: CertInfo) -> tuple[bool | None, str]:
    """(can sign certificates?, why not)."""
    if c.is_ca is True:
        ku = {u.replace(" ", "").lower() for u in c.key_usage}
        if ku and not ku & _CA_USAGES:
            return False, "its key usage does not include keyCertSign"
        return True, ""
    if c.basic_constraints is True and c.is_ca is False:
        return False, "basicConstraints says it is not a CA (RFC 5280 4.2.1.9)"
    ku = {u.replace(" ", "").lower() for u in c.key_usage}
    if ku and not ku & _CA_USAGES:
        return False, "its key usage does not allow signing certificates"
    return None, ""


def build_chain(leaf: CertInfo, pool: list[CertInfo], at: datetime | None = None,
                host: str | None = None, others: list[CertInfo] = ()) -> ChainResult:
    """Walk from ``leaf`` to a self-signed certificate of ``pool``. ``others``:
    certificates known to exist (e.g. defined in RACF) but not in the pool, named
    when a missing issuer is among them."""
    at = at or datetime.now(timezone.utc)
    res = ChainResult(path=[leaf])
    usable = [c for c in pool if not _notrust(c)]
    hidden = [c for c in pool if _notrust(c)]
    cur = leaf
    while True:
        if self_issued(cur):
            state, note = check_signature(cur, cur)
            res.links.append(ChainLink(cur, cur, state, note))
            if state == "bad":
                res.problems.append(ChainProblem("self-signature-bad", "E",
                                    f"The self-signature of {_short(cur)} does not verify.", "RFC 5280 6.1", cur))
            in_pool = cur is not leaf or any(_same(c, cur) for c in usable)
            res.complete = in_pool
            if cur is leaf and not in_pool:
                res.problems.append(ChainProblem("self-signed-not-trusted", "E",
                                    f"{_short(cur)} is self-signed and is not on the ring as a trusted CA.",
                                    "System SSL: the peer must find the CA certificate in its own key ring", cur))
            break
        if len(res.path) > MAX_DEPTH:
            res.problems.append(ChainProblem("too-deep", "E", "The path is longer than 12 certificates; stopped.",
                                             "RFC 5280 6.1", cur))
            break
        cands = _candidates(cur, usable)
        if not cands:
            ghost = _candidates(cur, hidden)
            if ghost:
                res.problems.append(ChainProblem(
                    "issuer-notrust", "E",
                    f"The issuer of {_short(cur)}, {_short(ghost[0])}, is on the ring but marked NOTRUST: System SSL"
                    " does not see NOTRUST certificates, so the CA is missing for it.",
                    "System SSL: NOTRUST certificates are not returned from a RACF key ring (return code 6)", cur))
            else:
                known = _candidates(cur, [c for c in others if not any(_same(c, p) for p in pool)])
                where = (f" It exists ({_short(known[0])}{', ' + known[0].owner if known[0].owner else ''})"
                         " but is not connected to the ring.") if known else ""
                res.problems.append(ChainProblem(
                    "issuer-missing", "E",
                    f"No certificate for the issuer of {_short(cur)} ({cur.issuer or 'issuer unknown'}) is in the"
                    " pool: the CA certificate is not on the ring." + where,
                    "System SSL 435: certification authority is unknown", cur))
            res.links.append(ChainLink(cur, None, "unchecked", "issuer not found"))
            break
        issuer = _pick(cur, cands, at)
        state, note = check_signature(cur, issuer)
        res.links.append(ChainLink(cur, issuer, state, note))
        if state == "bad":
            res.problems.append(ChainProblem("signature-bad", "E",
                                f"{_short(cur)} is not signed by the key of {_short(issuer)} (same name, other key).",
                                "RFC 5280 6.1.3 (a)(1)", cur))
        elif state == "unchecked":
            res.signatures_checked = False
        elif state == "unknown":
            res.problems.append(ChainProblem("signature-unknown", "W",
                                f"The signature of {_short(cur)} could not be checked: {note}.", "RFC 5280 6.1.3", cur))
        if cur.aki and issuer.ski and cur.aki != issuer.ski:
            res.problems.append(ChainProblem("aki-mismatch", "W",
                                f"The authority key id of {_short(cur)} differs from the key id of {_short(issuer)}.",
                                "RFC 5280 4.2.1.1", cur))
        can_sign, why = _is_ca_usable(issuer)
        if can_sign is False:
            res.problems.append(ChainProblem("issuer-not-ca", "E",
                                f"{_short(issuer)} signs {_short(cur)} but is not usable as a CA: {why}.",
                                "RFC 5280 4.2.1.9 / 4.2.1.3", issuer))
        elif issuer.basic_constraints is False:
            res.problems.append(ChainProblem("issuer-no-basic-constraints", "W",
                                f"{_short(issuer)} acts as a CA but has no basicConstraints extension; modern"
                                " verifiers reject it.", "RFC 5280 4.2.1.9", issuer))
        validity = _valid_at(issuer, at)
        if validity in ("expired", "not-yet-valid"):
            when = issuer.not_after if validity == "expired" else issuer.not_before
            res.problems.append(ChainProblem(f"issuer-{validity}", "E",
                                f"The CA {_short(issuer)} is {validity.replace('-', ' ')} at {at:%Y-%m-%d %H:%M} UTC"
                                f" ({'ended' if validity == 'expired' else 'starts'} {when:%Y-%m-%d}).",
                                "RFC 5280 6.1.3 (a)(2); System SSL 401", issuer))
        below_ca = sum(1 for c in res.path[1:] if not self_issued(c))
        if issuer.path_len is not None and below_ca > issuer.path_len:
            res.problems.append(ChainProblem("path-length", "E",
                                f"{_short(issuer)} allows {issuer.path_len} CA(s) below it; the path has {below_ca}.",
                                "RFC 5280 4.2.1.9", issuer))
        if any(_same(issuer, c) for c in res.path):
            res.problems.append(ChainProblem("loop", "E", "The issuers form a loop; stopped.", "RFC 5280 6.1", issuer))
            break
        res.path.append(issuer)
        cur = issuer
    if not res.signatures_checked:
        res.problems.append(ChainProblem("signatures-unchecked", "I",
                            "Only RACDCERT LIST facts were available: the path was matched by name and the"
                            " signatures were not checked.", "RFC 5280 6.1.3", leaf))
    res.webpki = webpki_verdict(leaf, pool, at, host)
    return res


def webpki_verdict(leaf: CertInfo, pool: list[CertInfo], at: datetime, host: str | None = None) -> str:
    """One line from cryptography's WebPKI verifier, as a second opinion."""
    try:
        from cryptography.x509.verification import DNSName, IPAddress, PolicyBuilder, Store

        lc = certificate_of(leaf)
        if self_issued(leaf):
            return "Modern WebPKI check: not applicable to a self-signed certificate on its own."
        if lc is None:
            return "Modern WebPKI check: not possible without the certificate itself (DER)."
        certs = [(c, certificate_of(c)) for c in pool if not _notrust(c) and not _same(c, leaf)]
        roots = [x for c, x in certs if x is not None and self_issued(c)]
        inters = [x for c, x in certs if x is not None and not self_issued(c)]
        if not roots:
            return "Modern WebPKI check: no trusted root in the pool to verify against."
        builder = PolicyBuilder().store(Store(roots)).time(at)
        import ipaddress

        name = host or next((s[4:] for s in leaf.san if s.startswith("DNS:") and not s[4:].startswith((".", "*"))), None)
        if name is None:
            name = next((s[3:] for s in leaf.san if s.startswith("IP:")), None)
        if name is None:
            verifier = builder.build_client_verifier()
            chain = verifier.verify(lc, inters).chain
        else:
            try:
                sid = IPAddress(ipaddress.ip_address(name))
            except ValueError:
                sid = DNSName(name)
            chain = builder.build_server_verifier(sid).verify(lc, inters)
        return f"Modern WebPKI check (cryptography): accepted, {len(chain)}-certificate chain."
    except Exception as exc:  # noqa: BLE001 - a second opinion never breaks the first
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        text = text.split(" {", 1)[0].split(": AlgorithmIdentifier", 1)[0]
        return f"Modern WebPKI check (cryptography): rejected: {text[:160]}"
