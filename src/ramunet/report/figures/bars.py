"""Many rectangles as one artist: bars for thousands of patients render in milliseconds.

``Axes.bar`` creates one ``Rectangle`` artist per bar; a waterfall or swimmer plot of 5,000
patients then spends seconds in Python. A single ``PolyCollection`` built from numpy arrays
draws the same rectangles in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from ramunet.report.figures.inputs import FloatArray


def add_rectangles(
    ax: Axes,
    x0: FloatArray,
    x1: FloatArray,
    y0: FloatArray,
    y1: FloatArray,
    colours: Sequence[str],
    *,
    gid: str,
    alpha: float = 1.0,
    zorder: float = 2.0,
) -> PolyCollection:
    """Add one rectangle per index (corners ``x0..x1`` by ``y0..y1``) as one collection.

    The collection's ``gid`` names it, so that tests and SVG readers can find it.
    """
    vertices = np.stack(
        [
            np.column_stack([x0, y0]),
            np.column_stack([x0, y1]),
            np.column_stack([x1, y1]),
            np.column_stack([x1, y0]),
        ],
        axis=1,
    )
    collection = PolyCollection(
        cast(Any, vertices),  # an (n, 4, 2) array takes matplotlib's fast path
        facecolors=list(colours),
        edgecolors="none",
        linewidths=0,
        alpha=alpha,
        zorder=zorder,
    )
    collection.set_gid(gid)
    ax.add_collection(collection, autolim=False)
    return collection
