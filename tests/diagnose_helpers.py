"""Shared helpers of the diagnosis tests: load a scenario, flatten commands."""

from __future__ import annotations

import re
from pathlib import Path

SCEN = Path(__file__).parent / "data" / "scenarios"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_sessions"


def sample_session(stem: str):
    """A bundled sample session, with its saved findings (diagnosed when it has none)."""
    from tlsworkbench.engine import diagnose, load_session

    s = load_session(SAMPLES / f"{stem}.tlswb")
    if not s.findings:
        diagnose(s)
    return s


def files(case: str, only: str | None = None, skip: tuple[str, ...] = ()) -> list[Path]:
    out = []
    for p in sorted((SCEN / case).iterdir()):
        if p.name.startswith(("_", ".")) or p.suffix == ".md":
            continue
        if only and not p.name.startswith(only):
            continue
        if any(s in p.name for s in skip):
            continue
        out.append(p)
    return out


def diagnose_paths(paths):
    from tlsworkbench.diagnose import run
    from tlsworkbench.ingest.loader import load

    session = load([str(p) for p in paths])
    return session, run(session)


def diagnose_case(case: str, **kw):
    return diagnose_paths(files(case, **kw))


def flat(text: str) -> str:
    """Undo TSO continuation: ``a -\\n  b`` -> ``a b``."""
    return re.sub(r" -\n\s*", " ", text)


def all_commands(findings) -> str:
    return "\n".join(flat(c.text) for f in findings for c in f.commands)


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def prove_with(session, finding, commands):
    """The simulator's proof of ``finding`` when ``commands`` (perhaps a deliberately
    wrong variant of its fix) are applied to the model of ``session``'s evidence."""
    from tlsworkbench.diagnose import simulate
    from tlsworkbench.diagnose.evidence import Context

    base = simulate.from_context(Context(session))
    peers = {c.id: c.peer for c in session.connections if c.peer}
    before = simulate.outcome.with_peers(base, simulate.outcome.evaluate(base, stale_aware=False), peers)
    return simulate.prove_one(session, base, before, peers, finding, commands=commands)


def text_of(session) -> str:
    """What ``tlsworkbench diagnose`` prints for ``session``."""
    import io

    from tlsworkbench.commands.diagnose import write_text

    out = io.StringIO()
    write_text(session, out)
    return out.getvalue()
