"""Reading one big syslogd file in two processes.

A syslogd file at AT-TLS trace level 255 is read at the pace of one Python
loop per line (ingest/attls_fast.py), on one core. When the machine has a
second core, the loader forks once for such a file: the child reads the second
half (from the first line with a syslogd header after the middle), the parent
reads the first half at the same time, then takes over what the child read
(records, unparsed, line offsets and the connections its Joiner built, pickled
over a pipe) as if it had read on itself:

* a connection the child opened whose system and CONNID the parent's Joiner
  already holds joins the connection the opening line would have joined
  (``latest_joinable``, the rule of model/correlate.py), else it is a new one;
* when anything goes wrong on the child's side (no fork, it died or took far
  longer than the parent, its line numbers do not fit because a line longer
  than decode.MAX_LINE was cut in pieces) the parent reads the second half
  itself and the result is the same as without the split.

Only for line-end text in an ASCII-compatible encoding, and only when the
machine has a CPU to spare (``busy``). ``TLSWORKBENCH_JOBS=1`` turns it off,
``TLSWORKBENCH_JOBS=2`` forces it. Nothing a file contains is ever run: the pipe carries what our
own child made of the text.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import select
import signal
import sys
import time
import warnings
from array import array
from operator import attrgetter

from tlsworkbench.ingest.attls_fast import Joiner, add_cid
from tlsworkbench.ingest.decode import iter_blocks
from tlsworkbench.model import Artifact, Session
from tlsworkbench.model.correlate_base import Conn, latest_joinable

SPLIT_BYTES = 32 << 20
"""syslogd files from this size on are read in two processes."""
SHARE = 0.52
"""The parent's part of the file. The child's part costs a little more per
byte (it pickles what it read; connections open at the cut start anew there);
interleaved A/B runs on the 1M-line benchmark file: median 3.60 s at 0.52,
3.71 s at 0.55, 3.89 s at 0.60 (docs/benchmarks.md)."""
_HEADER = re.compile(rb"\n(?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d")
_WINDOW = 1 << 20
_LISTS = ("records", "unparsed", "rings", "certs", "policy", "jobs", "started",
          "trace_records", "handshakes")
_FILLED = ("stack", "job", "user", "rule", "local", "remote", "grpid", "envid", "role_hint")


def jobs() -> int:
    """Processes a big file may be read with: ``TLSWORKBENCH_JOBS`` or the CPUs
    this process may run on."""
    env = os.environ.get("TLSWORKBENCH_JOBS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def busy(cpus: int) -> bool:
    """Whether other processes keep every CPU busy right now, so that a second
    process would only compete with them (measured: at a load of 1.8 on 2 CPUs
    the split was 10% slower than one process; at 1.2 it was 35% faster). Taken
    from the tasks running now (``/proc/loadavg``, the least of three looks 10 ms
    apart, less this process), not from the load average, which would count
    our own work of the last minute."""
    try:
        seen = []
        for k in range(3):
            if k:
                time.sleep(0.01)
            seen.append(_running())
    except (OSError, ValueError, IndexError):
        return False
    return min(seen) - 1 >= cpus


def _running() -> int:
    with open("/proc/loadavg", encoding="ascii") as f:
        return int(f.read().split()[3].partition("/")[0])


def can_split(art: Artifact, lay) -> bool:
    n = jobs()
    return (hasattr(os, "fork") and sys.platform.startswith("linux") and n > 1
            and art.size >= SPLIT_BYTES
            and getattr(lay, "layout", "") == "lines" and not getattr(lay, "lrecl", 0)
            and not getattr(lay, "binary", False) and not getattr(lay, "asa", False)
            and getattr(lay, "encoding", "") in ("utf-8", "latin-1", "ascii")
            and (getattr(lay, "eol", b"") or b"\n").endswith(b"\n")
            # last: it looks three times, 10 ms apart
            and bool(os.environ.get("TLSWORKBENCH_JOBS") or not busy(n)))


def split_point(fh, size: int, share: float | None = None) -> int | None:
    """Offset of the first line after ``share`` of the file that starts with a
    syslogd header (so no message of the reader spans the cut), or None."""
    at = int(size * (SHARE if share is None else share))
    fh.seek(at)
    window = fh.read(_WINDOW)
    fh.seek(0)
    m = _HEADER.search(window)
    return None if m is None else at + m.start() + 1


class Part:
    """The second half of one artifact, read by a forked child."""

    def __init__(self, session: Session, art: Artifact, lay, mid: int, pid: int, fd: int):
        self.session = session
        self.art = art
        self.lay = lay
        self.mid = mid
        self.pid = pid
        self.fd = fd
        self.payload: dict | None = None
        self.why = ""
        """Why the parent read the second half itself (empty when it did not)."""

    # -- parent ------------------------------------------------------------------------
    def blocks(self, fh, offsets: array):
        """The blocks of the first half, then (only when the child's result cannot
        be used) those of the second half, read here."""
        t0 = time.perf_counter()
        try:
            yield from iter_blocks(_Head(fh, self.mid), self.lay, offsets)
            self._collect(max(30.0, 4 * (time.perf_counter() - t0)), len(offsets) - 1)
        finally:
            self._reap()
        if self.payload is not None:
            return
        offsets.pop()  # the end of the first half is where the next line starts
        fh.seek(self.mid)
        yield from iter_blocks(fh, self.lay, offsets, start=(self.mid, len(offsets)))

    def _collect(self, timeout: float, lines: int) -> None:
        _warm()
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                self.why = f"the second process gave no answer in {timeout:.0f} s"
                return
            with os.fdopen(self.fd, "rb", closefd=False) as src:
                got = pickle.load(src)
        except Exception as exc:  # the child died or wrote nothing usable
            self.why = f"the second process failed ({type(exc).__name__})"
            return
        if not isinstance(got, dict):
            self.why = f"the second process failed ({got})"
            return
        if got.get("before") != lines:
            self.why = "line numbers of the two halves did not fit"
            return
        try:
            conns, heads = unpack_conns(got.pop("conns"))
            plan = plan_join(self.joiner, conns, heads)
        except Exception as exc:  # read on here rather than lose the file
            self.why = f"the second process's connections could not be joined ({type(exc).__name__})"
            return
        if plan is None:
            self.why = "a connection open at the middle of the file needs its lines read in order"
            return
        got["conns"], got["plan"] = conns, plan
        self.payload = got

    def _reap(self) -> None:
        if self.pid:
            if self.payload is None:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def merge_into(self, session: Session) -> None:
        """Add what the child read to the session, after the parent's reader ended."""
        p, self.payload = self.payload, None
        if p is None:
            return
        art = self.art
        art.offsets.pop()
        art.offsets.extend(p["offsets"])
        art.records += p["records"]
        art.unparsed += p["unparsed"]
        if p["note"]:
            from tlsworkbench.ingest.loader import add_note

            add_note(art, p["note"])
        for name in _LISTS:
            getattr(session, name).extend(p["lists"][name])
        session._by_id = None
        join_conns(self.joiner, p["conns"], p["plan"], p["at"], p["lazy"], art.id)

    @property
    def joiner(self) -> Joiner:
        return self.session.attls


def plan_join(joiner: Joiner, conns: list[Conn], heads: list) -> list | None:
    """For each connection a child's Joiner built, the parent's connection it
    continues (None: a new one): the one its opening line (``heads``: message
    id, local, remote) would have joined, as the parent's Joiner would have
    decided reading on. None when a later line of such a connection would
    have been decided otherwise (its endpoints contradict the parent's, or it
    is mapped a second time): then the parent must read that half itself.
    Decided on copies: nothing of the parent's changes here."""
    by_cid = joiner.by_cid if joiner.by_cid is not None else joiner.cid_map()
    joiner.by_cid = by_cid
    copies: dict[tuple, list] = {}
    plan: list = [None] * len(conns)
    for i, c in enumerate(conns):
        ck = (c.system, c.connid)
        cands = copies.get(ck)
        if cands is None:
            got = by_cid.get(ck)
            if got is None:
                continue
            cands = copies[ck] = [_Shadow(o) for o in (got if type(got) is not Conn else [got])]
        mid, local, remote = heads[i] or (None, None, None)
        t = latest_joinable(cands, c.stack, local, remote, mid, c.first)
        if t is None:
            continue  # new here; later child connections are not joined to it (the child decided)
        if (c.local and t.local and c.local != t.local) or (
                c.remote and t.remote and c.remote != t.remote) or (c.mapped and t.mapped):
            return None
        t.take(c)
        plan[i] = t.orig
    return plan


class _Shadow:
    """What ``latest_joinable`` asks of a parent's connection, to be changed
    while planning without changing the connection."""

    __slots__ = ("orig", "stack", "local", "remote", "mapped", "last")

    def __init__(self, c: Conn):
        self.orig = c
        self.stack, self.local, self.remote, self.mapped, self.last = (
            c.stack, c.local, c.remote, c.mapped, c.last)

    def take(self, c: Conn) -> None:
        """As ``_fill`` changes the connection."""
        if self.stack is None:
            self.stack = c.stack
        if self.local is None:
            self.local = c.local
        if self.remote is None:
            self.remote = c.remote
        self.mapped = self.mapped or c.mapped
        if c.last is not None and (self.last is None or c.last > self.last):
            self.last = c.last


def join_conns(joiner: Joiner, conns: list[Conn], plan: list, at: dict, lazy: int,
               aid: str) -> None:
    """Add the connections a child's Joiner built to ``joiner`` as ``plan_join``
    decided; ``at``: (artifact, line) -> index in ``conns``."""
    by_cid = joiner.by_cid if joiner.by_cid is not None else joiner.cid_map()
    final = list(conns)
    for i, c in enumerate(conns):
        target = plan[i]
        if target is not None:
            _absorb(target, c, aid)
            final[i] = target
            continue
        add_cid(by_cid, c)
        joiner.conns.append(c)
    for key, i in at.items():
        joiner.at[key] = final[i]
    joiner.lazy += lazy
    joiner.by_cid = by_cid


def _absorb(target: Conn, c: Conn, aid: str) -> None:
    if c.lines:
        if target.art == aid:
            target.lines.extend(c.lines)
        else:
            if target.more is None:
                target.more = {}
            target.more.setdefault(aid, array("I")).extend(c.lines)
    _fill(target, c)


def _fill(target: Conn, c: Conn) -> None:
    for name in _FILLED:
        if getattr(target, name) is None:
            setattr(target, name, getattr(c, name))
    target.mapped = target.mapped or c.mapped
    target.fail = target.fail or c.fail
    target.time(c.first)
    target.time(c.last)


def _warm() -> None:
    """Import what follows reading (correlation) while the child may still be
    reading: it has to be done anyway. (The diagnosis is a peer of ingest and is
    not imported from here; the engine imports it.)"""
    try:
        import tlsworkbench.model.correlate  # noqa: F401
    except Exception:  # an import error shows where it is used, not here
        pass


class _Head:
    """The first ``end`` bytes of a file."""

    def __init__(self, fh, end: int):
        self.fh = fh
        self.left = end

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.fh.read(self.left if n is None or n < 0 else min(n, self.left))
        self.left -= len(data)
        return data


# -- fork ----------------------------------------------------------------------------
def start(session: Session, art: Artifact, fh, lay, mod, consume, art_idx: int) -> Part | None:
    """Fork a child that reads the second half of ``art`` (None: read it all here)."""
    if not can_split(art, lay):
        return None
    try:
        mid = split_point(fh, art.size)
        if mid is None:
            return None
        r, w = os.pipe()
    except OSError:
        return None
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns when other threads run
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:
        _child(art, lay, mid, mod, consume, art_idx, r, w)  # never returns
    os.close(w)
    return Part(session, art, lay, mid, pid, r)


def _child(art, lay, mid, mod, consume, art_idx, r, w) -> None:
    code = 1
    try:
        os.close(r)
        _quiet_signals()
        with os.fdopen(w, "wb") as out:
            try:
                got = _read_part(art, lay, mid, mod, consume, art_idx)
            except Exception as exc:
                got = f"{type(exc).__name__}: {exc}"
            pickle.dump(got, out, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


def _quiet_signals() -> None:
    """The child must not act on what the parent's terminal sends it (a resize,
    the wake-up pipe of the parent's event loop)."""
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError):
        pass
    for name in ("SIGWINCH", "SIGTSTP", "SIGCONT"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (ValueError, OSError):
                pass


def _read_part(art: Artifact, lay, mid: int, mod, consume, art_idx: int) -> dict:
    src = io.BytesIO(art.data) if art.data is not None else open(art.path, "rb")
    with src:
        before = 0  # the lines before the cut: the child's lines are numbered on from there
        pos = 0
        while pos < mid:
            chunk = src.read(min(1 << 22, mid - pos))
            if not chunk:
                break
            pos += len(chunk)
            before += chunk.count(b"\n")
        part = Artifact(id=art.id, path=art.path, kind=art.kind, encoding=art.encoding,
                        layout=art.layout, system=art.system, size=art.size, eol=art.eol)
        scratch = Session(artifacts=[part])
        joiner = Joiner()
        joiner.heads = {}
        lines = joiner.filter_blocks(iter_blocks(src, lay, part.offsets, start=(mid, before)),
                                     part, art_idx)
        consume(scratch, part, mod.read(lines, part), lines, mod)
    conns = joiner.conns
    where = {id(c): i for i, c in enumerate(conns)}
    return {"before": before, "offsets": part.offsets, "records": part.records,
            "unparsed": part.unparsed, "note": part.note,
            "lists": {name: getattr(scratch, name) for name in _LISTS},
            "conns": pack_conns(conns, joiner.heads),
            "at": {key: where[id(c)] for key, c in joiner.at.items()}, "lazy": joiner.lazy}


# -- connections over the pipe -----------------------------------------------------------
# Pickling 50k Conn objects (27 slots each) costs more than reading them: they
# cross as columns of plain values (and one array of all their line numbers).
_SENT = ("system", "stack", "job", "user", "local", "remote", "rule", "grpid", "envid",
         "connid", "first", "last", "mapped", "role_hint", "order", "art", "fail")


def pack_conns(conns: list[Conn], heads: dict) -> dict:
    """Connections a Joiner built while reading (``lines`` filled, ``more``
    empty: the part is one artifact) as columns."""
    flat = array("I")
    for c in conns:
        flat.extend(c.lines)
    return {"cols": [list(map(attrgetter(name), conns)) for name in _SENT],
            "lens": array("I", [len(c.lines) for c in conns]), "lines": flat,
            "heads": [heads.get(c) for c in conns]}


def unpack_conns(packed: dict) -> tuple[list[Conn], list]:
    """The Conn objects of ``pack_conns`` and the opening line of each."""
    out = []
    flat = packed["lines"]
    o = 0
    new = Conn.__new__
    for vals, n in zip(zip(*packed["cols"]), packed["lens"]):
        c = new(Conn)  # the names in _SENT's order
        (c.system, c.stack, c.job, c.user, c.local, c.remote, c.rule, c.grpid, c.envid,
         c.connid, c.first, c.last, c.mapped, c.role_hint, c.order, c.art, c.fail) = vals
        c.rcs = c.events = c.pos = c.keyring = c.peer = c.conn = c.more = None
        c.mixed = c.filled = False
        c.lines = flat[o:o + n]
        o += n
        out.append(c)
    return out, packed["heads"]
