"""The words of the cell figures: titles, equations under them, and alt texts."""

from __future__ import annotations

from ..i18n import N_, _
from ._cell_values import cell_values

_PATH_TITLES = {
    "RNN": {
        "inputs": N_("inputs"),
        "combine": N_("concatenation"),
        "tanh": N_("tanh layer"),
        "output": N_("new hidden state"),
    },
    "LSTM": {
        "inputs": N_("inputs"),
        "forget": N_("forget gate"),
        "input": N_("input gate"),
        "cell": N_("cell-state update"),
        "output": N_("output gate"),
    },
    "GRU": {"inputs": N_("inputs"), "update": N_("update gate"), "reset": N_("reset gate")},
}


_GRU_NOTES = {
    "after": r"PyTorch: $n_t = \tanh(x_t W_{in}^\top + b_{in} + r_t \odot (h_{t-1} W_{hn}^\top + b_{hn}))"
    r"\quad h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$",
    "before": r"Cho et al. 2014: $n_t = \tanh(x_t W_{in}^\top + b_{in} + (r_t \odot h_{t-1}) W_{hn}^\top"
    r" + b_{hn})\quad h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$",
}


_GRU_STAGE_NOTES = {
    ("update", "after"): r"$z_t = \sigma(x_t W_{iz}^\top + b_{iz} + h_{t-1} W_{hz}^\top + b_{hz})"
    r"\quad h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$",
    ("reset", "after"): r"$r_t = \sigma(x_t W_{ir}^\top + b_{ir} + h_{t-1} W_{hr}^\top + b_{hr})"
    r"\quad n_t = \tanh(x_t W_{in}^\top + b_{in} + r_t \odot (h_{t-1} W_{hn}^\top"
    r" + b_{hn}))$",
    ("reset", "before"): r"$r_t = \sigma(\dots)\quad n_t = \tanh(x_t W_{in}^\top + b_{in} + "
    r"(r_t \odot h_{t-1}) W_{hn}^\top + b_{hn})$",
}
_GRU_STAGE_NOTES[("update", "before")] = _GRU_STAGE_NOTES[("update", "after")]


def _words(v):
    from .diagrams import vector_of

    return _(" and ").join(f"{x:.2f}".replace("-", "−") for x in vector_of(v)[:3])


def _lstm_alt(cache, lit):
    """Alt text of an LSTM diagram: what is drawn, what is lit, and the numbers."""
    text = _(
        "Diagram of an LSTM cell: the cell state runs along the top through a "
        "multiplication by the forget gate and an addition of the input gate times the "
        "candidate; below, h_t-1 and x_t are concatenated and feed four layers (forget "
        "gate σ, input gate σ, candidate tanh, output gate σ); the output gate times "
        "tanh of the new cell state gives h_t."
    )
    if isinstance(lit, str):
        path = _PATH_TITLES["LSTM"].get(lit)
        text += _(" The {path} path is highlighted.").format(path=_(path) if path else lit)
    if cache is not None:
        v = cell_values("lstm", cache)
        text += _(
            " Numbers of one step: x_t = {x}, h_t-1 = {h_prev}, c_t-1 = {c_prev}; "
            "f_t = {f}, i_t = {i}, g_t = {g}, o_t = {o}; c_t = {c}, h_t = {h}."
        ).format(
            **{k: _words(v[k]) for k in ("x", "h_prev", "c_prev", "f", "i", "g", "o", "c", "h")}
        )
    return text


def _gru_alt(cache, lit, reset):
    text = (
        _(
            "Diagram of a GRU cell: the hidden state runs along the top; the update gate z "
            "keeps z times the old state and lets (1 − z) of the candidate n in; the reset "
            "gate r scales the old state's contribution to the candidate after its weights "
            "(PyTorch's convention)."
        )
        if reset == "after"
        else _(
            "Diagram of a GRU cell: the hidden state runs along the top; the update gate z "
            "keeps z times the old state and lets (1 − z) of the candidate n in; the reset "
            "gate r scales the old state's contribution to the candidate before its weights "
            "(Cho et al. 2014)."
        )
    )
    if lit == "update":
        text += _(" The update gate's path is highlighted.")
    elif lit == "reset":
        text += _(" The reset gate's path is highlighted.")
    elif isinstance(lit, str):
        text += _(" The {lit} gate's path is highlighted.").format(lit=lit)
    if cache is not None:
        v = cell_values("gru", cache)
        text += _(
            " Numbers of one step: x_t = {x}, h_t-1 = {h_prev}; r_t = {r}, z_t = {z}, "
            "n_t = {n}; h_t = {h}."
        ).format(**{k: _words(v[k]) for k in ("x", "h_prev", "r", "z", "n", "h")})
        if "r_n_hidden" in v and "x_n" in v:
            text += _(
                " Inside the candidate, the reset gate lets r_t ⊙ (h_t-1 W_hn^T + b_hn) = "
                "{r_n_hidden} of the old state in, added to x_t W_in^T + b_in = {x_n}."
            ).format(r_n_hidden=_words(v["r_n_hidden"]), x_n=_words(v["x_n"]))
    return text
