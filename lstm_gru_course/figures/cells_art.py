"""The RNN, LSTM and GRU cells drawn in one visual language, optionally with real numbers.

Every ``draw_*`` function draws one cell on an ``Axes`` and returns its
:class:`~lstm_gru_course.figures.diagrams.Diagram`; every ``*_figure`` function makes
a whole ``Figure``. Options shared by all of them:

- ``cache``: the cache of a real ``cells`` forward step (``cells.lstm_step(...)[2]``,
  ...); its vectors are written on the picture (a (B, H) cache shows batch item 0).
- ``shapes=True``: write the shape of every vector next to its name.
- ``lit``: a path name (``"forget"``, ``"input"``, ``"cell"``, ``"output"`` for the
  LSTM; ``"update"``, ``"reset"`` for the GRU; ``"inputs"``, ``"combine"``, ``"tanh"``,
  ``"output"`` for the RNN) or a set of element names (``"@forget"`` standing for a
  whole path): those are drawn bold, the rest faded;
- ``show`` (``draw_*`` only): the names of the values to write (default: all of them,
  or those on the lit path).

Conventions: LSTM ``c = f*c_prev + i*g``, ``h = o*tanh(c)``; GRU as in PyTorch
(``h = (1-z)*n + z*h_prev``, reset applied after the hidden matmul unless
``reset="before"``, Cho et al. 2014 v3).

>>> from lstm_gru_course.figures.examples import tiny_step
>>> fig = lstm_cell_figure(tiny_step("lstm"), shapes=True)
>>> sorted(t.get_gid() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("value:f"))
['value:f', 'value:f_c_prev']
"""

from __future__ import annotations

from .._validate import choice, describe
from ..i18n import N_, _
from ._cell_values import cell_values
from ._cells_text import _GRU_NOTES, _GRU_STAGE_NOTES, _PATH_TITLES, _gru_alt, _lstm_alt, _words
from .diagrams import Diagram
from .layout_gru import GRU_LAYOUT
from .layouts import LSTM_LAYOUT, RNN_LAYOUT, build, path_elements
from .style import FONT_SIZE, course_style, new_figure

__all__ = [
    "draw_rnn",
    "draw_lstm",
    "draw_gru",
    "rnn_cell_figure",
    "lstm_cell_figure",
    "gru_cell_figure",
    "lstm_gru_side_by_side",
    "cell_values",
]


def _element_names(layout) -> set:
    names = {item[1] for item in layout["nodes"]} | {item[0] for item in layout["wires"]}
    names |= {item[0] for item in layout["names"]} | set(layout["vectors"])
    return names | {"@" + path for path in layout["paths"]}


def _lit_set(layout, lit):
    """``lit`` (None, a path name, or element names where "@path" stands for a path)
    -> the set of element names to light."""
    if lit is None:
        return None
    if isinstance(lit, str):
        return path_elements(layout, choice("lit", lit, tuple(layout["paths"])))
    if not isinstance(lit, (set, frozenset, list, tuple)):
        raise TypeError(
            f"lit must be None, a path name or a set of element names, "
            f"but received {describe(lit)}."
        )
    unknown = sorted(set(lit) - _element_names(layout))
    if unknown:
        raise ValueError(
            f"lit names elements this diagram does not have: {unknown}; "
            f"its paths are {sorted(layout['paths'])}."
        )
    names = set()
    for item in lit:
        names |= path_elements(layout, item[1:]) if item.startswith("@") else {item}
    return names


def _draw(cell, layout, ax, cache, shapes, lit, show):
    values = None if cache is None else cell_values(cell, cache)
    d = Diagram(ax, layout["xlim"], layout["ylim"], lit=_lit_set(layout, lit))
    build(d, layout, values=values, shapes=bool(shapes), show=show)
    return d


def draw_rnn(ax, cache=None, shapes=False, lit=None, show=None):
    """Draw the RNN cell: ``h = tanh(x W_ih^T + b_ih + h_prev W_hh^T + b_hh)``.

    ``[h_prev, x]`` are concatenated and go through one tanh layer; the result is both
    the cell's output and the hidden state passed on. ``show`` limits which values of
    ``cache`` are written (a set of names; ``None`` = all).
    """
    return _draw("rnn", RNN_LAYOUT, ax, cache, shapes, lit, show)


def draw_lstm(ax, cache=None, shapes=False, lit=None, show=None):
    """Draw the LSTM cell: forget, input and output gates, candidate, cell state on top.

    f, i, o = sigmoid(...), g = tanh(...)   from [h_prev, x]
    c = f*c_prev + i*g ;  h = o*tanh(c)        all (B, H)
    """
    return _draw("lstm", LSTM_LAYOUT, ax, cache, shapes, lit, show)


def draw_gru(ax, cache=None, shapes=False, lit=None, show=None, reset="after"):
    """Draw the GRU cell (PyTorch's convention): update gate z, reset gate r, candidate n.

    r, z = sigmoid(...)   from [h_prev, x]
    reset="after":  n = tanh(W_in x + b_in + r*(W_hn h_prev + b_hn))
    reset="before": n = tanh(W_in x + b_in + W_hn (r*h_prev) + b_hn)
    h = (1-z)*n + z*h_prev                      all (B, H)
    """
    reset = choice("reset", reset, tuple(GRU_LAYOUT))
    if cache is not None and isinstance(cache, dict) and cache.get("reset", reset) != reset:
        raise ValueError(
            f"reset is {reset!r} but the cache comes from a GRU step with "
            f"reset={cache.get('reset')!r}; pass the same convention to both."
        )
    return _draw("gru", GRU_LAYOUT[reset], ax, cache, shapes, lit, show)


def _title(cell, lit, variant=None):
    """ "LSTM cell", or "LSTM cell: forget gate" when a path is lit; ``variant`` is
    added after a colon (the GRU drawn in Cho et al.'s convention)."""
    titles = _PATH_TITLES[cell]
    parts = [_(titles[lit])] if isinstance(lit, str) and lit in titles else []
    parts += [_(variant)] if variant else []
    if not parts:
        return _("{cell} cell").format(cell=cell)
    return _("{cell} cell: {parts}").format(cell=cell, parts=_(", ").join(parts))


def _figure(draw, layout, title, note, legend=None, pad_bottom=0.0, **kwargs):
    """The diagram with a title above and a note below; ``pad_bottom`` diagram units
    of room are added under the layout (for the shape key)."""
    x0, x1 = layout["xlim"]
    y0, y1 = layout["ylim"]
    scale = 0.4  # inches per diagram unit
    extra = 0.45 if title else 0.0
    extra += 0.45 if note else 0.0
    with course_style():
        fig = new_figure(scale * (x1 - x0), scale * (y1 - y0 + pad_bottom) + extra)
        top = 1 - (0.45 / fig.get_figheight() if title else 0)
        bottom = 0.45 / fig.get_figheight() if note else 0
        ax = fig.add_axes((0, bottom, 1, top - bottom))
        diagram = draw(ax, **kwargs)
        ax.set_ylim(y0 - pad_bottom, y1)
        if legend is not None:
            diagram.legend(*legend)
        if title:
            fig.text(
                0.5,
                1 - 0.08 / fig.get_figheight(),
                title,
                ha="center",
                va="top",
                fontsize=FONT_SIZE["title"],
                weight="bold",
            )
        if note:
            fig.text(
                0.5,
                0.08 / fig.get_figheight(),
                note,
                ha="center",
                va="bottom",
                fontsize=FONT_SIZE["small"],
                color="#333333",
            )
    return fig


def rnn_cell_figure(cache=None, shapes=False, lit=None):
    """A ``Figure`` of the RNN cell (see :func:`draw_rnn`)."""
    fig = _figure(
        draw_rnn,
        RNN_LAYOUT,
        _title("RNN", lit),
        r"$h_t = \tanh(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh})$",
        legend=(-2.3, -2.85, 3.2, False),  # no pointwise operation in the RNN cell
        pad_bottom=0.9,
        cache=cache,
        shapes=shapes,
        lit=lit,
    )
    alt = _(
        "Diagram of a plain RNN cell: h_t-1 and x_t are concatenated and go through one "
        "tanh layer; its output is the new hidden state h_t, sent both out and on to the "
        "next step."
    )
    if cache is not None:
        v = cell_values("rnn", cache)
        alt += _(" Numbers of one step: x_t = {x}, h_t-1 = {h_prev}, h_t = {h}.").format(
            x=_words(v["x"]), h_prev=_words(v["h_prev"]), h=_words(v["h"])
        )
    return fig.describe(alt)


def lstm_cell_figure(cache=None, shapes=False, lit=None):
    """A ``Figure`` of the LSTM cell and all its operations (see :func:`draw_lstm`).

    With ``lit`` a path name, the note under the picture is that stage's equation.
    """
    from .cell_animations import STAGE_EQUATIONS

    note = (
        STAGE_EQUATIONS[lit]
        if isinstance(lit, str) and lit in STAGE_EQUATIONS
        else r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t \qquad h_t = o_t \odot \tanh(c_t)$"
    )
    fig = _figure(
        draw_lstm,
        LSTM_LAYOUT,
        _title("LSTM", lit),
        note,
        legend=(4.0, -1.5),
        cache=cache,
        shapes=shapes,
        lit=lit,
    )
    return fig.describe(_lstm_alt(cache, lit))


def gru_cell_figure(cache=None, shapes=False, lit=None, reset="after"):
    """A ``Figure`` of the GRU cell; ``lit="update"`` or ``"reset"`` lights one path.

    The note under the picture states which convention it draws (see :func:`draw_gru`).
    """
    reset = choice("reset", reset, tuple(GRU_LAYOUT))
    note = _GRU_NOTES[reset]
    if lit in ("update", "reset"):
        note = _GRU_STAGE_NOTES[(lit, reset)]
    variant = N_("reset before the weights (Cho et al. 2014)") if reset == "before" else None
    fig = _figure(
        draw_gru,
        GRU_LAYOUT[reset],
        _title("GRU", lit, variant),
        note,
        legend=(4.6, -1.55),
        cache=cache,
        shapes=shapes,
        lit=lit,
        reset=reset,
    )
    return fig.describe(_gru_alt(cache, lit, reset))


def lstm_gru_side_by_side(lstm_cache=None, gru_cache=None, shapes=False, arrangement="stacked"):
    """The LSTM and the GRU drawn at the same scale, to compare them.

    ``arrangement="stacked"`` (default) puts the GRU under the LSTM: readable on a
    phone and in print. ``"row"`` puts them next to each other (for slides). The GRU is
    drawn in PyTorch's convention (reset after the matmul).
    """
    arrangement = choice("arrangement", arrangement, ("stacked", "row"))
    panels = [
        (draw_lstm, LSTM_LAYOUT, _("LSTM: a cell state and three gates"), lstm_cache),
        (draw_gru, GRU_LAYOUT["after"], _("GRU: two gates, no cell state"), gru_cache),
    ]
    sizes = [
        (lay["xlim"][1] - lay["xlim"][0], lay["ylim"][1] - lay["ylim"][0])
        for _, lay, _, _ in panels
    ]
    scale, head = 0.4, 0.45  # inches per unit; inches for each panel's title
    if arrangement == "stacked":
        width = scale * max(w for w, _ in sizes)
        height = sum(scale * h + head for _, h in sizes)
    else:
        width = scale * sum(w for w, _ in sizes)
        height = scale * max(h for _, h in sizes) + head
    with course_style():
        fig = new_figure(width, height)
        x = 0.0
        y = height
        for (draw, _layout, title, cache), (w, h) in zip(panels, sizes):
            if arrangement == "stacked":
                y -= scale * h + head
                box = (
                    (width - scale * w) / 2 / width,
                    y / height,
                    scale * w / width,
                    scale * h / height,
                )
            else:
                box = (x / width, 0, scale * w / width, scale * h / height)
            ax = fig.add_axes(box)
            diagram = draw(ax, cache=cache, shapes=shapes)
            if draw is draw_gru:  # the shape key, once, under the GRU
                diagram.legend(4.6, -1.55)
            top = box[1] + box[3] + (head - 0.08) / height
            fig.text(
                box[0] + box[2] / 2,
                top,
                title,
                ha="center",
                va="top",
                fontsize=FONT_SIZE["title"],
                weight="bold",
            )
            x += scale * w
    return fig.describe(
        (
            _("Two cell diagrams drawn at the same scale, the GRU under the LSTM.")
            if arrangement == "stacked"
            else _("Two cell diagrams drawn at the same scale, side by side.")
        )
        + _(
            " The LSTM has a cell state along the top and three gates (forget, input, output) "
            "plus a candidate layer; the GRU has no cell state, only the hidden state along "
            "the top, and two gates (update, reset) plus a candidate. A key under the GRU "
            "names the shapes: layer (rounded box), pointwise operation (circle), copy (dot), "
            "concatenate (open square)."
        )
    )
