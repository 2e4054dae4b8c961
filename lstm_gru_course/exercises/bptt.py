"""Exercises for appendix A, backpropagation through time: the backward pass by hand.

The reference answers of the two step exercises are *numerical* gradients: central
differences (``lstm_gru_course.gradcheck.numerical_gradient``) of the loss
``L = sum(h * dh) + sum(c * dc)`` through the package's forward step, so a learner's
backward pass is checked against the definition of a gradient, not against another
derivation.

>>> from lstm_gru_course.exercises import bptt as ex
>>> ex.param_grads.evaluate(lambda da, x, h_prev: (da.T @ x, da.T @ h_prev, da.sum(0))).status
'correct'
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..i18n import N_
from . import _bptt_reference as _ref
from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ValueProblem

CHAPTER = "bptt"


# ------------------------------------------------------------------ the one rule


param_grads = FunctionProblem(
    CHAPTER,
    "param_grads",
    N_(
        "The one rule behind every weight gradient. A layer computes the pre-activation "
        "a = x W_ih^T + h_prev W_hh^T + b, with x (B, I), h_prev (B, H), W_ih (GH, I), "
        "W_hh (GH, H) and b (GH,), G gate blocks. Given da = dL/da, shape (B, GH), write "
        "param_grads(da, x, h_prev) returning (dweight_ih, dweight_hh, dbias), each shaped "
        "like its parameter."
    ),
    params=("da", "x", "h_prev"),
    returns=("dweight_ih", "dweight_hh", "dbias"),
    shapes=_ref._SHAPES,
    reference=_ref._param_grads_reference,
    cases=[
        Case(
            N_("an LSTM's four blocks: B = 2, I = 3, H = 2"),
            lambda: _ref._param_grads_args(2, 3, 2, 4, 30),
        ),
        Case(
            N_("one sequence, a GRU's three blocks: B = 1, I = 2, H = 3"),
            lambda: _ref._param_grads_args(1, 2, 3, 3, 31),
        ),
        Case(
            N_("a batch of 5, I = H = 2, one block"), lambda: _ref._param_grads_args(5, 2, 2, 1, 32)
        ),
    ],
    mistakes=[
        Mistake(
            "transposed",
            N_(
                "Your weight gradients are transposed: dW_ih = da^T x has the "
                "shape of W_ih, (GH, I), so da comes first: `da.T @ x`."
            ),
            lambda da, x, h: (x.T @ da, h.T @ da, da.sum(axis=0)),
        ),
        Mistake(
            "bias_not_summed",
            N_(
                "The bias is added to every row of the batch, so its "
                "gradient sums da over the batch: `da.sum(axis=0)`, shape (GH,)."
            ),
            lambda da, x, h: (da.T @ x, da.T @ h, da),
        ),
        Mistake(
            "bias_mean",
            N_(
                "The loss sums over the batch, so the bias gradient is the sum "
                "of da over the batch, not its mean."
            ),
            lambda da, x, h: (da.T @ x, da.T @ h, da.mean(axis=0)),
        ),
        Mistake(
            "inputs_swapped",
            N_("W_ih meets x and W_hh meets h_prev: dweight_ih uses x, dweight_hh uses h_prev."),
            lambda da, x, h: (da.T @ h, da.T @ x, da.sum(axis=0)),
        ),
    ],
    hints=[
        N_(
            "Each entry a[b, j] adds W_ih[j, k] * x[b, k]; so dL/dW_ih[j, k] sums "
            "da[b, j] * x[b, k] over the batch."
        ),
        N_("In numpy: `da.T @ x` (GH, I), `da.T @ h_prev` (GH, H) and `da.sum(axis=0)` (GH,)."),
    ],
    starter="""def param_grads(da, x, h_prev):
    dweight_ih = ____        # (GH, I)
    dweight_hh = ____        # (GH, H)
    dbias = ____             # (GH,)
    return dweight_ih, dweight_hh, dbias""",
    solution="""def param_grads(da, x, h_prev):
    dweight_ih = da.T @ x          # (GH, I): summed over the batch by the product
    dweight_hh = da.T @ h_prev     # (GH, H)
    dbias = da.sum(axis=0)         # (GH,): the bias reaches every row of the batch
    return dweight_ih, dweight_hh, dbias""",
    explanation=N_(
        "The same three lines give the weight gradients of the RNN (G = 1), the "
        "LSTM (G = 4) and the GRU's input side (G = 3): only da differs. The "
        "package's `cells._param_grads` is exactly this; bias_ih and bias_hh both "
        "get dbias."
    ),
)


# ------------------------------------------------------------------ one LSTM step backward


lstm_backward = FunctionProblem(
    CHAPTER,
    "lstm_backward",
    N_(
        "Write the backward pass of one LSTM step: lstm_backward(dh, dc, x, h_prev, c_prev, "
        "weight_ih, weight_hh, bias_ih, bias_hh) returns (dx, dh_prev, dc_prev), the "
        "gradients of the loss with respect to x (B, I), h_prev (B, H) and c_prev (B, H), "
        "given dh = dL/dh and dc = dL/dc for the step's outputs h and c, both (B, H). "
        "Parameters are in PyTorch's layout (gates i, f, g, o). The checker compares your "
        "result with numerical gradients: central differences of "
        "L = sum(h * dh) + sum(c * dc) through the package's forward step."
    ),
    params=("dh", "dc", "x", "h_prev", "c_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("dx", "dh_prev", "dc_prev"),
    shapes=_ref._SHAPES,
    reference=_ref._lstm_reference,
    cases=[
        Case(N_("B = 2, I = 3, H = 4"), _ref._lstm_args(2, 3, 4, 40)),
        Case(N_("one sequence, I = 2, hidden size 1"), _ref._lstm_args(1, 2, 1, 41)),
        Case(
            N_("dc = 0: the loss reads only h (B = 3, I = 2, H = 3)"),
            _ref._lstm_args(3, 2, 3, 42, zero_dc=True),
        ),
    ],
    mistakes=_ref.LSTM_BACKWARD_MISTAKES,
    hints=[
        N_(
            "Run the forward step again inside your function to get i, f, g, o, c and "
            "tanh(c); then go through its lines from the bottom up, as "
            "`lstm_gru_course.cells.lstm_step_backward`'s docstring lays out."
        ),
        N_(
            "h = o * tanh(c) gives `do = dh * tanh_c` and adds `dh * o * (1 - tanh_c**2)` "
            "to dc. Then c = f * c_prev + i * g gives `di = dc * g`, `df = dc * c_prev`, "
            "`dg = dc * i`, `dc_prev = dc * f`."
        ),
        N_(
            "Through the squashing functions: `da = [di * i * (1 - i), df * f * (1 - f), "
            "dg * (1 - g**2), do * o * (1 - o)]` side by side, (B, 4H). Then "
            "`dx = da @ weight_ih` and `dh_prev = da @ weight_hh`."
        ),
    ],
    starter="""def lstm_backward(dh, dc, x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    H = h_prev.shape[-1]
    a = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh   # forward again
    i, f, o = (sigmoid(a[:, k * H:(k + 1) * H]) for k in (0, 1, 3))
    g = np.tanh(a[:, 2 * H:3 * H])
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    do = ____                # from h = o * tanh(c)
    dc = ____                # dc plus what reaches c through h
    di, df, dg = ____, ____, ____
    dc_prev = ____
    da = ____                # (B, 4H): the four blocks through their slopes
    return da @ weight_ih, da @ weight_hh, dc_prev""",
    solution="""def lstm_backward(dh, dc, x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    H = h_prev.shape[-1]
    a = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh   # forward again
    i, f, o = (sigmoid(a[:, k * H:(k + 1) * H]) for k in (0, 1, 3))
    g = np.tanh(a[:, 2 * H:3 * H])
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    do = dh * tanh_c
    dc = dc + dh * o * (1 - tanh_c ** 2)
    di, df, dg = dc * g, dc * c_prev, dc * i
    dc_prev = dc * f
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f),
                         dg * (1 - g ** 2), do * o * (1 - o)], axis=1)
    return da @ weight_ih, da @ weight_hh, dc_prev""",
    explanation=N_(
        "`dc_prev = dc * f` is the cell state's short path back in time: no weight "
        "matrix and no tanh slope on it, only the forget gate. The weight gradients "
        "follow from da by the one rule of the first exercise."
    ),
)


# ------------------------------------------------------------------ one GRU step backward


gru_backward = FunctionProblem(
    CHAPTER,
    "gru_backward",
    N_(
        "Write the backward pass of one GRU step in PyTorch's form (gates r, z, n; the reset "
        "applied after the recurrent product, n = tanh(x W_in^T + b_in + r * (h_prev W_hn^T "
        "+ b_hn)), h = (1 - z) * n + z * h_prev): gru_backward(dh, x, h_prev, weight_ih, "
        "weight_hh, bias_ih, bias_hh) returns (dx, dh_prev), given dh = dL/dh (B, H). The "
        "checker compares your result with numerical gradients of L = sum(h * dh)."
    ),
    params=("dh", "x", "h_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("dx", "dh_prev"),
    shapes=_ref._SHAPES,
    reference=_ref._gru_reference,
    cases=[
        Case(N_("B = 2, I = 3, H = 4"), _ref._gru_args(2, 3, 4, 50)),
        Case(N_("one sequence, I = 2, hidden size 1"), _ref._gru_args(1, 2, 1, 51)),
        Case(N_("B = 3, I = 4, H = 2"), _ref._gru_args(3, 4, 2, 52)),
    ],
    mistakes=[
        Mistake(
            "direct_path",
            N_(
                "h = (1 - z) * n + z * h_prev reads h_prev directly too: "
                "dh_prev starts with `dh * z`, before the paths through the gates."
            ),
            partial(_ref._gru_backward, direct=False),
        ),
        Mistake(
            "z_sign",
            N_("dh/dz = h_prev - n (z keeps the old state), not n - h_prev."),
            partial(_ref._gru_backward, z_sign=-1),
        ),
        Mistake(
            "hn_path",
            N_(
                "h_prev also reaches n through h_prev W_hn^T, scaled by r: add "
                "`(da_n * r) @ W_hn` to dh_prev, with W_hn = weight_hh[2H:]."
            ),
            partial(_ref._gru_backward, hn_path=False),
        ),
        Mistake(
            "sigmoid_slope",
            N_("The slope of sigmoid, written with its output s, is s * (1 - s), not s."),
            partial(_ref._gru_backward, reset_slope=False),
        ),
    ],
    hints=[
        N_(
            "Run the forward step again inside your function, keeping "
            "`n_hidden = h_prev @ W_hn.T + b_hn` apart, as the reset multiplies it; then go "
            "bottom-up, as `lstm_gru_course.cells.gru_step_backward`'s docstring lays out."
        ),
        N_(
            "From h: `dn = dh * (1 - z)`, `dz = dh * (h_prev - n)`, and h_prev's direct "
            "share `dh * z`. Through tanh: `da_n = dn * (1 - n**2)`; then `dr = da_n * "
            "n_hidden`."
        ),
        N_(
            "`da_r = dr * r * (1 - r)`, `da_z = dz * z * (1 - z)`. Then `dh_prev = dh * z "
            "+ [da_r, da_z] @ weight_hh[:2H] + (da_n * r) @ weight_hh[2H:]` and "
            "`dx = [da_r, da_z, da_n] @ weight_ih`."
        ),
    ],
    starter="""def gru_backward(dh, x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    H = h_prev.shape[-1]
    ax = x @ weight_ih.T + bias_ih                  # forward again: (B, 3H), r, z, n
    ah = h_prev @ weight_hh.T + bias_hh             # (B, 3H)
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n_hidden = ah[:, 2 * H:]
    n = np.tanh(ax[:, 2 * H:] + r * n_hidden)
    dn, dz = ____, ____      # from h = (1 - z) * n + z * h_prev
    da_n = ____
    da_r = ____
    da_z = ____
    dx = ____
    dh_prev = ____
    return dx, dh_prev""",
    solution="""def gru_backward(dh, x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    H = h_prev.shape[-1]
    ax = x @ weight_ih.T + bias_ih                  # forward again: (B, 3H), r, z, n
    ah = h_prev @ weight_hh.T + bias_hh             # (B, 3H)
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n_hidden = ah[:, 2 * H:]
    n = np.tanh(ax[:, 2 * H:] + r * n_hidden)
    dn, dz = dh * (1 - z), dh * (h_prev - n)
    da_n = dn * (1 - n ** 2)
    da_r = da_n * n_hidden * r * (1 - r)
    da_z = dz * z * (1 - z)
    dx = np.concatenate([da_r, da_z, da_n], axis=1) @ weight_ih
    dh_prev = (dh * z
               + np.concatenate([da_r, da_z], axis=1) @ weight_hh[:2 * H]
               + (da_n * r) @ weight_hh[2 * H:])
    return dx, dh_prev""",
    explanation=N_(
        "h_prev reaches h along four paths: directly (scaled by z), through z, "
        "through r and through the candidate's recurrent product; dh_prev sums "
        "them. The direct path `dh * z` plays the part of the LSTM's `dc * f`."
    ),
)


# ------------------------------------------------------------------ the cell state's path, by hand

_DC, _F4 = np.array([1.0, -2.0, 0.5]), np.array([0.9, 0.5, 0.0])

cell_path = ValueProblem(
    CHAPTER,
    "cell_path",
    N_(
        "One LSTM step with three slots. The loss reads only the cell state: dL/dh = 0 and "
        "dL/dc = [1.0, -2.0, 0.5]. The forget gate was f = [0.9, 0.5, 0.0], the input gate "
        "i = [0.2, 0.7, 1.0]. What is dL/dc_prev? Answer with an array of three numbers."
    ),
    answer_type="array",
    expected=lambda: _DC * _F4,
    mistakes=[
        Mistake(
            "input_gate",
            N_("c = f * c_prev + i * g: c_prev is scaled by the forget gate, not the input gate."),
            lambda: _DC * np.array([0.2, 0.7, 1.0]),
        ),
        Mistake(
            "unchanged",
            N_(
                "The gradient passes back through the forget gate, which scales it: dc_prev = dc * f."
            ),
            lambda: _DC,
        ),
        Mistake(
            "one_minus_f",
            N_("It is f itself that scales the old cell state, not 1 - f."),
            lambda: _DC * (1 - _F4),
        ),
    ],
    hints=[
        N_("Only one term of c = f * c_prev + i * g contains c_prev."),
        N_("`np.array([1.0, -2.0, 0.5]) * np.array([0.9, 0.5, 0.0])`."),
    ],
    starter="answer = np.array([____, ____, ____])",
    solution="answer = np.array([1.0 * 0.9, -2.0 * 0.5, 0.5 * 0.0])   # [0.9, -1.0, 0.0]",
    explanation=N_(
        "The third slot's forget gate is shut (f = 0): nothing of its gradient "
        "reaches the previous step along the cell state."
    ),
)


# ------------------------------------------------------------------ reading the sum over time


weight_sum = ChoiceProblem(
    CHAPTER,
    "weight_sum",
    N_("In BPTT over T steps, how is the gradient of the loss with respect to weight_hh formed?"),
    options={
        "a": N_("the sum over all steps t of each step's da_t^T h_{t-1}"),
        "b": N_("the gradient of the last step only, da_T^T h_{T-1}"),
        "c": N_("the average over steps of da_t^T h_{t-1}"),
        "d": N_("the product over steps of da_t^T h_{t-1}"),
    },
    answer="a",
    feedback={
        "a": N_(
            "The same weight is used at every step, so its gradient adds up what "
            "every use contributes; the `grads[name] += step[name]` line of the "
            "appendix's loop."
        ),
        "b": N_(
            "The earlier steps used weight_hh too, and the loss depends on them "
            "through every later state: each use contributes."
        ),
        "c": N_("The loss is a sum, so the contributions add up; nothing divides them by T."),
        "d": N_(
            "Products appear along the path back in time (the Jacobians from step "
            "to step), but the contributions of the different steps add up."
        ),
    },
    hints=[
        N_(
            "A weight used in T places is like T separate weights that happen to be equal: "
            "what is the gradient of the loss with respect to their common value?"
        )
    ],
)

EXERCISES = (param_grads, lstm_backward, gru_backward, cell_path, weight_sum)


def progress() -> None:
    """Print your progress in this appendix: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
