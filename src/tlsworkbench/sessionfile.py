"""The ``.tlswb`` session file: one self-contained, versioned file.

A session file is a zip archive:

* ``manifest.json``: ``{"format": "tlsworkbench-session", "version": 1, ...}``
  with one entry per artifact (name, member, sha256, size, note) and the user's
  state: notes, bookmarks, selected finding, incident time;
* ``artifacts/<n>``: the raw bytes of each artifact, deflated.

So a session is its artifacts plus the user's state: loading re-reads the
embedded artifacts through the same readers. Each artifact's sha256 is checked
on load. Saving is atomic (temporary file in the same folder, fsync, rename).

A PKCS#12 file holds a private key: its bytes are never embedded. Only the
certificates read from it are stored (as PEM), and the artifact's note says so.

Any problem with a file (not a zip, truncated, checksum mismatch, written by a
newer version) raises :class:`SessionFileError` with a one-line message; such a
file is never overwritten unless the caller says ``force=True``.
"""

from __future__ import annotations

from tlsworkbench.errors import SessionFileError  # noqa: F401  (re-exported)

import base64
import hashlib
import json
import stat
import zipfile
import zlib
from datetime import datetime

from tlsworkbench import clock
from pathlib import Path

from tlsworkbench import sessionlimits as limits
from tlsworkbench.atomicfile import write_atomic
from tlsworkbench.model import Session

FORMAT = "tlsworkbench-session"
VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1 << 20


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError,
               NotImplementedError, zlib.error, OverflowError)
"""What a damaged or hand-made zip raises while it is read (a bad deflate stream
raises zlib.error, an unknown method NotImplementedError, a password RuntimeError)."""



# -- saving -------------------------------------------------------------------------------
def save(session: Session, path: str | Path, force: bool = False, progress=None) -> None:
    """Write ``session`` to ``path`` atomically.

    Refuses to replace an existing file that is not a readable session file
    (or is one from a newer version) unless ``force``. ``progress(what, done,
    total)`` is called as the artifacts' bytes are written."""
    path = Path(path)
    if path.exists() and not force:
        try:
            verify(path)
        except SessionFileError as exc:
            raise SessionFileError(
                f"refusing to overwrite {path}: it is not a session file this version can read "
                f"({exc})") from None
    # a new session file is private (0600: it holds the logs); one saved over
    # keeps the mode its owner gave it (QA2 19)
    try:
        keep = stat.S_IMODE(path.stat().st_mode) if path.is_file() else None
    except OSError:
        keep = None
    write_atomic(path, lambda fh: _write(session, fh, progress, str(path)), mode=keep)


def _write(session: Session, fh, progress=None, what: str = "") -> None:
    entries = []
    total = sum(a.size or 0 for a in session.artifacts)
    done = 0
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for i, art in enumerate(session.artifacts, 1):
            member = f"artifacts/{i}"
            entry = {"id": art.id, "name": art.path, "member": member, "note": art.note,
                     "size": art.size, "sha256": art.sha256}
            if art.kind in ("unreadable",) and art.data is None and not _exists(art.path):
                entry["missing"] = True
                entry["member"] = None
                entries.append(entry)
                continue
            if is_pkcs12(art):
                pem = _pkcs12_certs_pem(session, art)
                entry["note"] = _join_note(art.note, "PKCS#12 file: its private key is not kept; "
                                           "only the certificates it held are stored (PEM).")
                entry["pkcs12"] = True
                if not art.path.endswith(".pem"):
                    entry["name"] = f"{art.path}.certs.pem"
                entry["size"] = len(pem)
                entry["sha256"] = hashlib.sha256(pem).hexdigest()
                zf.writestr(member, pem)
            else:
                entry["sha256"], entry["size"] = _copy_in(zf, member, art)
            entries.append(entry)
            done += art.size or 0
            if progress is not None:
                progress(what, min(done, total), total)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "saved": clock.now().isoformat(timespec="seconds"),
            "artifacts": entries,
            "notes": dict(session.notes),
            "bookmarks": list(session.bookmarks),
            "selected_finding": session.selected_finding,
            "incident_time": _time_out(session.incident_time),
        }
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))


def _copy_in(zf: zipfile.ZipFile, member: str, art) -> tuple[str, int]:
    """Stream the artifact's bytes into the archive; check they did not change.
    A failing read says "cannot read artifact"; a failing write (a full disk, a
    read-only folder) goes up as the OSError it is: "cannot write"."""
    h = hashlib.sha256()
    size = 0
    src = None
    try:
        if art.data is not None:
            chunks = iter([art.data])
        else:
            src = open(art.path, "rb")
            chunks = iter(lambda: src.read(_CHUNK), b"")
        with zf.open(member, "w", force_zip64=True) as out:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except OSError as exc:
                    raise SessionFileError(f"cannot read artifact {art.path}: "
                                           f"{exc.strerror or exc}") from None
                h.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except FileNotFoundError as exc:
        raise SessionFileError(f"cannot read artifact {art.path}: {exc.strerror or exc}") from None
    except PermissionError as exc:
        if src is None:
            raise SessionFileError(f"cannot read artifact {art.path}: "
                                   f"{exc.strerror or exc}") from None
        raise
    finally:
        if src is not None:
            src.close()
    digest = h.hexdigest()
    if art.sha256 and digest != art.sha256:
        raise SessionFileError(f"artifact {art.path} changed on disk since it was read; reload it first")
    return digest, size


# -- loading ---------------------------------------------------------------------------------
def load_into(session: Session, path: str | Path, read_data, progress=None) -> None:
    """Add the artifacts and user state of a session file to ``session``
    (artifact ids are renumbered; notes and bookmarks follow them).

    ``read_data(session, name, data, progress=..., note=...)`` reads one
    artifact's bytes into the session and returns the Artifact (the loader's
    ``read_data``; passed in so that this module, a peer of ingest, does not
    import it). To open a session file whole use ``engine.load_session``."""
    path = Path(path)
    manifest, zf = _open(path)
    budget = [limits.MAX_TOTAL]
    with zf:
        remap: dict[str, str] = {}
        for entry in manifest["artifacts"]:
            name = str(entry.get("name") or entry.get("member") or "artifact")
            if entry.get("missing") or not entry.get("member"):
                art = read_data(session, name, b"", note=entry.get("note") or "")
                art.kind = "unreadable"
                art.note = entry.get("note") or f"{name}: was not readable when the session was saved."
                remap[str(entry.get("id"))] = art.id
                continue
            data = _member(zf, path, entry, budget)
            art = read_data(session, name, data, progress=progress, note=entry.get("note") or "")
            remap[str(entry.get("id"))] = art.id
    session.notes.update({_remap(k, remap): str(v) for k, v in (manifest.get("notes") or {}).items()})
    for b in manifest.get("bookmarks") or []:
        rid = _remap(str(b), remap)
        if rid not in session.bookmarks:
            session.bookmarks.append(rid)
    if manifest.get("selected_finding"):
        session.selected_finding = str(manifest["selected_finding"])
    t = _time_in(manifest.get("incident_time"))
    if t is not None:
        session.incident_time = t


def verify(path: str | Path) -> dict:
    """Check a session file completely (manifest, version, every checksum);
    returns the manifest or raises SessionFileError."""
    path = Path(path)
    manifest, zf = _open(path)
    budget = [limits.MAX_TOTAL]
    with zf:
        for entry in manifest["artifacts"]:
            if entry.get("member") and not entry.get("missing"):
                _member(zf, path, entry, budget)
    return manifest


def is_session_file(path: str | Path) -> bool:
    try:
        _read_manifest(Path(path))
    except SessionFileError:
        return False
    return True


def _open(path: Path):
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise SessionFileError(f"{path}: no such file") from None
    except _ZIP_ERRORS as exc:
        raise SessionFileError(f"{path} is not a tlsworkbench session file or is damaged "
                               f"({_short(exc)})") from None
    try:
        manifest = _manifest(zf, path)
        limits.check_members(path, zf, manifest)
    except BaseException:
        zf.close()
        raise
    return manifest, zf


def _read_manifest(path: Path) -> dict:
    manifest, zf = _open(path)
    zf.close()
    return manifest


def _manifest(zf: zipfile.ZipFile, path: Path) -> dict:
    try:
        info = zf.getinfo(MANIFEST)
        if info.file_size > limits.MAX_MANIFEST:
            raise SessionFileError(f"{path} is refused: its manifest is larger than "
                                   f"{limits.MAX_MANIFEST >> 20} MiB")
        with zf.open(info) as fh:
            raw = fh.read(limits.MAX_MANIFEST + 1)
        if len(raw) > limits.MAX_MANIFEST:
            raise SessionFileError(f"{path} is refused: its manifest is larger than "
                                   f"{limits.MAX_MANIFEST >> 20} MiB")
    except KeyError:
        raise SessionFileError(f"{path} is not a tlsworkbench session file (no manifest)") from None
    except _ZIP_ERRORS as exc:
        raise SessionFileError(f"{path} is damaged ({_short(exc)})") from None
    try:
        m = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionFileError(f"{path} has a damaged manifest ({_short(exc)})") from None
    except RecursionError:
        raise SessionFileError(f"{path} has a damaged manifest (nested too deeply)") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise SessionFileError(f"{path} is not a tlsworkbench session file")
    v = m.get("version")
    if not isinstance(v, int) or v < 1:
        raise SessionFileError(f"{path} has no valid format version")
    if v > VERSION:
        raise SessionFileError(f"{path} was written by a newer tlsworkbench (session format {v}; "
                               f"this version reads up to {VERSION})")
    if not isinstance(m.get("artifacts"), list) or not all(isinstance(e, dict) for e in m["artifacts"]):
        raise SessionFileError(f"{path} has a damaged manifest (artifact list)")
    limits.check_types(path, m)
    return m


def _member(zf: zipfile.ZipFile, path: Path, entry: dict, budget: list | None = None) -> bytes:
    """The bytes of one member, unpacked with caps on size and packing ratio
    (``budget``: a one-item list holding what the whole file may still unpack)."""
    member = str(entry["member"])
    name = entry.get("name") or member
    try:
        info = zf.getinfo(member)
        limits.check_sizes(path, name, info.file_size, info.compress_size, budget)
        parts = []
        got = 0
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                got += len(chunk)
                limits.check_sizes(path, name, got, info.compress_size, budget)
                parts.append(chunk)
        if budget is not None:
            budget[0] -= got
        data = b"".join(parts)
    except KeyError:
        raise SessionFileError(f"{path} is damaged: artifact {name} is missing") from None
    except _ZIP_ERRORS as exc:
        raise SessionFileError(f"{path} is damaged: artifact {name} cannot be read "
                               f"({_short(exc)})") from None
    want = entry.get("sha256")
    if want and hashlib.sha256(data).hexdigest() != str(want):
        raise SessionFileError(f"{path} is damaged: artifact {name} fails its sha256 check")
    return data


# -- PKCS#12 -------------------------------------------------------------------------------
_P7_DATA_OID = bytes.fromhex("06092a864886f70d010701")


def is_pkcs12(art) -> bool:
    """A PKCS#12 file, by kind, by name or by its DER shape (PFX, version 3)."""
    kind = (art.kind or "").lower()
    if "pkcs12" in kind or "p12" in kind:
        return True
    if Path(art.path).suffix.lower() in (".p12", ".pfx"):
        return True
    try:
        head = art.data[:64] if art.data is not None else _head(art.path)
    except OSError:
        return False
    return _looks_pfx(head)


def _looks_pfx(head: bytes) -> bool:
    if len(head) < 20 or head[0] != 0x30:
        return False
    n = head[1]
    i = 2 + (n & 0x7F if n & 0x80 else 0)
    return head[i:i + 3] == b"\x02\x01\x03" and _P7_DATA_OID in head[i:i + 40]


def _pkcs12_certs_pem(session: Session, art) -> bytes:
    prefix = art.id + ":"
    out = []
    for cert in session.certs:
        if cert.record.startswith(prefix) and cert.der:
            b64 = base64.encodebytes(cert.der).decode("ascii").replace("\n", "")
            body = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
            out.append(f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
    return "".join(out).encode("ascii")


# -- small helpers ----------------------------------------------------------------------------
def _head(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(64)


def _exists(path: str) -> bool:
    try:
        return Path(path).is_file()
    except OSError:
        return False


def _join_note(a: str, b: str) -> str:
    return f"{a} {b}".strip() if b not in (a or "") else a


def _remap(rid: str, remap: dict[str, str]) -> str:
    aid, sep, rest = rid.partition(":")
    return f"{remap.get(aid, aid)}{sep}{rest}" if sep else rid


def _time_out(t) -> str | None:
    return t.isoformat() if isinstance(t, datetime) else None


def _time_in(s) -> datetime | None:
    if not isinstance(s, str):
        return None
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        return None


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
