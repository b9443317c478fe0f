"""Time playback: each tick moves the period forward by a month, a quarter or a year.

Cumulative mode grows the period from the first month; window mode slides a window of the chosen
length. The period lives in the URL like every filter, so a paused frame is a shareable link.
"""
from __future__ import annotations

from datetime import date, timedelta

from atlas.filters import FilterState

STEPS = {"month": 1, "quarter": 3, "year": 12}
MODES = ("cumulative", "window")


def month_index(d: date, first_year: int) -> int:
    return (d.year - first_year) * 12 + d.month - 1


def month_start(index: int, first_year: int) -> date:
    return date(first_year + index // 12, index % 12 + 1, 1)


def month_end(index: int, first_year: int) -> date:
    return month_start(index + 1, first_year) - timedelta(days=1)


def next_frame(f: FilterState, *, step: str, mode: str, extent_years: tuple[int, int],
               window_steps: int = 1) -> tuple[FilterState, bool]:
    """The filter for the next playback frame, and whether playback has reached the end.

    Cumulative mode keeps the user's start date and grows the period; a period that already ends at
    the last month (or before its start) restarts one step after the start.
    """
    first, last = extent_years
    months = STEPS.get(step, 12)
    last_index = (last - first + 1) * 12 - 1
    origin = max(0, min(month_index(f.date_from, first), last_index)) if f.date_from else 0
    end = month_index(f.date_to, first) if f.date_to else last_index
    end = end + months if origin <= end < last_index else origin + months - 1
    end = min(end, last_index)
    if mode == "window":
        start = max(0, end - months * max(1, window_steps) + 1)
    else:
        start = origin
    new = f.replace(date_from=month_start(start, first) if start > 0 else None,
                    date_to=month_end(end, first) if end < last_index else None)
    return new, end >= last_index
