"""``tlsworkbench rc CODE... [--family FAMILY] [--json]``: look up return codes,
message ids, event names and cipher suites in the reference.

A code that means different things in different families (8 from System SSL,
R_datalib and HWTH; 6002 from AT-TLS and TN3270) is listed once per family;
``--family`` keeps one family's meaning (``rc 8 --family rdatalib``).

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
    parser.add_argument(
        "--family", metavar="FAMILY",
        help="only this family's meaning: gsk (System SSL), atls, cms, tn3270, rdatalib, hwth, "
             "ftp, message, event, errno; or the application: cics, mq, db2, zowe")
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
    title = f"{e.code_text}"
    if e.hex and e.family in ("gsk", "hwth"):
        title += f" (X'{e.hex}')"
    title += f"  {e.family_label}"
    if e.name and e.name != e.code_text:
        title += f"  {e.name}"
    if e.not_found:
        title += "  [not found]"
    elif not e.confirmed:
        title += "  [unconfirmed]"
    if e.generic:
        title += "  [range]"
    lines = textwrap.wrap(_clean(title), width=WIDTH, subsequent_indent="    ") or [title]
    lines += _wrap("Meaning:", e.meaning)
    if e.where:
        lines += _wrap("Seen in:", e.where)
    if e.fields:
        lines += _wrap("Fields:", ", ".join(e.fields))
    lines += _wrap("Action:", e.action)
    for c in e.context:
        lines += _wrap("Context:", f"{c.when}: {c.note}" if c.note else c.when)
    if e.events:
        lines += _wrap("Events:", ", ".join(e.events))
    if e.see:
        lines += _wrap("See:", ", ".join(e.see))
    src = reference.sources().get(e.source, {})
    title = src.get("title", "")
    section = e.section or src.get("section", "")
    lines += _wrap("Source:", e.source + (f" - {title}" if title else "")
                   + (f"; {section}" if section else ""))
    return "\n".join(lines)


def run(args) -> int:
    queries = [_check(a) for a in args.codes]
    family = getattr(args, "family", None)
    if family is not None:
        family = " ".join(family.split())
        if not reference.resolve_family(family) and family not in reference.FAMILY_LABELS:
            known = ", ".join(f for f, _ in reference.families())
            raise UsageError(f"rc: unknown family {_clean(family)[:40]!r} (known: {known}, "
                             "cics, mq, db2, zowe)")
    results: list[tuple[str, list[reference.Entry]]] = [
        (q, reference.lookup(q, family=family)) for q in queries]
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
