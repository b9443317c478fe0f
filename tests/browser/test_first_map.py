"""A policymaker opens the page: the map is drawn, and filtering by crime type changes it."""
from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def map_state(page) -> dict:
    """Hexagon count, total events in the hexagons and number of outline features, read from the live figure."""
    return page.evaluate("""async () => {
        const gd = document.querySelector('#map .js-plotly-plot');
        const hex = gd._fullData.find(t => t.type === 'choroplethmap');
        const layers = (gd._fullLayout.map && gd._fullLayout.map.layers) || [];
        let src = layers.length ? layers[0].source : null;
        if (typeof src === 'string') {  // the page fetches the outlines from the server once (app.py)
            src = await (await fetch(src)).json();
        }
        const outlines = src && src.features ? src.features.length : 0;
        return {hexagons: hex ? hex.locations.length : 0,
                total: hex ? Array.from(hex.z).reduce((a, z) => a + Math.round(Math.pow(10, z)), 0) : 0,
                outlines: outlines,
                counter: document.querySelector('#counter').innerText,
                canvas: document.querySelectorAll('#map canvas').length};
    }""")


def choose(page, dropdown_id: str, text: str):
    """Open a dropdown and click the option whose label starts with ``text``, as a user would."""
    page.locator(f"#{dropdown_id}").click()
    page.locator(".dash-dropdown-option", has_text=text).first.click()
    page.keyboard.press("Escape")


def wait_for_map(page, previous_counter=None):
    page.wait_for_function("""(prev) => {
        const gd = document.querySelector('#map .js-plotly-plot');
        const c = document.querySelector('#counter');
        return gd && gd.data && gd.data.length > 0 && c && c.innerText && c.innerText !== prev;
    }""", arg=previous_counter, timeout=30_000)


def test_map_draws_and_crime_filter_changes_it(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/")
    wait_for_map(page)
    before = map_state(page)
    assert before["hexagons"] > 50
    assert before["outlines"] > 10
    assert before["canvas"] >= 1, "MapLibre canvas not drawn"
    assert page.locator("#synthetic-banner").is_visible()
    screenshot(page, "first_map_all_regions")

    choose(page, "filter-crime-types", "Cattle rustling")
    wait_for_map(page, before["counter"])
    after = map_state(page)
    assert 0 < after["hexagons"] < before["hexagons"]
    assert after["counter"] != before["counter"]
    assert "crime_types=cattle_rustling" in page.url
    screenshot(page, "first_map_cattle_rustling")
    watch.assert_clean()
