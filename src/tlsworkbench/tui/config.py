"""The user's settings: ``config.toml`` in the platformdirs config directory,
validated strictly. Every error names the file, the key and the line.

    theme = "zos-green"
    [keys]                      # binding id = key(s), see F1
    "app.copy_fix" = "c"
    [clipboard]
    max_bytes = 100000          # larger copies are refused (save them as a file)
    tmux_passthrough = true     # under tmux, also send the DCS-wrapped copy
    [certificates]
    warn_days = 60              # "expiring" this many days before the end

Recent sessions are kept in the state directory (``recent.json``).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tlsworkbench.atomicfile import write_atomic

SCHEMA = {
    "theme": str,
    "keys": dict,
    "clipboard": {"max_bytes": int, "tmux_passthrough": bool},
    "certificates": {"warn_days": int},
}


class ConfigError(Exception):
    """A config file that cannot be used."""


@dataclass
class Config:
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    max_bytes: int = 100_000
    tmux_passthrough: bool = True
    warn_days: int = 60
    path: Path | None = None


def config_path() -> Path:
    from tlsworkbench import paths

    return paths.user_config_dir() / "config.toml"


def _line_of(text: str, key: str) -> int:
    pat = re.compile(r'^\s*(["\']?)' + re.escape(key) + r'\1\s*=|^\s*\[\s*' + re.escape(key)
                     + r"\s*\]", re.M)
    m = pat.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def load_config(path: Path | None = None, known_bindings: set[str] | None = None) -> Config:
    """Read and check the config file; a missing file gives the defaults."""
    path = path or config_path()
    if not path.is_file():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None

    def fail(key: str, why: str, where: str | None = None) -> ConfigError:
        line = _line_of(text, where or key.rpartition(".")[2])
        return ConfigError(f"{path}:{line}: {key}: {why}" if line else f"{path}: {key}: {why}")

    cfg = Config(path=path)
    for key, value in data.items():
        want = SCHEMA.get(key)
        if want is None:
            raise fail(key, f"unknown setting (known: {', '.join(SCHEMA)})")
        if isinstance(want, dict):
            if not isinstance(value, dict):
                raise fail(key, "must be a table")
            for sub, v in value.items():
                t = want.get(sub)
                if t is None:
                    raise fail(f"{key}.{sub}", f"unknown setting (known: {', '.join(want)})", sub)
                if not isinstance(v, t) or (t is int and isinstance(v, bool)):
                    raise fail(f"{key}.{sub}", f"must be {t.__name__}", sub)
        elif not isinstance(value, want):
            raise fail(key, f"must be {want.__name__}")
    cfg.theme = data.get("theme")
    for bid, keys in data.get("keys", {}).items():
        if not isinstance(keys, str) or not keys.strip():
            raise fail(f"keys.{bid}", "must be a key name such as \"ctrl+y\"", bid)
        if known_bindings is not None and bid not in known_bindings:
            raise fail(f"keys.{bid}", "no binding has this id (known: "
                       f"{', '.join(sorted(known_bindings))})", bid)
        cfg.keys[bid] = keys.strip()
    cfg.max_bytes = data.get("clipboard", {}).get("max_bytes", cfg.max_bytes)
    if cfg.max_bytes <= 0:
        raise fail("clipboard.max_bytes", "must be more than 0", "max_bytes")
    cfg.tmux_passthrough = data.get("clipboard", {}).get("tmux_passthrough", cfg.tmux_passthrough)
    cfg.warn_days = data.get("certificates", {}).get("warn_days", cfg.warn_days)
    if cfg.warn_days < 0:
        raise fail("certificates.warn_days", "must be 0 or more", "warn_days")
    return cfg


def recent_path() -> Path:
    from tlsworkbench import paths

    return paths.user_state_dir() / "recent.json"


def recent_sessions() -> list[str]:
    try:
        data = json.loads(recent_path().read_text(encoding="utf-8"))
        return [str(p) for p in data if isinstance(p, str)][:10]
    except (OSError, ValueError):
        return []


def remember(path: str | Path) -> None:
    p = str(Path(path).resolve())
    items = [p] + [x for x in recent_sessions() if x != p]
    target = recent_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, json.dumps(items[:10], indent=1).encode("utf-8"))
    except OSError:
        pass
