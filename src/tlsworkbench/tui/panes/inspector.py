"""Certificate inspector: facts and checks of the selected certificate in
certigo's colours (valid green, expiring yellow, expired red; MD5/SHA-1 and
small keys red), its chain, the host-name verdict. Inspecting is not verifying."""

from __future__ import annotations

import weakref
from datetime import datetime, timedelta, timezone

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..text import plain, set_line
from ..themes import color
from .base import WatchesSelection
from .textbox import TextBox

WARN_DAYS = 60
"""RACF's health check warns 60 days before a certificate expires."""


def validity(cert, at: datetime) -> tuple[str, str]:
    """(state, words): state is valid, expiring, expired, not-yet-valid or unknown."""
    nb, na = cert.not_before, cert.not_after
    if na is None:
        return "unknown", "validity unknown"
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    if nb is not None and at < nb:
        return "not-yet-valid", f"not valid before {nb:%Y-%m-%d}"
    if at > na:
        return "expired", f"expired {na:%Y-%m-%d}"
    if na - at <= timedelta(days=WARN_DAYS):
        return "expiring", f"expires {na:%Y-%m-%d} ({(na - at).days} days)"
    return "valid", f"valid until {na:%Y-%m-%d}"


def weak_signature(alg: str | None) -> bool:
    a = (alg or "").lower().replace("-", "")
    return "md5" in a or "sha1" in a or a.startswith("md2")


def small_key(cert) -> bool:
    kt = (cert.key_type or "").upper()
    size = cert.key_size or 0
    if not size:
        return False
    if kt.startswith(("RSA", "DSA")):
        return size < 2048
    if kt.startswith(("EC", "NIST")):
        return size < 256
    return False


_LATEST: list = [None, -1, None]
"""(weak reference to a session, its number of connections, their last time)"""


def _latest(session):
    """The last time of any connection of the session, remembered for the last
    session asked about (a million-line session has ~80,000 connections)."""
    ref, n, t = _LATEST
    if ref is not None and ref() is session and n == len(session.connections):
        return t
    times = [c.last_time for c in session.connections if c.last_time]
    t = max(times) if times else None
    try:
        _LATEST[:] = [weakref.ref(session), len(session.connections), t]
    except TypeError:  # a session that cannot be referenced weakly: not remembered
        pass
    return t


def incident_time(session, connections=()) -> datetime:
    """When the failure happened (UTC): the session's incident time, else the
    last time of the given (or any) connection, else now."""
    t = getattr(session, "incident_time", None)
    if not isinstance(t, datetime):
        conns = [session.connection(c) for c in connections]
        times = [c.last_time for c in conns if c is not None and c.last_time]
        t = max(times) if times else _latest(session)
    if t is None:
        return datetime.now(timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


class InspectorPane(WatchesSelection, Vertical):
    HELP = "inspector.md"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.session = None
        self.cert = None
        self.host: str | None = None
        self.at: datetime = datetime.now(timezone.utc)
        self._drawn: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain("Certificate"), classes="pane-title", id="inspector-title")
        yield TextBox(id="inspector-body")

    def set_session(self, session) -> None:
        self.session = session
        self.cert = None
        self.at = incident_time(session)
        self._draw()

    def show_cert(self, record: str | None, at: datetime | None = None,
                  host: str | None = None) -> None:
        s = self.session
        self.cert = next((c for c in s.certs if c.record == record), None) if s else None
        if at is not None:
            self.at = at
        self.host = host
        self._draw()

    def show_selection(self, rel, source: str, at: datetime | None = None) -> None:
        s = self.session
        if s is None:
            return
        if at is None:
            at = incident_time(s, rel.connections)
        host = None
        for rid in [rel.record, *sorted(rel.records)[:50]]:
            rec = s.record(rid) if rid else None
            h = (getattr(rec, "fields", None) or {}).get("hostname")
            if h:
                host = h
                break
        certs = [c for c in s.certs if c.record in rel.certs]
        certs.sort(key=lambda c: (c.owner == "CERTAUTH", bool(c.is_ca), c.record))
        if certs:
            self.show_cert(certs[0].record, at, host)

    def _draw(self) -> None:
        body = self.query_one("#inspector-body", TextBox)
        c = self.cert
        key = (id(self.session), id(c), self.at, self.host, self.app.theme)
        if key == self._drawn:
            return  # the same certificate at the same time: the text is right already
        self._drawn = key
        if c is None:
            body.show(plain("Select a certificate in the key ring pane, or a line of a "
                              "failing connection.\n\nInspecting is not verifying.", style="dim"))
            return
        ok, warn, bad = (color(self.app, "cert-valid"), color(self.app, "cert-expiring"),
                         color(self.app, "cert-expired"))
        t = Text()

        def row(name: str, value, style: str = "") -> None:
            if value in (None, "", []):
                return
            t.append(f"{name:<12}", style="bold")
            t.append(plain(str(value), style=style))
            t.append("\n")

        row("Label", c.label)
        row("Owner", c.owner)
        row("Subject", c.subject)
        row("Issuer", c.issuer)
        row("Serial", c.serial)
        state, words = validity(c, self.at)
        row("Validity", f"{c.not_before:%Y-%m-%d} .. {c.not_after:%Y-%m-%d}"
            if c.not_before and c.not_after else None)
        row("At", f"{self.at:%Y-%m-%d %H:%M} UTC: {words}",
            {"valid": ok, "expiring": warn}.get(state, bad))
        row("Status", c.status, bad if (c.status or "").upper() == "NOTRUST" else "")
        key = f"{c.key_type or '?'} {c.key_size or '?'}" if (c.key_type or c.key_size) else None
        row("Key", key, bad if small_key(c) else ok)
        row("Signature", c.signature_algorithm, bad if weak_signature(c.signature_algorithm) else ok)
        row("Key usage", ", ".join(c.key_usage))
        row("Alt names", ", ".join(c.san))
        row("Private key", {True: "yes", False: "NO"}.get(c.private_key),
            bad if c.private_key is False else "")
        row("Rings", ", ".join(c.rings))
        row("SHA-256", c.sha256)
        row("Source", f"{c.source} ({c.record})", "dim")
        t.append("\n")
        self._checks(t, c)
        self._chain(t, c)
        if self.host:
            self._host(t, c)
        t.append("\nInspecting is not verifying: these facts come from the evidence; only "
                 "the handshake proves the chain is accepted.", style="italic dim")
        body.show(t)
        set_line(self.query_one("#inspector-title", Static),
                 plain(f"Certificate  {c.label or c.subject or ''}"))

    def _checks(self, t: Text, c) -> None:
        bad, warn = color(self.app, "cert-expired"), color(self.app, "cert-expiring")
        lines = []
        try:
            from tlsworkbench.x509.checks import check_cert, undetailed_labels

            pool = self.session.certs if self.session else []
            rings = self.session.rings if self.session else []
            for item in check_cert(c, at=self.at, host=self.host, pool=pool,
                                   undetailed=undetailed_labels(rings, pool)) or []:
                sev = str(getattr(item, "severity", getattr(item, "level", "I")))[:1].upper()
                msg = getattr(item, "message", None) or getattr(item, "text", None) or str(item)
                cite = getattr(item, "citation", None) or getattr(item, "cite", "")
                lines.append((sev, msg, cite))
        except Exception:
            if small_key(c):
                lines.append(("E", f"{c.key_type} key of {c.key_size} bits is too small",
                              "NIST SP 800-131A"))
            if weak_signature(c.signature_algorithm):
                lines.append(("E", f"weak signature algorithm {c.signature_algorithm}",
                              "RFC 6151 / RFC 9155"))
            state, words = validity(c, self.at)
            if state in ("expired", "not-yet-valid"):
                lines.append(("E", words, "RFC 5280 4.1.2.5"))
            elif state == "expiring":
                lines.append(("W", words, "RACF health check"))
        if not lines:
            return
        t.append("Checks\n", style="bold")
        for sev, msg, cite in lines:
            t.append(f" {sev} ", style=bad if sev == "E" else (warn if sev == "W" else ""))
            t.append(plain(msg))
            if cite:
                t.append(plain(f"  [{cite}]", style="dim"))
            t.append("\n")

    def _chain(self, t: Text, c) -> None:
        if self.session is None:
            return
        try:
            from tlsworkbench.x509.chain import build_chain

            res = build_chain(c, list(self.session.certs), at=self.at, host=self.host)
            t.append("\nChain\n", style="bold")
            t.append(plain(res.summary()))
            t.append("\n")
            for p in res.problems:
                t.append(plain(f" {p.severity} {p.message}"))
                t.append(plain(f"  [{p.citation}]\n", style="dim"))
            if res.webpki:
                t.append(plain(f"WebPKI: {res.webpki}\n", style="dim"))
        except Exception:
            chain, cur, seen = [], c, set()
            while cur is not None and id(cur) not in seen:
                seen.add(id(cur))
                chain.append(cur)
                cur = next((x for x in self.session.certs if x.subject == cur.issuer
                            and x is not cur), None) if cur.issuer != cur.subject else None
            t.append("\nChain\n", style="bold")
            for depth, x in enumerate(chain):
                t.append(plain(f"{'  ' * depth}{x.label or x.subject}\n"))
            if chain[-1].issuer and chain[-1].issuer != chain[-1].subject:
                t.append(plain(f"{'  ' * len(chain)}issuer not in the evidence: "
                               f"{chain[-1].issuer}\n", style=color(self.app, "ring-missing")))

    def _host(self, t: Text, c) -> None:
        ok, bad = color(self.app, "cert-valid"), color(self.app, "cert-expired")
        t.append("\nHost name\n", style="bold")
        try:
            from tlsworkbench.x509.hostname import check_host

            verdicts = [(v.matched, f"{v.rule}: {v.sentence}") for v in check_host(c, self.host)]
        except Exception:
            names = [x.split(":", 1)[1].lower() for x in c.san if ":" in x]
            match = self.host.lower() in names
            verdicts = [(match, f"{self.host} is {'' if match else 'not '}in the alternative names")]
        for good, words in verdicts:
            t.append(plain(f" {'ok ' if good else 'NO '} {words}\n", style=ok if good else bad))
