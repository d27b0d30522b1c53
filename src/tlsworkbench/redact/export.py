"""The redacted export: rewrite every artifact, check for leaks, write the
session file and, separately, the map from stand-ins back to the real values.

``export_redacted(session_or_paths, out_path, map_path)`` is what the CLI and
the workbench call. Nothing is written when the leak scan finds an original
value in the output: :class:`LeakError` names the value and where it was.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from tlsworkbench import clock
from pathlib import Path

from tlsworkbench.atomicfile import write_atomic
from tlsworkbench.model import Artifact, Session

from .artifacts import OutArtifact, dump_overrides, out_name, rewrite_text, wrapped_overrides
from .collect import Sensitive, collect
from .pseudonyms import Pseudonymizer
from .rewrite import Rewriter
from .scan import Leak, scan
from .standins import StandIns

MAP_FORMAT = "tlsworkbench-redaction-map"


class RedactError(Exception):
    """The export cannot be made; the message is one line for the user."""


class LeakError(RedactError):
    def __init__(self, leaks: list[Leak]):
        self.leaks = leaks
        first = leaks[0]
        more = f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""
        super().__init__(f"redaction check failed: {first}{more}; nothing was written")


@dataclass
class Redaction:
    """A session's artifacts, redacted, in memory."""

    outputs: list[OutArtifact]
    rewriter: Rewriter
    sensitive: Sensitive
    dropped: list[tuple[str, str]] = field(default_factory=list)
    """(original path, why) of artifacts left out."""
    notes: list[str] = field(default_factory=list)

    def session(self) -> Session:
        """A session of the redacted bytes (not yet read), ready for sessionfile.save."""
        s = Session()
        for i, o in enumerate(self.outputs, 1):
            s.artifacts.append(Artifact(id=f"a{i}", path=o.name, kind="redacted", data=o.data,
                                        size=len(o.data), note=o.note,
                                        sha256=hashlib.sha256(o.data).hexdigest()))
        return s


@dataclass
class ExportResult:
    out_path: Path
    map_path: Path | None
    artifacts: list[tuple[str, str]]
    """(original path, name in the export)."""
    dropped: list[tuple[str, str]]
    values: int
    """How many distinct values were replaced."""
    causes_before: list[str]
    causes_after: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def same_causes(self) -> bool:
        return Counter(self.causes_before) == Counter(self.causes_after)


def redact(session: Session, seed: int | str | None = None) -> Redaction:
    """Rewrite every artifact of ``session`` (loaded, correlated) in memory."""
    sens = collect(session)
    pz = Pseudonymizer(seed=seed, avoid=set(sens.values) | set(sens.kept))
    rw = Rewriter(sens, pz)
    si = StandIns(rw)
    ders = [c.der for c in session.certs if c.der]
    si.prepare(ders)
    red = Redaction(outputs=[], rewriter=rw, sensitive=sens)
    used: set[str] = set()
    for art in session.artifacts:
        try:
            o = _one(session, art, rw, si)
        except Exception as exc:  # never lose the whole export to one odd file
            red.dropped.append((art.path, f"could not be redacted ({type(exc).__name__}: {exc})"))
            continue
        if isinstance(o, str):
            red.dropped.append((art.path, o))
            continue
        name = out_name(art, rw, used)
        if o.name.endswith(".pem") and not name.endswith(".pem"):
            name += ".pem"
        o.name = name
        o.note = " ".join(x for x in (rw.line(art.note or ""), o.note) if x)
        red.outputs.append(o)
    red.notes += si.notes
    return red


def _one(session: Session, art: Artifact, rw: Rewriter, si: StandIns) -> OutArtifact | str:
    if art.kind == "unreadable" or (art.size == 0 and art.data is None and not Path(art.path).is_file()):
        return "it could not be read, so it is not exported"
    if art.kind == "certificate":
        return _certificate(session, art, si)
    if art.encoding == "binary":
        return "binary content that cannot be redacted safely"
    overrides = dump_overrides(session, art, rw) if art.kind == "gsktrace" else None
    if art.kind == "racdcert":
        overrides = wrapped_overrides(art, rw)
    return rewrite_text(art, rw, overrides)


def _certificate(session: Session, art: Artifact, si: StandIns) -> OutArtifact | str:
    raw = art.raw()
    prefix = art.id + ":"
    ders = [c.der for c in session.certs if c.der and c.record.startswith(prefix)]
    if b"-----BEGIN" in raw:
        return OutArtifact(name="", data=si.rewrite_pem_text(raw), source=art.id)
    if not ders:
        return "certificate file with nothing readable; left out"
    from tlsworkbench.ingest.certfile import der_kind

    kind = der_kind(raw)
    if kind == "pkcs12" or art.path.lower().endswith((".p12", ".pfx")):
        return OutArtifact(name=".pem", data=si.pem_of(ders), source=art.id,
                           note="PKCS#12 file: replaced by the stand-ins of its certificates (PEM); "
                                "no private key is exported.")
    if kind == "pkcs7":
        return OutArtifact(name="", data=si.pkcs7_der(ders), source=art.id, encoding="binary")
    new = si.der(ders[0])
    if new is None:
        return "certificate that cannot be read; left out"
    return OutArtifact(name="", data=new, source=art.id, encoding="binary",
                       note="Certificate replaced by a stand-in (new key, redacted names).")


# -- the export -----------------------------------------------------------------------------
def default_map_path(out_path: str | Path) -> Path:
    return Path(str(out_path) + ".map.json")


def export_redacted(session_or_paths, out_path: str | Path, map_path: str | Path | None = None,
                    seed: int | str | None = None, force: bool = False,
                    inputs=()) -> ExportResult:
    """Write a redacted ``.tlswb`` to ``out_path`` and its map to ``map_path``
    (default ``OUT.map.json``). Raises :class:`RedactError` (or :class:`LeakError`)
    with a one-line message; nothing is written then. ``inputs``: more paths
    the outputs must not replace (the files and folders a session was read from)."""
    from tlsworkbench import sessionfile
    from tlsworkbench.engine import diagnose, open_session

    from tlsworkbench.outputs import OutputError, check

    map_path = Path(map_path) if map_path is not None else default_map_path(out_path)
    if isinstance(session_or_paths, Session):
        inputs = [*inputs, *(a.path for a in session_or_paths.artifacts if a.data is None)]
    else:
        inputs = [*inputs, *(str(p) for p in session_or_paths)]
    try:
        out_path = check(out_path, inputs, "the export")
        map_path = check(map_path, inputs, "the map file", also=[out_path], kind="map")
    except OutputError as exc:
        raise RedactError(str(exc)) from None
    if isinstance(session_or_paths, Session):
        session = session_or_paths
        if not session.findings:
            diagnose(session)
    else:
        session = open_session(list(session_or_paths))
    before = sorted(f.cause for f in session.findings)
    red = redact(session, seed=seed)
    out_session = red.session()
    out_session.notes = {k: red.rewriter.line(v) for k, v in session.notes.items()}
    out_session.bookmarks = list(session.bookmarks)
    out_session.selected_finding = session.selected_finding
    out_session.incident_time = session.incident_time
    extra = {"session notes": "\n".join(out_session.notes.values()),
             "artifact names and notes": "\n".join(f"{o.name}\n{o.note}" for o in red.outputs)}
    leaks = scan(red.outputs, red.sensitive, extra)
    if leaks:
        raise LeakError(leaks)
    try:
        sessionfile.save(out_session, out_path, force=force)
    except sessionfile.SessionFileError as exc:
        raise RedactError(str(exc)) from None
    except OSError as exc:
        raise RedactError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    try:
        write_map(map_path, red, out_path)
    except OSError as exc:  # no export without its map
        out_path.unlink(missing_ok=True)
        raise RedactError(f"cannot write {map_path}: {exc.strerror or exc}") from None
    after_session = open_session([out_path])
    after = sorted(f.cause for f in after_session.findings)
    notes = list(red.notes)
    if Counter(before) != Counter(after):
        notes.append(f"the redacted session diagnoses differently: before {before}, after {after}")
    src = {a.id: a.path for a in session.artifacts}
    return ExportResult(out_path=out_path, map_path=map_path,
                        artifacts=[(src.get(o.source, o.source), o.name) for o in red.outputs],
                        dropped=red.dropped, values=len(red.rewriter.mapping()),
                        causes_before=before, causes_after=after, notes=notes)


def write_map(path: Path, red: Redaction, out_path: Path) -> None:
    """The map file, written atomically and readable by the owner only."""
    doc = {
        "format": MAP_FORMAT,
        "version": 1,
        "export": out_path.name,
        "created": clock.now().isoformat(timespec="seconds"),
        "warning": "This file holds the real values. Keep it; never send it with the export.",
        "values": red.rewriter.mapping(),
        "kept": [{"value": v, "why": w} for v, w in sorted(red.sensitive.kept.items())],
        "artifacts": [{"export_name": o.name, "source": o.source} for o in red.outputs],
        "dropped": [{"path": p, "why": w} for p, w in red.dropped],
    }
    write_atomic(path, json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8"), mode=0o600)


def read_map(path: str | Path) -> dict[str, str]:
    """Stand-in -> original, from a map file (to read a reply)."""
    doc = json.loads(Path(path).read_text("utf-8"))
    if doc.get("format") != MAP_FORMAT:
        raise RedactError(f"{path} is not a redaction map")
    return {d["stand_in"]: d["original"] for d in doc.get("values", [])}
