"""Where each element of the RNN, LSTM and GRU diagrams goes, as data.

A layout is a dict: ``xlim``/``ylim`` and ``frame`` in diagram units, then lists of
``nodes`` (layer boxes, pointwise ops, forks, joins, ports), ``wires`` (routes between
nodes), ``names`` (gate names; an optional last item names the vector whose shape is
written under the name) and ``vectors`` (each vector's symbol, shape, and where
its symbol and its value are written), and ``paths`` (which elements each gate's path
lights). :func:`build` draws a layout on a :class:`~.diagrams.Diagram`.
"""

from __future__ import annotations

from ..i18n import N_, _
from .diagrams import CELL_WIDTH

__all__ = ["RNN_LAYOUT", "LSTM_LAYOUT", "build", "path_elements", "vector_spec"]

SIGMA = r"$\sigma$"


def vector_spec(
    symbol,
    shape,
    role,
    label,
    value,
    label_align=("center", "center"),
    value_align=("center", "center"),
    stacked=False,
):
    """Where a vector's symbol (with its shape) and its value are written, and how.

    ``stacked`` puts the shape under the symbol instead of after it.
    """
    return {
        "symbol": symbol,
        "shape": shape,
        "role": role,
        "label": label,
        "value": value,
        "label_align": label_align,
        "value_align": value_align,
        "stacked": stacked,
    }


def _input_specs(join_x, h_y, h_value_dy, x_value_y, concat_at, concat_align):
    """The input vectors every cell diagram writes alike: ``h_prev`` entering from the
    left at height ``h_y``, ``x`` rising to the join at ``join_x``, and ``concat``."""
    return {
        "h_prev": vector_spec(
            "$h_{t-1}$",
            "(B, H)",
            "hidden",
            (-1.5, h_y),
            (-0.7, h_y + h_value_dy),
            ("right", "center"),
            stacked=True,
        ),
        "x": vector_spec(
            "$x_t$",
            "(B, I)",
            "hidden",
            (join_x, -1.4),
            (join_x + 0.25, x_value_y),
            ("center", "top"),
            ("left", "center"),
            stacked=True,
        ),
        "concat": vector_spec(
            "$[h_{t-1}, x_t]$", "(B, H+I)", "hidden", concat_at, None, concat_align
        ),
    }


def path_elements(layout, path: str) -> set:
    """Every element name lit by ``path`` (its own list plus the paths it includes)."""
    names = set()
    for item in layout["paths"][path]:
        names |= path_elements(layout, item[1:]) if item.startswith("@") else {item}
    return names


def build(d, layout, values=None, shapes=False, show=None):
    """Draw ``layout`` on the diagram ``d``; write ``values`` (name -> vector) if given.

    ``show`` restricts which values are visible (``None``: all, or, when ``d.lit`` is
    set, those of lit vectors). Products with no symbol of their own (``f_c_prev``)
    are written only as values.
    """
    d.frame(*layout["frame"])
    for kind, name, xy, *rest in layout["nodes"]:
        getattr(d, kind)(name, xy, *rest)
    for name, route, role, *rest in layout["wires"]:
        d.wire(name, route, role, **(rest[0] if rest else {}))
    named = set()
    for name, xy, text, role, ha, *vector in layout["names"]:
        text = _(text)
        if shapes and vector:
            text += "\n" + layout["vectors"][vector[0]]["shape"]
            named.add(vector[0])
        d.label(name, xy, text, role, ha=ha, size=10.5, weight="bold")
    for name, spec in layout["vectors"].items():
        if spec["symbol"] and spec["label"]:
            sep = "\n" if spec["stacked"] else "  "
            shape = spec["shape"] if shapes and spec["shape"] and name not in named else None
            text = spec["symbol"] + (sep + shape if shape else "")
            ha, va = spec["label_align"]
            d.label(name, spec["label"], text, spec["role"], ha=ha, va=va)
        if values is not None and name in values and spec["value"]:
            if show is not None:
                visible = name in show
            else:
                visible = d.lit is None or name in d.lit
            ha, va = spec["value_align"]
            d.value(name, spec["value"], values[name], spec["role"], ha=ha, va=va, shown=visible)


# ------------------------------------------------------------------------- RNN
_RY_H, _RY_BUS, _RX_J, _RX_T, _RX_F = 4.6, 1.2, 1.2, 3.8, 5.8
RNN_LAYOUT = {
    "xlim": (-3.2, 10.4),
    "ylim": (-2.4, 7.6),
    "frame": (0, 0, 7.2, 5.8),
    "nodes": [
        ("port", "p_h_in", (-1.4, _RY_H)),
        ("port", "p_x", (_RX_J, -1.3)),
        ("port", "p_h_out", (8.6, _RY_H)),
        ("port", "p_h_up", (_RX_F, 7.0)),
        ("join", "concat", (_RX_J, _RY_BUS)),
        ("box", "box_tanh", (_RX_T, 2.9), "tanh", "hidden", 1.4),
        ("fork", "fork_h", (_RX_F, _RY_H)),
    ],
    "wires": [
        ("h_in", ["p_h_in", (_RX_J, _RY_H), "concat"], "hidden", {"arrow": False}),
        ("x_in", ["p_x", "concat"], "hidden", {"arrow": False}),
        ("bus", ["concat", (_RX_T, _RY_BUS), "box_tanh"], "hidden"),
        ("h_new", ["box_tanh", (_RX_T, _RY_H), "p_h_out"], "hidden"),
        ("h_up", ["fork_h", "p_h_up"], "hidden"),
    ],
    "names": [
        ("name_tanh", (_RX_T + 0.85, 2.9), N_("tanh layer\n(weights W,\nbias b)"), "hidden", "left")
    ],
    "vectors": {
        **_input_specs(_RX_J, _RY_H, -0.85, -0.55, (_RX_J + 0.2, _RY_BUS - 0.25), ("left", "top")),
        "h": vector_spec(
            "$h_t$",
            "(B, H)",
            "hidden",
            (8.7, _RY_H),
            (7.9, _RY_H - 0.85),
            ("left", "center"),
            stacked=True,
        ),
        "h_top": vector_spec("$h_t$", None, "hidden", (_RX_F + 0.2, 7.0), None, ("left", "top")),
    },
    "paths": {
        "inputs": ["h_in", "x_in", "h_prev", "x", "p_h_in", "p_x"],
        "combine": ["@inputs", "concat", "bus"],
        "tanh": ["@combine", "box_tanh", "name_tanh"],
        "output": ["@tanh", "h_new", "fork_h", "h_up", "h", "h_top"],
    },
}

# ------------------------------------------------------------------------ LSTM
_Y_C, _Y_BUS, _Y_BOX, _Y_MULI = 7.4, 1.0, 3.6, 5.4
_X_J, _X_F, _X_I, _X_G, _X_O, _X_OUT, _X_H = 1.0, 2.9, 5.1, 7.1, 9.7, 12.3, 13.7
_X_END = 16.1
_CELL = {"width": CELL_WIDTH}
LSTM_LAYOUT = {
    "xlim": (-3.3, 17.9),
    "ylim": (-2.3, 10.2),
    "frame": (0, 0, 14.7, 8.7),
    "nodes": [
        ("port", "p_c_in", (-1.4, _Y_C)),
        ("port", "p_c_out", (_X_END, _Y_C)),
        ("port", "p_h_in", (-1.4, _Y_BUS)),
        ("port", "p_h_out", (_X_END, _Y_BUS)),
        ("port", "p_x", (_X_J, -1.3)),
        ("port", "p_h_up", (_X_H, 9.7)),
        ("op", "mul_f", (_X_F, _Y_C), "×", "forget"),
        ("op", "add", (_X_G, _Y_C), "+", "cell"),
        ("op", "mul_i", (_X_G, _Y_MULI), "×", "input"),
        ("op", "tanh_c", (_X_OUT, 5.5), "tanh", "cell"),
        ("op", "mul_o", (_X_OUT, _Y_BOX), "×", "output"),
        ("join", "concat", (_X_J, _Y_BUS)),
        ("fork", "fork_f", (_X_F, _Y_BUS)),
        ("fork", "fork_i", (_X_I, _Y_BUS)),
        ("fork", "fork_g", (_X_G, _Y_BUS)),
        ("fork", "fork_c", (_X_OUT, _Y_C), "cell"),
        ("fork", "fork_h", (_X_H, _Y_BUS)),
        ("box", "box_f", (_X_F, _Y_BOX), SIGMA, "forget"),
        ("box", "box_i", (_X_I, _Y_BOX), SIGMA, "input"),
        ("box", "box_g", (_X_G, _Y_BOX), "tanh", "candidate"),
        ("box", "box_o", (_X_O, _Y_BOX), SIGMA, "output"),
    ],
    "wires": [
        ("h_in", ["p_h_in", "concat"], "hidden", {"arrow": False}),
        ("x_in", ["p_x", "concat"], "hidden", {"arrow": False}),
        ("bus_f", ["concat", "fork_f"], "hidden", {"arrow": False}),
        ("bus_i", ["fork_f", "fork_i"], "hidden", {"arrow": False}),
        ("bus_g", ["fork_i", "fork_g"], "hidden", {"arrow": False}),
        ("bus_o", ["fork_g", (_X_O, _Y_BUS), "box_o"], "hidden"),
        ("to_f", ["fork_f", "box_f"], "hidden"),
        ("to_i", ["fork_i", "box_i"], "hidden"),
        ("to_g", ["fork_g", "box_g"], "hidden"),
        ("f_out", ["box_f", "mul_f"], "forget"),
        ("i_out", ["box_i", (_X_I, _Y_MULI), "mul_i"], "input"),
        ("g_out", ["box_g", "mul_i"], "candidate"),
        ("ig_out", ["mul_i", "add"], "input"),
        ("c_in", ["p_c_in", "mul_f"], "cell", _CELL),
        ("c_mid", ["mul_f", "add"], "cell", _CELL),
        ("c_out", ["add", "p_c_out"], "cell", _CELL),
        ("c_to_tanh", ["fork_c", "tanh_c"], "cell"),
        ("tanh_to_mul", ["tanh_c", "mul_o"], "cell"),
        ("o_out", ["box_o", "mul_o"], "output"),
        ("h_new", ["mul_o", (_X_OUT, _Y_BUS), "p_h_out"], "hidden"),
        ("h_up", ["fork_h", "p_h_up"], "hidden"),
    ],
    "names": [
        ("name_f", (_X_F + 0.15, 2.2), N_("forget\ngate"), "forget", "left", "f"),
        ("name_i", (_X_I + 0.15, 2.2), N_("input\ngate"), "input", "left", "i"),
        ("name_g", (_X_G + 0.15, 2.2), N_("candidate"), "candidate", "left", "g"),
        ("name_o", (_X_O + 0.15, 2.2), N_("output\ngate"), "output", "left", "o"),
        ("name_c", (0.3, 8.25), N_("cell state"), "cell", "left"),
    ],
    "vectors": {
        "c_prev": vector_spec(
            "$c_{t-1}$",
            "(B, H)",
            "cell",
            (-1.5, _Y_C),
            (-0.7, _Y_C + 0.8),
            ("right", "center"),
            stacked=True,
        ),
        **_input_specs(_X_J, _Y_BUS, -0.8, -0.55, (_X_J + 0.3, _Y_BUS - 0.25), ("left", "top")),
        "f": vector_spec(
            "$f_t$",
            "(B, H)",
            "forget",
            (_X_F + 0.2, 4.45),
            (_X_F + 0.2, 5.85),
            ("left", "center"),
            ("left", "center"),
        ),
        "i": vector_spec(
            "$i_t$",
            "(B, H)",
            "input",
            (_X_I + 0.2, 4.45),
            (_X_I + 0.2, 6.25),
            ("left", "center"),
            ("left", "center"),
        ),
        "g": vector_spec(
            "$g_t$",
            "(B, H)",
            "candidate",
            (_X_G + 0.2, 4.3),
            (_X_G + 0.55, 5.25),
            ("left", "center"),
            ("left", "center"),
        ),
        "o": vector_spec(
            "$o_t$",
            "(B, H)",
            "output",
            (_X_O + 0.57, _Y_BOX + 0.4),
            (_X_O + 1.25, _Y_BOX + 0.62),
            ("left", "bottom"),
            ("left", "center"),
            stacked=True,
        ),
        "f_c_prev": vector_spec(None, None, "forget", None, (4.95, _Y_C + 0.75)),
        "i_g": vector_spec(
            None, None, "input", None, (_X_G + 0.2, 6.45), value_align=("left", "center")
        ),
        "c": vector_spec(
            "$c_t$",
            "(B, H)",
            "cell",
            (_X_END + 0.1, _Y_C),
            (10.3, _Y_C + 0.75),
            ("left", "center"),
            stacked=True,
        ),
        "tanh_c": vector_spec(
            None, None, "cell", None, (_X_OUT + 0.22, 4.6), value_align=("left", "center")
        ),
        "h": vector_spec(
            "$h_t$",
            "(B, H)",
            "hidden",
            (_X_END + 0.1, _Y_BUS),
            (_X_END - 0.6, _Y_BUS - 0.8),
            ("left", "center"),
            stacked=True,
        ),
        "h_top": vector_spec("$h_t$", None, "hidden", (_X_H + 0.2, 9.6), None, ("left", "top")),
    },
    "paths": {
        "inputs": ["h_in", "x_in", "h_prev", "x", "concat", "bus_f", "p_h_in", "p_x"],
        "forget": [
            "@inputs",
            "fork_f",
            "to_f",
            "box_f",
            "name_f",
            "f",
            "f_out",
            "c_in",
            "c_prev",
            "mul_f",
            "f_c_prev",
            "c_mid",
        ],
        "input": [
            "@inputs",
            "fork_f",
            "bus_i",
            "fork_i",
            "to_i",
            "box_i",
            "name_i",
            "i",
            "i_out",
            "bus_g",
            "fork_g",
            "to_g",
            "box_g",
            "name_g",
            "g",
            "g_out",
            "mul_i",
            "i_g",
        ],
        "cell": [
            "c_in",
            "c_prev",
            "mul_f",
            "f_out",
            "f",
            "f_c_prev",
            "c_mid",
            "mul_i",
            "ig_out",
            "i_g",
            "add",
            "c_out",
            "c",
            "name_c",
            "fork_c",
        ],
        "output": [
            "@inputs",
            "fork_f",
            "bus_i",
            "fork_i",
            "bus_g",
            "fork_g",
            "bus_o",
            "box_o",
            "name_o",
            "o",
            "o_out",
            "c_out",
            "c",
            "fork_c",
            "c_to_tanh",
            "tanh_c",
            "tanh_to_mul",
            "mul_o",
            "h_new",
            "fork_h",
            "h_up",
            "h",
            "h_top",
        ],
    },
}
