"""The garbage collector around a big session (see ``settle_heap``)."""

from __future__ import annotations

import gc

GC_OLDEST = 30
"""Collections of the middle generation between two automatic collections of
the oldest (Python's default is 10)."""
GC_IDLE = 2.0
"""Seconds without a selection after which the oldest generation is collected."""
_GC_BEFORE = gc.get_threshold()


def settle_heap() -> None:
    """Keep full garbage collections out of the selections' screen updates.

    A million-line session is millions of long-lived objects; a full collection
    walked all of them (about 45 ms, in the middle of a selection's screen
    update). What a load leaves is collected once here, then frozen (the next
    load unfreezes first, so a session that was replaced is still freed). What
    the screen keeps on top (Textual's caches of drawn lines) still made a full
    collection of about 30 ms every twenty selections: those now run
    automatically three times less often, and when the user pauses
    (``WorkbenchApp._collect_when_idle``)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    young, middle, oldest = _GC_BEFORE
    gc.set_threshold(young, middle, max(GC_OLDEST, oldest))


def release_heap() -> None:
    """The collector as it was before the workbench ran (it may run in a
    process that goes on, like the tests)."""
    gc.unfreeze()
    gc.set_threshold(*_GC_BEFORE)
