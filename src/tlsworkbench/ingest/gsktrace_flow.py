"""Group GSKSRVR trace records into handshakes and decode their messages.

Records are grouped per (job, process, thread); a handshake opens at
``gsk_secure_socket_init`` entry or "Establishing secure connection with
a.b.c.d.port" and closes at the exit of ``gsk_secure_socket_init`` (its exit
status is the handshake's rc), when the thread starts another handshake, or at
the end of the trace. Only open handshakes are held, so a long trace streams.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterator

from tlsworkbench.model.connection import Endpoint
from tlsworkbench.model.entities import CertInfo
from tlsworkbench.model.trace import Handshake, HandshakeMessage, TraceRecord
from tlsworkbench.tls.certificates import describe
from tlsworkbench.tls.handshake import TlsMessage, decode, decode_alert
from tlsworkbench.tls.records import looks_like_record
from tlsworkbench.tls.names import (HANDSHAKE_CODES, gsk_message_name, gsk_protocol_version,
                                    split_cipher_specs, suite_by_spec, suite_name, version_name)

from .hexdump import merge

_PEER = re.compile(r"(?:Establishing secure connection with|handshake with|connection with"
                   r"|Socket closed by)\s+(\S+?)\.?$")
_MSG = re.compile(r"^(Sent|Received)\s+(?:(?:SSL\s+|TLS\s+)?V[23](?:\.\d)?\s+)?([A-Z][A-Z0-9-]*)\s+message",
                  re.I)
"""``Received CLIENT-HELLO message``; older System SSL levels wrote the protocol
first: ``Sent V3 CLIENT-HELLO message`` (IBM-MAIN, a z/OS V2R2 trace)."""
_OLD_PREFIX = re.compile(r"^(?:(?:SSL|TLS)\s+)?V[23](?:\.\d)?\s+", re.I)
_ROLE = re.compile(r"Performing (?:SSL V\d|TLS V?[\d.]+)\s+(server|client) handshake", re.I)
_SPECS = re.compile(r"SSL V3 cipher specs:\s*([0-9A-Fa-f]+)")
_PROTO = re.compile(r"Using\s+(TLSV1(?:\.\d)?|SSLV[23])\s+protocol", re.I)
_SPEC = re.compile(r"Using V3 cipher specification\s+([0-9A-Fa-f]{2,4})")
_LABEL = re.compile(r"(?:Using (?:server|client) certificate|Default label)\s+'([^']*)'")
# Detail lines that can carry what a handshake needs start with one of these.
_KEYWORDS = ("Sent ", "Received ", "Performing ", "SSL V3 cipher specs", "Using ", "Default label",
             "Establishing ", "Socket closed", "Creating new session", "Exit status")
_VERSION_CODES = {"SSLv3": 0x0300, "TLSv1.0": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303,
                  "TLSv1.3": 0x0304}


def endpoint(text: str) -> Endpoint | None:
    """``"192.168.20.91.1034"`` -> Endpoint("192.168.20.91", 1034)."""
    ip, _, port = text.strip().rstrip(".").rpartition(".")
    if not ip or not port.isdigit():
        return None
    if ip.upper().startswith("::FFFF:"):
        ip = ip[7:]
    return Endpoint(ip, int(port))


class _Open:
    def __init__(self, hs: Handshake):
        self.hs = hs
        self.pending: HandshakeMessage | None = None
        self.version: int | None = None
        self.last_dump = None
        self.error: str | None = None
        self.closed_by: str | None = None
        self.done = False
        self.loose_certs: list[tuple[str, bytes]] = []


class FlowBuilder:
    def __init__(self, artifact: str):
        self.artifact = artifact
        self.open: dict[tuple, _Open] = {}
        self.count = 0
        self.seen_certs: set[bytes] = set()

    # -- feeding ----------------------------------------------------------
    def add(self, tr: TraceRecord) -> list:
        """Take one record; returns the handshakes (and CertInfos) it completes."""
        if tr.job is None:  # no Job line: it cannot be placed on a thread
            return []
        out = self._add(tr)
        return list(out) if out is not None else []

    def _add(self, tr: TraceRecord) -> Iterator | None:
        key = (tr.job, tr.process, tr.thread)
        st = self.open.get(key)
        fn = tr.function or ""
        if st is not None and tr.kind == "SSL_INFO" and tr.dump is None and fn != "gsk_secure_socket_init":
            for d in tr.detail:
                if d.startswith(_KEYWORDS):
                    break
            else:  # plain bookkeeping inside a handshake
                hs = st.hs
                hs.records.append(f"{tr.artifact}:{tr.line}")
                if tr.time is not None:
                    hs.end = tr.time
                hs.end_text = tr.time_text
                return None
        return self._add_slow(tr, key, st, fn, " ".join(tr.detail))

    def _add_slow(self, tr, key, st, fn, text) -> Iterator:
        if fn == "gsk_secure_socket_init" and tr.kind == "SSL_ENTRY":
            if st is not None and (st.hs.messages or st.done or st.hs.peer):
                yield from self._close(key)
                st = None
        m_peer = _PEER.search(text) if tr.kind in ("SSL_INFO", "SSL_ERROR") else None
        if text.startswith("Establishing secure connection") and st is not None \
                and (st.hs.messages or st.done):
            yield from self._close(key)
            st = None
        if st is None:
            if not (fn == "gsk_secure_socket_init" or m_peer or _MSG.match(text)
                    or tr.dump is not None and _msg_title(tr.dump.title)):
                return
            st = self._new(key, tr)
        hs = st.hs
        hs.records.append(tr.id)
        if tr.time is not None:
            hs.end = tr.time
        hs.end_text = tr.time_text
        hs.system = hs.system or tr.system
        if m_peer and hs.peer is None:
            hs.peer = endpoint(m_peer.group(1))
        self._info(st, tr, text)
        if fn == "gsk_secure_socket_init" and tr.kind == "SSL_EXIT":
            hs.rc = tr.exit_status if tr.exit_status is not None else hs.rc
            st.done = True
            yield from self._close(key)

    def _new(self, key, tr: TraceRecord) -> _Open:
        hs = Handshake(id="", artifact=self.artifact, line=tr.id, system=tr.system, job=tr.job,
                       process=tr.process, thread=tr.thread, start=tr.time, start_text=tr.time_text)
        st = _Open(hs)
        self.open[key] = st
        return st

    def _info(self, st: _Open, tr: TraceRecord, text: str) -> None:
        hs = st.hs
        if tr.kind == "SSL_ERROR":
            st.error = st.error or text
            if tr.exit_status and hs.rc is None:
                hs.rc = tr.exit_status  # gsk_secure_socket_init's exit, if traced, wins
            if text.startswith("Socket closed by"):
                st.closed_by = text.rstrip(".")
        elif tr.exit_status and tr.function != "gsk_secure_socket_init" and not st.error:
            st.error = f"{tr.function} returned {tr.exit_status}"
        if tr.dump is not None:
            self._dump(st, tr)
            return
        for line in tr.detail:
            if not line.startswith(_KEYWORDS):
                continue
            m = _MSG.match(line)
            if m:
                name = gsk_message_name(m.group(2))
                if name:
                    msg = HandshakeMessage(line=tr.id, direction="out" if m.group(1).lower() == "sent"
                                           else "in", type=name,
                                           handshake_type=HANDSHAKE_CODES.get(name),
                                           time=tr.time, time_text=tr.time_text)
                    hs.messages.append(msg)
                    st.pending = msg
                continue
            if hs.role is None and (r := _ROLE.search(line)):
                hs.role = r.group(1).lower()
            elif (s := _SPECS.search(line)):
                hs.enabled_specs = [suite_name(c) for c in split_cipher_specs(s.group(1))]
            elif (p := _PROTO.search(line)):
                hs.version = gsk_protocol_version(p.group(1)) or hs.version
                st.version = _VERSION_CODES.get(hs.version or "", st.version)
            elif (c := _SPEC.search(line)):
                found = suite_by_spec(c.group(1))
                hs.cipher_spec = c.group(1).upper()
                if found:
                    hs.cipher_suite = found[1]
            elif (lb := _LABEL.search(line)):
                if line.startswith("Using") or hs.certificate_label is None:
                    hs.certificate_label = lb.group(1)

    def _dump(self, st: _Open, tr: TraceRecord) -> None:
        dump = tr.dump
        name = _msg_title(dump.title)
        if not name:
            prev = st.last_dump
            if prev is not None and not dump.title and merge(prev[1].dump, dump):
                self._attach(st, prev[0], prev[1])
            elif dump.complete and dump.data[:2] == b"\x30\x82":
                st.loose_certs.append((tr.id, bytes(dump.data)))  # e.g. "Encoded signature stream"
            return
        pend = st.pending
        if pend is not None and pend.type == name and not pend.has_bytes:
            msg = pend
            msg.line, msg.time, msg.time_text = tr.id, tr.time or msg.time, tr.time_text
        else:
            fn = tr.function or ""
            direction = "in" if fn.startswith(("read_", "gsk_read")) else \
                "out" if fn.startswith(("send_", "write_", "gsk_write")) else \
                ("in" if (st.hs.role == "server") == name.startswith("Client") else "out")
            msg = HandshakeMessage(line=tr.id, direction=direction, type=name,
                                   handshake_type=HANDSHAKE_CODES.get(name),
                                   time=tr.time, time_text=tr.time_text)
            st.hs.messages.append(msg)
        st.pending = None
        st.last_dump = (msg, tr)
        self._attach(st, msg, tr)

    def _attach(self, st: _Open, msg: HandshakeMessage, tr: TraceRecord) -> None:
        dump = tr.dump
        data = dump.prefix() if not dump.first_offset else b""
        if not data:
            if dump.gaps:
                msg.complete, msg.stopped_at, msg.problem = False, 0, dump.gap_text()
            return
        if msg.type == "Alert" and not looks_like_record(data):
            decoded = [decode_alert(data)]
        elif msg.type == "ChangeCipherSpec":
            msg.has_bytes = True
            return
        else:
            decoded = decode(data, st.version)
        first = decoded[0]
        if first.type not in (msg.type, "HelloRetryRequest") and msg.type != "Alert":
            if first.type == "Unknown":
                msg.has_bytes, msg.complete = True, False
                msg.stopped_at, msg.problem = first.stopped_at, first.problem
                return
        _fill(msg, first)
        if msg.type == "ServerHello" and first.version:
            st.version = first.version
            st.hs.version = version_name(first.version)
            if first.cipher_suite is not None:
                st.hs.cipher_suite = suite_name(first.cipher_suite)
        if dump.gaps or dump.problems:
            msg.complete = False
            gap = dump.gap_text()
            if msg.stopped_at is None:
                msg.stopped_at = len(data)
            msg.problem = f"{msg.problem}; {gap}" if msg.problem else gap

    # -- closing ----------------------------------------------------------
    def _close(self, key) -> Iterator:
        st = self.open.pop(key, None)
        if st is None:
            return
        hs = st.hs
        hs.messages = _dedup(hs.messages)
        if hs.role is None and hs.messages:
            first = hs.messages[0]
            if first.type == "ClientHello":
                hs.role = "server" if first.direction == "in" else "client"
        if hs.messages:
            last = hs.messages[-1]
            hs.stopped = f"after {last.type} ({'sent' if last.direction == 'out' else 'received'})"
        if hs.rc:
            hs.reason = f"gsk_secure_socket_init returned {hs.rc}" + (f": {st.error}" if st.error else "")
        elif st.closed_by:
            hs.reason = st.closed_by.replace("Socket closed", "socket closed")
        elif st.error:
            hs.reason = st.error
        elif hs.rc == 0:
            hs.reason = "handshake completed"
        else:
            hs.reason = "the trace ends before gsk_secure_socket_init returns"
        self.count += 1
        hs.id = f"h{self.count}"
        yield hs
        yield from _certinfos(hs, self.seen_certs, st.loose_certs)

    def finish(self) -> Iterator:
        for key in list(self.open):
            yield from self._close(key)


def _msg_title(title: str) -> str | None:
    t = title.strip()
    if t.lower().endswith(" message"):
        return gsk_message_name(_OLD_PREFIX.sub("", t[:-8]))
    return None


def _fill(msg: HandshakeMessage, tm: TlsMessage) -> None:
    f = tm.fields
    msg.has_bytes = True
    msg.type = tm.type if tm.type != "Unknown" else msg.type
    msg.handshake_type = tm.handshake_type if tm.handshake_type is not None else msg.handshake_type
    msg.version = version_name(tm.version)
    offered = [v for v in f.get("supported_versions") or [] if v and v.startswith(("TLS", "SSL"))]
    if tm.type == "ClientHello" and offered:
        msg.version = max(offered, key=lambda v: (v.startswith("TLS"), v))
    msg.cipher_suites = [suite_name(c) for c in tm.cipher_suites]
    msg.cipher_suite = suite_name(tm.cipher_suite) if tm.cipher_suite is not None else None
    msg.extensions = tm.extensions
    msg.server_name = tm.server_name
    msg.complete, msg.stopped_at, msg.problem = tm.complete, tm.stopped_at, tm.problem
    certs = [describe(der) for der in tm.certificates]
    if "partial_certificate" in f:
        certs.append(describe(f["partial_certificate"], f["certificate_lengths"][-1]))
    msg.certificates = certs
    msg.fields = {k: v for k, v in f.items()
                  if k not in ("certificates", "partial_certificate", "certificate_authority_ders",
                               "cipher_suites", "extension_codes")}
    msg.ders = list(tm.certificates)


def _dedup(msgs: list[HandshakeMessage]) -> list[HandshakeMessage]:
    """Sort by time (stable) and drop repeats of one message (the same excerpt
    pasted twice), keeping the copy that decoded furthest."""
    best: dict[tuple, HandshakeMessage] = {}
    order: list[tuple] = []
    for m in msgs:
        key = (m.time_text, m.type, m.direction)
        if key not in best:
            best[key] = m
            order.append(key)
        elif _score(m) > _score(best[key]):
            best[key] = m
    out = [best[k] for k in order]
    out.sort(key=lambda m: m.time or m.time_text)
    return out


def _score(m: HandshakeMessage) -> tuple:
    return (m.has_bytes, m.complete, m.stopped_at or 0, len(m.certificates))


def _certinfos(hs: Handshake, seen: set, loose: list) -> Iterator:
    """CertInfo entities for the complete certificates of the handshake (those in
    Certificate messages, then DER dumps such as "Encoded signature stream"),
    each certificate once per trace: where it was first seen."""
    try:
        from tlsworkbench.x509 import facts_from_der
    except ImportError:
        facts_from_der = None
    found = [(msg.line, der) for msg in hs.messages for der in msg.ders]
    for line, der in found + loose:
        if der in seen:
            continue
        seen.add(der)
        info = None
        if facts_from_der is not None:
            try:
                info = facts_from_der(der, line, "trace")
            except Exception:
                info = None
        if info is None:
            info = _certinfo(der, line)
        if info is not None:
            info.system = info.system or hs.system
            yield info


def _certinfo(der: bytes, line: str) -> CertInfo | None:
    facts = describe(der)
    if facts.get("partial"):
        return None
    return CertInfo(record=line, source="trace", subject=facts["subject"], issuer=facts["issuer"],
                    serial=facts["serial"], not_before=datetime.fromisoformat(facts["not_before"]),
                    not_after=datetime.fromisoformat(facts["not_after"]), sha256=facts["sha256"],
                    der=der)
