"""How long does a network remember? The numbers behind the book's memory experiments.

Pure numpy functions that the chapters, the figures and the explorers share:

- :func:`repeated_multiplication`: a number multiplied by ``w`` again and again,
  with and without tanh: the short-term memory of chapter 1 in one line;
- :func:`scaled_layer`: an untrained RNN/LSTM/GRU whose recurrent weights have a chosen
  scale and whose "keep" gate (LSTM forget gate, GRU update gate) a chosen bias;
- :func:`gradient_norms_by_distance`: how much of a nudge to the hidden state ``k``
  steps before the end still reaches the last hidden state, for every ``k``;
- :func:`gate_activations`: every gate of a layer at every step, for heatmaps;
- :func:`cell_state_gradient`: the LSTM's cell-state path, ``dc_t/dc_{t-1} = f_t``;
- :func:`memory_span_run`: train a small model on remember-the-first-symbol and return
  its learning curve.

Shapes follow the package (time-major): ``x`` is (T, B, input_size), states (B, H).

>>> norms = gradient_norms_by_distance("rnn", hidden_size=8, length=30, weight_scale=0.5)
>>> bool(norms.hidden[30] < 1e-3 * norms.hidden[1])
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import cells
from ._validate import choice, describe, finite_number, float_array
from ._validate import nonnegative_int, positive_int
from .layers import GRU, LSTM, RNN
from .tasks import remember_first_symbol
from .train import History, Linear, evaluate, train

__all__ = [
    "KINDS",
    "repeated_multiplication",
    "scaled_layer",
    "GradientNorms",
    "gradient_norms_by_distance",
    "gate_activations",
    "CellStateGradient",
    "cell_state_gradient",
    "MemorySpanRun",
    "memory_span_run",
]

#: The three kinds of recurrent network the course compares, by the names used here.
KINDS = ("rnn", "lstm", "gru")
_LAYERS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
#: Index of the gate block that decides how much of the old state is kept:
#: the LSTM's forget gate f (blocks i, f, g, o) and the GRU's update gate z (r, z, n).
_KEEP_BLOCK = 1


def _kind(value) -> str:
    """``kind`` in lower case ("rnn", "lstm", "gru"); "LSTM" is accepted too."""
    return choice("kind", value.lower() if isinstance(value, str) else value, KINDS)


def _kind_of_layer(layer) -> str:
    for kind, cls in _LAYERS.items():
        if isinstance(layer, cls):
            return kind
    raise TypeError(
        f"layer must be an RNN, LSTM or GRU from lstm_gru_course.layers, "
        f"but received {describe(layer)}."
    )


def repeated_multiplication(weight, steps, start=1.0) -> dict:
    """A number multiplied by ``weight`` at every step, without and with tanh.

        plain:     v_0 = start,  v_k = weight * v_{k-1}        = weight**k * start
        with tanh: u_0 = start,  u_k = tanh(weight * u_{k-1})  always in (-1, 1)

    The plain product explodes when ``|weight| > 1`` and vanishes when ``|weight| < 1``;
    that is what happens to a gradient sent back through many RNN steps. tanh keeps
    the values bounded, but cannot stop them from fading when ``|weight| < 1``.

    Returns ``{"step": (steps+1,) ints 0..steps, "plain": (steps+1,), "with_tanh":
    (steps+1,)}``. A plain value beyond the largest float64 is ``±inf`` (it exploded).

    >>> r = repeated_multiplication(3.0, 4)
    >>> r["plain"].tolist(), r["with_tanh"].round(3).tolist()
    ([1.0, 3.0, 9.0, 27.0, 81.0], [1.0, 0.995, 0.995, 0.995, 0.995])
    """
    weight = finite_number("weight", weight)
    steps = nonnegative_int("steps", steps)
    start = finite_number("start", start)
    plain = np.empty(steps + 1)
    with_tanh = np.empty(steps + 1)
    plain[0] = with_tanh[0] = start
    with np.errstate(over="ignore", under="ignore"):
        for step in range(1, steps + 1):
            plain[step] = weight * plain[step - 1]
            with_tanh[step] = np.tanh(weight * with_tanh[step - 1])
    return {"step": np.arange(steps + 1), "plain": plain, "with_tanh": with_tanh}


def scaled_layer(kind, input_size, hidden_size, weight_scale=1.0, forget_bias=0.0, seed=0,
                 reset="after"):
    """An untrained layer with recurrent weights of a chosen scale: the vanishing-gradient setting.

        weight_hh ~ Normal(0, weight_scale**2 / H)   every gate block, (G*H, H)
        weight_ih ~ Normal(0, 1 / input_size)        (G*H, input_size)
        biases 0, except the "keep" gate's bias_ih = forget_bias:
            LSTM: the forget gate f     (c = f*c_prev + i*g)
            GRU:  the update gate z     (h = (1-z)*n + z*h_prev)
            RNN:  no gate, forget_bias is not used

    With this scale a random (H, H) block has spectral radius about ``weight_scale``,
    so for the tanh RNN ``weight_scale < 1`` makes gradients vanish and ``> 1`` can make
    them explode. A large ``forget_bias`` opens the keep gate (sigmoid(3) = 0.95).

    ``kind`` is "rnn", "lstm" or "gru"; ``reset`` is the GRU convention ("after" as in
    PyTorch, "before" as in Cho et al. 2014).

    >>> layer = scaled_layer("lstm", 3, 4, forget_bias=2.0)
    >>> layer.params["bias_ih"][4:8].tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    kind = _kind(kind)
    input_size = positive_int("input_size", input_size)
    hidden_size = positive_int("hidden_size", hidden_size)
    weight_scale = finite_number("weight_scale", weight_scale, low=0.0)
    forget_bias = finite_number("forget_bias", forget_bias)
    seed = nonnegative_int("seed", seed)
    if kind == "gru":
        layer = GRU(input_size, hidden_size, seed=seed, reset=choice("reset", reset,
                                                                    ("after", "before")))
    else:
        layer = _LAYERS[kind](input_size, hidden_size, seed=seed)
    rng = np.random.default_rng(seed)
    H, G = hidden_size, layer.params["weight_hh"].shape[0] // hidden_size
    layer.params["weight_hh"][...] = rng.normal(0.0, weight_scale / np.sqrt(H), (G * H, H))
    layer.params["weight_ih"][...] = rng.normal(0.0, 1.0 / np.sqrt(input_size),
                                                (G * H, input_size))
    layer.params["bias_ih"][...] = 0.0
    layer.params["bias_hh"][...] = 0.0
    if kind != "rnn":
        layer.params["bias_ih"][_KEEP_BLOCK * H:(_KEEP_BLOCK + 1) * H] = forget_bias
    return layer


@dataclass(frozen=True)
class GradientNorms:
    """How much of a nudge at each distance from the end still reaches the last hidden state.

    - ``distance`` (T+1,): k = 0, 1, ..., T steps before the end;
    - ``hidden`` (T+1,): ``||dh_T / dh_{T-k}||_F / sqrt(H)``, 1 at k = 0;
    - ``cell`` (T+1,) for the LSTM, ``||dh_T / dc_{T-k}||_F / sqrt(H)``; None otherwise.
      ``c_{T-k}`` is the cell state computed at step T-k, and the derivative follows
      every path from it to ``h_T``: the cell-state line, and the step's own output
      ``h_{T-k} = o_{T-k} * tanh(c_{T-k})``. That is the gradient backpropagation
      sends to the cell state; at k = 0 it is ``diag(o_T * (1 - tanh(c_T)**2))``, and
      at k = T (the initial state c_0, which feeds step 1 only) the cell-state line alone;
    - ``layer`` and ``inputs`` (T, input_size): the untrained layer and the sequence it read.

    ``||J||_F / sqrt(H)`` is the root-mean-square gain of a random unit nudge: the size
    of the gradient that a loss reading ``h_T`` sends back ``k`` steps, relative to
    the size it started with.
    """

    kind: str
    distance: np.ndarray
    hidden: np.ndarray
    cell: np.ndarray | None
    layer: object = field(repr=False)
    inputs: np.ndarray = field(repr=False)


def _sequence_steps(kind, layer, x, h0, c0):
    """Run ``layer``'s maths one step at a time with ``cells``; return the caches."""
    p = layer.params
    weights = (p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    caches, h, c = [], h0, c0
    for x_t in x:
        if kind == "rnn":
            h, cache = cells.rnn_step(x_t, h, *weights)
        elif kind == "lstm":
            h, c, cache = cells.lstm_step(x_t, h, c, *weights)
        else:
            h, cache = cells.gru_step(x_t, h, *weights, reset=layer.reset)
        caches.append(cache)
    return caches


def gradient_norms_by_distance(kind, hidden_size=16, length=50, weight_scale=1.0,
                               forget_bias=0.0, seed=0, input_size=4) -> GradientNorms:
    """Size of ``dh_T / dh_{T-k}`` for every distance k: does the gradient vanish?

    An untrained :func:`scaled_layer` reads one random sequence x (T, 1, input_size),
    x ~ Normal(0, 1), T = ``length``. Backpropagation then walks back from the last
    hidden state one step at a time with ``cells.*_step_backward`` (the maths the
    layers run), multiplying by each step's Jacobian:

        dh_T/dh_{t-1} = dh_T/dh_t . dh_t/dh_{t-1}      (H, H) at every step

    The whole Jacobian is carried at once: H copies of the sequence form a batch and
    the gradient is seeded with the identity (row j = the gradient of ``h_T[j]``).
    For the LSTM the gradient reaches the cell state too: ``dh_T / dc_{T-k}`` (see
    :class:`GradientNorms` for which paths it counts).

    Returns :class:`GradientNorms` with arrays of shape (length+1,). Values too small
    for float64 come out as 0 (fully vanished).

    >>> rnn = gradient_norms_by_distance("rnn", hidden_size=8, length=20, weight_scale=0.5)
    >>> lstm = gradient_norms_by_distance("lstm", hidden_size=8, length=20, forget_bias=4.0)
    >>> bool(lstm.hidden[20] > 100 * rnn.hidden[20])
    True
    """
    kind = _kind(kind)
    hidden_size = positive_int("hidden_size", hidden_size)
    length = positive_int("length", length)
    seed = nonnegative_int("seed", seed)
    layer = scaled_layer(kind, input_size, hidden_size, weight_scale, forget_bias, seed)
    H = hidden_size
    inputs = np.random.default_rng((seed, 1)).normal(size=(length, layer.input_size))
    x = np.repeat(inputs[:, None, :], H, axis=1)
    zeros = np.zeros((H, H))
    with np.errstate(under="ignore"):
        caches = _sequence_steps(kind, layer, x, zeros, zeros)
        hidden = np.empty(length + 1)
        cell = np.empty(length + 1) if kind == "lstm" else None
        dh, dc = np.eye(H), np.zeros((H, H))   # row j: the gradient of h_T[j]
        hidden[0] = 1.0
        for k, cache in enumerate(reversed(caches)):      # the step at distance k
            if kind == "rnn":
                grads = cells.rnn_step_backward(dh, cache)
            elif kind == "lstm":
                # c_{T-k} reaches h_T along the cell-state line (dc) and through its own
                # step's output h_{T-k} = o * tanh(c_{T-k}) (dh): both paths.
                to_c = dc + dh * cache["o"] * (1.0 - cache["tanh_c"] ** 2)
                cell[k] = np.linalg.norm(to_c) / np.sqrt(H)
                grads = cells.lstm_step_backward(dh, dc, cache)
                dc = grads["c_prev"]
            else:
                grads = cells.gru_step_backward(dh, cache)
            dh = grads["h_prev"]
            hidden[k + 1] = np.linalg.norm(dh) / np.sqrt(H)
        if kind == "lstm":
            cell[length] = np.linalg.norm(dc) / np.sqrt(H)   # c_0 only feeds step 1
    return GradientNorms(kind=kind, distance=np.arange(length + 1), hidden=hidden, cell=cell,
                         layer=layer, inputs=inputs)


def _checked_sequence(layer, x, state):
    """x (T, B, I) and the initial state(s) as (B, H) arrays (zeros when None)."""
    kind = _kind_of_layer(layer)
    x = float_array("x", x, shape=(None, None, layer.input_size), dtype=np.float64)
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(
            f"x must have shape (T, B, {layer.input_size}) with T >= 1 and B >= 1, "
            f"but received shape {x.shape}."
        )
    shape = (x.shape[1], layer.hidden_size)
    if kind == "lstm":
        if state is None:
            h0 = c0 = np.zeros(shape)
        elif isinstance(state, tuple) and len(state) == 2:
            h0 = float_array("state[0] (h)", state[0], shape=shape, dtype=np.float64)
            c0 = float_array("state[1] (c)", state[1], shape=shape, dtype=np.float64)
        else:
            raise TypeError(f"state must be None or a tuple (h, c) of two arrays of shape "
                            f"{shape}, but received {describe(state)}.")
    else:
        h0 = np.zeros(shape) if state is None else float_array("state", state, shape=shape,
                                                               dtype=np.float64)
        c0 = None
    return kind, x, h0, c0


_GATE_KEYS = {"rnn": ("h",), "lstm": ("i", "f", "g", "o", "c", "h"), "gru": ("r", "z", "n", "h")}


def gate_activations(layer, x, state=None) -> dict:
    """Every gate of ``layer`` at every step of ``x``, for heatmaps.

    ``layer`` is an ``RNN``, ``LSTM`` or ``GRU`` (trained or not); x (T, B, input_size);
    ``state`` the initial state as in ``layer.forward`` (zeros when None). Returns a dict
    of (T, B, H) arrays named as in the book's equations:

        RNN  {"h"}
        LSTM {"i", "f", "g", "o", "c", "h"}    input, forget gate, candidate, output gate
        GRU  {"r", "z", "n", "h"}              reset, update gate, candidate

    >>> acts = gate_activations(LSTM(2, 3), np.zeros((5, 1, 2)))
    >>> sorted(acts), acts["f"].shape
    (['c', 'f', 'g', 'h', 'i', 'o'], (5, 1, 3))
    """
    kind, x, h0, c0 = _checked_sequence(layer, x, state)
    caches = _sequence_steps(kind, layer, x, h0, c0)
    return {key: np.stack([cache[key] for cache in caches]) for key in _GATE_KEYS[kind]}


@dataclass(frozen=True)
class CellStateGradient:
    """The LSTM's cell-state path along a sequence.

    - ``forget_gate`` (T, B, H): ``f_t``, which is ``dc_t/dc_{t-1}`` along the top line
      of the cell (``c_t = f_t * c_{t-1} + i_t * g_t``, gates held fixed);
    - ``to_end`` (T+1, B, H): ``dc_T/dc_t = f_{t+1} * ... * f_T`` along that line, for
      t = 0..T (1 at t = T): how much of the memory written at step t is still there
      at the end.
    """

    forget_gate: np.ndarray
    to_end: np.ndarray


def cell_state_gradient(layer, x, state=None) -> CellStateGradient:
    """``dc_t / dc_{t-1} = f_t`` along a sequence, and its product up to the end.

    Along the cell state, backpropagation only multiplies by the forget gate: no weight
    matrix, no squashing derivative. When f stays near 1 the product stays near 1 and
    the gradient survives many steps.

    ``layer`` is an ``LSTM``; x (T, B, input_size); ``state`` None or (h, c).

    >>> layer = scaled_layer("lstm", 2, 3, forget_bias=5.0)
    >>> path = cell_state_gradient(layer, np.zeros((10, 1, 2)))
    >>> bool(path.to_end[0].min() > 0.9)
    True
    """
    if not isinstance(layer, LSTM):
        hint = (" The GRU has no cell state; its direct path h_{t-1} -> h_t is scaled by "
                "the update gate: gate_activations(layer, x)['z']." if isinstance(layer, GRU)
                else "")
        raise TypeError(f"layer must be an LSTM, but received {describe(layer)}.{hint}")
    forget = gate_activations(layer, x, state)["f"]
    to_end = np.ones((forget.shape[0] + 1,) + forget.shape[1:])
    with np.errstate(under="ignore"):
        for t in range(forget.shape[0] - 1, -1, -1):
            to_end[t] = to_end[t + 1] * forget[t]
    return CellStateGradient(forget_gate=forget, to_end=to_end)


@dataclass(frozen=True)
class MemorySpanRun:
    """One training run on remember-the-first-symbol (see :func:`memory_span_run`).

    ``history`` is the training loop's :class:`~lstm_gru_course.train.History` (loss,
    accuracy and gradient norm at each step, and the chance level); ``test_accuracy``
    the accuracy on 512 fresh sequences after training.
    """

    kind: str
    lag: int
    steps: int
    hidden_size: int
    history: History
    test_accuracy: float


def memory_span_run(kind, lag, steps, seed=0, hidden_size=16, batch_size=32, lr=0.01,
                    on_step=None) -> MemorySpanRun:
    """Train a small ``kind`` network to remember the first symbol for ``lag`` steps.

    Task: ``tasks.remember_first_symbol(lag, batch_size)``, inputs (lag, B, lag+1),
    answer x or y after the last step (chance: accuracy 1/2, loss log 2). Model:
    ``layers.<KIND>(lag+1, hidden_size)`` then ``train.Linear(hidden_size, 2)`` on the
    last hidden state; ``train.train`` with Adam(``lr``), clipping at 1, fresh batches at
    every step. ``on_step(step, steps)``, if given, is called before each step (to show
    progress). Weights and batches come from ``seed``: same seed, same curve.

    Takes about 1 ms per step for lag 10 and hidden size 16 on a laptop CPU.

    >>> run = memory_span_run("lstm", lag=3, steps=60, seed=0)
    >>> run.history.loss.shape, run.test_accuracy > 0.9
    ((60,), True)
    """
    kind = _kind(kind)
    lag = positive_int("lag", lag)
    steps = positive_int("steps", steps)
    seed = nonnegative_int("seed", seed)
    hidden_size = positive_int("hidden_size", hidden_size)
    batch_size = positive_int("batch_size", batch_size)
    if on_step is not None and not callable(on_step):
        raise TypeError(f"on_step must be None or a function (step, steps), "
                        f"but received {describe(on_step)}.")
    layer = _LAYERS[kind](lag + 1, hidden_size, seed=seed)
    readout = Linear(hidden_size, 2, seed=seed + 1)
    counter = [0]

    def batches(rng):
        if on_step is not None:
            on_step(counter[0], steps)
        counter[0] += 1
        return remember_first_symbol(lag, batch_size, seed=rng)

    history = train(layer, readout, batches, steps, lr=lr, seed=seed)
    test = remember_first_symbol(lag, 512, seed=np.random.default_rng((seed, 2)))
    _, test_accuracy = evaluate(layer, readout, test)
    return MemorySpanRun(kind=kind, lag=lag, steps=steps, hidden_size=hidden_size,
                         history=history, test_accuracy=float(test_accuracy))
