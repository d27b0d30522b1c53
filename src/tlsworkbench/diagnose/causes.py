"""Cause ids, their titles, and how a finding's confidence is scored.

Cause ids are stable: the UI, saved sessions and scripts key on them. Never
rename one; add a new id when a new kind of fault is needed.

Confidence scoring
------------------
Every rule starts from a *base* that says how much its trigger alone proves
(a return code whose meaning is narrow, e.g. RC 401, starts higher than one
with several possible reasons, e.g. RC 202). Then each further piece of
evidence moves it:

=========================  =======  ==========================================
kind                       weight   example
=========================  =======  ==========================================
``STRONG`` support         +0.20    a RACF display or policy line that shows the
                                    fault itself (ring absent from LISTRING,
                                    End Date before the failure, owner differs)
``MEDIUM`` support         +0.10    an independent record agreeing (the flow
                                    line naming the ring, the SDSF DA owner)
``WEAK`` support           +0.05    the partner's matching code (406, 438), a
                                    second message of the same failure
``MEDIUM`` contradiction   -0.15    evidence that points elsewhere
``STRONG`` contradiction   -0.30    evidence that rules the cause out (an
                                    ICH408I where a missing ring was assumed)
=========================  =======  ==========================================

The value is clamped to [0.05, 0.99]: evidence never proves a cause beyond
doubt, and a rule that fires at all never says "impossible". The reasons are
kept (``Score.notes``) and the rules put the important ones in the explanation.
A finding below 0.5 carries ``next_steps`` instead of a firm claim.
"""

from __future__ import annotations

from tlsworkbench.model import Command, Finding

STRONG = 0.20
MEDIUM = 0.10
WEAK = 0.05

CAUSES: dict[str, str] = {
    "keyring-not-found": "Key ring not found",
    "keyring-not-authorized": "Not authorized to read the key ring",
    "certificate-not-on-ring": "Certificate not on the key ring",
    "private-key-unavailable": "Private key not available (certificate owner or ICSF)",
    "hostname-mismatch": "Server certificate does not name the host",
    "certificate-expired": "Certificate expired",
    "certificate-not-yet-valid": "Certificate not yet valid",
    "ca-not-trusted": "Issuing CA missing or not trusted",
    "cipher-mismatch": "No common cipher suite",
    "protocol-mismatch": "No common TLS protocol version",
    "handshake-timeout": "Handshake timed out",
    "cleartext-on-tls-port": "Cleartext sent to a TLS port",
    "client-certificate-missing": "Client sent no certificate",
    "client-certificate-not-defined": "Client certificate not defined to RACF",
    "peer-reported-error": "The partner ended the handshake",
    "environment-init-failed": "AT-TLS environment failed to initialise",
    "unexplained-failure": "Failure not explained by the evidence",
}

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class Score:
    """A confidence that moves with evidence (see the module docstring)."""

    def __init__(self, base: float):
        self.value = base
        self.notes: list[str] = []

    def support(self, weight: float, why: str = "") -> Score:
        self.value += weight
        if why:
            self.notes.append(f"+ {why}")
        return self

    def against(self, weight: float, why: str = "") -> Score:
        self.value -= weight
        if why:
            self.notes.append(f"- {why}")
        return self

    @property
    def final(self) -> float:
        return round(min(0.99, max(0.05, self.value)), 2)


def finding(cause: str, severity: str, explanation: str, *, title: str | None = None,
            rcs=(), evidence=(), connections=(), commands: list[Command] | None = None,
            verify: list[Command] | None = None, score: Score | float = 0.5,
            next_steps: list[str] | None = None) -> Finding:
    """A Finding with a provisional id (``run`` numbers them)."""
    if cause not in CAUSES:
        raise ValueError(f"unknown cause id {cause!r}")
    conf = score.final if isinstance(score, Score) else round(min(0.99, max(0.05, score)), 2)
    explanation = explanation[:1].upper() + explanation[1:]
    return Finding(
        id="", cause=cause, severity=severity, title=title or CAUSES[cause], explanation=explanation,
        rcs=_uniq(rcs), evidence=_uniq(e for e in evidence if e), connections=_uniq(connections),
        commands=list(commands or []), verify=list(verify or []), confidence=conf,
        next_steps=list(next_steps or []))


def _uniq(items) -> list:
    out, seen = [], set()
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
