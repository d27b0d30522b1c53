"""Findings for the programs that call System SSL themselves (native FTP, TN3270,
CICS, MQ, Db2, z/OSMF/Zowe, HWTH): the same cause ids as AT-TLS, with the
application's own configuration change and refresh.

The AT-TLS rules already see every failing connection, native ones included:
they find the ring (``Connection.keyring``, which correlation resolved from the
family's ``AppConfig``), the certificates and the RACF commands. ``adjust``
runs after them and

* takes the AT-TLS-only steps (policy edits, ``F PAGENT,UPDATE``, pasearch)
  out of the findings of native connections and puts the family's own
  configuration edit and refresh in (diagnose/families/);
* explains the native failures no rule explained from the System SSL code
  (``CODE_CAUSES``), and a client's host name check (FTP ``SECURE_HOSTNAME
  REQUIRED``) from the server certificate's names even when no line holds
  CMS status 0335304B.
"""

from __future__ import annotations

import logging

from tlsworkbench.model import Command, Connection, Finding
from tlsworkbench.model.correlate_native import app_config

from . import families
from . import fixes as fx
from .causes import MEDIUM, Score, finding
from .common import next_steps, rc_list
from .evidence import Context
from .families.appconfig import label_evidence, label_hint
from .families.ftp_checks import hostname as _hostname
from .families.ftp_checks import no_keyring as _no_keyring
from .families.native_words import native_words as _native_words
from .families.native_words import trace_step as _trace_step
from tlsworkbench.model.connset import objects

_log = logging.getLogger(__name__)

CODE_CAUSES: dict[int, str] = {
    202: "keyring-not-found",
    6: "certificate-not-on-ring",
    407: "certificate-not-on-ring",
    428: "private-key-unavailable",
    401: "certificate-expired",
    8: "ca-not-trusted",
    435: "ca-not-trusted",
    414: "ca-not-trusted",
    402: "cipher-mismatch",
    422: "cipher-mismatch",
    412: "protocol-mismatch",
    403: "client-certificate-missing",
    406: "peer-reported-error",
    420: "peer-reported-error",
    438: "peer-reported-error",
}
"""System SSL return code -> cause id, for native failures no AT-TLS rule explained
(meanings: System SSL Programming, "Function return codes"; see reference/)."""

_AT_TLS_ONLY = ("F PAGENT", "PASEARCH")
_EVIDENCE_KEYWORD = {"hostname-mismatch": "SECURE_HOSTNAME", "cipher-mismatch": "CIPHERSUITE",
                     "handshake-timeout": "TLSTIMEOUT"}
"""The configuration line a finding of this cause cites (else the KEYRING line)."""


_RING_CAUSES = frozenset({"keyring-not-found", "keyring-not-authorized", "certificate-not-on-ring",
                          "private-key-unavailable", "ca-not-trusted", "certificate-expired",
                          "certificate-not-yet-valid", "client-certificate-missing"})


def _attls_words(text: str) -> bool:
    up = text.upper()
    return "PAGENT" in up or "EZD128" in up or "TTLS" in up


def adjust(ctx: Context, found: list[Finding]) -> list[Finding]:
    """The findings with the native families' fixes in place (see the module doc)."""
    natives = {c.id: c for c in objects(ctx.s.connections) if c.family != "attls"}  # rows: attls
    if natives:
        try:
            found = _adjust(ctx, found, natives)
            for f in found:
                conn = natives.get(f.connections[0]) if f.connections else None
                if conn is not None and not (conn.connid or conn.rule) \
                        and not getattr(families.module(conn.family), "USES_ATTLS", False):
                    f.next_steps = [_trace_step(t, conn) for t in f.next_steps]
        except Exception:  # a broken native rule must not hide the AT-TLS findings
            _log.exception("native diagnosis failed")
    try:
        from .families.ftp_attls import client_findings

        found = found + client_findings(ctx, found)
    except Exception:
        _log.exception("FTP client (AT-TLS) diagnosis failed")
    return found


def _adjust(ctx: Context, found: list[Finding], natives: dict[str, Connection]) -> list[Finding]:
    out: list[Finding] = []
    explained: set[str] = set()
    for f in found:
        conn = natives.get(f.connections[0]) if f.connections else None
        if conn is None:
            out.append(f)
            continue
        if f.cause == "unexplained-failure":
            better = _family_explain(ctx, conn) or _from_code(ctx, conn)
            if better is not None:
                f = better
        elif _own_codes(ctx, conn):
            better = _family_explain(ctx, conn)
            if better is not None:  # the application's own codes came first: they name the cause
                f = _before_code(ctx, conn, better, f)
        elif f.cause == "cipher-mismatch" and 412 in conn.rcs and not {402, 422} & set(conn.rcs):
            f = _protocol(ctx, conn, f)
        _family_fix(ctx, f, conn)
        explained.update(i for i in f.connections if i in natives)  # a finding may cover several
        out.append(f)
    for conn in natives.values():
        if conn.id in explained:
            continue
        extra = _no_keyring(ctx, conn) or _hostname(ctx, conn)
        if extra is None and _failed(ctx, conn):
            extra = _family_explain(ctx, conn) or _from_code(ctx, conn) or _no_code(ctx, conn)
        if extra is not None:
            if not any(c.kind == "config" for c in extra.commands):
                _family_fix(ctx, extra, conn)
            out.append(extra)
    return out


def _own_codes(ctx: Context, conn: Connection) -> bool:
    """The connection's lines carry the application's own codes of an earlier step
    (R_datalib SAF/RACF codes while reading the ring) besides the System SSL code."""
    return any("saf_rc" in r.fields for r in ctx.records_of(conn))


def _before_code(ctx: Context, conn: Connection, own: Finding, generic: Finding) -> Finding:
    """One failure, not two: the server could not read its ring (R_datalib), so the
    System SSL environment it then built could not open it (RC 202 and the like). The
    family's finding stays, with the later code's line as evidence and its meaning."""
    later = [rid for rid in ctx.rc_records(conn) if rid not in own.evidence]
    own.evidence.extend(later)
    own.rcs = list(dict.fromkeys([*own.rcs, *conn.rcs]))
    for cid in generic.connections:
        if cid not in own.connections:
            own.connections.append(cid)
    if conn.rcs:
        codes = ", ".join(str(rc) for rc in conn.rcs)
        own.explanation += (f" The System SSL return code {codes} that follows on the same job "
                            f"({', '.join(conn.events) or 'environment init'}) is the consequence of the "
                            "same failure: System SSL could not open the ring the server may not read. "
                            "It is not a second fault, and the ring name is not in question.")
    return own


def _failed(ctx: Context, conn: Connection) -> bool:
    return bool(conn.rcs) or any(r.severity == "error" for r in ctx.records_of(conn))


def who(conn: Connection, mod) -> str:
    """``the FTP client USER1 on MVSA`` / ``the FTP server FTPD1 on MVSB``."""
    name = mod.NAME if mod is not None else conn.family
    role = f" {conn.role}" if conn.role and "server" not in name.lower() else ""
    job = f" {conn.job}" if conn.job else ""
    on = f" on {conn.system}" if conn.system else ""
    return f"the {name}{role}{job}{on}"


def config_of(ctx: Context, conn: Connection):
    return app_config(ctx.s, conn.family, conn.system, conn.job, conn.role)


def _family_fix(ctx: Context, f: Finding, conn: Connection) -> None:
    """AT-TLS steps out, the family's configuration edit and refresh in."""
    mod = families.module(conn.family)
    cfg = config_of(ctx, conn)
    uses_attls = bool(getattr(mod, "USES_ATTLS", False)) if mod is not None else False
    if not (conn.connid or conn.rule or uses_attls):  # AT-TLS protects it (Db2 DDF): its steps stay
        f.commands = [c for c in f.commands if c.kind != "policy" and not _attls_step(c)]
        f.verify = [_rerun(c, conn, mod) for c in f.verify if not _attls_step(c)]
    if mod is None:
        return
    hint = _hint(ctx, f, conn)
    said = _said(ctx, conn)
    if said:
        hint = {**said, **hint}
    try:
        edits = list(mod.config_fix(f.cause, cfg, conn, hint))
        again = list(mod.refresh(cfg, conn, said) if getattr(mod, "REFRESH_USES_MESSAGES", False)
                     else mod.refresh(cfg, conn)) if (f.commands or edits) else []
        if f.cause == "hostname-mismatch" and conn.role == "client":
            again = []  # its check connects again by the host name (hostname.rerun_as)
    except Exception:
        _log.exception("family %s fix failed", conn.family)
        return
    if edits:  # the family's edit replaces the generic "point the application at" step
        f.commands = [c for c in f.commands if not (c.kind == "operator" and c.text.startswith("Change "))]
    f.commands = [*f.commands, *edits, *again]
    # AT-TLS advice goes, except the family's own move to AT-TLS (TN3270 TTLSPORT)
    if not uses_attls:
        f.next_steps = [t for t in f.next_steps if not _attls_words(t) or "TTLSPORT" in t.upper()]
    if getattr(mod, "CITE_OWN_LINES", False):  # the family's own lines beside the AT-TLS one
        f.evidence += [r.id for r in ctx.records_of(conn)
                       if r.fields.get("family") == conn.family and r.id not in f.evidence]
    _native_words(f, conn, mod, cfg, again)
    if cfg is not None:
        keyword = _EVIDENCE_KEYWORD.get(f.cause, "KEYRING")
        line = (cfg.lines or {}).get(keyword) or (cfg.lines or {}).get("KEYRING") or cfg.record
        if line not in f.evidence:
            f.evidence.append(line)
        words = mod.ring_words(cfg)
        if cfg.keyring and words not in f.explanation and f.cause in _RING_CAUSES:
            f.explanation += f" {mod.NAME} takes its key ring from {words}, not from an AT-TLS policy."
        label_evidence(ctx, f, conn)
    more = getattr(mod, "explain_more", None)
    if more is not None:
        try:
            f.explanation += more(f.cause, cfg, conn)
        except Exception:
            _log.exception("family %s words failed", conn.family)
    if again:
        f.explanation += f" After the change: {again[0].text} ({mod.NAME} reads it again only then)."


def _rerun(c: Command, conn: Connection, mod) -> Command:
    """The AT-TLS re-run check names EZD1287I; a native one names the family's own success."""
    if c.kind != "check" or "EZD128" not in c.text:
        return c
    ok = getattr(mod, "SUCCESS", None) if mod is not None else None
    job = conn.job or "the application"
    text = f"Re-run the connection ({job})" + (f" and look for {ok}" if ok else " and check it succeeds")
    return Command(text=text, kind="check", purpose=c.purpose)


def _attls_step(c: Command) -> bool:
    up = c.text.upper()
    if c.kind == "operator" and up.startswith(("RESTART ", "P ", "S ")) \
            and "ENVIRONMENTUSERINSTANCE" in c.purpose.upper():
        return True  # common.restart_steps: the family's own refresh takes its place
    return any(s in up for s in _AT_TLS_ONLY) or ("UPDATE" in up and up.startswith("F PAGENT"))


def _said(ctx: Context, conn: Connection) -> dict:
    """What the connection's own messages say about the program (MQ's command prefix)."""
    out: dict = {}
    for r in ctx.records_of(conn):
        v = r.fields.get("cpf")
        if v and "cpf" not in out:
            out["cpf"] = v
    return out


def _hint(ctx: Context, f: Finding, conn: Connection) -> dict:
    hint: dict = {}
    if f.cause == "certificate-not-on-ring":
        return label_hint(ctx, f, conn)
    if f.cause == "keyring-not-found" and conn.keyring:
        try:
            from .keyring import _closest
        except ImportError:  # the rule module changed: no suggestion, the rest stands
            return hint

        rings = ctx.rings(conn.system)
        if rings and ctx.ring(conn.keyring, conn.system) is None:
            near = _closest(conn.keyring, rings)
            if near is not None:
                hint["keyring"] = near.key
    return hint


def _family_explain(ctx: Context, conn: Connection) -> Finding | None:
    """The family's own explanation (optional ``explain(ctx, conn)`` of its module), for
    codes that are not System SSL's (R_datalib's SAF/RACF codes, HWTH diagnostics)."""
    mod = families.module(conn.family)
    fn = getattr(mod, "explain", None) if mod is not None else None
    if fn is None:
        return None
    try:
        return fn(ctx, conn)
    except Exception:
        _log.exception("family %s explain failed", conn.family)
        return None


# -- from the System SSL code alone ----------------------------------------------------------
def _from_code(ctx: Context, conn: Connection) -> Finding | None:
    cause = next((CODE_CAUSES[rc] for rc in conn.rcs if rc in CODE_CAUSES), None)
    if cause is None:
        return None
    mod = families.module(conn.family)
    text = (f"{who(conn, mod)} failed with {rc_list(conn)} from System SSL, which it calls "
            f"itself. The code points to: {cause.replace('-', ' ')}; the session does not hold the "
            "RACF displays that would show which ring entry or certificate is at fault.")
    return finding(cause, "error", text, rcs=conn.rcs, evidence=ctx.rc_records(conn) or conn.records[:3],
                   connections=[conn.id] + ([conn.peer] if conn.peer else []), score=Score(0.45),
                   verify=_verify_ring(conn), next_steps=next_steps(ctx))


def _no_code(ctx: Context, conn: Connection) -> Finding:
    errs = [r.id for r in ctx.records_of(conn) if r.severity == "error"]
    mod = families.module(conn.family)
    name = mod.NAME if mod is not None else conn.family
    text = (f"{who(conn, mod)} reports a failed secure session, but no line gives the System "
            "SSL return code.")
    return finding("unexplained-failure", "error", text, rcs=conn.rcs, evidence=errs or conn.records[:3],
                   connections=[conn.id], score=Score(0.2),
                   next_steps=[f"Turn on the {name} trace that shows the System SSL return code "
                               "and re-create the failure."] + next_steps(ctx))


def _verify_ring(conn: Connection) -> list[Command]:
    if conn.keyring and "/" in conn.keyring:
        owner, _, ring = conn.keyring.partition("/")
        return [fx.RacdcertListring(owner, ring).command()]
    return []


# -- RC 412 of a native user: the protocol versions its own configuration enables ----------------
def _protocol(ctx: Context, conn: Connection, was: Finding) -> Finding:
    """RC 412 (protocol or certificate type not supported) where the application,
    not a policy, sets the protocols: name the switches its configuration codes."""
    mod = families.module(conn.family)
    cfg = config_of(ctx, conn)
    coded = mod.protocols(cfg) if mod is not None and hasattr(mod, "protocols") else {}
    on = [p for p, v in coded.items() if v]
    off = [p for p, v in coded.items() if not v]
    text = (f"{who(conn, mod)} failed with {rc_list(conn)}: the partner and this server share no "
            "protocol version (or the partner's certificate type is not supported).")
    if coded:
        text += (f" Its {mod.CONFIG} enables {', '.join(on) or 'no version explicitly'}"
                 + (f" and turns off {', '.join(off)}" if off else "") + ".")
    own = getattr(mod, "protocol_words", None) if mod is not None else None
    if own is None:
        text += (" Since z/OS V2R1 SSLv3 is off unless enabled, so an old client that offers only "
                 "SSLv3 (or only TLS 1.0) fails this way.")
    lines = [(cfg.lines or {}).get(k) for p in coded for k in (p, "NO" + p)] if cfg is not None else []
    ev = was.evidence + [x for x in lines if x]
    steps = ["Find the highest protocol version the client offers (its configuration, or a "
             "GSKSRVR trace of the ClientHello) and move it to TLS 1.2; enable an older version "
             "in the configuration only while the client is upgraded."]
    if own is not None:  # the family knows what its port can do (TN3270 SECUREPORT)
        more, steps = own(cfg, conn)
        text += more
    return finding("protocol-mismatch", "error", text, rcs=conn.rcs, evidence=ev,
                   connections=was.connections, score=Score(0.6).support(MEDIUM, "RC 412 from the "
                   "application's own System SSL call"), verify=was.verify, next_steps=steps)
