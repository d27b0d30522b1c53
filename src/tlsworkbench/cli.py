"""Command line: ``tlsworkbench [FILES|SESSION]`` opens the workbench; the
subcommands run the same engine headless.

Each subcommand lives in ``tlsworkbench.commands.<name>`` with two functions,
``add_arguments(parser)`` and ``run(args) -> int``. Unusable arguments or
unreadable input end with exit status 2 and a one-line error on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from tlsworkbench import __version__
from tlsworkbench.errors import UsageError  # noqa: F401  (re-exported for the commands)

SUBCOMMANDS = {
    "diagnose": "read artifacts, correlate them and name the causes of failures",
    "trace": "decode a GSKSRVR / gsktrace trace into handshake timelines",
    "cert": "show the facts and checks of certificates",
    "rc": "look up AT-TLS, System SSL and CMS return codes",
    "preflight": "check rings, certificates and policy before anything fails",
    "bundle": "write artifacts into one .tlswb session file",
    "export": "write a redacted .tlswb session file to share",
    "report": "write a ticket-ready report (Markdown or HTML)",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tlsworkbench",
        description="Explain failed z/OS SSL/TLS and AT-TLS connections; with no "
        "subcommand, open the workbench on FILES or a .tlswb session "
        "(no FILES: the bundled sample session).",
    )
    p.add_argument("--version", action="version", version=f"tlsworkbench {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(f"tlsworkbench.commands.{name}").add_arguments(sp)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version"):
        return _open_workbench(argv)
    args = _parser().parse_args(argv)
    mod = importlib.import_module(f"tlsworkbench.commands.{args.command}")
    try:
        return int(mod.run(args) or 0)
    except UsageError as exc:
        print(f"tlsworkbench: {_shown(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def _open_workbench(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="tlsworkbench")
    p.add_argument("paths", nargs="*", help="artifact files, folders or a .tlswb session")
    p.add_argument("--theme", help="theme name (see themes/)")
    p.add_argument("--version", action="version", version=f"tlsworkbench {__version__}")
    args = p.parse_args(argv)
    from tlsworkbench.tui.app import run_app  # Textual is loaded only for the workbench

    try:
        return int(run_app(args.paths, theme=args.theme) or 0)
    except UsageError as exc:
        print(f"tlsworkbench: {_shown(exc)}", file=sys.stderr)
        return 2


def _shown(exc: BaseException) -> str:
    """A message for the terminal: paths and other untrusted text in it carry no
    raw control characters (ESC, BEL, C1 are shown escaped, as ``\\x1b``)."""
    from tlsworkbench.ingest.common import printable

    return printable(str(exc))
