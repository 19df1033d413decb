"""Deterministic output: the same figure gives byte-identical PNG and SVG files.

Matplotlib writes a creation date into SVG (and PDF) metadata and salts SVG element ids at
random; both are switched off here. PNG from Agg carries no date; the ``Software`` entry is
dropped so that the bytes do not change with the matplotlib version either.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from ramunet.clinical.errors import InvalidInput

FORMATS: tuple[str, ...] = ("png", "svg")
SAVE_DPI = 200
_SVG_HASH_SALT = "ramunet"


def _metadata(fmt: str) -> dict[str, str | None]:
    if fmt == "png":
        return {"Software": None}
    return {"Date": None, "Creator": "ramunet"}


def _check_format(fmt: str, name: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(name, f"format not supported; expected {', '.join(FORMATS)}", fmt)
    return fmt


def _write(fig: Figure, target: io.BytesIO | Path, fmt: str, dpi: int) -> None:
    with matplotlib.rc_context({"svg.hashsalt": _SVG_HASH_SALT, "svg.fonttype": "path"}):
        fig.savefig(target, format=fmt, dpi=dpi, metadata=_metadata(fmt), facecolor="white")


def figure_bytes(fig: Figure, fmt: str = "png", *, dpi: int = SAVE_DPI) -> bytes:
    """The figure rendered as PNG or SVG bytes (e.g. to embed in the HTML report).

    Raises
    ------
    InvalidInput
        Naming ``fmt`` when it is not ``"png"`` or ``"svg"``.
    """
    _check_format(fmt, "fmt")
    buffer = io.BytesIO()
    _write(fig, buffer, fmt, dpi)
    return buffer.getvalue()


def save_figure(
    fig: Figure,
    path: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    dpi: int = SAVE_DPI,
) -> tuple[Path, ...]:
    """Write ``fig`` once per format beside ``path`` (its suffix replaced): ``km_pfs.png`` etc.

    Parameters
    ----------
    fig
        The figure, e.g. from ``make_waterfall_figure``.
    path
        The target path; any suffix is replaced by each format's own.
    formats
        Any of ``"png"`` and ``"svg"``; both by default.
    dpi
        Resolution of the PNG.

    Returns
    -------
    tuple of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    InvalidInput
        Naming ``formats`` when it is empty or holds another format.
    """
    if len(formats) == 0:
        raise InvalidInput("formats", f"must not be empty; expected some of {', '.join(FORMATS)}")
    for index, fmt in enumerate(formats):
        _check_format(fmt, f"formats[{index}]")
    base = Path(path)
    written = []
    for fmt in formats:
        target = base.with_suffix(f".{fmt}")
        _write(fig, target, fmt, dpi)
        written.append(target)
    return tuple(written)
