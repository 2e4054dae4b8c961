"""Cell arithmetic written out by hand, with switches for the classic mistakes.

The checkers compute the *right* answers with ``lstm_gru_course.cells``. These functions
compute the *wrong* ones a learner is likely to produce (gate blocks read in the wrong
order, sigmoid and tanh swapped, a bias left out, z and 1 - z reversed, ...), so that a
wrong result can be recognised and explained. With every switch left at its default
they give the right answer, which the tests compare with ``cells``.

Shapes and layout are the course's (PyTorch's): x (B, I), h_prev and c_prev (B, H),
weight_ih (G*H, I), weight_hh (G*H, H), biases (G*H,).
"""

from __future__ import annotations

import numpy as np

LSTM_GATES = ("i", "f", "g", "o")
GRU_GATES = ("r", "z", "n")


def sigmoid(a):
    """Logistic sigmoid through tanh: 1 / (1 + exp(-a)) = (1 + tanh(a / 2)) / 2, never overflowing."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def identity(a):
    """No squashing at all (a forgotten activation)."""
    return a


def cell_inputs(gates, batch, inputs, hidden, seed, scale=0.7, lstm=False, zero=False):
    """Seeded inputs for a cell: (x, h_prev[, c_prev], weight_ih, weight_hh, bias_ih, bias_hh).

    ``zero=True`` gives an all-zero x and state, so only the biases act.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, inputs))
    h_prev = rng.uniform(-0.9, 0.9, size=(batch, hidden))
    c_prev = rng.normal(size=(batch, hidden))
    if zero:
        x, h_prev, c_prev = np.zeros_like(x), np.zeros_like(h_prev), np.zeros_like(c_prev)
    weight_ih = rng.normal(scale=scale, size=(gates * hidden, inputs))
    weight_hh = rng.normal(scale=scale, size=(gates * hidden, hidden))
    bias_ih = rng.normal(scale=0.5, size=gates * hidden)
    bias_hh = rng.normal(scale=0.5, size=gates * hidden)
    states = (h_prev, c_prev) if lstm else (h_prev,)
    return (x, *states, weight_ih, weight_hh, bias_ih, bias_hh)


def _blocks(a, count):
    hidden = a.shape[-1] // count
    return [a[..., k * hidden : (k + 1) * hidden] for k in range(count)]


def rnn_variant(
    x,
    h_prev,
    weight_ih,
    weight_hh,
    bias_ih,
    bias_hh,
    *,
    act=np.tanh,
    use_bias_ih=True,
    use_bias_hh=True,
    swap_weights=False,
):
    """h = act(x W_ih^T + b_ih + h_prev W_hh^T + b_hh), with the chosen mistakes."""
    if swap_weights:
        a = x @ weight_hh.T + h_prev @ weight_ih.T
    else:
        a = x @ weight_ih.T + h_prev @ weight_hh.T
    a = a + (bias_ih if use_bias_ih else 0.0) + (bias_hh if use_bias_hh else 0.0)
    return act(a)


def lstm_gates(
    x,
    h_prev,
    weight_ih,
    weight_hh,
    bias_ih,
    bias_hh,
    *,
    order=(0, 1, 2, 3),
    gate=sigmoid,
    candidate=np.tanh,
    use_bias_ih=True,
    use_bias_hh=True,
):
    """The four LSTM gates (i, f, g, o), reading gate k from block ``order[k]``."""
    a = x @ weight_ih.T + h_prev @ weight_hh.T
    a = a + (bias_ih if use_bias_ih else 0.0) + (bias_hh if use_bias_hh else 0.0)
    blocks = _blocks(a, 4)
    i, f, g, o = (blocks[k] for k in order)
    return gate(i), gate(f), candidate(g), gate(o)


def lstm_variant(
    x,
    h_prev,
    c_prev,
    weight_ih,
    weight_hh,
    bias_ih,
    bias_hh,
    *,
    squash=np.tanh,
    input_gate=True,
    squash_new_c=True,
    swap_return=False,
    **gate_options,
):
    """(h, c) of one LSTM step, with the chosen mistakes (see ``lstm_gates`` for more)."""
    i, f, g, o = lstm_gates(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, **gate_options)
    c = f * c_prev + (i * g if input_gate else g)
    h = o * squash(c if squash_new_c else c_prev)
    return (c, h) if swap_return else (h, c)


def gru_variant(
    x,
    h_prev,
    weight_ih,
    weight_hh,
    bias_ih,
    bias_hh,
    *,
    order=(0, 1, 2),
    gate=sigmoid,
    candidate=np.tanh,
    use_bias_ih=True,
    use_bias_hh=True,
    reset="after",
    swap_z=False,
    bias_hn_inside=True,
):
    """h of one GRU step, with the chosen mistakes.

    reset="after": n = candidate(W_in x + b_in + r * (W_hn h + b_hn))   (the package's form)
    reset="before": n = candidate(W_in x + b_in + W_hn (r * h) + b_hn)   (Cho et al. 2014)
    swap_z=True: h = z * n + (1 - z) * h_prev                             (Olah's form)
    """
    zero = np.zeros_like(bias_ih)
    b_ih = bias_ih if use_bias_ih else zero
    b_hh = bias_hh if use_bias_hh else zero
    wi, wh, bi, bh = (_blocks(w.T, 3) for w in (weight_ih, weight_hh, b_ih, b_hh))
    wi, wh, bi, bh = ([blocks[k] for k in order] for blocks in (wi, wh, bi, bh))
    r = gate(x @ wi[0] + bi[0] + h_prev @ wh[0] + bh[0])
    z = gate(x @ wi[1] + bi[1] + h_prev @ wh[1] + bh[1])
    if reset == "before":
        n = candidate(x @ wi[2] + bi[2] + (r * h_prev) @ wh[2] + bh[2])
    elif bias_hn_inside:
        n = candidate(x @ wi[2] + bi[2] + r * (h_prev @ wh[2] + bh[2]))
    else:
        n = candidate(x @ wi[2] + bi[2] + r * (h_prev @ wh[2]) + bh[2])
    return z * n + (1 - z) * h_prev if swap_z else (1 - z) * n + z * h_prev
