"""Today's date and the current time, in one place.

The diagnosis dates what it writes from today (a renewal's NOTAFTER, "valid from
the day the command runs"), and the simulator judges certificates on that day.
``TLSWORKBENCH_TODAY`` (an ISO date such as ``2026-12-06``) pins the day, so a
report, a ticket or a screenshot test gives the same text on any day. An unset
or unreadable value means the real date (UTC).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

ENV = "TLSWORKBENCH_TODAY"


def today() -> date:
    """Today in UTC, or the day ``TLSWORKBENCH_TODAY`` pins."""
    pinned = os.environ.get(ENV, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned[:10])
        except ValueError:
            pass
    return datetime.now(timezone.utc).date()


def now() -> datetime:
    """The current time in UTC; on a pinned day, noon of that day."""
    if os.environ.get(ENV, "").strip():
        d = today()
        return datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc)
    return datetime.now(timezone.utc)
