"""Loading: files, folders and .tlswb session files into one Session.

For each file: an :class:`Artifact` (id, path, sha256, size), the text layout
sniffed from the first 64 KiB (``ingest/decode.py``), the kind detected by
``ingest/registry.py``, then the reader streams over the lines (or gets the bytes
when it is a BINARY reader) and every item goes into the session. The artifact
keeps line offsets, never the text.

Nothing here raises on bad input: a file that cannot be opened, is empty or is
binary junk no reader takes becomes an artifact with kind ``"unreadable"`` or
``"unknown"``, a note saying why, and one :class:`Unparsed` record.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import re
import stat
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tlsworkbench.errors import SessionFileError
from tlsworkbench.ingest import privatekeys
from tlsworkbench.ingest.common import gc_paused
from tlsworkbench.model import Artifact, Record, Session, Unparsed

Progress = Callable[[str, int, int], None]

HEAD_BYTES = 64 * 1024
HEAD_LINES = 200
SESSION_SUFFIX = ".tlswb"
_PROGRESS_EVERY = 1 << 15  # lines between two progress calls
FAST_ATTLS_BYTES = 4 << 20
"""syslogd files from this size on keep their routine AT-TLS trace lines as line
numbers only (ingest/columnar.py); smaller ones get a record for every line."""
COLUMNAR = True
"""The bulk pass in polars (ingest/columnar.py); False: the line-by-line
reference (ingest/attls_fast.Joiner.filter_blocks), for the tests."""


# -- public entry points -------------------------------------------------------
def load(paths: Iterable[str | Path], progress: Progress | None = None,
         session: Session | None = None, read_session: Callable | None = None) -> Session:
    """Read every file, folder (recursively) or session file into one session,
    then borrow syslogd years and correlate.

    ``read_session(session, path, progress)`` adds a ``.tlswb`` session file
    (``engine.load`` passes the session-file reader; ingest does not import
    ``sessionfile``, a peer). Without it a session file is an error when named
    and an unreadable artifact when found in a folder."""
    session = session if session is not None else Session()
    paths = list(paths)
    explicit = {Path(p) for p in paths}
    digests: list = []
    with no_gc():
        for path in expand(paths):
            if path.suffix.lower() == SESSION_SUFFIX and path.is_file():
                _session_file(session, path, progress, path in explicit, read_session)
            else:
                read_file(session, path, progress, digests)
        finish(session)
    for d in digests:
        d.join()
    return session


def _session_file(session: Session, path: Path, progress, explicit: bool, read_session) -> None:
    """A session file named on the command line that cannot be used is an error
    (SessionFileError); one found inside a folder becomes an unreadable artifact."""
    try:
        if read_session is None:
            raise SessionFileError(f"{path}: a session file is opened through the engine (engine.load)")
        read_session(session, path, progress)
    except SessionFileError as exc:
        if explicit:
            raise
        art = Artifact(id=new_artifact_id(session), path=str(path))
        session.artifacts.append(art)
        _unreadable(session, art, str(exc))


@contextmanager
def no_gc():
    """Pause the cyclic garbage collector while a big session is built: the
    records hold no cycles, and a full collection every few hundred thousand
    allocations walks all of them again (tens of percent of the load time).
    Afterwards the objects built are frozen (``gc.freeze``) so that a later
    collection, e.g. in the middle of a click in the workbench, does not walk a
    million records again (a 250 ms pause measured on 200k records)."""
    was = gc.isenabled()
    try:
        with gc_paused():
            yield
    finally:
        if was:
            gc.freeze()


def finish(session: Session) -> None:
    """What follows reading: systems named by file names, years for syslogd
    lines, then correlation."""
    if session.attls is not None:
        from tlsworkbench.ingest.attls_failing import materialise_failing

        session.attls.settle()
        materialise_failing(session)
        from tlsworkbench.model.conntable import freeze

        freeze(session.attls)  # healthy connections of routine lines only: rows of a table
    infer_systems(session)
    fill_years(session)
    from tlsworkbench.model.correlate import correlate

    correlate(session)


def add_note(art: Artifact, text: str) -> None:
    """Append a sentence to the artifact's note once (a saved session read again
    brings its notes back before the same sentence would be added anew)."""
    if text not in art.note:
        art.note = f"{art.note} {text}" if art.note else text


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files in the order given; a folder gives its files recursively, sorted,
    without hidden files or folders and without Markdown notes (``*.md``, such
    as a README written next to the evidence). A file named explicitly is
    always read; a folder that cannot be listed is returned too, so that it
    becomes an unreadable artifact instead of being skipped in silence."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            # a folder that cannot be listed is kept as an input (read_file says why)
            for root, dirs, files in os.walk(path, onerror=lambda e: out.append(Path(e.filename))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.lower().endswith(".md"):
                        out.append(Path(root) / name)
        else:
            out.append(path)
    return out


def new_artifact_id(session: Session) -> str:
    """The next free ``aN``. The ids in use are kept on the session and brought
    up to date with the artifacts appended since the last call, so 32k
    artifacts cost 32k steps, not 32k squared."""
    arts = session.artifacts
    seen, used = session.__dict__.get("_artifact_ids", (0, None))
    if used is None or seen > len(arts) or (seen and arts[seen - 1].id not in used):
        seen, used = 0, set()
    used.update(a.id for a in arts[seen:])
    session.__dict__["_artifact_ids"] = (len(arts), used)
    n = len(arts) + 1
    while f"a{n}" in used:
        n += 1
    return f"a{n}"


def read_file(session: Session, path: Path, progress: Progress | None = None,
              digests: list | None = None) -> Artifact:
    """Read one file from disk into the session; never raises on bad input.
    With ``digests``, the checksum of a big file is worked out by a thread
    appended there (to be joined), on the CPU that correlation leaves idle."""
    art = Artifact(id=new_artifact_id(session), path=str(path))
    session.artifacts.append(art)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):  # a folder the walk could not enter (ingest.loader.expand)
            _unreadable(session, art, f"the folder cannot be read: {_folder_error(path)}")
            return art
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            _unreadable(session, art, "not a regular file (a FIFO, device or socket is never read)")
            return art
        with open(path, "rb") as fh:
            art.size = os.fstat(fh.fileno()).st_size
            if privatekeys.file_holds_key(fh, art.size):
                art.data, removed = privatekeys.strip(fh.read())
                _kept_without_keys(session, art, removed, progress)
                return art
            _read_stream(session, art, fh, progress)
            if digests is not None and art.size >= FAST_ATTLS_BYTES:
                digests.append(_Digest(art))
            else:
                fh.seek(0)
                art.sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        _unreadable(session, art, f"cannot be read: {exc.strerror or exc}")
    return art


def _folder_error(path) -> str:
    try:
        os.scandir(path).close()
    except OSError as exc:
        return exc.strerror or str(exc)
    return "it could not be listed"


class _Digest(threading.Thread):
    """The SHA-256 of an artifact's file, in a thread (hashlib and file reads
    let other threads run)."""

    def __init__(self, art: Artifact):
        super().__init__(name=f"sha256 {art.id}", daemon=True)
        self.art = art
        self.start()

    def run(self) -> None:
        h = hashlib.sha256()
        buf = bytearray(4 << 20)
        view = memoryview(buf)
        try:
            with open(self.art.path, "rb", buffering=0) as fh:
                # 4 MiB pieces into one buffer: the thread asks for the
                # interpreter lock once per piece (not per 256 KiB, so it hardly
                # slows correlation down) and holds 4 MiB, not the file
                while n := fh.readinto(buf):
                    h.update(view[:n])
        except OSError:
            return
        self.art.sha256 = h.hexdigest()


def read_data(session: Session, name: str, data: bytes, progress: Progress | None = None,
              note: str = "") -> Artifact:
    """Read bytes held in memory (an artifact embedded in a session file)."""
    art = Artifact(id=new_artifact_id(session), path=name, note=note)
    session.artifacts.append(art)
    if privatekeys.holds_key(data):
        art.data, removed = privatekeys.strip(data)
        _kept_without_keys(session, art, removed, progress)
        return art
    art.data, art.size, art.sha256 = data, len(data), hashlib.sha256(data).hexdigest()
    _read_stream(session, art, io.BytesIO(data), progress)
    return art


def _kept_without_keys(session: Session, art: Artifact, removed: int, progress) -> None:
    """An artifact whose private keys were cut out: it is read (and kept) from
    the cleaned bytes in memory, never again from the file."""
    data = art.data
    art.size, art.sha256 = len(data), hashlib.sha256(data).hexdigest()
    _read_stream(session, art, io.BytesIO(data), progress)
    add_note(art, privatekeys.note(removed))


# -- reading one artifact --------------------------------------------------------
def _read_stream(session: Session, art: Artifact, fh, progress: Progress | None) -> None:
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    if not head:
        _unreadable(session, art, "the file is empty", kind="unknown")
        return
    lay = _sniff(head)
    binary = _is_binary(lay)
    art.encoding = "binary" if binary else str(getattr(lay, "encoding", "utf-8"))
    art.layout = str(getattr(lay, "layout", "lines"))
    art.asa = bool(getattr(lay, "asa", False))
    art.eol = getattr(lay, "eol", b"\n") or b"\n"
    head_lines = [] if binary else _head_lines(head, lay)
    from tlsworkbench.ingest import registry

    name = Path(art.path).name
    kind = registry.detect(head_lines, name, head, binary)
    art.kind = kind
    mod = registry.readers().get(kind)
    if mod is None:
        if binary:
            _unreadable(session, art, "binary content that no reader recognises", kind="unknown")
        else:
            _scan_unknown(session, art, fh, lay, progress)
        return
    if getattr(mod, "BINARY", False):
        data = art.data if art.data is not None else fh.read()
        art.offsets = array("Q", [0, len(data)])
        items = mod.read_bytes(data, art)
        _consume(session, art, items, None, mod)
        if progress:
            progress(art.path, art.size, art.size)
        return
    if kind == "syslogd" and art.size >= FAST_ATTLS_BYTES:
        lines = _fast_attls(session, art, fh, lay, progress, mod)
    else:
        lines = _lines(art, fh, lay, progress)
    _consume(session, art, mod.read(lines, art), lines, mod)
    if progress:
        progress(art.path, art.size, art.size)


def _consume(session: Session, art: Artifact, items, lines: Iterator | None, mod) -> None:
    """Add the reader's items to the session, fast path for records."""
    records, unparsed = session.records, session.unparsed
    n_rec = n_unp = 0
    try:
        for item in items:
            t = type(item)
            if t is Record:
                records.append(item)
                n_rec += 1
            elif t is Unparsed:
                unparsed.append(item)
                n_unp += 1
            else:
                session.add(item)
    except Exception as exc:  # a reader must not raise; if it does, lose nothing
        line = art.line_count + 1
        rest = 0
        if lines is not None:
            for item in lines:  # finish the offsets so every line stays viewable
                # attls_fast hands on (plain count, routine count) for lines it counted
                rest += 1 if type(item[1]) is not int else item[0] + item[1]
        reason = f"the {getattr(mod, 'KIND', '?')} reader stopped here ({type(exc).__name__}: {exc})"
        if rest:
            reason += f"; {rest} more lines were not read"
        unparsed.append(Unparsed(art.id, line, "", reason))
        n_unp += 1
        add_note(art, "Reading stopped early: " + reason + ".")
    session._by_id = None
    art.records += n_rec
    art.unparsed += n_unp


def _lines(art: Artifact, fh, lay, progress: Progress | None) -> Iterator[tuple[int, str]]:
    offsets = art.offsets
    total = art.size or 0
    it = _iter_lines(fh, lay, offsets)
    if progress is None:
        yield from it
        return
    path = art.path
    every = _PROGRESS_EVERY
    for item in it:
        if item[0] % every == 0:
            progress(path, offsets[-1] if offsets else 0, total)
        yield item


def _fast_attls(session: Session, art: Artifact, fh, lay, progress: Progress | None, mod):
    """Routine AT-TLS trace lines joined while reading instead of becoming
    records (ingest/columnar.py in polars, else ingest/attls_fast.py line by
    line); the reader sees the rest."""
    try:
        from tlsworkbench.ingest import columnar
        from tlsworkbench.ingest.attls_fast import Joiner
        from tlsworkbench.ingest.decode import iter_blocks
    except ImportError:
        return _lines(art, fh, lay, progress)
    if isinstance(lay, _PlainLayout):
        return _lines(art, fh, lay, progress)
    if session.attls is None:
        session.attls = Joiner()
    else:  # a session read before: the rows may go on in this file
        from tlsworkbench.model.conntable import thaw

        thaw(session.attls)
    idx = next((i for i, a in enumerate(session.artifacts) if a is art), len(session.artifacts))
    blocks = iter_blocks(fh, lay, art.offsets)
    if progress is not None:
        blocks = _block_progress(art, blocks, progress)
    if COLUMNAR and columnar.available():
        return columnar.filter_columnar(session.attls, blocks, art, idx)
    return session.attls.filter_blocks(blocks, art, idx)


def _block_progress(art: Artifact, blocks, progress: Progress):
    total = art.size or 0
    for block in blocks:
        progress(art.path, art.offsets[-1] if art.offsets else 0, total)
        yield block


def _scan_unknown(session: Session, art: Artifact, fh, lay, progress) -> None:
    """Text no reader recognises: keep the line offsets so it can be viewed."""
    first = ""
    for n, text in _lines(art, fh, lay, progress):
        if n == 1:
            first = text[:200]
    art.kind = "unknown"
    art.note = "No reader recognises this file; its lines can be viewed but are not used."
    session.add(Unparsed(art.id, 1, first, "no reader recognises this file"))
    art.unparsed += 1


def _unreadable(session: Session, art: Artifact, why: str, kind: str = "unreadable") -> None:
    art.kind = kind
    art.note = f"{Path(art.path).name}: {why}."
    session.add(Unparsed(art.id, 1, "", why))
    art.unparsed += 1


# -- decoding (ingest/decode.py, with a plain fallback while it is missing) ----
class _PlainLayout:
    """Fallback when ingest/decode.py is not available: UTF-8 or Latin-1 lines."""

    def __init__(self, head: bytes):
        self.layout = "lines"
        self.asa = False
        self.eol = b"\r\n" if b"\r\n" in head else b"\n"
        nul = head.count(b"\0")
        self.binary = nul > len(head) // 100 or _junk_ratio(head) > 0.3
        try:
            head.decode("utf-8")
            self.encoding = "utf-8"
        except UnicodeDecodeError as exc:
            self.encoding = "utf-8" if exc.start > len(head) - 4 else "latin-1"
        if self.binary:
            self.encoding = "binary"


def _junk_ratio(head: bytes) -> float:
    sample = head[:4096]
    bad = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bad / max(1, len(sample))


def _sniff(head: bytes):
    try:
        from tlsworkbench.ingest.decode import sniff_layout
    except ImportError:
        return _PlainLayout(head)
    try:
        return sniff_layout(head)
    except Exception:
        return _PlainLayout(head)


def _is_binary(lay) -> bool:
    return bool(getattr(lay, "binary", False)) or getattr(lay, "encoding", "") == "binary"


def _iter_lines(fh, lay, offsets: array) -> Iterator[tuple[int, str]]:
    if not isinstance(lay, _PlainLayout):
        try:
            from tlsworkbench.ingest.decode import iter_lines
        except ImportError:
            pass
        else:
            return iter_lines(fh, lay, offsets)
    return _plain_iter_lines(fh, lay, offsets)


def _plain_iter_lines(fh, lay, offsets: array) -> Iterator[tuple[int, str]]:
    enc = lay.encoding if lay.encoding != "binary" else "latin-1"
    pos = 0
    n = 0
    append = offsets.append
    for raw in fh:
        n += 1
        append(pos)
        pos += len(raw)
        yield n, raw.rstrip(b"\r\n").decode(enc, "replace")
    append(pos)


def _head_lines(head: bytes, lay) -> list[str]:
    out: list[str] = []
    try:
        for _, text in _iter_lines(io.BytesIO(head), lay, array("Q")):
            out.append(text)
            if len(out) >= HEAD_LINES:
                break
    except Exception:
        pass
    return out


# -- systems from file names -----------------------------------------------------------
_NAME_TOKEN = re.compile(r"[A-Za-z0-9$#@]{1,8}")


def infer_systems(session: Session) -> None:
    """An artifact with no system whose file name starts with a system name the
    other artifacts show (``MVS3.pagent-ttls.conf``, ``mvs1_joblog.txt``) is taken
    to belong to that system; its records and entities without one get it too."""
    known = {r.system.upper(): r.system for r in session.records if r.system}
    if session.attls is not None:
        known.update({c.system.upper(): c.system for c in session.attls.conns if c.system})
        table = getattr(session.attls, "table", None)
        if table is not None and table.height:
            known.update({s.upper(): s for s in table["system"].unique(maintain_order=True) if s})
    known.update({a.system.upper(): a.system for a in session.artifacts if a.system})
    known.update(_named_systems(session, known))
    if not known:
        return
    named: dict[str, str] = {}
    for art in session.artifacts:
        if art.system:
            continue
        m = _NAME_TOKEN.match(Path(art.path).name)
        sysname = known.get(m.group(0).upper()) if m else None
        if sysname:
            art.system = sysname
            named[art.id] = sysname
    if not named:
        return
    changed: set[str] = set()
    for items in (session.records, session.rings, session.certs, session.policy, session.jobs,
                  session.started, session.app_configs):
        for it in items:
            if getattr(it, "system", "x") is None:
                aid = it.artifact if hasattr(it, "artifact") else it.record.partition(":")[0]
                sysname = named.get(aid)
                if sysname:
                    it.system = sysname
                    changed.add(aid)
    for art in session.artifacts:
        if art.id in changed:
            add_note(art, f"System {art.system} taken from the file name.")


_SYSTEM_TOKEN = re.compile(r"([A-Z][A-Z0-9$#@]{1,7})[._]")
_NOT_SYSTEMS = frozenset({"SYS1", "USER", "TCPIP", "FTP", "FTPD", "CICS", "MQ", "DB2", "ZOWE", "RACF",
                          "TEST", "COPY", "OLD", "NEW", "LOG", "JOB", "STC", "TSU", "PROD", "DEV"})


def _named_systems(session: Session, known: dict) -> dict:
    """System names only the file names give: an upper-case first qualifier
    (``SYSA.ftpclient.txt``, ``SYSZ.zowe.yaml``) that two or more artifacts of the
    session share, as a systems programmer names the files copied from one system."""
    counts: dict[str, int] = {}
    for art in session.artifacts:
        m = _SYSTEM_TOKEN.match(Path(art.path).name)
        if m and m.group(1) not in _NOT_SYSTEMS and m.group(1).upper() not in known:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return {k.upper(): k for k, n in counts.items() if n >= 2}


# -- years of syslogd lines --------------------------------------------------------
def fill_years(session: Session) -> None:
    """Give syslogd records (no year in the line) the year seen in another
    artifact: of the same system when possible, else of any artifact."""
    years_by_system: dict[str | None, Counter] = {}
    missing: list[Record] = []
    for r in session.records:
        t = r.time
        if t is None:
            continue
        f = r.fields
        if not f:
            years_by_system.setdefault(r.system, Counter())[t.year] += 1
        elif f.get("year_known") is False:
            missing.append(r)
        elif f.get("date_known") is not False:
            years_by_system.setdefault(r.system, Counter())[t.year] += 1
    lazy = session.attls
    lazy_conns = lazy.conns if lazy is not None else []
    table = getattr(lazy, "table", None)
    if table is not None and not table.height:
        table = None
    if (not missing and not lazy_conns and table is None) or not years_by_system:
        return
    overall: Counter = Counter()
    for c in years_by_system.values():
        overall.update(c)
    best = {s: c.most_common(1)[0][0] for s, c in years_by_system.items()}
    any_year = overall.most_common(1)[0][0]
    cache: dict = {}
    borrowed: dict[str, set] = {}
    for r in missing:
        year = best.get(r.system, any_year)
        key = (r.time, year)
        new = cache.get(key)
        if new is None:
            try:
                new = r.time.replace(year=year)
            except ValueError:  # 29 February in a year without it
                new = r.time
            cache[key] = new
        r.time = new
        r.fields["year_known"] = True
        borrowed.setdefault(r.artifact, set()).add(year)
    if table is not None:
        lazy.years = (best, any_year)
        lazy.table = _rows_years(table, best, any_year, borrowed)
    if lazy_conns:  # connections of lines read by the fast path: no year either
        lazy.years = (best, any_year)
        for c in lazy_conns:
            year = best.get(c.system, any_year)
            for name in ("first", "last"):
                t = getattr(c, name)
                if t is None or t.year == year:
                    continue
                key = (t, year)
                new = cache.get(key)
                if new is None:
                    try:
                        new = t.replace(year=year)
                    except ValueError:
                        new = t
                    cache[key] = new
                setattr(c, name, new)
            if c.art:
                borrowed.setdefault(c.art, set()).add(year)
    for aid, years in borrowed.items():
        art = session.artifact(aid)
        if art is not None:
            ys = ", ".join(str(y) for y in sorted(years))
            add_note(art, f"The log has no year; {ys} was taken from the other artifacts.")


def _rows_years(table, best: dict, any_year: int, borrowed: dict):
    """``fill_years`` for the connections kept as rows (model/conntable.py): the
    year of their system on ``first`` and ``last`` (29 February stays as it is
    in a year without it)."""
    import polars as pl

    systems = table["system"].unique().to_list()
    ymap = pl.DataFrame({"system": systems, "_y": [best.get(s, any_year) for s in systems]},
                        schema={"system": table.schema["system"], "_y": pl.Int32})
    t = table.join(ymap, on="system", how="left", nulls_equal=True, maintain_order="left")
    y = pl.col("_y")

    def fix(name):
        c = pl.col(name)
        leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
        bad = (c.dt.month() == 2) & (c.dt.day() == 29) & ~leap
        safe = pl.when(bad).then(pl.lit(2000, dtype=pl.Int32)).otherwise(y)  # never an invalid date
        return pl.when(c.is_null() | bad | (c.dt.year() == y)).then(c).otherwise(
            c.dt.replace(year=safe)).alias(name)

    t = t.with_columns(fix("first"), fix("last"))
    for aid, year in t.filter(pl.col("art").is_not_null()).select("art", "_y").unique().iter_rows():
        borrowed.setdefault(aid, set()).add(year)
    return t.drop("_y")
