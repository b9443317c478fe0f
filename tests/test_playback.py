from datetime import date

import pytest

from atlas.filters import FilterState
from ui.playback import next_frame

EXTENT = (2012, 2014)


@pytest.mark.parametrize("start, step, mode, window, expected_from, expected_to, done", [
    (FilterState(), "year", "cumulative", 1, None, date(2012, 12, 31), False),         # restart from the beginning
    (FilterState(date_to=date(2012, 12, 31)), "year", "cumulative", 1, None, date(2013, 12, 31), False),
    (FilterState(date_to=date(2013, 12, 31)), "year", "cumulative", 1, None, None, True),
    (FilterState(date_to=date(2012, 3, 31)), "quarter", "window", 1, date(2012, 4, 1), date(2012, 6, 30), False),
    (FilterState(date_to=date(2012, 1, 31)), "month", "window", 1, date(2012, 2, 1), date(2012, 2, 29), False),
    (FilterState(date_to=date(2012, 6, 30)), "quarter", "window", 2, date(2012, 4, 1), date(2012, 9, 30), False),
    (FilterState(date_to=date(2014, 11, 30)), "month", "window", 1, date(2014, 12, 1), None, True),
    # cumulative keeps the user's start date, and restarts one step after it
    (FilterState(date_from=date(2013, 1, 1)), "year", "cumulative", 1, date(2013, 1, 1), date(2013, 12, 31), False),
    (FilterState(date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)), "quarter", "cumulative", 1,
     date(2013, 1, 1), date(2014, 3, 31), False),
])
def test_next_frame(start, step, mode, window, expected_from, expected_to, done):
    new, finished = next_frame(start, step=step, mode=mode, extent_years=EXTENT, window_steps=window)
    assert (new.date_from, new.date_to, finished) == (expected_from, expected_to, done)
