"""Copying text out of the terminal: OSC 52, wrapped for tmux and GNU screen,
capped in size; and the file twin of every copy (text file or JCL member).

Textual's ``App.copy_to_clipboard`` writes a bare OSC 52. Inside tmux it only
reaches the outer terminal when tmux has ``set-clipboard on`` (tmux then also
keeps it as a paste buffer); with ``allow-passthrough on`` the DCS-wrapped copy
gets through as well, so under tmux both are sent. GNU screen needs DCS
wrapping, in chunks (screen limits the length of one string).
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from tlsworkbench.atomicfile import write_atomic

MAX_BYTES = 100_000
"""Larger copies are refused with a message (terminals drop long OSC 52)."""
SCREEN_CHUNK = 76


def osc52(text: str) -> str:
    return "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\a"


def sequences(text: str, env: dict | None = None) -> list[str]:
    """The escape sequences to write for ``text`` in the terminal ``env`` says."""
    env = os.environ if env is None else env
    seq = osc52(text)
    if env.get("TMUX"):
        inner = seq.replace("\x1b", "\x1b\x1b")
        return [seq, "\x1bPtmux;" + inner + "\x1b\\"]
    if env.get("STY"):
        chunks = [seq[i:i + SCREEN_CHUNK] for i in range(0, len(seq), SCREEN_CHUNK)]
        return ["".join("\x1bP" + c + "\x1b\\" for c in chunks)]
    return [seq]


def copy(app, text: str, env: dict | None = None, limit: int = MAX_BYTES) -> tuple[bool, str]:
    """Send ``text`` to the clipboard; (sent, message for the user)."""
    size = len(text.encode("utf-8"))
    if not text:
        return False, "nothing to copy"
    if size > limit:
        return False, (f"not copied: {size:,} bytes is more than the {limit:,} byte limit for "
                       f"terminal copy; save it as a file instead (ctrl+t)")
    app._clipboard = text  # what App.copy_to_clipboard keeps (app.clipboard)
    driver = getattr(app, "_driver", None)
    if driver is None:
        return False, "not copied: no terminal"
    try:
        for seq in sequences(text, env):
            driver.write(seq)
        driver.flush()
    except Exception as exc:
        return False, f"not copied: {exc}"
    lines = text.count("\n") + 1
    where = " (through tmux)" if (os.environ if env is None else env).get("TMUX") else ""
    return True, f"copied {lines} line{'s' if lines != 1 else ''}{where}"


def save_text(path: str | Path, text: str) -> Path:
    p = Path(path).expanduser()
    p.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(p, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
    return p


_JOBNAME = re.compile(r"[^A-Z0-9@#$]")


def jcl(commands, title: str = "", jobname: str = "TLSWBFIX") -> str:
    """A batch job that runs the commands: RACF and shell-less commands under
    IKJEFT01, operator commands as JCL COMMAND statements."""
    job = (_JOBNAME.sub("", jobname.upper()) or "TLSWBFIX")[:8]
    out = [f"//{job:<8} JOB (ACCT),'TLSWORKBENCH FIX',CLASS=A,MSGCLASS=X,",
           "//             NOTIFY=&SYSUID"]
    if title:
        for i in range(0, len(title), 65):
            out.append("//* " + title[i:i + 65])
    tso, other = [], []
    for c in commands:
        kind = getattr(c, "kind", "racf")
        text = getattr(c, "text", str(c))
        if kind == "operator":
            out.append(f"// COMMAND '{text}'")
        elif kind in ("racf", "tso"):
            tso.append(text)
        else:
            other.append((kind, text))
    for kind, text in other:
        out.append(f"//* {kind} (not run by this job):")
        for ln in text.splitlines():
            out.append("//*   " + ln[:65])
    if tso:
        out += ["//TSO      EXEC PGM=IKJEFT01", "//SYSTSPRT DD SYSOUT=*", "//SYSTSIN  DD *"]
        for text in tso:
            for ln in text.splitlines():
                out.append(" " + ln.strip() if not ln.startswith(" ") else ln)
        out.append("/*")
    return "\n".join(line[:72] for line in out) + "\n"
