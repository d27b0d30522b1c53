"""tlsworkbench.clock: one place for today's date, pinned by TLSWORKBENCH_TODAY."""

from __future__ import annotations

from datetime import date, datetime, timezone

from tlsworkbench import clock
from tlsworkbench.diagnose import renewal


def test_pinned_day_drives_the_renewal_dates(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2031-02-03")
    assert clock.today() == date(2031, 2, 3)
    assert clock.now() == datetime(2031, 2, 3, 12, tzinfo=timezone.utc)
    assert renewal.today_utc().date() == date(2031, 2, 3)


def test_unset_or_unreadable_means_the_real_day(monkeypatch):
    real = datetime.now(timezone.utc).date()
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.today() in (real, datetime.now(timezone.utc).date())
    monkeypatch.setenv(clock.ENV, "not a date; rm -rf /")
    assert clock.today() in (real, datetime.now(timezone.utc).date())
