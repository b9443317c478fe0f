"""A user exports the view on screen: clicks Export and receives a valid file; the figure fetches nothing."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser.conftest import dashboard_process, screenshot
from tests.export_fixtures import build_export_store
from ui import export_panel

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def export_server(tmp_path_factory):
    """The real dashboard process on the export fixture store."""
    path = build_export_store(tmp_path_factory.mktemp("export-app") / "store.duckdb", real_horn=False)
    with dashboard_process(path, path.with_suffix(".log")) as url:
        yield SimpleNamespace(url=url, store_path=path)


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_export_button_downloads_the_view(export_server, watched_page, tmp_path, fmt, magic):
    page, watch = watched_page
    page.goto(export_server.url + "/?region=sahel")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot') !== null", timeout=30_000)
    # the title's placeholder is the default title of the view in the URL
    page.wait_for_function(f"() => (document.getElementById('{export_panel.TITLE}').placeholder || '')"
                           ".includes('events, Sahel, 2015–2024')", timeout=30_000)
    if fmt != "png":
        page.click(f"#{export_panel.FORMAT}")
        page.get_by_role("option", name=fmt.upper()).click()
    page.fill(f"#{export_panel.TITLE}", "Briefing map")
    page.locator(f"#{export_panel.TITLE}").press("Enter")
    with page.expect_download(timeout=120_000) as info:
        page.click(f"#{export_panel.BUTTON}")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.startswith("nexus-atlas_sahel_all-types_2015-2024")
    assert download.suggested_filename.endswith(f".{fmt}")
    assert target.read_bytes()[:len(magic)] == magic and target.stat().st_size > 10_000
    page.wait_for_function(f"() => document.getElementById('{export_panel.STATUS}').innerText.includes('Exported')")
    screenshot(page, f"export-{fmt}")
    watch.assert_clean()


def test_bad_custom_size_is_a_message(export_server, watched_page):
    page, watch = watched_page
    page.goto(export_server.url + "/?region=horn")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot') !== null", timeout=30_000)
    page.click(f"#{export_panel.SIZE}")
    page.get_by_role("option", name="Custom size").click()
    page.wait_for_function(f"() => document.getElementById('{export_panel.SIZE}').innerText.includes('Custom size')")
    page.fill(f"#{export_panel.WIDTH}", "50")
    page.locator(f"#{export_panel.WIDTH}").press("Tab")
    page.click(f"#{export_panel.BUTTON}")
    # the number input refuses 50 (below its minimum), so the callback gets no width at all
    page.wait_for_function(f"() => document.getElementById('{export_panel.STATUS}').innerText.includes("
                           "'The export failed: a custom export size needs both a width and a height')",
                           timeout=30_000)
    assert "Traceback" not in page.inner_text("body")
    screenshot(page, "export-bad-size")
    watch.assert_clean()


def test_print_figure_fetches_nothing(export_server, page, tmp_path):
    """The print figure drawn by plotly.js in Chromium requests nothing but the local plotly.js file."""
    import plotly

    import queries
    from ui.exports import ExportSize, base_layers, compose_print_figure, store_years
    from ui.state import ViewState
    from ui.views import render_map
    store = queries.ReadOnlyStore(export_server.store_path)
    state = ViewState.from_query("?region=sahel")
    with store.cursor() as con:
        fig = compose_print_figure(render_map(con, base_layers(con), state), state, title=None,
                                   size=ExportSize.preset("slide"), export_date=date(2026, 1, 1),
                                   extent_years=store_years(con))
    store.close()
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    html_file = tmp_path / "figure.html"
    html_file.write_text(f"""<html><body><div id="fig" style="width:1920px;height:1080px"></div>
<script src="{plotly_js.as_uri()}"></script>
<script>var f = {fig.to_json()}; Plotly.newPlot('fig', f.data, f.layout);</script>
</body></html>""", encoding="utf-8")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html_file.as_uri())
    # the map's WebGL canvas and the print annotations are drawn
    page.wait_for_function("() => document.querySelector('#fig .maplibregl-canvas') !== null && "
                           "document.querySelector('#fig .annotation') !== null", timeout=30_000)
    page.wait_for_timeout(2000)  # give MapLibre time to ask for anything it would fetch (style, glyphs, tiles)
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []

