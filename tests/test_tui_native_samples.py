"""The workbench on the native samples (issue 10): the FTP and TN3270 sessions
open, their failing line selects the native connection, and the findings pane
shows the family's own fix. Snapshots of the findings pane at 100x30.
Regenerate with: python -m pytest tests/test_tui_native_samples.py --snapshot-update
"""

from __future__ import annotations

import pytest
from diagnose_helpers import sample_session

from test_tui_helpers import app_on, isolated, settle  # noqa: F401

@pytest.mark.parametrize("stem,fix", [("ftp-native", "P FTPD1"),
                                      ("tn3270-native", "V TCPIP,TN3270,OBEYFILE")], ids=["ftp", "tn3270"])
def test_findings_pane_of_a_native_sample(snap_compare, isolated, stem, fix):
    session = sample_session(stem)
    assert any(c.text.startswith(fix) for f in session.findings for c in f.commands)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(app_on(session, theme="dark"), terminal_size=(100, 30), run_before=run_before)
