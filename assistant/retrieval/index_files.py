"""Check an embedded store's HNSW index files before Chroma loads them.

Chroma's hnswlib trusts the files it loads: a damaged ``data_level0.bin`` (a neighbour id past
the end) crashes the process with SIGSEGV and no message. These checks read the header, the
sizes and every neighbour list (numpy over a memory map, one pass) and raise
``StoreUnavailableError`` naming the file, the fault and the way to rebuild::

    check_index_files(Path(".newsdesk"))   # before chromadb.PersistentClient opens it

The layout is hnswlib's (as Chroma 1.x persists it): ``header.bin`` (a version, then the
index's parameters), ``data_level0.bin`` (per element: a link count, ``maxM0`` neighbour ids,
the vector, its label), ``length.bin`` (each vector's norm, a float32) and ``link_lists.bin``
(per element: the size of its upper-level lists, then each level's count and ``maxM`` ids).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from ..errors import StoreUnavailableError

_HEADER = struct.Struct("<IQQQQQQiIQQQdQ")
_FIELDS = (
    *("version", "offset_level0", "max_elements", "count", "size_per_element", "label_offset"),
    *("offset_data", "max_level", "enter_point", "max_m", "max_m0", "m", "mult", "ef_construction"),
)


def check_index_files(store: Path) -> None:
    """Raise ``StoreUnavailableError`` if an HNSW index under ``store`` is damaged."""
    for header in sorted(store.glob("*/header.bin")):
        problem = _problem(header.parent)
        if problem:
            raise StoreUnavailableError(
                f"The store's vector index at '{header.parent}' is damaged: {problem}. "
                "Newsdesk did not load it (it would crash). Rebuild the store: move "
                f"'{store}' aside and ingest your sources again into a new one "
                "(newsdesk --store NEW ingest ...)."
            )


def _problem(folder: Path) -> str | None:
    data = (folder / "header.bin").read_bytes()
    if len(data) != _HEADER.size:
        return f"header.bin has {len(data)} bytes, not {_HEADER.size}"
    h = dict(zip(_FIELDS, _HEADER.unpack(data), strict=True))
    links0 = 4 + 4 * h["max_m0"]
    if not (
        h["version"] == 1
        and h["offset_level0"] == 0
        and 0 < h["max_m"] <= h["max_m0"] <= 4096
        and h["offset_data"] == links0
        and h["offset_data"] < h["label_offset"] == h["size_per_element"] - 8
        and h["size_per_element"] % 4 == 0
        and h["count"] <= h["max_elements"]
        and (h["count"] == 0 or (0 <= h["max_level"] < 64 and h["enter_point"] < h["count"]))
    ):
        return "header.bin holds parameters that do not fit together"
    return _level0_problem(folder, h) or _upper_problem(folder, h)


def _level0_problem(folder: Path, h: dict[str, int]) -> str | None:
    path = folder / "data_level0.bin"
    expected = h["count"] * h["size_per_element"]
    if not path.exists() or path.stat().st_size < expected:
        return f"data_level0.bin is shorter than its {h['count']:,} elements"
    if h["count"] == 0:
        return None
    rows = np.memmap(path, dtype="<u4", mode="r", shape=(h["count"], h["size_per_element"] // 4))
    counts = rows[:, 0] & 0xFFFF
    if int(counts.max()) > h["max_m0"]:
        return "data_level0.bin has an element with more neighbours than the index allows"
    links = np.asarray(rows[:, 1 : 1 + h["max_m0"]])
    used = np.arange(h["max_m0"]) < counts[:, None]
    if (links[used] >= h["count"]).any():
        return "data_level0.bin links to elements that do not exist"
    return None


def _upper_problem(folder: Path, h: dict[str, int]) -> str | None:
    norms, lists_path = folder / "length.bin", folder / "link_lists.bin"
    if not lists_path.exists() or not norms.exists() or norms.stat().st_size < 4 * h["count"]:
        return "length.bin or link_lists.bin is missing or short"
    words = np.fromfile(lists_path, dtype="<u4")
    per_level = 1 + h["max_m"]
    starts: list[int] = []
    pos = 0
    for _ in range(h["count"]):  # each element: its lists' size in bytes, then the lists
        if pos >= len(words):
            return "link_lists.bin is shorter than its elements' lists"
        size = int(words[pos])
        if size % (4 * per_level) or size > 4 * per_level * h["max_level"]:
            return "link_lists.bin gives an element lists of an impossible size"
        starts.extend(range(pos + 1, pos + 1 + size // 4, per_level))
        pos += 1 + size // 4
    if not starts:
        return None
    levels = words[np.asarray(starts)[:, None] + np.arange(per_level)]
    if int(levels[:, 0].max()) > h["max_m"]:
        return "link_lists.bin has a level with more neighbours than the index allows"
    used = np.arange(h["max_m"]) < levels[:, :1]
    if (levels[:, 1:][used] >= h["count"]).any():
        return "link_lists.bin links to elements that do not exist"
    return None
