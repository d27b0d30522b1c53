"""Renewing a certificate in RACF: one recipe for ``diagnose`` (an expired
certificate made the handshake fail) and ``preflight`` (a certificate is about to
end), so both write the same commands.

The recipe keeps the key pair and the label: ``RACDCERT GENREQ`` writes a request
from the existing certificate, ``RACDCERT GENCERT`` signs it again with the issuing
CA (``SIGNWITH(CERTAUTH LABEL('...'))``; without SIGNWITH the new certificate would
be self-signed and partners that trust the CA would reject it), and ``ALTER TRUST``
marks it trusted again.

The new end date (NOTAFTER) is derived from the session only, never from today's
date, so the same session always gives the same command text:

* start from the incident time (the failure that is being diagnosed, or the
  session's incident time) or the old NotAfter, whichever is later: a
  certificate renewed before it ends continues its period, one renewed after a
  failure gets a full period from the failure;
* add the certificate's original validity length (NotAfter minus NotBefore; one
  year when NotBefore is not known);
* never past the issuing CA's own NotAfter when that is later than the start (a
  certificate should not outlive its issuer).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tlsworkbench.model import CertInfo

from . import fixes as fx
from .common import issuer_label, norm_dn
from .evidence import Context

DEFAULT_VALIDITY = timedelta(days=365)


def issuer_of(ctx: Context, cert: CertInfo) -> CertInfo | None:
    """The certificate in the session whose subject is ``cert``'s issuer (None: self-signed
    or not in the session)."""
    want = norm_dn(cert.issuer)
    if not want or want == norm_dn(cert.subject):
        return None
    cands = [c for c in ctx.s.certs if c is not cert and norm_dn(c.subject) == want]
    cas = [c for c in cands if (c.owner or "").upper() == "CERTAUTH"]
    return (cas or cands or [None])[0]


def signer_label(ctx: Context, cert: CertInfo, conn=None) -> str | None:
    """Label of the CA certificate to sign the renewal with (None: self-signed or unknown)."""
    ca = issuer_of(ctx, cert)
    if ca is not None and ca.label:
        return ca.label
    return issuer_label(ctx, cert, conn)


def evidence_time(ctx: Context) -> datetime | None:
    """The session's incident time (None when it has none). Record times are not
    used: syslogd lines carry no year, and a year guessed from today's date would
    make the command text change with the calendar."""
    t = ctx.s.incident_time if isinstance(ctx.s.incident_time, datetime) else None
    return _aware(t)


def _aware(t: datetime | None) -> datetime | None:
    if t is not None and t.tzinfo is None:
        return t.replace(tzinfo=timezone.utc)
    return t


def new_not_after(cert: CertInfo, incident: datetime | None, ca: CertInfo | None = None) -> date:
    """The renewal's NOTAFTER date (see the module text for the rule)."""
    old_end = _aware(cert.not_after)
    old_start = _aware(cert.not_before)
    length = (old_end - old_start) if old_end and old_start and old_end > old_start else DEFAULT_VALIDITY
    starts = [t for t in (_aware(incident), old_end) if t is not None]
    base = max(starts) if starts else None
    if base is None:  # no end date and no incident: one validity length from the start date
        base = old_start or datetime(2000, 1, 1, tzinfo=timezone.utc)
    end = base + length
    ca_end = _aware(ca.not_after) if ca is not None else None
    if ca_end is not None and base < ca_end < end:
        end = ca_end
    return end.date()


def renewal(ctx: Context, cert: CertInfo, incident: datetime | None, conn=None,
            dsn: str | None = None) -> tuple[list, str | None, date]:
    """(fix objects GENREQ, GENCERT, ALTER TRUST; signing CA label; new NotAfter)."""
    owner = (cert.owner or "").upper()
    label = cert.label or cert.subject or ""
    dsn = dsn or f"{owner}.CERTREQ"
    ca = issuer_of(ctx, cert)
    ca_label = signer_label(ctx, cert, conn)
    notafter = new_not_after(cert, incident, ca)
    fixes = [fx.RacdcertGenreq(owner, label, dsn),
             fx.RacdcertGencert(owner, label, request_dsn=dsn, signwith_label=ca_label,
                                notafter=notafter.isoformat()),
             fx.RacdcertAlterTrust(owner, label)]
    return fixes, ca_label, notafter


def length_words(cert: CertInfo) -> str:
    """``its original 365 days`` / ``one year (its start date is not shown)``."""
    if cert.not_after and cert.not_before and cert.not_after > cert.not_before:
        return f"its original validity of {(cert.not_after - cert.not_before).days} days"
    return "one year (its original start date is not shown)"
