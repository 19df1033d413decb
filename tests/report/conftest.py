"""Shared fixtures of the figure tests: a fresh axes and lookup of artists by gid."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure


@pytest.fixture
def ax() -> Axes:
    return Figure(figsize=(6, 4)).add_subplot()


@pytest.fixture
def by_gid() -> Callable[[Axes, str], Artist]:
    """The one artist on ``ax`` whose gid is ``gid`` (fails if none or several)."""

    def find(ax: Axes, gid: str) -> Artist:
        found = [artist for artist in ax.findobj() if artist.get_gid() == gid]
        assert len(found) == 1, f"{len(found)} artists with gid {gid!r}"
        return found[0]

    return find
