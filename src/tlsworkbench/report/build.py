"""What a ticket-ready report says, as plain data (the renderers only format it).

``build(session)`` gathers: the summary of findings (cause, severity, return
codes, confidence), for each finding its evidence lines, explanation, fix and
verification commands, the handshake ladder of the failing connections (from
the decoded trace when there is one, else from the AT-TLS messages of both
sides), the certificate facts, and the artifacts with their SHA-256 checksums.
Every string in it is untrusted text from the artifacts: renderers escape it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from tlsworkbench import clock

from tlsworkbench.model import Session
from tlsworkbench.model.ladder import Ladder, Rung  # noqa: F401  (re-exported: the report's ladder data)
from tlsworkbench.model.records import split_record_id


@dataclass
class Evidence:
    artifact: str
    line: int | None
    text: str


@dataclass
class FindingView:
    id: str
    cause: str
    severity: str
    title: str
    explanation: str
    rcs: list[int]
    confidence: float
    rc_meanings: list[str]
    evidence: list[Evidence]
    commands: list[tuple[str, str]]
    """(purpose, text)"""
    verify: list[str]
    next_steps: list[str]
    connections: list[str]


@dataclass
class Report:
    title: str
    created: str
    findings: list[FindingView]
    ladders: list[Ladder]
    certs: list[dict]
    artifacts: list[dict]
    connections: int
    failing: int
    redacted: bool = False
    notes: list[str] = field(default_factory=list)
    user_notes: list[Evidence] = field(default_factory=list)
    """The user's notes on lines (the workbench's ``n``): where, and the note
    (untrusted text, like everything else here)."""


def build(session: Session, title: str = "TLS diagnosis", redacted: bool = False,
          max_evidence: int = 12) -> Report:
    findings = [_finding(session, f, max_evidence) for f in session.findings]
    from tlsworkbench.model.connection import failing as failing_of

    failing = failing_of(session.connections, session.findings)
    return Report(
        title=title,
        created=clock.now().isoformat(timespec="seconds"),
        findings=findings,
        ladders=_ladders(session, failing),
        certs=[_cert(c) for c in session.certs[:100]],
        artifacts=[_artifact(a) for a in session.artifacts],
        connections=len(session.connections),
        failing=len(failing),
        redacted=redacted,
        user_notes=_user_notes(session),
    )


def _user_notes(session: Session) -> list[Evidence]:
    out = []
    for rid, text in sorted((session.notes or {}).items(), key=lambda kv: _order(kv[0])):
        try:
            aid, line = split_record_id(rid)
        except ValueError:
            aid, line = rid, None
        art = session.artifact(aid)
        out.append(Evidence(art.path if art is not None else aid, line, str(text)))
    return out


def _order(rid: str) -> tuple:
    try:
        aid, line = split_record_id(rid)
    except ValueError:
        return (len(rid), rid, 0)
    return (len(aid), aid, line or 0)


def _finding(session: Session, f, max_evidence: int) -> FindingView:
    ev = []
    for rid in f.evidence[:max_evidence]:
        rec = session.record(rid)
        try:
            aid, line = split_record_id(rid)
        except ValueError:
            aid, line = rid, None
        art = session.artifact(aid)
        ev.append(Evidence(art.path if art is not None else aid, line,
                           getattr(rec, "text", "") if rec is not None else ""))
    meanings = []
    for rc in f.rcs:
        try:
            from tlsworkbench.engine import describe_rc

            m = describe_rc(rc)
        except Exception:
            m = None
        if not m:
            m = f"RC {rc}: meaning not in the reference"
        meanings.append(m if m.startswith(f"RC {rc}") else f"RC {rc}: {m}")
    return FindingView(
        id=f.id, cause=f.cause, severity=f.severity, title=f.title, explanation=f.explanation,
        rcs=list(f.rcs), confidence=float(f.confidence or 0), rc_meanings=meanings, evidence=ev,
        commands=[(c.purpose or "", c.text) for c in f.commands],
        verify=[c.text for c in f.verify], next_steps=list(f.next_steps),
        connections=list(f.connections))


# -- ladders ------------------------------------------------------------------------------------
def _ladders(session: Session, failing) -> list[Ladder]:
    from tlsworkbench.model.connset import objects

    by_id = {c.id: c for c in objects(session.connections)}  # a row peer is asked for by id
    hs = {h.id: h for h in session.handshakes}
    done: set[str] = set()
    out: list[Ladder] = []
    for c in failing:
        if c.id in done:
            continue
        peer = (by_id.get(c.peer) or session.connection(c.peer)) if c.peer else None
        done.add(c.id)
        if peer is not None:
            done.add(peer.id)
        client, server = _sides(c, peer)
        left = _who(client) if client is not None else "client (no evidence)"
        right = _who(server) if server is not None else "server (no evidence)"
        lad = Ladder(title=f"{_ep(c.local)} - {_ep(c.remote)}", left=left, right=right)
        rungs: list[tuple] = []
        for conn, side in ((client, "left"), (server, "right")):
            if conn is None:
                continue
            for hid in conn.handshakes:
                h = hs.get(hid)
                if h is None:
                    continue
                for m in h.messages:
                    # "out" from the traced side goes towards the other side
                    arrow_side = side if m.direction == "out" else ("right" if side == "left" else "left")
                    extra = _msg_extra(m)
                    rungs.append((m.time or conn.first_time, m.time_text, arrow_side,
                                  f"{m.type}{extra}", True))
                if h.reason or h.rc:
                    rungs.append((h.end or conn.last_time, h.end_text, side,
                                  f"stops {h.stopped or ''}: {h.reason or ''}"
                                  + (f" (RC {h.rc})" if h.rc else ""), False))
            for rid in conn.records:
                rec = session.record(rid)
                if rec is None or getattr(rec, "msgid", None) not in ("EZD1286I", "EZD1287I", "EZD1283I",
                                                                      "ICH408I", "EZA2897I"):
                    continue
                rc = rec.fields.get("rc")
                text = f"{rec.msgid}" + (f" RC {rc}" if rc is not None else "")
                ev = rec.fields.get("event")
                if ev:
                    text += f" {ev}"
                t = rec.time
                rungs.append((t, t.strftime("%H:%M:%S.%f")[:-4] if t else "", side, text, False))
        rungs.sort(key=lambda r: (r[0] is None, r[0] or datetime.min))
        lad.rungs = [Rung(time=r[1], side=r[2], text=r[3], arrow=r[4]) for r in rungs[:60]]
        out.append(lad)
    return out


def _sides(c, peer):
    if c.role == "server" or (peer is not None and peer.role == "client"):
        return peer, c
    return c, peer


def _who(c) -> str:
    bits = [b for b in (c.system, c.job, f"user {c.user}" if c.user else None) if b]
    return " ".join(bits) + (f" ({_ep(c.local)})" if c.local else "")


def _ep(ep) -> str:
    return str(ep) if ep is not None else "?"


def _msg_extra(m) -> str:
    bits = []
    if m.version:
        bits.append(m.version)
    if m.cipher_suite:
        bits.append(m.cipher_suite)
    elif m.cipher_suites:
        bits.append(f"{len(m.cipher_suites)} suites offered")
    if m.certificates:
        bits.append(f"{len(m.certificates)} certificate(s)")
    return f" ({', '.join(bits)})" if bits else ""


# -- certificates and artifacts ------------------------------------------------------------------
def _cert(c) -> dict:
    return {
        "label": c.label, "owner": c.owner, "source": c.source, "subject": c.subject,
        "issuer": c.issuer, "serial": c.serial,
        "not_before": c.not_before.isoformat() if c.not_before else None,
        "not_after": c.not_after.isoformat() if c.not_after else None,
        "key": f"{c.key_type or '?'} {c.key_size or ''}".strip() if (c.key_type or c.key_size) else None,
        "signature": c.signature_algorithm, "san": list(c.san), "rings": list(c.rings),
        "private_key": c.private_key, "status": c.status, "system": c.system,
    }


def _artifact(a) -> dict:
    sha = a.sha256
    if not sha:
        try:
            sha = hashlib.sha256(a.raw()).hexdigest()
        except OSError:
            sha = "(not readable)"
    return {"name": a.path, "kind": a.kind, "encoding": a.encoding, "size": a.size,
            "sha256": sha, "records": a.records, "unparsed": a.unparsed, "note": a.note}
