"""Build the store from the bundled data: reference layers, then the synthetic demonstration events.

The first `nexus-atlas serve` calls ensure_store(); later starts find the store and reuse it.
The store is written to a temporary file and renamed at the end, so an interrupted build never
leaves a half-built store behind.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from tqdm import tqdm

from atlas.settings import Settings
from ingest import reference, synthetic
from ingest.store import connect, refresh_source_counts, transaction, upsert_events

STEPS = ("reference layers", "synthetic events", "finishing")


def build_store(settings: Settings, *, progress: bool = True) -> Path:
    target = Path(settings.store_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    bar = tqdm(total=len(STEPS), desc="Building the Nexus Atlas store", unit="step", file=sys.stderr,
               disable=not progress, bar_format="{desc}: {n}/{total} {bar} {postfix}")
    with transaction(partial) as con:
        bar.set_postfix_str(STEPS[0])
        reference.load_reference(con)
        bar.update()
        bar.set_postfix_str(STEPS[1])
        events = synthetic.generate_events(n=settings.synthetic_events, seed=settings.synthetic_seed)
        upsert_events(con, events)
        refresh_source_counts(con)
        bar.update()
        bar.set_postfix_str(STEPS[2])
        con.execute("insert or replace into store_meta values ('synthetic_seed', ?)", [str(settings.synthetic_seed)])
    os.replace(partial, target)
    bar.update()
    bar.close()
    return target


def ensure_store(settings: Settings, *, progress: bool = True) -> Path:
    """Build the store if it does not exist yet; otherwise reuse it."""
    if Path(settings.store_path).exists():
        con = connect(settings.store_path, read_only=True)
        con.close()
        return Path(settings.store_path)
    return build_store(settings, progress=progress)
