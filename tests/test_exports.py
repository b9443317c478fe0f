"""Print exports: layout values, and real PNG/SVG/PDF files rendered by kaleido in Debian's Chromium.

The store is tests/export_fixtures.py (seeded points in the three regions; Horn of Africa events
are non-synthetic so that view must carry no watermark). Files are checked as a reader would:
they open, have the asked size, show a map that is not blank, and carry the title, legend,
sources and watermark.
"""
from __future__ import annotations

import hashlib
import json
import math
import shutil
import socketserver
import struct
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
import zlib
from datetime import date
from pathlib import Path

import pytest

from atlas.errors import InputError
from tests.export_fixtures import build_export_store
from ui.exports import (ExportSize, Renderer, base_layers, compose_print_figure, default_title, export_basename,
                        export_data, export_view, metres_per_pixel, round_length, scale_bar, store_years,
                        visible_bounds)
from ui.state import ViewState
from ui.views import render_map

ROOT = Path(__file__).resolve().parent.parent
SAHEL_KFR = "?region=sahel&crime_types=kidnapping_for_ransom&crime_types=armed_attack&date_from=2018-01-01&date_to=2024-12-31"
HORN = "?region=horn"
EXPORT_DATE = date(2026, 5, 4)


# ---------------------------------------------------------------------------------------------
# Helpers: a PNG reader (no PIL here), a proxy that records what the browser tries to fetch


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG layout {header}"
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def distinct_colours(png: bytes, box=(0.15, 0.25, 0.85, 0.75)) -> int:
    """Distinct colours (quantised to 32 levels) in a central box of the image, sampled on a grid."""
    width, height, rows = read_png(png)
    bpp = len(rows[0]) // width
    x0, y0, x1, y1 = int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)
    step = max(1, (x1 - x0) // 300)
    seen = set()
    for y in range(y0, y1, step):
        row = rows[y]
        for x in range(x0, x1, step):
            seen.add(tuple(v // 8 for v in row[x * bpp:x * bpp + 3]))
    return len(seen)


class _Recorder(socketserver.BaseRequestHandler):
    def handle(self):
        first = self.request.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
        self.server.requests.append(first)


@pytest.fixture(scope="module")
def recording_proxy():
    """A proxy on 127.0.0.1 that only writes down the requests it gets (and answers none)."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    import queries
    path = build_export_store(tmp_path_factory.mktemp("exports") / "exports.duckdb")
    st = queries.ReadOnlyStore(path)
    yield st
    st.close()


@pytest.fixture(scope="module")
def base(store):
    with store.cursor() as con:
        return base_layers(con)


@pytest.fixture(scope="module")
def renderer(recording_proxy):
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is not installed: run the README's test command (it installs it)")
    with Renderer(proxy_server=f"127.0.0.1:{recording_proxy.server_address[1]}") as r:
        yield r


def _export(store, base, renderer, query, fmt, size, title=None):
    with store.cursor() as con:
        return export_view(con, base, ViewState.from_query(query), fmt=fmt, size=size, title=title,
                           renderer=renderer, export_date=EXPORT_DATE)


# ---------------------------------------------------------------------------------------------
# Values


@pytest.mark.parametrize("name, scale, expected", [
    ("slide", None, (1920, 1080, 1.0)),
    ("a4-portrait", None, (794, 1123, 3.0)),
    ("a4-landscape", None, (1123, 794, 3.0)),
    ("a4-landscape", 2, (1123, 794, 2.0)),
])
def test_size_presets(name, scale, expected):
    size = ExportSize.preset(name, scale=scale)
    assert (size.width, size.height, size.scale) == expected


@pytest.mark.parametrize("args, message", [
    (("custom", None, 500, None), "needs both a width and a height"),
    (("custom", 50, 500, None), "between 200 and 8000"),
    (("custom", 1000, 500, 12), "scale must be between"),
    (("poster", None, None, None), "unknown export size 'poster'"),
    (("custom", "wide", 500, None), "must be numbers"),
])
def test_bad_sizes_say_how_to_fix(args, message):
    name, width, height, scale = args
    with pytest.raises(InputError, match=message):
        ExportSize.parse(name, width=width, height=height, scale=scale)


def test_custom_size():
    assert ExportSize.parse("custom", width="1500", height=900, scale="2") == ExportSize(1500, 900, 2.0, "custom")


def test_metres_per_pixel_matches_maplibre():
    # At zoom 3 MapLibre draws 10 degrees of longitude at the equator 10/360*512*8 = 113.8 px wide
    # (measured on a kaleido render); that is 1 113 195 m.
    px = 10 / 360 * 512 * 2 ** 3
    assert metres_per_pixel(0.0, 3) * px == pytest.approx(1_113_195, rel=1e-4)
    assert metres_per_pixel(60.0, 3) == pytest.approx(metres_per_pixel(0.0, 3) / 2)
    assert metres_per_pixel(10.0, 4) == pytest.approx(metres_per_pixel(10.0, 3) / 2)


@pytest.mark.parametrize("max_metres, expected", [
    (1, 1), (999, 500), (1000, 1000), (1999, 1000), (4_999, 2_000), (730_000, 500_000), (0.37, 0.2),
])
def test_round_length(max_metres, expected):
    assert round_length(max_metres) == pytest.approx(expected)


def test_scale_bar_fits_and_is_round():
    # 3 345 m per px at 15°N, zoom 4.5: 400 px hold 1 338 km, so the bar is 1000 km, 299 px long
    px, label = scale_bar(15.0, 4.5, max_px=400)
    assert label == "1000 km"
    assert px == pytest.approx(1_000_000 / metres_per_pixel(15.0, 4.5)) and 160 < px <= 400
    assert scale_bar(15.0, 9, max_px=200)[1] == "20 km"  # 148 m per px: 200 px hold 29.5 km


@pytest.mark.parametrize("query, expected", [
    (SAHEL_KFR, "Armed group attack and kidnapping for ransom, Sahel, 2018–2024"),
    ("?region=horn&date_from=2020-01-01&date_to=2020-12-31", "Terrorism and organized crime events, "
                                                             "Horn of Africa, 2020"),
    ("?region=central_asia&crime_types=heroin_trade&crime_types=kidnapping_for_ransom&lang=fr",
     "Trafic d'héroïne et d'opiacés et enlèvement contre rançon, Asie centrale, 2015–2024"),
])
def test_default_title(query, expected):
    assert default_title(ViewState.from_query(query), (2015, 2024)) == expected


def test_basenames_tell_views_apart():
    queries_ = [SAHEL_KFR, HORN, "?region=horn&lang=fr", "?region=horn&min_fatalities=3",
                "?region=horn&unit=priogrid", "?region=horn&analysis=hotspots"]
    names = [export_basename(ViewState.from_query(q), (2015, 2024)) for q in queries_]
    assert len(set(names)) == len(names)
    assert names[0] == "nexus-atlas_sahel_armed-attack+kidnapping-for-ransom_2018-2024"


def test_visible_bounds_round_trip():
    from ui.figures import view_for_bounds
    centre, zoom = view_for_bounds([-18.0, 4.0, 25.0, 28.5], width_px=1800, height_px=800)
    lon0, lat0, lon1, lat1 = visible_bounds(centre, zoom, width_px=1800, height_px=800)
    assert lon0 <= -18.0 and lon1 >= 25.0 and lat0 <= 4.0 and lat1 >= 28.5


@pytest.mark.parametrize("query, synthetic", [(SAHEL_KFR, True), (HORN, False)])
def test_print_figure_layout(store, base, query, synthetic):
    state = ViewState.from_query(query)
    with store.cursor() as con:
        view = render_map(con, base, state)
    fig = compose_print_figure(view, state, title=None, size=ExportSize.preset("slide"), export_date=EXPORT_DATE,
                               extent_years=(2015, 2024))
    names = {a.name for a in fig.layout.annotations}
    assert {"title", "subtitle", "footer", "north-arrow", "scale-bar"} <= names
    assert ("watermark" in names) is synthetic
    assert fig.layout.width == 1920 and fig.layout.height == 1080
    # offline: no basemap style, tiles, glyphs or any URL anywhere in the figure
    assert fig.layout.map.style == "white-bg"
    assert all(layer.type in ("fill", "line") for layer in fig.layout.map.layers)
    assert "http://" not in fig.to_json() and "https://" not in fig.to_json()
    # only corridors that cross this map stay in its legend
    corridors = [tr.name for tr in fig.data if tr.legendgroup == "corridors"]
    assert corridors and "Afghan Northern Route" not in corridors


def test_user_title_is_kept_and_escaped(store, base):
    state = ViewState.from_query(HORN)
    with store.cursor() as con:
        view = render_map(con, base, state)
    fig = compose_print_figure(view, state, title="Briefing <draft> & notes", size=ExportSize.preset("slide"),
                               export_date=EXPORT_DATE, extent_years=(2015, 2024))
    title = next(a for a in fig.layout.annotations if a.name == "title")
    assert title.text == "Briefing &lt;draft&gt; &amp; notes"


def test_export_data_matches_the_view(store, base):
    state = ViewState.from_query(SAHEL_KFR)
    with store.cursor() as con:
        view = render_map(con, base, state)
        csv_text, geojson_text = export_data(con, state)
    lines = csv_text.strip().split("\n")
    header = lines[0].split(",")
    assert header[:4] == ["unit_kind", "unit_id", "events", "fatalities"]
    assert {"terrorism", "organized_crime", "both", "centroid_lat", "centroid_lon"} <= set(header)
    assert not any(line.startswith("#") for line in lines)
    events = [int(line.split(",")[2]) for line in lines[1:]]
    assert sum(events) == view.events
    geo = json.loads(geojson_text)
    assert len(geo["features"]) == len(lines) - 1
    first = geo["features"][0]
    assert first["geometry"]["type"] == "Polygon" and first["properties"]["unit_kind"] == "h3_r4"
    import h3
    assert h3.is_valid_cell(first["id"])


def test_export_data_names_the_resolution_the_map_counted_at(store, monkeypatch):
    """With too many cells the map counts at a coarser H3 level; the data says which, cell by cell."""
    import h3

    from ui import analysis
    monkeypatch.setattr(analysis, "MAX_MAP_CELLS", 50)
    with store.cursor() as con:
        csv_text, _ = export_data(con, ViewState.from_query("?region=sahel&resolution=6"))
    rows = [line.split(",") for line in csv_text.strip().split("\n")[1:]]
    assert rows and all(kind == f"h3_r{h3.get_resolution(cell)}" for kind, cell, *_ in rows)
    assert {kind for kind, *_ in rows} != {"h3_r6"}


# ---------------------------------------------------------------------------------------------
# Rendered files


SIZES = {"slide": ExportSize.preset("slide"), "portrait-2x": ExportSize.custom(700, 990, 2)}


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))


@pytest.mark.parametrize("size_name", list(SIZES))
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_rendered_file(store, base, renderer, tmp_path, fmt, size_name):
    size = SIZES[size_name]
    result = _export(store, base, renderer, SAHEL_KFR, fmt, size)
    assert result.filename.endswith(f".{fmt}")
    expected_words = ["Armed group attack and kidnapping for ransom, Sahel, 2018–2024",  # title
                      "Events per hexagon", "Trafficking corridors",                     # legend
                      "Synthetic demonstration events",                                  # source
                      "Exported 2026-05-04", "SYNTHETIC DEMONSTRATION DATA", "km"]
    if fmt == "png":
        width, height, _rows = read_png(result.content)
        assert (width, height) == (round(size.width * size.scale), round(size.height * size.scale))
        assert distinct_colours(result.content) > 25
        return
    if fmt == "svg":
        root = ET.fromstring(result.content)
        assert (float(root.get("width")), float(root.get("height"))) == (size.width, size.height)
        text = " ".join(_svg_text(result.content).split())
    else:
        pdf = tmp_path / "map.pdf"
        pdf.write_bytes(result.content)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        page = next(line for line in info.splitlines() if line.startswith("Page size"))
        w_pt, h_pt = (float(v) for v in page.split(":")[1].split("pts")[0].split("x"))
        assert w_pt == pytest.approx(size.width * 0.75, abs=1.5) and h_pt == pytest.approx(size.height * 0.75, abs=1.5)
        subprocess.run(["pdftoppm", "-r", "48", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
        assert distinct_colours((tmp_path / "page.png").read_bytes()) > 25
        text = " ".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
    # rotated text (the watermark) comes out of pdftotext letter by letter: compare without spaces
    squashed = "".join(text.split())
    for words in expected_words:
        assert "".join(words.split()) in squashed, f"{words!r} missing from the {fmt.upper()}"


def test_real_data_view_has_no_watermark(store, base, renderer):
    text = _svg_text(_export(store, base, renderer, HORN, "svg", SIZES["slide"]).content)
    assert "SYNTHETIC" not in text
    assert "Export test fixture" in text  # the non-synthetic source's attribution


def test_french_export(store, base, renderer):
    text = " ".join(_svg_text(_export(store, base, renderer, SAHEL_KFR + "&lang=fr", "svg",
                                      SIZES["slide"]).content).split())
    assert "DONNÉES DE DÉMONSTRATION SYNTHÉTIQUES" in text and "Exporté le 2026-05-04" in text


# Chromium's own background checks (clock, updates, sign-in, the default search engine's preconnect).
# The proxy catches them: with the default OFFLINE_PROXY they hit a closed loopback port and fail.
BROWSER_SERVICES = ("google.com", "googleapis.com", "gvt1.com", "duckduckgo.com")


def test_nothing_is_fetched(store, base, renderer, recording_proxy):
    # every export of this module went through a browser whose proxy only records requests
    _export(store, base, renderer, HORN, "png", SIZES["portrait-2x"])
    assert renderer.renders >= 1
    from urllib.parse import urlsplit
    hosts = set()
    for line in recording_proxy.requests:
        if not line.strip():  # a connection closed before its request line: nothing was asked
            continue
        target = line.split(" ")[1] if " " in line else line
        hosts.add(urlsplit(target if "://" in target else f"//{target}").hostname or "")
    from_the_figure = [h for h in hosts if not h.endswith(BROWSER_SERVICES)]
    assert from_the_figure == [], recording_proxy.requests
    # and by default those requests are sent to a closed port on this machine
    from ui.exports import OFFLINE_PROXY
    assert OFFLINE_PROXY.startswith("127.0.0.1:") and Renderer().proxy_server == OFFLINE_PROXY


def test_renderer_is_reused_between_exports(store, base, renderer):
    before = renderer.renders
    first = _export(store, base, renderer, HORN, "png", ExportSize.custom(640, 400))
    second = _export(store, base, renderer, HORN, "png", ExportSize.custom(640, 400))
    assert renderer.renders == before + 2
    assert hashlib.sha256(first.content).digest() == hashlib.sha256(second.content).digest()


def test_second_renderer_in_one_process_is_refused(renderer):
    from ui.exports import ExportError
    with pytest.raises(ExportError, match="already running"):
        Renderer().start()


# ---------------------------------------------------------------------------------------------
# Command line (a separate process: it starts its own browser)


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "atlas.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd)}, timeout=300)


@pytest.mark.slow
def test_batch_of_twelve_views(store, tmp_path):
    out = tmp_path / "batch"
    run = _cli("export-batch", "--store", str(store.path), "--regions", "sahel,horn,central_asia",
               "--crime-types", "all,kidnapping_for_ransom+armed_attack", "--periods", "2015-2019,2020-2024",
               "--size", "custom", "--width", "800", "--height", "500", "--out-dir", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    files = sorted(out.glob("*.png"))
    assert len(files) == 12
    assert len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files}) == 12
    for f in files:
        width, height, _ = read_png(f.read_bytes())
        assert (width, height) == (800, 500)
        assert distinct_colours(f.read_bytes()) > 10, f.name
    assert "nexus-atlas_horn_kidnapping-for-ransom+armed-attack_2020-2024_custom.png" in {f.name for f in files} \
        or "nexus-atlas_horn_armed-attack+kidnapping-for-ransom_2020-2024_custom.png" in {f.name for f in files}


@pytest.mark.slow
def test_cli_export_one_with_data(store, tmp_path):
    out = tmp_path / "one" / "horn.pdf"
    run = _cli("export", "--store", str(store.path), "--url", "http://127.0.0.1:8050/?region=horn&lang=fr",
               "--size", "a4-portrait", "--title", "Corne : note", "--out", str(out), "--with-data", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    assert out.with_suffix(".csv").read_text().startswith("unit_kind,unit_id,events")
    assert json.loads(out.with_suffix(".geojson").read_text())["type"] == "FeatureCollection"


@pytest.mark.parametrize("args, message", [
    (["export-batch", "--regions", "sahel,atlantis"], "unknown region(s) atlantis"),
    (["export-batch", "--crime-types", "piracy+dragons"], "unknown crime type(s) dragons"),
    (["export-batch", "--periods", "2020-2015"], "ends before it starts"),
    (["export", "--out", "map.gif"], "cannot tell the format from '.gif'"),
    (["export", "--size", "poster"], "unknown export size 'poster'"),
])
def test_cli_errors_are_one_line(tmp_path, args, message):
    from atlas.cli import main
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([*args, "--store", str(tmp_path / "none.duckdb")])
    assert code == 2
    assert message in err.getvalue() and "Traceback" not in err.getvalue()
