"""All configuration in one frozen value, built from a mapping (normally os.environ).

Each setting has a default and a help line; tests/test_docs.py checks that the README's
settings table lists every one of them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from atlas.paths import ROOT


def _setting(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    store_path: Path = _setting(ROOT / "data" / "store" / "nexus.duckdb",
                                "DuckDB store file; built from the bundled data on first start if missing.")
    host: str = _setting("127.0.0.1", "Address the dashboard listens on.")
    port: int = _setting(8050, "Port the dashboard listens on.")
    debug: bool = _setting(False, "Dash debug mode (hot reload, dev tools). Never on in production.")
    synthetic_seed: int = _setting(20240601, "Seed of the synthetic demonstration event generator.")
    synthetic_events: int = _setting(6000, "How many synthetic demonstration events the first build makes.")
    cache_size: int = _setting(256, "Views whose results each server process keeps in memory (keyed by the URL query).")

    @property
    def env_names(self) -> dict[str, str]:
        return {f.name: f"NEXUS_{f.name.upper()}" for f in fields(self)}


def load_settings(env: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Read NEXUS_* variables from ``env`` (default os.environ); keyword overrides win."""
    env = os.environ if env is None else env
    values = {}
    for f in fields(Settings):
        name = f"NEXUS_{f.name.upper()}"
        if name in env:
            raw = env[name]
            if f.type in ("int", int):
                values[f.name] = int(raw)
            elif f.type in ("bool", bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif f.type in ("Path", Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
    values.update(overrides)
    return Settings(**values)


def describe_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for the README and --help."""
    out = []
    for f in fields(Settings):
        default = f.default
        if isinstance(default, Path):
            default = default.relative_to(ROOT) if default.is_relative_to(ROOT) else default
        out.append((f"NEXUS_{f.name.upper()}", str(default), f.metadata["help"]))
    return out
