"""The workbench's plain-Python parts: config, themes, clipboard, console index."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import pytest

from test_tui_helpers import hand_session, isolated  # noqa: F401

from tlsworkbench.tui import clipboard
from tlsworkbench.tui.config import ConfigError, load_config, recent_sessions, remember
from tlsworkbench.tui.keymap import binding_ids
from tlsworkbench.diagnose import fixjob
from tlsworkbench.engine import related
from tlsworkbench.model import Command
from tlsworkbench.tui.logindex import Filter, LogIndex
from tlsworkbench.tui.selection import Selector
from tlsworkbench.tui.text import plain, printable
from tlsworkbench.tui.themes import ThemeError, load_all, load_theme


# -- config ---------------------------------------------------------------------------
def write(tmp: Path, text: str) -> Path:
    p = tmp / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_config_defaults_when_missing(isolated):
    cfg = load_config(isolated / "none.toml")
    assert cfg.theme is None and cfg.keys == {} and cfg.max_bytes == 100_000


def test_config_reads_keys_theme_and_limits(isolated):
    p = write(isolated, 'theme = "zos-green"\n[keys]\n"app.copy_fix" = "c"\n'
                        '[clipboard]\nmax_bytes = 5000\n')
    cfg = load_config(p, known_bindings=binding_ids())
    assert cfg.theme == "zos-green" and cfg.keys == {"app.copy_fix": "c"}
    assert cfg.max_bytes == 5000


@pytest.mark.parametrize("text, where", [
    ('theme = "dark"\ncolour = "red"\n', ":2: colour: unknown setting"),
    ('[clipboard]\nmax_bytes = "big"\n', ":2: clipboard.max_bytes: must be int"),
    ('[clipboard]\nmax_bytes = 1\nsize = 3\n', ":3: clipboard.size: unknown setting"),
    ('[keys]\n"app.copy_fixes" = "c"\n', ":2: keys.app.copy_fixes: no binding has this id"),
    ('theme = \n', "Invalid value"),
])
def test_config_errors_name_file_key_and_line(isolated, text, where):
    p = write(isolated, text)
    with pytest.raises(ConfigError) as err:
        load_config(p, known_bindings=binding_ids())
    assert str(err.value).startswith(str(p))
    assert where in str(err.value)


def test_recent_sessions_in_state_dir(isolated):
    for name in ("a.tlswb", "b.tlswb", "a.tlswb"):
        remember(isolated / name)
    assert recent_sessions() == [str((isolated / "a.tlswb").resolve()),
                                 str((isolated / "b.tlswb").resolve())]
    assert (isolated / "state" / "tlsworkbench" / "recent.json").is_file()


# -- themes ---------------------------------------------------------------------------
def test_bundled_themes_load():
    themes, errors = load_all()
    assert errors == []
    names = {t.name for t in themes}
    assert {"zos-green", "dark", "high-contrast-light"} <= names
    zos = next(t for t in themes if t.name == "zos-green")
    assert zos.variables["rc-error"] and zos.variables["cert-expired"]
    assert next(t for t in themes if t.name == "high-contrast-light").dark is False


@pytest.mark.parametrize("text, words", [
    ('name = "x"\nprimary = "#000000"\nbackgrund = "#ffffff"\n', "unknown key 'backgrund'"),
    ('name = "x"\nprimary = "#000000"\n[variables]\nrc-eror = "#ff0000"\n',
     "unknown variable 'rc-eror'"),
    ('name = "x"\nprimary = "not a colour"\n', "'primary' = 'not a colour' is not a colour"),
    ('primary = "#000000"\n', "'name' and 'primary' are required"),
    ('name = "x"\nprimary = \n', "not valid TOML"),
])
def test_bad_theme_is_rejected_with_file_and_key(tmp_path, text, words):
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeError) as err:
        load_theme(p)
    assert str(err.value).startswith(str(p)) and words in str(err.value)


def test_user_theme_dir_overrides_and_reports(tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text('name = "mine"\nprimary = "#123456"\n', encoding="utf-8")
    (tmp_path / "broken.toml").write_text('name = "b"\nprimary = "#000000"\nfoo = 1\n')
    themes, errors = load_all([tmp_path])
    assert [t.name for t in themes] == ["mine"]
    assert len(errors) == 1 and "broken.toml" in errors[0] and "'foo'" in errors[0]


# -- clipboard --------------------------------------------------------------------------
def decode(seq: str) -> str:
    body = seq.split("52;c;", 1)[1].split("\a", 1)[0]
    return base64.b64decode(body).decode()


def test_osc52_plain_tmux_and_screen():
    text = "RACDCERT ID(FTPD) LISTRING(Server_RING)"
    (plain_seq,) = clipboard.sequences(text, {})
    assert plain_seq.startswith("\x1b]52;c;") and decode(plain_seq) == text
    bare, wrapped = clipboard.sequences(text, {"TMUX": "/tmp/tmux-0/default,1,0"})
    assert bare == plain_seq
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]52;c;") and wrapped.endswith("\a\x1b\\")
    (screen,) = clipboard.sequences(text * 10, {"STY": "1234.pts-0"})
    chunks = screen.split("\x1b\\")[:-1]
    assert all(c.startswith("\x1bP") and len(c) <= 2 + clipboard.SCREEN_CHUNK for c in chunks)
    assert decode("".join(c[2:] for c in chunks)) == text * 10


@pytest.mark.parametrize("env, want", [
    ({"TERM": "xterm-256color"}, None),
    ({"TERM": "tmux-256color"}, "tmux"),  # ssh -t from tmux: no TMUX, TERM says it
    ({"TERM": "screen-256color", "TMUX": "/tmp/t,1,0"}, "tmux"),
    ({"TERM": "xterm-256color", "TMUX": "/tmp/t,1,0"}, "tmux"),
    ({"TERM": "screen", "STY": "1.pts-0"}, "screen"),
    # screen started inside tmux: both inherited, screen's TERM is innermost
    ({"TERM": "screen", "TMUX": "/tmp/t,1,0", "STY": "1.pts-0"}, "screen"),
    ({"TERM": "screen.xterm-256color", "TMUX": "/tmp/t,1,0", "STY": "1.pts-0"}, "screen"),
    # tmux started inside screen
    ({"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "STY": "1.pts-0"}, "tmux"),
    ({"TERM": "screen-256color", "TMUX": "/tmp/t,1,0", "STY": "1.pts-0"}, "tmux"),
])
def test_the_innermost_multiplexer_comes_from_term_tmux_and_sty(env, want):
    assert clipboard.multiplexer(env) == want


def test_screen_inside_tmux_gets_no_tmux_wrapping():
    env = {"TERM": "screen", "TMUX": "/tmp/t,1,0", "STY": "1.pts-0"}
    seqs = clipboard.sequences("RACDCERT LIST", env)
    assert len(seqs) == 1 and "tmux;" not in seqs[0] and seqs[0].startswith("\x1bP\x1b]52;c;")
    env = {"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"}
    assert len(clipboard.sequences("x", env, passthrough=False)) == 1


class FakeDriver:
    def __init__(self):
        self.out = []

    def write(self, data):
        self.out.append(data)

    def flush(self):
        pass


class FakeApp:
    """What clipboard.copy uses of an App: the public copy_to_clipboard, and
    the driver for the wrapped copies (textual_private.write_raw)."""

    def __init__(self, driver):
        self._driver = driver
        self.clipboard = ""

    def copy_to_clipboard(self, text):
        self.clipboard = text
        self._driver.write(clipboard.osc52(text))


def test_copy_caps_size_and_wraps_for_tmux():
    drv = FakeDriver()
    app = FakeApp(drv)
    ok, msg = clipboard.copy(app, "a\nb\nc", env={})
    assert ok and msg == "sent 3 lines to the terminal's clipboard (OSC 52)" and app.clipboard == "a\nb\nc" and len(drv.out) == 1
    ok, msg = clipboard.copy(app, "x" * 101, env={}, limit=100)
    assert not ok and "101 bytes is more than the 100 byte limit" in msg and len(drv.out) == 1
    ok, msg = clipboard.copy(app, "a", env={"TMUX": "/tmp/t,1,0", "TERM": "tmux-256color"})
    assert ok and msg == "sent 1 line to the terminal's clipboard (OSC 52, through tmux)"
    assert drv.out[1] == clipboard.osc52("a") and drv.out[2].startswith("\x1bPtmux;")
    ok, msg = clipboard.copy(app, "b", env={"TMUX": "/tmp/t,1,0"}, passthrough=False)
    assert ok and drv.out[3:] == [clipboard.osc52("b")]


def test_jcl_member_runs_racf_under_ikjeft01_then_says_when_to_refresh_pagent():
    f = hand_session().findings[0]
    cmds = f.commands + [Command("F PAGENT,UPDATE", kind="operator")]
    job = fixjob.job_text(cmds, f.title)
    lines = job.splitlines()
    assert lines[0].startswith("//TLSWBFIX JOB ")
    assert "EXEC PGM=IKJEFT01" in lines[1] and "//SYSTSIN  DD *" in lines
    assert "RACDCERT ID(FTPD) CONNECT(ID(FTPD) -" in lines
    assert not any(x.startswith("// COMMAND") for x in lines), "JES would issue it before the step"
    end = lines.index("/*")
    refresh = next(i for i, x in enumerate(lines) if "F PAGENT,UPDATE" in x)
    assert refresh > end and lines[refresh].startswith("//*"), "only after the RACF step"
    assert all(len(x) <= 72 for x in lines)


# -- console index ----------------------------------------------------------------------
def test_console_lines_merged_by_time_across_systems():
    ix = LogIndex(hand_session()).build()
    assert len(ix) == 26  # every line of the three logs, none of the RACDCERT output
    times = [ix.time_at(r) for r in range(len(ix))]
    assert times == sorted(times)
    systems = [ix.system_at(r) for r in range(len(ix))]
    assert systems[:3] == ["MVS3", "MVS1", "MVS3"]
    row = ix.row_of["a1:4"]
    assert [ix.record_id_at(row + k) for k in range(5)] == ["a1:4"] * 5  # continuation lines
    assert ix.text(row + 4).startswith("E ")


def test_console_filters():
    ix = LogIndex(hand_session()).build()
    rows = ix.filter_rows(Filter.parse("sys:MVS3 rc:6"))
    assert {ix.record_id_at(r) for r in rows} == {"a1:4", "a3:3", "a3:4"}
    rows = ix.filter_rows(Filter.parse("connid:7cc sev:error"))
    assert {ix.record_id_at(r) for r in rows} == {"a1:4", "a3:3", "a3:4"}
    rows = ix.filter_rows(Filter.parse("job:USER201 authentication negotiation"))
    assert [ix.record_id_at(r) for r in rows] == ["a2:12"]
    assert ix.filter_rows(Filter.parse("")) is None
    assert len(ix.filter_rows(Filter.parse("rule:FTPTClient"))) == 5


def test_console_text_is_made_safe():
    s = hand_session()
    art = s.artifacts[0]
    art.data = art.data.replace(b"EZZ4202I Z/OS", b"EZZ4202I \x1b]52;c;AAAA\x07 Z/OS")
    ix = LogIndex(s).build()
    text = ix.text(ix.row_of["a1:1"])
    assert "\x1b" not in text and "\x07" not in text and "52;c;AAAA" in text
    assert "\x1b" not in printable("a\x1bb") and plain("[b]x[/b]").plain == "[b]x[/b]"


def test_the_index_adds_the_peer_and_the_missing_certificate():
    """The peer and missing-certificate rules live in the model's index: the
    workbench's selection is exactly what the CLI gets."""
    s = hand_session()
    sel = Selector(s).select("a1:4", "console")
    rel = sel.related
    assert sel.record == "a1:4" and sel.source == "console" and rel.record == "a1:4"
    assert {"c1", "c2"} <= set(rel.connections)
    assert {"a1:4", "a2:6", "a3:4"} <= rel.records
    assert {6, 438} <= set(rel.rcs) and "f1" in rel.findings
    assert "FTPD/Server_RING" in rel.rings and "a5:3" in rel.certs
    assert related(s, "a1:4") == rel
    assert Selector(s).select(None).related.records == frozenset()
    with pytest.raises(dataclasses.FrozenInstanceError):
        sel.record = "a1:5"


def test_kept_lines_of_a_big_syslogd_file_are_highlighted(monkeypatch):
    """Routine AT-TLS lines kept only as line numbers (the fast path for big
    syslogd files) still map to console rows, so a selection highlights them."""
    from tlsworkbench.ingest import loader
    from tlsworkbench.model.index import Index

    monkeypatch.setattr(loader, "FAST_ATTLS_BYTES", 0)
    path = Path(__file__).parent / "data" / "scenarios" / "healthy" / "MVS3.syslogd.log"
    session = loader.load([path])
    kept = [c for c in session.connections if c.lines]
    assert kept, "the fast path must keep some routine lines as line numbers"
    conn = kept[0]
    starts = {r.id for r in session.records}
    ids = [i for i in conn.line_ids() if i not in starts]
    assert ids, "some of the connection's lines are kept only as line numbers"
    idx = LogIndex(session).build()
    rows = idx.rows_of_records(Index(session).related_to_connection(conn.id).records)
    lines = {int(i.rsplit(":", 1)[1]) for i in ids}
    assert lines <= {idx.row_line[r] for r in rows}
