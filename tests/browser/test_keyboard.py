"""Every control can be reached with the keyboard alone, in a sensible order."""
from __future__ import annotations

import pytest

from tests.browser.test_first_map import wait_for_map

pytestmark = pytest.mark.browser

# The container id of each control a keyboard user must be able to reach from the top of the page.
MUST_REACH = ["lang", "filter-region", "filter-crime-types", "filter-years", "filter-actors", "filter-sources",
              "filter-min-fatalities", "filter-precision", "filter-unit", "filter-resolution", "analysis",
              "filter-layers", "filter-reset", "play"]


def test_controls_are_reachable_with_tab(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/")
    wait_for_map(page)
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        owner = page.evaluate("""(ids) => {
            let el = document.activeElement;
            while (el && el !== document.body) {
                if (el.id && ids.includes(el.id)) return el.id;
                el = el.parentElement;
            }
            return null;
        }""", MUST_REACH)
        if owner and owner not in reached:
            reached.append(owner)
    missing = [c for c in MUST_REACH if c not in reached]
    assert not missing, f"not reachable with Tab: {missing}"
    # the sidebar is walked top to bottom
    sidebar = [c for c in reached if c.startswith("filter-")]
    assert sidebar.index("filter-region") < sidebar.index("filter-crime-types") < sidebar.index("filter-reset")
    watch.assert_clean()
