"""The look shared by every report figure: colour-blind-safe colours, fonts and figure sizes.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common forms of
colour-vision deficiency; every figure also carries its categories in a legend or in text, so
that colour is never the only cue.

References
----------
.. [1] Okabe M, Ito K. Color Universal Design (CUD): how to make figures and presentations that
   are friendly to colorblind people. J*Fly 2002 (jfly.uni-koeln.de/color).
.. [2] Wong B. Points of view: color blindness. Nat Methods 2011;8:441.
"""

from __future__ import annotations

from types import MappingProxyType

from matplotlib.axes import Axes
from matplotlib.figure import Figure

#: Okabe-Ito palette (Okabe and Ito 2002; Wong 2011), by colour name.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
        "grey": "#999999",
    }
)

#: Best overall response codes in their display order (RECIST 1.1 §4.4.3, Table 3).
RESPONSE_ORDER: tuple[str, ...] = ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE")

#: One colour per RECIST response: blues for response, green for stable disease,
#: vermillion for progression, grey for not evaluable.
RESPONSE_COLOURS = MappingProxyType(
    {
        "CR": OKABE_ITO["blue"],
        "PR": OKABE_ITO["sky_blue"],
        "SD": OKABE_ITO["bluish_green"],
        "NON-CR/NON-PD": OKABE_ITO["reddish_purple"],
        "PD": OKABE_ITO["vermillion"],
        "NE": OKABE_ITO["grey"],
    }
)

#: Long names of the response codes for legends.
RESPONSE_NAMES = MappingProxyType(
    {
        "CR": "Complete response",
        "PR": "Partial response",
        "SD": "Stable disease",
        "NON-CR/NON-PD": "Non-CR/non-PD",
        "PD": "Progressive disease",
        "NE": "Not evaluable",
    }
)

#: CTCAE v5.0 grades 1-5: greys for grades 1-2, warm colours for grade >= 3 so that severe
#: events stand out (and carry a hatch as a second, non-colour cue).
GRADE_COLOURS = MappingProxyType(
    {
        1: "#D9D9D9",
        2: "#A6A6A6",
        3: OKABE_ITO["orange"],
        4: OKABE_ITO["vermillion"],
        5: OKABE_ITO["black"],
    }
)

#: Line colours for several series (curves, scales, centres), in order.
SERIES_COLOURS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["grey"],
)

#: Neutral colour for reference lines and annotations.
REFERENCE_COLOUR = "#4D4D4D"

FIGURE_DPI = 150
FONT_SIZE_PT = 9.0
SMALL_FONT_SIZE_PT = 7.5


def series_colour(index: int) -> str:
    """The colour of the ``index``-th series, cycling through ``SERIES_COLOURS``."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure detached from pyplot (no global figure registry), drawn with Agg when saved."""
    return Figure(figsize=(width_in, height_in), dpi=FIGURE_DPI)


def style_axes(ax: Axes) -> Axes:
    """The house style on one axes: no top/right spines, readable tick labels."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=SMALL_FONT_SIZE_PT + 0.5, length=3)
    return ax
