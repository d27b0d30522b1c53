"""Copying text out of the terminal: OSC 52 through Textual's
``App.copy_to_clipboard``, wrapped for the innermost terminal multiplexer, capped
in size; and the file twin of every copy (text file or JCL member, see
``diagnose.fixjob``).

``copy_to_clipboard`` writes a bare OSC 52. Inside tmux that reaches the outer
terminal when tmux has ``set-clipboard on`` (tmux then also keeps it as a paste
buffer); with ``allow-passthrough on`` the DCS-wrapped copy gets through as
well, so under tmux both are sent (``[clipboard] tmux_passthrough = false``
sends only the bare one). GNU screen needs DCS wrapping, in chunks (screen
limits the length of one string), and never the tmux wrapping: screen shows
that as ``tmux;`` garbage. Which multiplexer is innermost comes from ``TERM``
with ``TMUX`` and ``STY`` (both are inherited by a screen started in tmux, and
by a tmux started in screen).
"""

from __future__ import annotations

import base64
from pathlib import Path

from tlsworkbench.atomicfile import write_atomic

from .textual_private import write_raw

MAX_BYTES = 100_000
"""Larger copies are refused with a message (terminals drop long OSC 52)."""
SCREEN_CHUNK = 76


def osc52(text: str) -> str:
    return "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\a"


def multiplexer(env: dict) -> str | None:
    """``"tmux"``, ``"screen"`` or None: the innermost terminal multiplexer."""
    term = env.get("TERM", "")
    tmux, screen = bool(env.get("TMUX")), bool(env.get("STY"))
    if term.startswith("tmux"):
        return "tmux"
    if term.startswith("screen"):
        if tmux and screen:
            # GNU screen names its TERM "screen" or "screen.<outer>"; tmux "screen-256color"
            return "tmux" if term.startswith("screen-") else "screen"
        return "tmux" if tmux else "screen" if screen else None
    if tmux or screen:  # a multiplexer told to announce another TERM (xterm-256color)
        return "tmux" if tmux else "screen"
    return None


def sequences(text: str, env: dict, passthrough: bool = True) -> list[str]:
    """The escape sequences that carry ``text`` to the clipboard in the
    terminal ``env`` describes (the first is the bare OSC 52, unless under screen)."""
    seq = osc52(text)
    where = multiplexer(env)
    if where == "tmux":
        inner = seq.replace("\x1b", "\x1b\x1b")
        return [seq] + (["\x1bPtmux;" + inner + "\x1b\\"] if passthrough else [])
    if where == "screen":
        chunks = [seq[i:i + SCREEN_CHUNK] for i in range(0, len(seq), SCREEN_CHUNK)]
        return ["".join("\x1bP" + c + "\x1b\\" for c in chunks)]
    return [seq]


def copy(app, text: str, env: dict, limit: int = MAX_BYTES,
         passthrough: bool = True) -> tuple[bool, str]:
    """Send ``text`` to the clipboard; (sent, message for the user)."""
    size = len(text.encode("utf-8"))
    if not text:
        return False, "nothing to copy"
    if size > limit:
        return False, (f"not copied: {size:,} bytes is more than the {limit:,} byte limit for "
                       f"terminal copy; save it as a file instead (t)")
    seqs = sequences(text, env, passthrough)
    app.copy_to_clipboard(text)  # the bare OSC 52, and app.clipboard
    extra = [s for s in seqs if s != osc52(text)]
    if extra:
        write_raw(app, *extra)
    lines = text.count("\n") + 1
    where = multiplexer(env)
    # OSC 52 is never answered: say what was sent, not that it arrived (QA2 7)
    return True, f"sent {lines} line{'s' if lines != 1 else ''} to the terminal's clipboard " + (
        f"(OSC 52, through {where})" if where else "(OSC 52)")


def save_text(path: str | Path, text: str) -> Path:
    p = Path(path).expanduser()
    p.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(p, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
    return p
