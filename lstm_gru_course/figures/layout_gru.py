"""Where each element of the GRU diagram goes, for both reset conventions.

Drawn in PyTorch's form ``h = (1-z)*n + z*h_prev``: the update gate z keeps the old
state on the top line and ``1-z`` lets the candidate n in. With ``reset="after"``
(PyTorch, the default) the reset gate scales ``W_hn h_prev + b_hn``; with
``reset="before"`` (Cho et al. 2014, arXiv v3) it scales ``h_prev`` before the candidate layer.
See :mod:`.layouts` for the format.
"""

from __future__ import annotations

from ..i18n import N_
from .layouts import SIGMA, _input_specs, vector_spec

__all__ = ["GRU_LAYOUT"]

_Y_H, _Y_BUS, _Y_X, _Y_BOX, _Y_N, _Y_Z = 7.8, 1.3, 0.35, 3.6, 4.6, 6.8
_X_D, _X_J, _X_Z, _X_R, _X_HN, _X_IN = 0.7, 1.4, 2.7, 4.7, 6.7, 8.4
_X_N = 9.2  # the candidate layer when reset="before"
_X_TN, _X_MZ, _X_MN, _X_ADD, _X_UP, _X_END = 9.9, 11.3, 12.4, 14.3, 15.1, 16.7


def _gru_layout(reset: str) -> dict:
    after = reset == "after"
    nodes = [
        ("port", "p_h_in", (-1.4, _Y_H)),
        ("port", "p_h_out", (_X_END, _Y_H)),
        ("port", "p_x", (_X_J, -1.3)),
        ("port", "p_h_up", (_X_UP, 10.1)),
        ("fork", "fork_down", (_X_D, _Y_H)),
        ("fork", "fork_hn", (_X_HN, _Y_H)),
        ("join", "concat", (_X_J, _Y_BUS)),
        ("fork", "fork_x", (_X_J, _Y_X)),
        ("fork", "fork_bz", (_X_Z, _Y_BUS)),
        ("box", "box_z", (_X_Z, _Y_BOX), SIGMA, "update"),
        ("box", "box_r", (_X_R, _Y_BOX), SIGMA, "reset"),
        ("op", "mul_r", (_X_HN, _Y_N), "×", "reset"),
        ("op", "mul_z", (_X_MZ, _Y_H), "×", "update"),
        ("fork", "fork_z", (_X_MZ, _Y_Z), "update"),
        ("op", "one_minus", (_X_MN, 5.7), "1−", "update"),
        ("op", "mul_n", (_X_MN, _Y_N), "×", "update"),
        ("op", "add_h", (_X_ADD, _Y_H), "+", "hidden"),
        ("fork", "fork_out", (_X_UP, _Y_H)),
    ]
    wires = [
        ("h_in", ["p_h_in", "fork_down"], "hidden", {"arrow": False}),
        ("h_line", ["fork_down", "fork_hn"], "hidden", {"arrow": False}),
        ("h_keep", ["fork_hn", "mul_z"], "hidden"),
        ("h_down", ["fork_down", (_X_D, _Y_BUS), "concat"], "hidden", {"arrow": False}),
        ("x_in", ["p_x", "fork_x", "concat"], "hidden", {"arrow": False}),
        ("bus_z", ["concat", "fork_bz"], "hidden", {"arrow": False}),
        ("to_z", ["fork_bz", "box_z"], "hidden"),
        ("bus_r", ["fork_bz", (_X_R, _Y_BUS), "box_r"], "hidden"),
        ("r_out", ["box_r", (_X_R, _Y_N), "mul_r"], "reset"),
        ("z_out", ["box_z", (_X_Z, _Y_Z), "fork_z"], "update", {"arrow": False}),
        ("z_to_mul", ["fork_z", "mul_z"], "update"),
        ("z_to_1m", ["fork_z", (_X_MN, _Y_Z), "one_minus"], "update"),
        ("1m_to_mul", ["one_minus", "mul_n"], "update"),
        ("zh_out", ["mul_z", "add_h"], "hidden"),
        ("zn_out", ["mul_n", (_X_ADD, _Y_N), "add_h"], "candidate"),
        ("h_out", ["add_h", "p_h_out"], "hidden"),
        ("h_up", ["fork_out", "p_h_up"], "hidden"),
    ]
    if after:
        nodes += [
            ("box", "box_hn", (_X_HN, 5.75), "$W_{hn}$", "candidate", 1.1),
            ("box", "box_in", (_X_IN, 2.8), "$W_{in}$", "candidate", 1.1),
            ("op", "add_n", (_X_IN, _Y_N), "+", "candidate"),
            ("op", "tanh_n", (_X_TN, _Y_N), "tanh", "candidate"),
        ]
        wires += [
            ("to_hn", ["fork_hn", "box_hn"], "hidden"),
            ("hn_out", ["box_hn", "mul_r"], "candidate"),
            ("x_only", ["fork_x", (_X_IN, _Y_X), "box_in"], "hidden"),
            ("in_out", ["box_in", "add_n"], "candidate"),
            ("rn_out", ["mul_r", "add_n"], "reset"),
            ("sum_out", ["add_n", "tanh_n"], "candidate"),
            ("n_out", ["tanh_n", "mul_n"], "candidate"),
        ]
        candidate = [
            "box_hn",
            "to_hn",
            "hn_out",
            "n_hidden",
            "x_only",
            "box_in",
            "in_out",
            "add_n",
            "rn_out",
            "r_n_hidden",
            "x_n",
            "sum_out",
            "tanh_n",
            "n_out",
            "n",
            "name_n",
        ]
        extra_vectors = {
            # r ⊙ (h W_hn^T + b_hn): what the reset gate lets into the candidate
            "r_n_hidden": vector_spec(
                None, None, "reset", None, (7.55, _Y_N - 0.35), value_align=("center", "top")
            ),
            # x W_in^T + b_in, the input's share of the candidate
            "x_n": vector_spec(
                None, None, "candidate", None, (_X_IN + 0.2, 3.35), value_align=("left", "center")
            ),
            "n_hidden": vector_spec(
                None, None, "candidate", None, (_X_HN - 0.65, 5.75), value_align=("right", "center")
            ),
        }
        n_label_x = _X_TN + 0.65
        name_n = ("name_n", (_X_TN - 0.2, 5.45), N_("candidate"), "candidate", "center", "n")
    else:
        nodes += [
            ("join", "concat_n", (_X_N, 2.0)),
            ("box", "box_n", (_X_N, 3.3), "tanh", "candidate"),
        ]
        wires += [
            ("to_r_mul", ["fork_hn", "mul_r"], "hidden"),
            ("rh_out", ["mul_r", (_X_HN, 2.0), "concat_n"], "reset", {"arrow": False}),
            ("x_only", ["fork_x", (_X_N, _Y_X), "concat_n"], "hidden", {"arrow": False}),
            ("to_n", ["concat_n", "box_n"], "hidden"),
            ("n_out", ["box_n", (_X_N, _Y_N), "mul_n"], "candidate"),
        ]
        candidate = [
            "to_r_mul",
            "rh_out",
            "r_h_prev",
            "x_only",
            "concat_n",
            "to_n",
            "box_n",
            "n_out",
            "n",
            "name_n",
        ]
        extra_vectors = {
            "r_h_prev": vector_spec(
                None, None, "reset", None, (_X_HN + 0.2, 3.1), value_align=("left", "center")
            ),
        }
        n_label_x = _X_TN + 0.2
        name_n = ("name_n", (_X_N + 0.8, 3.0), N_("candidate"), "candidate", "left", "n")
    # n_t is written alike in both forms; only its symbol's distance from tanh differs
    extra_vectors["n"] = vector_spec(
        "$n_t$",
        "(B, H)",
        "candidate",
        (n_label_x, _Y_N + 0.15),
        (_X_TN + 0.75, _Y_N - 0.75),
        ("left", "bottom"),
        ("left", "center"),
    )
    inputs = [
        "h_in",
        "h_prev",
        "fork_down",
        "h_down",
        "x_in",
        "x",
        "fork_x",
        "concat",
        "bus_z",
        "p_h_in",
        "p_x",
    ]
    return {
        "xlim": (-3.3, 18.2),
        "ylim": (-2.3, 10.6),
        "frame": (0, 0, 15.6, 9.1),
        "nodes": nodes,
        "wires": wires,
        "names": [
            ("name_z", (_X_Z + 0.15, 2.25), N_("update\ngate"), "update", "left", "z"),
            ("name_r", (_X_R + 0.15, 2.25), N_("reset\ngate"), "reset", "left", "r"),
            name_n,
        ],
        "vectors": {
            **_input_specs(_X_J, _Y_H, 0.8, -0.6, (_X_J + 0.2, 0.82), ("left", "center")),
            "z": vector_spec(
                "$z_t$",
                "(B, H)",
                "update",
                (_X_Z + 0.2, 4.4),
                (_X_Z + 0.2, 5.5),
                ("left", "center"),
                ("left", "center"),
            ),
            "r": vector_spec(
                "$r_t$",
                "(B, H)",
                "reset",
                (_X_R + 0.2, _Y_N + 0.15),
                (_X_R + 0.75, 3.6),
                ("left", "bottom"),
                ("left", "center"),
            ),
            "z_h_prev": vector_spec(None, None, "update", None, (_X_MN, _Y_H + 0.75)),
            "one_minus_z": vector_spec(
                None, None, "update", None, (_X_MN - 0.45, 5.75), value_align=("right", "center")
            ),
            "one_minus_z_n": vector_spec(
                None, None, "candidate", None, (_X_ADD - 0.2, 5.75), value_align=("left", "center")
            ),
            "h": vector_spec(
                "$h_t$",
                "(B, H)",
                "hidden",
                (_X_END + 0.1, _Y_H),
                (_X_END - 0.5, _Y_H - 0.85),
                ("left", "center"),
                stacked=True,
            ),
            "h_top": vector_spec(
                "$h_t$", None, "hidden", (_X_UP + 0.2, 10.0), None, ("left", "top")
            ),
            **extra_vectors,
        },
        "paths": {
            "inputs": inputs,
            "update": [
                "@inputs",
                "fork_bz",
                "to_z",
                "box_z",
                "name_z",
                "z",
                "z_out",
                "fork_z",
                "z_to_mul",
                "mul_z",
                "z_h_prev",
                "h_line",
                "fork_hn",
                "h_keep",
                "z_to_1m",
                "one_minus",
                "one_minus_z",
                "1m_to_mul",
                "mul_n",
                "one_minus_z_n",
                "zh_out",
                "zn_out",
                "n_out",
                "add_h",
                "h_out",
                "h",
                "fork_out",
                "h_up",
                "h_top",
            ],
            "reset": [
                "@inputs",
                "fork_bz",
                "bus_r",
                "box_r",
                "name_r",
                "r",
                "r_out",
                "mul_r",
                "h_line",
                "fork_hn",
                *candidate,
            ],
        },
    }


GRU_LAYOUT = {"after": _gru_layout("after"), "before": _gru_layout("before")}
