"""Who neighbours whom: binary spatial weights for H3 cells, PRIO-GRID cells and polygons.

Every hot spot statistic here uses the same object: a `Neighbours` value holding the unit ids in
matrix order and a symmetric binary CSR matrix with an empty diagonal. Gi* adds the unit itself
(the "star") with `with_self()`, so "k = 1" means a hexagon and its 6 neighbours, a PRIO-GRID cell
and its 8 queen neighbours, or a polygon and every polygon sharing at least one boundary point.

The study area (which units take part, including those with no events) is built here too:
`h3_study_area` / `priogrid_study_area` grow the set of units holding events by ``margin`` rings.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import scipy.sparse as sp
import shapely
from h3ronpy import grid_disk

from atlas.errors import InputError

PRIOGRID_COLUMNS = 720
PRIOGRID_ROWS = 360


class AnalysisInputError(InputError, ValueError):
    """Input an analysis cannot use. A ValueError for callers of the pure functions, an
    AtlasError for the dashboard, which shows the message in an alert."""


@dataclass(frozen=True)
class Neighbours:
    """Binary, symmetric spatial weights without self-links, in the order of ``ids``."""

    ids: np.ndarray
    matrix: sp.csr_matrix
    kind: str  # 'h3' | 'priogrid' | 'polygon'

    def __post_init__(self):
        n = len(self.ids)
        if self.matrix.shape != (n, n):
            raise AnalysisInputError(f"neighbour matrix is {self.matrix.shape} for {n} units; build it "
                                     f"with h3_neighbours / priogrid_neighbours / polygon_neighbours")

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def cardinality(self) -> np.ndarray:
        """Number of neighbours of each unit, not counting the unit itself."""
        return np.diff(self.matrix.indptr)

    def with_self(self) -> sp.csr_matrix:
        """Weights including the unit itself (w_ii = 1): the Gi* neighbourhood."""
        return (self.matrix + sp.identity(self.n, dtype=self.matrix.dtype, format="csr")).tocsr()

    def to_dict(self) -> dict:
        """{id: [neighbour ids]}: handy for tests and for libpysal.weights.W."""
        ids = self.ids.tolist()
        m = self.matrix
        return {ids[i]: [ids[j] for j in m.indices[m.indptr[i]:m.indptr[i + 1]]] for i in range(self.n)}


def _binary_csr(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csr_matrix:
    keep = rows != cols
    data = np.ones(int(keep.sum()), dtype="float64")
    m = sp.csr_matrix((data, (rows[keep], cols[keep])), shape=(n, n))
    m.sum_duplicates()
    m.data[:] = 1.0
    m = ((m + m.T) > 0).astype("float64").tocsr()  # symmetric even if a source was not
    m.sort_indices()
    return m


def _positions(sorted_ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Index of each wanted id in sorted_ids, or -1 where it is absent."""
    if len(sorted_ids) == 0:
        return np.full(len(wanted), -1, dtype="int64")
    pos = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    return np.where(sorted_ids[pos] == wanted, pos, -1)


def _check_k(k: int, name: str = "k") -> int:
    if int(k) != k or k < 0:
        raise AnalysisInputError(f"{name} must be a whole number of rings (0, 1, 2 ...), not {k!r}")
    return int(k)


# --- H3 -----------------------------------------------------------------------------------------

def _as_cells(cells) -> np.ndarray:
    cells = np.unique(np.asarray(cells, dtype="uint64"))
    if len(cells) and (cells == 0).any():
        raise AnalysisInputError("H3 cell id 0 is not a cell; drop rows without a cell before the analysis")
    return cells


def h3_study_area(cells, *, margin: int = 1) -> np.ndarray:
    """The cells within ``margin`` grid steps of any given cell (sorted, unique)."""
    margin = _check_k(margin, "margin")
    cells = _as_cells(cells)
    if len(cells) == 0 or margin == 0:
        return cells
    disk = pa.array(grid_disk(cells, margin, flatten=True)).to_numpy(zero_copy_only=False)
    return np.unique(np.concatenate([cells, disk.astype("uint64")]))


def h3_neighbours(cells, *, k: int = 1) -> Neighbours:
    """H3 k-ring neighbours (gridDisk of radius k minus the cell), restricted to the given cells."""
    k = _check_k(k)
    cells = _as_cells(cells)
    n = len(cells)
    if n == 0 or k == 0:
        return Neighbours(cells, sp.csr_matrix((n, n)), "h3")
    disks = pa.array(grid_disk(cells, k))
    offsets = disks.offsets.to_numpy()
    values = disks.values.to_numpy(zero_copy_only=False).astype("uint64")
    rows = np.repeat(np.arange(n), np.diff(offsets))
    cols = _positions(cells, values)
    keep = cols >= 0
    return Neighbours(cells, _binary_csr(rows[keep], cols[keep], n), "h3")


# --- PRIO-GRID ----------------------------------------------------------------------------------

def _rows_cols(gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    row, col = np.divmod(gids.astype("int64") - 1, PRIOGRID_COLUMNS)
    return row, col


def _as_gids(gids) -> np.ndarray:
    gids = np.unique(np.asarray(gids, dtype="int64"))
    bad = gids[(gids < 1) | (gids > PRIOGRID_ROWS * PRIOGRID_COLUMNS)]
    if len(bad):
        raise AnalysisInputError(f"PRIO-GRID ids run from 1 to 259200; got {bad[:3].tolist()}; "
                                 f"compute them with ingest.cells.priogrid_gid(lat, lon)")
    return gids


def _queen_offsets(k: int) -> list[tuple[int, int]]:
    return [(dr, dc) for dr in range(-k, k + 1) for dc in range(-k, k + 1) if (dr, dc) != (0, 0)]


def priogrid_study_area(gids, *, margin: int = 1) -> np.ndarray:
    """PRIO-GRID cells within ``margin`` queen steps (Chebyshev distance) of any given cell.
    The grid is not wrapped at the antimeridian: no region of the atlas crosses it."""
    margin = _check_k(margin, "margin")
    gids = _as_gids(gids)
    if len(gids) == 0 or margin == 0:
        return gids
    row, col = _rows_cols(gids)
    out = [gids]
    for dr, dc in _queen_offsets(margin):
        r, c = row + dr, col + dc
        ok = (r >= 0) & (r < PRIOGRID_ROWS) & (c >= 0) & (c < PRIOGRID_COLUMNS)
        out.append(r[ok] * PRIOGRID_COLUMNS + c[ok] + 1)
    return np.unique(np.concatenate(out))


def priogrid_neighbours(gids, *, k: int = 1) -> Neighbours:
    """Queen neighbours on the 0.5 degree grid: the 8 surrounding cells for k = 1 (24 for k = 2 ...)."""
    k = _check_k(k)
    gids = _as_gids(gids)
    n = len(gids)
    row, col = _rows_cols(gids)
    rows, cols = [], []
    for dr, dc in _queen_offsets(k) if k else []:
        r, c = row + dr, col + dc
        ok = (r >= 0) & (r < PRIOGRID_ROWS) & (c >= 0) & (c < PRIOGRID_COLUMNS)
        pos = _positions(gids, r * PRIOGRID_COLUMNS + c + 1)
        keep = ok & (pos >= 0)
        rows.append(np.arange(n)[keep])
        cols.append(pos[keep])
    if not rows:
        return Neighbours(gids, sp.csr_matrix((n, n)), "priogrid")
    return Neighbours(gids, _binary_csr(np.concatenate(rows), np.concatenate(cols), n), "priogrid")


# --- Polygons (imported admin units) ------------------------------------------------------------

def polygon_neighbours(geometries, ids, *, order: int = 1) -> Neighbours:
    """Queen contiguity: polygons sharing at least one boundary point (an edge or a corner).

    ``order`` > 1 adds neighbours of neighbours (order 2 = up to two steps away). Invalid or empty
    geometries are refused: repair them first (shapely.make_valid) or drop them.
    """
    order = _check_k(order, "order")
    geoms = np.asarray(geometries, dtype=object)
    ids = np.asarray(ids)
    if len(geoms) != len(ids):
        raise AnalysisInputError(f"{len(geoms)} polygons but {len(ids)} ids; give one id per polygon")
    if len(set(ids.tolist())) != len(ids):
        raise AnalysisInputError("polygon ids repeat; merge the parts of a unit into one MultiPolygon first")
    if len(geoms) and (shapely.is_missing(geoms) | shapely.is_empty(geoms)).any():
        raise AnalysisInputError("some polygons are empty or missing; drop them before the analysis")
    if len(geoms) and not shapely.is_valid(geoms).all():
        raise AnalysisInputError("some polygons are invalid; repair them with shapely.make_valid(...) first")
    n = len(geoms)
    if n == 0 or order == 0:
        return Neighbours(ids, sp.csr_matrix((n, n)), "polygon")
    tree = shapely.STRtree(geoms)
    # "intersects" between distinct polygons = they share a point (queen); overlaps count too.
    left, right = tree.query(geoms, predicate="intersects")
    first = _binary_csr(left, right, n)
    m = first
    reach = first.copy()
    for _ in range(order - 1):
        reach = ((reach @ first + reach) > 0).astype("float64")
        m = reach
    m = m.tolil()
    m.setdiag(0)
    m = m.tocsr()
    m.eliminate_zeros()
    return Neighbours(ids, m, "polygon")
