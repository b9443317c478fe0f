"""The dashboard used as its three kinds of users use it, in Debian's Chromium.

Each test checks that no page error happened and nothing was requested from outside 127.0.0.1,
and saves a screenshot under tests/artifacts/ for a person to look at.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_first_map import choose, map_state, wait_for_map

pytestmark = pytest.mark.browser


def counter(page) -> str:
    return page.locator("#counter").inner_text()


def click_busiest_hexagon(page):
    """Click the centre of the hexagon with the most events, as a user would."""
    point = page.evaluate("""() => {
        const gd = document.querySelector('#map .js-plotly-plot');
        const t = gd._fullData.find(d => d.type === 'choroplethmap');
        let best = 0;
        t.z.forEach((z, i) => { if (z > t.z[best]) best = i; });
        const f = t.geojson.features.find(f => f.id === t.locations[best]);
        const ring = f.geometry.coordinates[0];
        const lon = ring.reduce((a, c) => a + c[0], 0) / ring.length;
        const lat = ring.reduce((a, c) => a + c[1], 0) / ring.length;
        const map = gd._fullLayout.map._subplot.map;
        const p = map.project([lon, lat]);
        const box = map.getContainer().getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y, id: t.locations[best]};
    }""")
    page.mouse.click(point["x"], point["y"])
    return point["id"]


def test_policymaker_switches_region_and_reads_a_place(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/")
    wait_for_map(page)
    all_regions = map_state(page)

    choose(page, "filter-region", "Sahel")
    wait_for_map(page, all_regions["counter"])
    sahel = map_state(page)
    assert "region=sahel" in page.url
    assert sahel["hexagons"] < all_regions["hexagons"] and sahel["counter"] != all_regions["counter"]

    selected = click_busiest_hexagon(page)
    page.wait_for_selector("#drilldown:not([hidden])", timeout=20_000)
    page.wait_for_function("() => document.querySelector('#drill-summary').innerText.length > 20")
    summary = page.locator("#drill-summary").inner_text()
    assert "events around" in summary and "%" in summary and "synthetic" in summary
    assert f"selection=h3%3A4%3A{selected}" in page.url
    assert page.locator("#drill-table tbody tr").count() > 1
    screenshot(page, "drilldown_sahel")
    watch.assert_clean()


def test_analyst_filters_plays_time_and_downloads(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/?region=horn")
    wait_for_map(page)
    before = map_state(page)

    choose(page, "filter-crime-types", "Flora crimes")
    wait_for_map(page, before["counter"])
    filtered = map_state(page)
    assert filtered["counter"] != before["counter"] and filtered["hexagons"] < before["hexagons"]

    # Move the period slider's start handle with the keyboard (as a keyboard user would).
    handle = page.locator("#filter-years [role=slider]").first
    handle.focus()
    for _ in range(24):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('date_from=')", timeout=20_000)
    wait_for_map(page, filtered["counter"])
    assert map_state(page)["counter"] != filtered["counter"]

    # Playback: one tick moves the period forward.
    url_before = page.url
    page.locator("#play").click()
    page.wait_for_function("(u) => location.href !== u", arg=url_before, timeout=20_000)
    page.locator("#play").click()

    # corridors off, as an analyst reading the cells would: a click must land on a cell, not a line
    page.get_by_label("Trafficking corridors").uncheck()
    page.wait_for_function("() => !location.search.includes('corridors,')")
    wait_for_map(page)
    click_busiest_hexagon(page)
    page.wait_for_selector("#drilldown:not([hidden])", timeout=20_000)
    page.wait_for_function("() => document.querySelectorAll('#drill-table tbody tr').length > 1")
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
    assert rows and all(r["crime_type"] == "flora_crimes" for r in rows)
    assert {"event_id", "lat", "lon", "is_synthetic", "source"} <= set(rows[0])
    with page.expect_download() as info:
        page.locator("#download-geojson").click()
    geo = json.loads(info.value.path().read_text(encoding="utf-8"))
    assert len(geo["features"]) == len(rows)
    screenshot(page, "analyst_horn_flora")
    watch.assert_clean()


def test_copied_url_reproduces_the_view_and_back_works(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/?region=central_asia&crime_types=heroin_trade&unit=priogrid")
    wait_for_map(page)
    first = map_state(page)
    copied = page.url

    choose(page, "filter-region", "Sahel")
    wait_for_map(page, first["counter"])
    assert "region=sahel" in page.url
    page.go_back()
    page.wait_for_function("() => location.search.includes('central_asia')")
    wait_for_map(page)
    page.wait_for_function("(c) => document.querySelector('#counter').innerText === c", arg=first["counter"])

    page.goto("about:blank")
    page.goto(copied)
    wait_for_map(page)
    again = map_state(page)
    assert (again["counter"], again["hexagons"]) == (first["counter"], first["hexagons"])
    assert "Central Asia" in page.locator("#filter-region").inner_text()
    assert "Heroin" in page.locator("#filter-crime-types").inner_text()
    watch.assert_clean()


def test_french_interface(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/")
    wait_for_map(page)
    page.get_by_label("Français").check()
    page.wait_for_function("() => document.querySelector('#counter').innerText.includes('événements')")
    assert "lang=fr" in page.url
    assert page.get_by_text("Type de crime").first.is_visible()
    assert "synthétiques" in page.locator("#synthetic-banner").inner_text()
    screenshot(page, "french")
    watch.assert_clean()


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_layout_fits_laptop_and_projector(live_server, watched_page, width, height):
    page, watch = watched_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server + "/?region=sahel")
    wait_for_map(page)
    box = page.locator("#map").bounding_box()
    assert box["width"] > width * 0.5 and box["height"] > 300
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"layout_{width}x{height}")
    watch.assert_clean()


def test_corridor_panel_from_the_corridor_list(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/?region=central_asia")
    wait_for_map(page)
    choose(page, "corridor-pick", "Afghan Northern Route")
    page.wait_for_function("() => location.search.includes('selection=corridor')")
    page.wait_for_selector("#drilldown:not([hidden])", timeout=20_000)
    page.wait_for_function("() => document.querySelector('#drill-summary').innerText.includes('Corridor:')")
    assert page.locator("#drill-title").inner_text() == "Afghan Northern Route"
    assert "UNODC" in page.locator("#drill-summary").inner_text()
    screenshot(page, "corridor_drilldown")
    watch.assert_clean()


def test_analyst_finds_an_actor_by_typing(live_server, watched_page):
    page, watch = watched_page
    page.goto(live_server + "/?region=sahel")
    wait_for_map(page)
    before = map_state(page)
    page.locator("#filter-actors").click()
    # into the search box itself: it takes the focus a moment after the dropdown opens, and keys typed
    # before that were lost ('amed group a': a flaky test, not what a person typing sees)
    page.locator(".dash-dropdown-search").press_sequentially("armed group a")
    option = page.locator(".dash-dropdown-option", has_text="Armed group A (synthetic, Sahel)").first
    option.wait_for(timeout=20_000)
    assert "(" in option.inner_text()             # listed with its count of events
    option.click()
    page.keyboard.press("Escape")
    wait_for_map(page, before["counter"])
    assert "actors=Armed+group+A" in page.url
    screenshot(page, "actor_search")
    watch.assert_clean()
