"""``tlsworkbench rc CODE... [--json]``: look up return codes, message ids,
event names and cipher suites in the reference.

Exit status: 0 when every argument matched, 1 when some argument matched
nothing (a message on stderr says which), 2 for an unusable argument.
"""

from __future__ import annotations

import json
import sys
import textwrap
import unicodedata

from tlsworkbench import reference
from tlsworkbench.cli import UsageError
from tlsworkbench.reference.codes import looks_like_code, parse_code

WIDTH = 80
MAX_ARG = 200


def add_arguments(parser) -> None:
    parser.add_argument(
        "codes", nargs="+", metavar="CODE",
        help="return code (428, 1B3, 0x1B3, X'1B3', 0335304B, -27), message id "
             "(EZD1287I), symbolic name, event name, cipher spec or words to search")
    parser.add_argument("--json", action="store_true", help="write JSON to stdout")


def _clean(text: str) -> str:
    """Untrusted text made safe for a terminal: no control or escape characters."""
    return "".join(ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" else "?"
                   for ch in text)


def _check(arg: str) -> str:
    text = " ".join(arg.split())
    if not text:
        raise UsageError("rc: empty argument")
    if len(text) > MAX_ARG:
        raise UsageError(f"rc: argument longer than {MAX_ARG} characters")
    if looks_like_code(text) and not parse_code(text):
        raise UsageError(f"rc: cannot read {_clean(text)!r} as a code")
    return text


def _wrap(label: str, text: str) -> list[str]:
    head = f"  {label:<9}"
    return textwrap.wrap(_clean(text), width=WIDTH, initial_indent=head,
                         subsequent_indent=" " * len(head), break_on_hyphens=False) or [head]


def format_entry(e: reference.Entry) -> str:
    """Readable text for one entry, at most 80 columns wide."""
    title = f"{e.code_text}  {e.family_label}"
    if e.name and e.name != e.code_text:
        title += f"  {e.name}"
    if not e.confirmed:
        title += "  [unconfirmed]"
    lines = textwrap.wrap(_clean(title), width=WIDTH, subsequent_indent="    ") or [title]
    lines += _wrap("Meaning:", e.meaning)
    if e.where:
        lines += _wrap("Seen in:", e.where)
    lines += _wrap("Action:", e.action)
    for c in e.context:
        lines += _wrap("Context:", f"{c.when}: {c.note}" if c.note else c.when)
    if e.events:
        lines += _wrap("Events:", ", ".join(e.events))
    if e.see:
        lines += _wrap("See:", ", ".join(e.see))
    title = reference.sources().get(e.source, {}).get("title", "")
    lines += _wrap("Source:", e.source + (f" - {title}" if title else ""))
    return "\n".join(lines)


def run(args) -> int:
    queries = [_check(a) for a in args.codes]
    results: list[tuple[str, list[reference.Entry]]] = [(q, reference.lookup(q)) for q in queries]
    missing = [q for q, found in results if not found]
    if args.json:
        out = {"matches": [dict(e.to_dict(), query=q) for q, found in results for e in found],
               "unmatched": missing}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=True) + "\n")
    else:
        blocks = [format_entry(e) for _q, found in results for e in found]
        if blocks:
            sys.stdout.write("\n\n".join(blocks) + "\n")
    for q in missing:
        print(f"tlsworkbench: rc: no entry matches {_clean(q)!r}", file=sys.stderr)
    return 1 if missing else 0
