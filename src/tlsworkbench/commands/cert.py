"""``tlsworkbench cert PATH... [--at TIME] [--host NAME] [--ring FILE] [--wildcard] [--json]``

Shows the facts and the checks of every certificate in PATH (certificate files,
or RACDCERT LIST output). ``--ring FILE`` (RACDCERT LISTRING + LIST output, or a
PEM bundle of CA certificates) is the pool the chain is verified against;
without it the certificates are inspected, not verified.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from tlsworkbench import jsonout

WARN_DAYS = 60



def racf_serial(serial: str | None) -> str | None:
    """A serial number as RACDCERT LIST shows it: upper-case hex in whole bytes (``0C``,
    ``00``, ``01A2B3``), not the model's compact lower-case form (``c``, ``0``)."""
    if not serial:
        return serial
    h = "".join(ch for ch in serial if ch in "0123456789abcdefABCDEF").upper()
    if not h:
        return serial
    return h.zfill(len(h) + len(h) % 2)

def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="certificate files (PEM, DER, PKCS#7, PKCS#12) or RACDCERT LIST output")
    p.add_argument("--at", metavar="TIME",
                   help="judge validity at this time, ISO 8601 (e.g. 2014-03-12T13:59:02Z; no zone = UTC);"
                        " default: now")
    p.add_argument("--host", metavar="NAME", help="host name or IP address the client asked for")
    p.add_argument("--ring", metavar="FILE", action="append", default=[],
                   help="key ring to verify against: RACDCERT LISTRING/LIST output or a PEM bundle"
                        " (may be given more than once)")
    p.add_argument("--wildcard", action="store_true",
                   help="System SSL wildcard validation is on (GSK_WILDCARD_VALIDATION_ENABLE)")
    p.add_argument("--json", action="store_true", help="write the result as JSON")


def parse_time(text: str) -> datetime:
    """ISO 8601 (``Z`` or an offset; none means UTC), also ``yyyy/mm/dd hh:mm:ss``."""
    t = text.strip().replace("/", "-")
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    dt = datetime.fromisoformat(t)  # ValueError on anything else
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


def _read(paths: list[str]):
    """A session with just the given files read (no correlation needed here)."""
    from tlsworkbench.ingest import loader
    from tlsworkbench.model import Session

    session = Session()
    for path in loader.expand(paths):
        loader.read_file(session, path)
    return session


def _unread(session) -> list[tuple[str, str]]:
    """(path, reason) of each input file no certificate came out of, with the
    first reason it could not be read (a file that only says nothing is left out)."""
    out = []
    for a in session.artifacts:
        if any(c.record and c.record.split(":")[0] == a.id for c in session.certs):
            continue
        first = next((u for u in session.unparsed if u.artifact == a.id), None)
        if first is not None or not a.records:
            out.append((a.path, first.reason if first is not None else "no certificate in it"))
    return out


def _pool(ring_paths: list[str]):
    """(session, pool, others): CertInfo of the ring file(s); with LISTRING output
    only the connected ones are the pool, the rest are ``others``."""
    if not ring_paths:
        return None, [], []
    s = _read(ring_paths)
    return (s,) + _split(s)


def _split(s):
    """(pool, others) of a ring session."""
    certs = list(s.certs)
    connected = {(e.label, e.owner.upper()) for r in s.rings for e in r.entries}
    labels = {lab for lab, _o in connected}
    if connected:
        pool = [c for c in certs if c.label is None or c.label in labels]
        return pool, [c for c in certs if c not in pool]
    return certs, []


def undetailed(ring_session, known) -> list[str]:
    """Labels connected to a ring (LISTRING) with no RACDCERT LIST details given
    (``known``: the certificates whose details are at hand)."""
    from tlsworkbench.x509.checks import undetailed_labels

    return [] if ring_session is None else undetailed_labels(ring_session.rings, known)


def run(args) -> int:
    from tlsworkbench.cli import UsageError
    from tlsworkbench.commands.common import check_inputs

    check_inputs(list(args.paths) + list(args.ring))
    at = None
    if args.at:
        try:
            at = parse_time(args.at)
        except ValueError:
            raise UsageError(f"--at: not a time: {args.at!r} (use ISO 8601, e.g. 2014-03-12T13:59:02Z)") from None
    session = _read(list(args.paths))
    unread = _unread(session)
    if session.artifacts and not session.certs and all(not a.records for a in session.artifacts):
        # nothing could be read at all: unusable input (README: exit 2), one line
        raise UsageError("cert: nothing could be read: " + "; ".join(
            f"{_p(path)} ({_p(why)})" for path, why in unread[:5])
            + (f"; and {len(unread) - 5} more" if len(unread) > 5 else ""))
    ring_session, pool, others = _pool(list(args.ring))
    verify = bool(args.ring) and (bool(pool) or bool(ring_session.rings))
    results = analyse(session, pool, at, args.host, args.wildcard, verify, others,
                      undetailed(ring_session, pool + list(session.certs)), ring_given=bool(args.ring))
    if args.json:
        jsonout.write({"certificates": [to_json(session, c, checks) for c, checks in results],
                       "unreadable": [{"path": p, "reason": why} for p, why in unread]})
    else:
        write_text(sys.stdout, session, results, args, at, pool, ring_session)
    if not results:  # asked for certificates, none found (README: exit status 1)
        print("tlsworkbench: cert: no certificate found in " + _p(", ".join(args.paths)),
              file=sys.stderr)
        return 1
    return 0


def analyse(session, pool, at, host, wildcard, verify: bool = False, others=(), blind=(),
            ring_given: bool = False):
    from tlsworkbench.x509.checks import check_cert

    out = []
    for c in session.certs:
        checks = check_cert(c, at=at, host=host, pool=pool, wildcard=wildcard, warn_days=WARN_DAYS,
                            others=others, verify=verify, undetailed=list(blind))
        if ring_given and not verify:
            for k in checks:
                if k.id == "chain-not-verified":
                    k.message = ("The --ring file holds no certificate details (RACDCERT LISTRING lists labels"
                                 " only): add the RACDCERT LIST output of the ring's certificates to check"
                                 " the chain.")
        out.append((c, checks))
    return out


def _iso(t: datetime | None) -> str | None:
    if t is None:
        return None
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _where(session, c) -> str:
    ev = jsonout.evidence(session, c.record)
    return ev["artifact"] if ev.get("line") in (None, 1) else f"{ev['artifact']}:{ev['line']}"


def to_json(session, c, checks) -> dict:
    return {
        "source": _where(session, c),
        "label": c.label, "owner": c.owner, "status": c.status, "private_key": c.private_key,
        "subject": c.subject, "issuer": c.issuer, "serial": c.serial,
        "serial_racf": racf_serial(c.serial),
        "not_before": _iso(c.not_before), "not_after": _iso(c.not_after),
        "sha256": c.sha256, "sha1": c.sha1,
        "key_type": c.key_type, "key_size": c.key_size, "signature_algorithm": c.signature_algorithm,
        "san": list(c.san), "key_usage": list(c.key_usage), "is_ca": c.is_ca,
        "checks": [{"id": k.id, "severity": k.severity, "message": k.message, "citation": k.citation}
                   for k in checks],
    }


def _p(text) -> str:
    from tlsworkbench.ingest.common import printable

    return printable(str(text))


def write_text(out, session, results, args, at, pool, ring_session) -> None:
    from tlsworkbench.x509.checks import validity_state
    from tlsworkbench.x509.facts import zos_dn

    w = out.write
    if args.ring:
        w(f"Verifying against {', '.join(_p(r) for r in args.ring)}: {len(pool)} certificate(s) in the pool.\n")
    else:
        w("Inspecting is not verifying: give --ring FILE (the key ring's RACDCERT output or the CA"
          " certificates) to check the chain.\n")
    when = f"{_iso(at)}" if at else "now (no --at given)"
    w(f"Validity judged at {when}.\n")
    if not results:
        w("No certificates were found.\n")
    for c, checks in results:
        w("\n" + _p(_where(session, c)) + "\n")
        rows = [("Label", c.label), ("Owner", c.owner), ("Status", c.status),
                ("Subject", c.subject), ("z/OS form", zos_dn(c.subject)), ("Issuer", c.issuer),
                ("Serial", racf_serial(c.serial)),
                ("Valid", f"{c.not_before:%Y-%m-%d %H:%M:%S} to {c.not_after:%Y-%m-%d %H:%M:%S} UTC"
                 f" [{validity_state(c, at, WARN_DAYS)}]" if c.not_before and c.not_after else None),
                ("Key", " ".join(str(x) for x in (c.key_type, c.key_size) if x) or None),
                ("Signature", c.signature_algorithm),
                ("SAN", ", ".join(c.san) or None), ("Key usage", ", ".join(c.key_usage) or None),
                ("Ext. usage", ", ".join(c.eku) or None),
                ("CA", None if c.is_ca is None else ("yes" + (f", path length {c.path_len}"
                                                              if c.path_len is not None else "")
                                                     if c.is_ca else "no")),
                ("Private key", None if c.private_key is None else ("yes (not kept)" if c.private_key else "no")),
                ("SHA-256", c.sha256), ("SHA-1", c.sha1)]
        for k, v in rows:
            if v:
                w(f"  {k:<12} {_p(v)}\n")
        w("  Checks:\n")
        for k in checks:
            w(f"    {k.severity} {k.id:<28} {_p(k.message)}\n")
            w(f"      {'':<28} [{_p(k.citation)}]\n")
    for sess in (session, ring_session):
        if sess is None:
            continue
        for u in sess.unparsed:
            art = sess.artifact(u.artifact)
            w(f"\nNot read: {_p(art.path if art else u.id)} line {u.line}: {_p(u.reason)}\n")
