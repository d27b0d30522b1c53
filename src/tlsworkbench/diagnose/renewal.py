"""Renewing a certificate in RACF: one recipe for ``diagnose`` (an expired
certificate made the handshake fail) and ``preflight`` (a certificate is about to
end), so both write the same commands.

The recipe keeps the key pair and the label, and is signed by the issuer found in
the evidence (never silently self-signed):

* the issuer is a RACF CA (a CERTAUTH certificate in the session with a private key,
  or the only CA on the ring): ``RACDCERT GENREQ`` writes a request from the existing
  certificate, ``RACDCERT GENCERT(request)`` signs it with
  ``SIGNWITH(CERTAUTH LABEL('...'))`` and ``ALTER TRUST`` marks it trusted again;
* the issuer is an external CA (RACF holds its certificate without a private key):
  GENREQ to a data set, the request goes to that CA, and the signed certificate comes
  back with ``RACDCERT ADD(...) TRUST`` under the same owner and label (RACF pairs it
  with the private key it holds), then ``CONNECT`` to the ring again;
* the issuer is not in the session: the GENCERT carries a clearly marked placeholder
  label (``<label of the issuing CA>``) and the purpose says so; the simulator refuses
  to apply it;
* the certificate is self-signed: the renewal is self-signed too, and the text says so.

The new end date (NOTAFTER) is never in the past: it starts from ``today`` (the day
the commands are written; a parameter, so tests and preflight can fix it) or the old
NotAfter when that is later (a certificate renewed before it ends continues its
period), plus the certificate's original validity length (one year when its start is
not known), and never past the issuing CA's own NotAfter when that is later than the
start. Sources: RACF Command Language Reference, RACDCERT GENREQ / GENCERT / ADD.
"""

from __future__ import annotations

from tlsworkbench import clock

from dataclasses import dataclass, field
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


def new_not_after(cert: CertInfo, incident: datetime | None, ca: CertInfo | None = None,
                  today: date | None = None) -> date:
    """The renewal's NOTAFTER date (see the module text for the rule)."""
    old_end = _aware(cert.not_after)
    old_start = _aware(cert.not_before)
    length = (old_end - old_start) if old_end and old_start and old_end > old_start else DEFAULT_VALIDITY
    now = today_utc(today)
    starts = [t for t in (_aware(incident), old_end, now) if t is not None]
    base = max(starts)
    end = base + length
    ca_end = _aware(ca.not_after) if ca is not None else None
    if ca_end is not None and base < ca_end < end:
        end = ca_end
    return end.date()


def today_utc(today: date | None = None) -> datetime:
    d = today or clock.today()
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


@dataclass
class RacdcertRekey(fx.Fix):
    """A self-signed copy of a certificate with a new key pair (same subject, key usage
    and alternative names) under a new label (RACF CLR, "RACDCERT REKEY")."""

    owner: str
    label: str
    new_label: str

    def tokens(self):
        return ["RACDCERT", fx._who(self.owner), f"REKEY(LABEL({fx.quote(self.label)}))",
                f"WITHLABEL({fx.quote(self.new_label)})"]

    def describe(self):
        return f"Re-key {self.label!r} as {self.new_label!r} (a new key pair, self-signed)."


@dataclass
class RacdcertAlterLabel(fx.Fix):
    """A certificate's label changed (RACF CLR, "RACDCERT ALTER": the status or the label)."""

    owner: str
    label: str
    new_label: str

    def tokens(self):
        return ["RACDCERT", fx._who(self.owner), f"ALTER(LABEL({fx.quote(self.label)}))",
                f"NEWLABEL({fx.quote(self.new_label)})"]

    def describe(self):
        return f"Rename {self.label!r} ({fx._who(self.owner)}) to {self.new_label!r}."


def asked_label(ctx: Context, conn) -> str | None:
    """The label the connection asks for (a policy CertificateLabel, an application's own
    label such as MQ's ibmWebSphereMQ<qmgr>); None: it takes the ring's default."""
    if conn is None:
        return None
    try:
        return ctx.policy(conn).cert_label or None
    except Exception:  # a policy view never stops a renewal
        return None


def cut_label(label: str, suffix: str) -> str:
    """``label`` cut so that with ``suffix`` it fits RACF's 32 characters, no double blank."""
    base = " ".join(label.split())
    return base[:32 - len(suffix)].rstrip() + suffix


PLACEHOLDER_CA = "<label of the issuing CA>"
"""Stands for a label the evidence does not show; fixes.is_placeholder recognises it."""


@dataclass
class RenewalPlan:
    """How to renew one certificate: the fix objects with their purposes, who signs."""

    how: str
    """``racf-ca``, ``external-ca``, ``unknown-ca`` or ``self-signed``."""
    steps: list = field(default_factory=list)
    """(fix, purpose or None) in the order to run them."""
    ca_label: str | None = None
    notafter: date | None = None
    words: str = ""
    """One or two sentences for the explanation: who signs and why, the end date and
    what it is relative to."""

    @property
    def fixes(self) -> list:
        return [f for f, _ in self.steps]

    def commands(self) -> list:
        return [f.command(purpose=why) if why else f.command() for f, why in self.steps]


def plan(ctx: Context, cert: CertInfo, incident: datetime | None, conn=None, dsn: str | None = None,
         today: date | None = None, ring: tuple[str, str] | None = None) -> RenewalPlan:
    """The renewal of ``cert`` (``ring``: (owner, name) to connect an externally signed
    certificate to again)."""
    owner = (cert.owner or "").upper()
    label = cert.label or cert.subject or ""
    dsn = dsn or f"{owner}.CERTREQ"
    ca = issuer_of(ctx, cert)
    self_signed = bool(cert.issuer) and norm_dn(cert.issuer) == norm_dn(cert.subject)
    ca_label = signer_label(ctx, cert, conn)
    notafter = new_not_after(cert, incident, ca, today)
    now = today_utc(today).date()
    dated = (f"valid from the day the command runs until {notafter:%Y-%m-%d} ({'the old end date' if cert.not_after and _aware(cert.not_after).date() >= now else f'today, {now:%Y-%m-%d},'} "
             f"plus {length_words(cert)})")
    genreq = fx.RacdcertGenreq(owner, label, dsn)
    if ca is not None and ca.private_key is False:
        ca_name = ca.label or ca.subject or "the issuing CA"
        out = RenewalPlan("external-ca", ca_label=ca.label)
        expired = cert.not_after is not None and _aware(cert.not_after).date() < now
        # RACDCERT ADD replaces a certificate under the same label only while that one
        # has not expired (docs/fixes.md, "Renewal and re-issue"): an expired one is
        # re-keyed first (RACDCERT REKEY), and the CA signs the new key's request
        new = cut_label(label, " NEW") if expired else label
        keep = expired and asked_label(ctx, conn) == label  # the application asks for this label
        out.steps = []
        if expired:
            out.steps.append((RacdcertRekey(owner, label, new),
                              f"{label!r} has expired: make {new!r}, a self-signed copy with a new key "
                              "pair (same subject and alternative names), for the CA to sign."))
        out.steps += [
            (fx.RacdcertGenreq(owner, new, dsn), f"Write a request for {new!r} (its key pair) to {dsn}."),
            (fx.Operator(f"Send {dsn} to the CA {ca_name!r} ({ca.subject or '?'}) and store the signed "
                         f"certificate it returns in {owner}.CERTNEW",
                         "RACF holds only that CA's certificate, not its private key: the CA signs."), None),
            (fx.RacdcertAdd(f"{owner}.CERTNEW", owner, new),
             f"Add the signed certificate under {owner} with the label {new!r}; it replaces the "
             "unexpired copy with the same public key and keeps its private key, and is TRUST."),
        ]
        if keep:
            old_name = cut_label(label, " OLD")
            out.steps += [
                (RacdcertAlterLabel(owner, label, old_name),
                 f"The application asks for its certificate by the label {label!r}: free that label "
                 f"(the expired certificate becomes {old_name!r})."),
                (RacdcertAlterLabel(owner, new, label),
                 f"Give the renewed certificate the label {label!r} the application asks for.")]
            new = label
        if ring and ring[0] and ring[1]:
            out.steps.append((fx.RacdcertConnect(owner, new, ring[1], ring[0], "PERSONAL", default=True),
                              "Connect it to the ring as the default PERSONAL certificate."))
        out.words = (f"The issuer {ca_name!r} is an external CA (RACF holds its certificate without "
                     "a private key), so the renewal is a request sent to it, and its answer is added "
                     "with RACDCERT ADD; the CA chooses the end date."
                     + (f" {label!r} has expired, and ADD does not replace an expired certificate, so "
                        f"it is re-keyed first (RACDCERT REKEY) as {cut_label(label, ' NEW')!r}." if expired
                        else "")
                     + (f" The application asks for the label {label!r}, so the renewed certificate "
                        "takes that label over (RACDCERT ALTER NEWLABEL) once the CA's answer is added."
                        if keep else ""))
        return out
    gencert = fx.RacdcertGencert(owner, label, request_dsn=dsn,
                                 signwith_label=ca_label or (None if self_signed else PLACEHOLDER_CA),
                                 notafter=notafter.isoformat())
    trust = (fx.RacdcertAlterTrust(owner, label),
             "Make sure the renewed certificate is TRUST (harmless if it already is): RACDCERT LIST "
             "shows its Status, and a certificate marked NOTRUST is not handed out from the ring.")
    if ca_label:
        how = "racf-ca"
        from_ring = ca is None
        words = (f"The renewal is signed by {ca_label!r}"
                 + (", the only CA on the certificate's ring (the issuer itself is not listed in the "
                    "session: an assumption)" if from_ring else ", the CA that issued it")
                 + f", {dated}.")
        why = f"Issue {label!r} again from the same key pair, {dated}, signed by {ca_label!r}."
    elif self_signed:
        how = "self-signed"
        words = (f"{label!r} is self-signed, so its renewal is self-signed as well, {dated}; every "
                 "partner that trusts the old copy must be given the new one.")
        why = f"Issue {label!r} again from the same key pair, self-signed as before, {dated}."
    else:
        how = "unknown-ca"
        words = (f"The issuing CA ({cert.issuer or 'not shown'}) is not in the session: the GENCERT "
                 f"below carries the placeholder {PLACEHOLDER_CA!r}. Replace it with the CA's label "
                 "(RACDCERT CERTAUTH LIST shows it); if RACF does not hold that CA's private key, send "
                 "the request to the CA instead and add its answer with RACDCERT ADD. "
                 f"The new certificate is {dated}.")
        why = (f"Issue {label!r} again from the same key pair, {dated}. PLACEHOLDER: put the issuing "
               "CA's label in SIGNWITH before running it.")
    out = RenewalPlan(how, ca_label=ca_label, notafter=notafter, words=words)
    out.steps = [(genreq, None), (gencert, why), trust]
    return out


def renewal(ctx: Context, cert: CertInfo, incident: datetime | None, conn=None,
            dsn: str | None = None, today: date | None = None) -> tuple[list, str | None, date]:
    """(fix objects, signing CA label, new NotAfter): GENREQ, GENCERT, ALTER TRUST when RACF
    signs; GENREQ, the request sent, ADD when an external CA signs (see :func:`plan`)."""
    got = plan(ctx, cert, incident, conn, dsn, today)
    notafter = got.notafter or new_not_after(cert, incident, issuer_of(ctx, cert), today)
    return got.fixes, got.ca_label, notafter


def length_words(cert: CertInfo) -> str:
    """``its original 365 days`` / ``one year (its start date is not shown)``."""
    if cert.not_after and cert.not_before and cert.not_after > cert.not_before:
        return f"its original validity of {(cert.not_after - cert.not_before).days} days"
    return "one year (its original start date is not shown)"
