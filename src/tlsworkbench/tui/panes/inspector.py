"""Certificate inspector: facts and checks of the selected certificate in
certigo's colours (valid green, expiring yellow, expired red; MD5/SHA-1 and
small keys red), its chain, the host-name verdict. Inspecting is not verifying."""

from __future__ import annotations

import weakref
from datetime import datetime, timezone

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tlsworkbench.model.records import Record
from tlsworkbench.x509.chain import build_chain
from tlsworkbench.x509.checks import ERROR, WARNING, check_cert, undetailed_labels, validity_state
from tlsworkbench.x509.hostname import check_host

from ..text import plain, set_line
from ..themes import color
from .base import WatchesSelection
from .textbox import TextBox

def validity(cert, at: datetime, warn_days: int = 60) -> tuple[str, str]:
    """(state, words): the state of ``x509.checks.validity_state`` and the words
    for it."""
    state = validity_state(cert, at, warn_days)
    nb, na = cert.not_before, cert.not_after
    if state == "unknown":
        return state, "validity unknown"
    if state == "not-yet-valid":
        return state, f"not valid before {nb:%Y-%m-%d}"
    if state == "expired":
        return state, f"expired {na:%Y-%m-%d}"
    if state == "expiring":
        at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
        return state, f"expires {na:%Y-%m-%d} ({(na - at).days} days)"
    return state, f"valid until {na:%Y-%m-%d}"


def now() -> datetime:
    """The current time (UTC): what certificates are checked against when the
    evidence has no time of its own (tests fix it in tests/conftest.py)."""
    return datetime.now(timezone.utc)


_LATEST: list = [None, -1, None]
"""(weak reference to a session, its number of connections, their last time)"""


def _latest(session):
    """The last time of any connection of the session, remembered for the last
    session asked about (a million-line session has ~80,000 connections)."""
    ref, n, t = _LATEST
    if ref is not None and ref() is session and n == len(session.connections):
        return t
    from tlsworkbench.model.connset import objects
    from tlsworkbench.model.rowquery import row_latest

    times = [c.last_time for c in objects(session.connections) if c.last_time]
    rows = row_latest(session.connections)  # the rows' latest time, read as a column
    if rows is not None:
        times.append(rows)
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
        return now()
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


class InspectorPane(WatchesSelection, Vertical):
    HELP = "inspector.md"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.session = None
        self.cert = None
        self.host: str | None = None
        self.at: datetime = now()
        self._drawn: tuple | None = None
        self.empty = ""
        """What the pane says when no certificate is shown (the selection's own state)."""

    def compose(self) -> ComposeResult:
        yield Static(plain("Certificate"), classes="pane-title", id="inspector-title")
        yield TextBox(id="inspector-body")

    def set_session(self, session) -> None:
        self.session = session
        self.cert = None
        self.empty = ""
        self.at = incident_time(session)
        self._draw()

    def restyle(self) -> None:
        self._draw()  # its key holds the theme

    def show_cert(self, record: str | None, at: datetime | None = None,
                  host: str | None = None) -> None:
        s = self.session
        self.cert = next((c for c in s.certs if c.record == record), None) if s else None
        self.empty = ""
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
            h = rec.fields.get("hostname") if isinstance(rec, Record) else None
            if h:
                host = h
                break
        certs = [c for c in s.certs if c.record in rel.certs]
        certs.sort(key=lambda c: (c.owner == "CERTAUTH", bool(c.is_ca), c.record))
        if certs:
            self.show_cert(certs[0].record, at, host)
        elif rel.record:
            # the pane follows the selection: never a previous connection's certificate
            self.cert, self.at, self.host = None, at, host
            rings = ", ".join(str(r) for r in list(rel.rings)[:3])
            self.empty = ("No certificate of the evidence belongs with the selected line" +
                          (f" (its key ring: {rings})" if rings else "") +
                          ".\n\nSelect a certificate in the key ring pane.")
            self._draw()

    def _draw(self) -> None:
        body = self.query_one("#inspector-body", TextBox)
        c = self.cert
        key = (id(self.session), id(c), self.at, self.host, self.app.theme, self.empty)
        if key == self._drawn:
            return  # the same certificate at the same time: the text is right already
        self._drawn = key
        if c is None and self.empty:
            body.show(plain(self.empty, style="dim"))
            return
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
        checks = self._check_list(c)
        flagged = {k.id.partition("-")[0] for k in checks if k.severity in (ERROR, WARNING)}
        state, words = validity(c, self.at, self._warn_days())
        row("Validity", f"{c.not_before:%Y-%m-%d} .. {c.not_after:%Y-%m-%d}"
            if c.not_before and c.not_after else None)
        row("At", f"{self.at:%Y-%m-%d %H:%M} UTC: {words}",
            {"valid": ok, "expiring": warn}.get(state, bad))
        row("Status", c.status, bad if (c.status or "").upper() == "NOTRUST" else "")
        key = f"{c.key_type or '?'} {c.key_size or '?'}" if (c.key_type or c.key_size) else None
        row("Key", key, bad if "key" in flagged else ok)
        row("Signature", c.signature_algorithm, bad if "signature" in flagged else ok)
        row("Key usage", ", ".join(c.key_usage))
        row("Alt names", ", ".join(c.san))
        row("Private key", {True: "yes", False: "NO"}.get(c.private_key),
            bad if c.private_key is False else "")
        row("Rings", ", ".join(c.rings))
        row("SHA-256", c.sha256)
        row("Source", f"{c.source} ({c.record})", "dim")
        t.append("\n")
        self._checks(t, checks)
        self._chain(t, c)
        if self.host:
            self._host(t, c)
        t.append("\nInspecting is not verifying: these facts come from the evidence; only "
                 "the handshake proves the chain is accepted.", style="italic dim")
        body.show(t)
        set_line(self.query_one("#inspector-title", Static),
                 plain(f"Certificate  {c.label or c.subject or ''}"))

    def _warn_days(self) -> int:
        return self.app.config.warn_days

    def _check_list(self, c) -> list:
        """``x509.checks.check_cert`` at the incident time, against the session's
        certificates and rings (the same checks as ``tlsworkbench cert``)."""
        pool = self.session.certs if self.session else []
        rings = self.session.rings if self.session else []
        return check_cert(c, at=self.at, host=self.host, pool=pool, warn_days=self._warn_days(),
                          undetailed=undetailed_labels(rings, pool))

    def _checks(self, t: Text, checks: list) -> None:
        bad, warn = color(self.app, "cert-expired"), color(self.app, "cert-expiring")
        lines = [(k.severity, k.message, k.citation) for k in checks]
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
        res = build_chain(c, list(self.session.certs), at=self.at, host=self.host)
        t.append("\nChain\n", style="bold")
        t.append(plain(res.summary()))
        t.append("\n")
        for p in res.problems:
            t.append(plain(f" {p.severity} {p.message}"))
            t.append(plain(f"  [{p.citation}]\n", style="dim"))
        if res.webpki:
            t.append(plain(f"WebPKI: {res.webpki}\n", style="dim"))

    def _host(self, t: Text, c) -> None:
        ok, bad = color(self.app, "cert-valid"), color(self.app, "cert-expired")
        t.append("\nHost name\n", style="bold")
        verdicts = [(v.matched, f"{v.rule}: {v.sentence}") for v in check_host(c, self.host)]
        for good, words in verdicts:
            t.append(plain(f" {'ok ' if good else 'NO '} {words}\n", style=ok if good else bad))
