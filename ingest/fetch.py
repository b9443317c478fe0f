"""Download the official UCDP GED CSV zip, for users who are online when they prepare a store.

Nothing else in the product downloads anything: this runs only when someone types
`nexus-atlas fetch-ucdp`. The file is saved first (to a '.part' file renamed when complete) and then
imported like any other UCDP zip, so a broken download never reaches the store.
"""
from __future__ import annotations

import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from tqdm import tqdm

from atlas.errors import InputError

# UCDP GED global version 25.1 (CSV, zipped); newer versions follow the same pattern.
DEFAULT_UCDP_URL = "https://ucdp.uu.se/downloads/ged/ged251-csv.zip"
TIMEOUT_SECONDS = 60


def download(url: str, target_dir: Path, *, progress: bool = True) -> Path:
    """Save ``url`` into ``target_dir`` and return the file's path."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise InputError(f"--url '{url}' must start with http:// or https://")
    name = Path(parsed.path).name or "ucdp-ged.zip"
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    partial = target.with_name(target.name + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": "nexus-atlas (UCDP GED download)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=f"Downloading {name}", file=sys.stderr,
                      disable=not progress or None) as bar:
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
    except urllib.error.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"the server answered {exc.code} {exc.reason} for {url}; check the address on "
                         f"https://ucdp.uu.se/downloads/ and pass it with --url") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise InputError(f"could not download {url} ({reason}). This command needs the internet; offline, "
                         f"download the UCDP GED CSV zip elsewhere and run 'nexus-atlas import-ucdp FILE'") from None
    shutil.move(partial, target)
    return target
