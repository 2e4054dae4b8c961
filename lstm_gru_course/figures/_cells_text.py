"""The words of the cell figures: titles, equations under them, and alt texts."""

from __future__ import annotations

from ._cell_values import cell_values

_PATH_TITLES = {
    "RNN": {
        "inputs": "inputs",
        "combine": "concatenation",
        "tanh": "tanh layer",
        "output": "new hidden state",
    },
    "LSTM": {
        "inputs": "inputs",
        "forget": "forget gate",
        "input": "input gate",
        "cell": "cell-state update",
        "output": "output gate",
    },
    "GRU": {"inputs": "inputs", "update": "update gate", "reset": "reset gate"},
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

    return " and ".join(f"{x:.2f}".replace("-", "−") for x in vector_of(v)[:3])


def _lstm_alt(cache, lit):
    """Alt text of an LSTM diagram: what is drawn, what is lit, and the numbers."""
    text = (
        "Diagram of an LSTM cell: the cell state runs along the top through a "
        "multiplication by the forget gate and an addition of the input gate times the "
        "candidate; below, h_t-1 and x_t are concatenated and feed four layers (forget "
        "gate σ, input gate σ, candidate tanh, output gate σ); the output gate times "
        "tanh of the new cell state gives h_t."
    )
    if isinstance(lit, str):
        text += f" The {_PATH_TITLES['LSTM'].get(lit, lit)} path is highlighted."
    if cache is not None:
        v = cell_values("lstm", cache)
        text += (
            f" Numbers of one step: x_t = {_words(v['x'])}, h_t-1 = {_words(v['h_prev'])}, "
            f"c_t-1 = {_words(v['c_prev'])}; f_t = {_words(v['f'])}, i_t = {_words(v['i'])}, "
            f"g_t = {_words(v['g'])}, o_t = {_words(v['o'])}; c_t = {_words(v['c'])}, "
            f"h_t = {_words(v['h'])}."
        )
    return text


def _gru_alt(cache, lit, reset):
    text = (
        "Diagram of a GRU cell: the hidden state runs along the top; the update gate z "
        "keeps z times the old state and lets (1 − z) of the candidate n in; the reset "
        "gate r scales the old state's contribution to the candidate "
        + (
            "after its weights (PyTorch's convention)."
            if reset == "after"
            else "before its weights (Cho et al. 2014)."
        )
    )
    if isinstance(lit, str):
        text += f" The {lit} gate's path is highlighted."
    if cache is not None:
        v = cell_values("gru", cache)
        text += (
            f" Numbers of one step: x_t = {_words(v['x'])}, h_t-1 = {_words(v['h_prev'])}; "
            f"r_t = {_words(v['r'])}, z_t = {_words(v['z'])}, n_t = {_words(v['n'])}; "
            f"h_t = {_words(v['h'])}."
        )
        if "r_n_hidden" in v and "x_n" in v:
            text += (
                f" Inside the candidate, the reset gate lets r_t ⊙ (h_t-1 W_hn^T + b_hn) = "
                f"{_words(v['r_n_hidden'])} of the old state in, added to "
                f"x_t W_in^T + b_in = {_words(v['x_n'])}."
            )
    return text
