"""How far back does a gradient reach? The measurements behind chapters 1, 3, 5b and 6.

- :func:`repeated_multiplication`: a number multiplied by ``w`` again and again, with
  and without tanh: the short-term memory of chapter 1 in one line;
- :func:`scaled_layer`: an untrained RNN/LSTM/GRU whose recurrent weights have a chosen
  scale and whose keep gate (LSTM forget gate f, GRU update gate z) a chosen bias;
- :func:`gradient_norms_by_distance`: how much of a nudge to the hidden state ``k``
  steps before the end still reaches the last hidden state, for every ``k``;
- :func:`backward_factors`: the same walk back through a given tanh RNN, with the change
  split into the part made by the slopes of tanh and the part made by the weights;
- :func:`cell_state_gradient`: the LSTM's cell-state path, ``dc_t/dc_{t-1} = f_t``.

The two gradient measurements share one walk (:func:`_walk_back`): the Jacobian
``dh_T / dh_{T-k}`` (H, H) carried back one step at a time with the ``cells`` backward
functions, kept near unit size while its true size is accumulated in logarithms.

Shapes follow the package (time-major): ``x`` is (T, B, input_size), states (B, H).

>>> norms = gradient_norms_by_distance("rnn", hidden_size=8, length=30, weight_scale=0.5)
>>> bool(norms.hidden[30] < 1e-3 * norms.hidden[1])
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .. import cells
from .._validate import describe, finite_number, float_array, nonnegative_int, positive_int
from ..layers import GRU, LSTM, RNN
from .conventions import kind_name, new_layer, set_keep_bias
from .gates import gate_activations, step_caches

__all__ = [
    "repeated_multiplication",
    "scaled_layer",
    "GradientNorms",
    "gradient_norms_by_distance",
    "BackwardFactors",
    "backward_factors",
    "CellStateGradient",
    "cell_state_gradient",
]


def repeated_multiplication(weight: float, steps: int, start: float = 1.0) -> dict:
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


def _keep_bias(keep_bias, forget_bias):
    """``keep_bias``, or the value of the deprecated name ``forget_bias`` when given."""
    if forget_bias is None:
        return finite_number("keep_bias", keep_bias)
    warnings.warn(
        "forget_bias is now called keep_bias (it sets the LSTM's forget gate f and "
        "the GRU's update gate z); forget_bias will be removed.",
        DeprecationWarning,
        stacklevel=3,
    )
    return finite_number("forget_bias", forget_bias)


def scaled_layer(
    kind: str,
    input_size: int,
    hidden_size: int,
    weight_scale: float = 1.0,
    keep_bias: float = 0.0,
    seed: int = 0,
    reset: str = "after",
    *,
    forget_bias: float | None = None,
):
    """An untrained layer with recurrent weights of a chosen scale: the vanishing-gradient setting.

        weight_hh ~ Normal(0, weight_scale**2 / H)   every gate block, (G*H, H)
        weight_ih ~ Normal(0, 1 / input_size)        (G*H, input_size)
        biases 0, except the keep gate's bias_ih = keep_bias
        (:func:`~lstm_gru_course.analysis.conventions.set_keep_bias`):
            LSTM: the forget gate f     (c = f*c_prev + i*g)
            GRU:  the update gate z     (h = (1-z)*n + z*h_prev)
            RNN:  no gate, keep_bias is not used

    With this scale a random (H, H) block has spectral radius about ``weight_scale``,
    so for the tanh RNN ``weight_scale < 1`` makes gradients vanish and ``> 1`` can make
    them explode. A large ``keep_bias`` opens the keep gate (sigmoid(3) = 0.95).
    ``forget_bias`` is the old name of ``keep_bias`` (deprecated; same meaning).

    ``kind`` is "rnn", "lstm" or "gru"; ``reset`` is the GRU convention ("after" as in
    PyTorch, "before" as in Cho et al. 2014).

    >>> layer = scaled_layer("lstm", 3, 4, keep_bias=2.0)
    >>> layer.params["bias_ih"][4:8].tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    kind = kind_name(kind)
    input_size = positive_int("input_size", input_size)
    hidden_size = positive_int("hidden_size", hidden_size)
    weight_scale = finite_number("weight_scale", weight_scale, low=0.0)
    keep_bias = _keep_bias(keep_bias, forget_bias)
    seed = nonnegative_int("seed", seed)
    layer = new_layer(kind, input_size, hidden_size, seed=seed, reset=reset)
    rng = np.random.default_rng(seed)
    H, G = hidden_size, layer.params["weight_hh"].shape[0] // hidden_size
    layer.params["weight_hh"][...] = rng.normal(0.0, weight_scale / np.sqrt(H), (G * H, H))
    layer.params["weight_ih"][...] = rng.normal(0.0, 1.0 / np.sqrt(input_size), (G * H, input_size))
    layer.params["bias_ih"][...] = 0.0
    layer.params["bias_hh"][...] = 0.0
    if kind != "rnn":
        set_keep_bias(layer, keep_bias)
    return layer


def _walk_back(kind, layer, inputs):
    """Carry ``dh_T / dh_{T-k}`` back along one sequence ``inputs`` (T, I) from a zero state.

    H copies of the sequence form a batch, and the gradient is seeded with the identity
    (row j = the gradient of ``h_T[j]``), so the whole Jacobian travels at once through
    ``cells.*_step_backward``. After each step it is divided by its size, which is kept
    in logarithms, so nothing underflows before the true size leaves float64.

    Returns log sizes, arrays (T+1,) over the distance k: ``hidden`` of
    ``||dh_T/dh_{T-k}||_F / sqrt(H)``; ``cell`` (LSTM, else None) of
    ``||dh_T/dc_{T-k}||_F / sqrt(H)``; ``tanh`` (RNN, else None), the part of ``hidden``
    made by the slopes of tanh, ``1 - h**2`` (the rest is made by ``weight_hh``).
    """
    H, T = layer.hidden_size, inputs.shape[0]
    zeros = np.zeros((H, H))
    caches = step_caches(kind, layer, np.repeat(inputs[:, None, :], H, axis=1), zeros, zeros)
    log_h = np.full(T + 1, -np.inf)
    log_c = np.full(T + 1, -np.inf) if kind == "lstm" else None
    log_tanh = np.zeros(T + 1) if kind == "rnn" else None
    dh, dc, scale = np.eye(H), np.zeros((H, H)), 0.0  # scale: log of what dh, dc were divided by
    log_h[0] = 0.0
    with np.errstate(divide="ignore", under="ignore"):
        for k, cache in enumerate(reversed(caches)):  # the step at distance k
            if kind == "rnn":
                before = np.linalg.norm(dh)
                log_tanh[k + 1] = log_tanh[k] + np.log(
                    np.linalg.norm(dh * (1.0 - cache["h"] ** 2)) / before
                )
                dh = cells.rnn_step_backward(dh, cache)["h_prev"]
            elif kind == "lstm":
                # c_{T-k} reaches h_T along the cell-state line (dc) and through its own
                # step's output h_{T-k} = o * tanh(c_{T-k}) (dh): both paths.
                to_c = dc + dh * cache["o"] * (1.0 - cache["tanh_c"] ** 2)
                log_c[k] = scale + np.log(np.linalg.norm(to_c)) - 0.5 * np.log(H)
                grads = cells.lstm_step_backward(dh, dc, cache)
                dh, dc = grads["h_prev"], grads["c_prev"]
            else:
                dh = cells.gru_step_backward(dh, cache)["h_prev"]
            size = max(np.linalg.norm(dh), np.linalg.norm(dc))
            log_h[k + 1] = scale + np.log(np.linalg.norm(dh)) - 0.5 * np.log(H)
            if size == 0.0:  # vanished completely
                if kind == "rnn":
                    log_tanh[k + 2 :] = log_tanh[k + 1]
                break
            dh, dc, scale = dh / size, dc / size, scale + np.log(size)
        else:
            if kind == "lstm":  # c_0 only feeds step 1
                log_c[T] = scale + np.log(np.linalg.norm(dc)) - 0.5 * np.log(H)
    return log_h, log_c, log_tanh


def _sizes(log_size):
    with np.errstate(over="ignore", under="ignore"):
        return None if log_size is None else np.exp(log_size)


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


def gradient_norms_by_distance(
    kind: str,
    hidden_size: int = 16,
    length: int = 50,
    weight_scale: float = 1.0,
    keep_bias: float = 0.0,
    seed: int = 0,
    input_size: int = 4,
    *,
    forget_bias: float | None = None,
) -> GradientNorms:
    """Size of ``dh_T / dh_{T-k}`` for every distance k: does the gradient vanish?

    An untrained :func:`scaled_layer` (keep-gate bias ``keep_bias``; ``forget_bias`` is
    its deprecated old name) reads one random sequence x (T, 1, input_size),
    x ~ Normal(0, 1), T = ``length``. Backpropagation then walks back from the last
    hidden state one step at a time with ``cells.*_step_backward`` (the maths the
    layers run), multiplying by each step's Jacobian:

        dh_T/dh_{t-1} = dh_T/dh_t . dh_t/dh_{t-1}      (H, H) at every step

    For the LSTM the gradient reaches the cell state too: ``dh_T / dc_{T-k}`` (see
    :class:`GradientNorms` for which paths it counts).

    Returns :class:`GradientNorms` with arrays of shape (length+1,). Values too small
    for float64 come out as 0 (fully vanished).

    >>> rnn = gradient_norms_by_distance("rnn", hidden_size=8, length=20, weight_scale=0.5)
    >>> lstm = gradient_norms_by_distance("lstm", hidden_size=8, length=20, keep_bias=4.0)
    >>> bool(lstm.hidden[20] > 100 * rnn.hidden[20])
    True
    """
    kind = kind_name(kind)
    hidden_size = positive_int("hidden_size", hidden_size)
    length = positive_int("length", length)
    seed = nonnegative_int("seed", seed)
    keep_bias = _keep_bias(keep_bias, forget_bias)
    layer = scaled_layer(kind, input_size, hidden_size, weight_scale, keep_bias, seed)
    inputs = np.random.default_rng((seed, 1)).normal(size=(length, layer.input_size))
    log_h, log_c, _ = _walk_back(kind, layer, inputs)
    return GradientNorms(
        kind=kind,
        distance=np.arange(length + 1),
        hidden=_sizes(log_h),
        cell=_sizes(log_c),
        layer=layer,
        inputs=inputs,
    )


@dataclass(frozen=True)
class BackwardFactors:
    """Where the gradient of a tanh RNN goes as it travels back in time.

    Every array has shape (T+1,), indexed by the distance ``k`` = 0, 1, ..., T steps
    before the end:

    - ``gradient``: ``||dh_T / dh_{T-k}||_F / sqrt(H)``, the root-mean-square size of
      the gradient that a loss reading the last hidden state sends back ``k`` steps,
      relative to the size it started with (1 at k = 0);
    - ``from_tanh``: the part of that change made by the slopes of tanh,
      ``tanh'(a_t) = 1 - h_t**2`` (never more than 1, so never growing with k);
    - ``from_weights``: the part made by the recurrent weights ``weight_hh``.

    ``gradient == from_tanh * from_weights`` at every distance: one step back multiplies
    the gradient first by the slopes, then by ``weight_hh``, and each part records by
    how much that multiplication changed its size.
    """

    distance: np.ndarray
    gradient: np.ndarray
    from_tanh: np.ndarray
    from_weights: np.ndarray


def backward_factors(layer: RNN, x: ArrayLike) -> BackwardFactors:
    """Split the gradient's change over each distance into a tanh part and a weight part.

    ``layer`` is an :class:`~lstm_gru_course.layers.RNN`; ``x`` (T, 1, input_size) is
    one sequence, read from a zero state. The Jacobian ``J_k = dh_T / dh_{T-k}`` (H, H)
    is carried back one step at a time (the walk of :func:`gradient_norms_by_distance`):

        J_{k+1} = (J_k * (1 - h_{T-k}**2)) @ weight_hh      slopes of tanh, then weights

    The size change of each multiplication (ratio of Frobenius norms) is accumulated in
    logarithms, so neither part underflows before the gradient itself does. Returns a
    :class:`BackwardFactors`; a gradient that has vanished completely is 0 from then on.
    ``gradient`` is what :func:`gradient_norms_by_distance` reports as ``hidden``: given
    that function's ``.layer`` and ``.inputs[:, None, :]``, the two agree.

    >>> from lstm_gru_course.layers import RNN
    >>> parts = backward_factors(RNN(2, 3, seed=0), np.zeros((5, 1, 2)))
    >>> parts.gradient.shape, float(parts.gradient[0])
    ((6,), 1.0)
    """
    if not isinstance(layer, RNN):
        raise TypeError(
            "layer must be an RNN from lstm_gru_course.layers (a tanh RNN), "
            f"but received {describe(layer)}."
        )
    x = float_array("x", x, shape=(None, 1, layer.input_size), dtype=np.float64)
    if x.shape[0] == 0:
        raise ValueError(
            f"x must have shape (T, 1, {layer.input_size}) with T >= 1, "
            f"but received shape {x.shape}."
        )
    log_h, _, log_tanh = _walk_back("rnn", layer, x[:, 0, :])
    with np.errstate(invalid="ignore"):
        log_weights = np.where(np.isneginf(log_h), -np.inf, log_h - log_tanh)
    return BackwardFactors(
        distance=np.arange(x.shape[0] + 1),
        gradient=_sizes(log_h),
        from_tanh=_sizes(log_tanh),
        from_weights=_sizes(log_weights),
    )


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


def cell_state_gradient(layer: LSTM, x: ArrayLike, state=None) -> CellStateGradient:
    """``dc_t / dc_{t-1} = f_t`` along a sequence, and its product up to the end.

    Along the cell state, backpropagation only multiplies by the forget gate: no weight
    matrix, no squashing derivative. When f stays near 1 the product stays near 1 and
    the gradient survives many steps.

    ``layer`` is an ``LSTM``; x (T, B, input_size); ``state`` None or (h, c).

    >>> layer = scaled_layer("lstm", 2, 3, keep_bias=5.0)
    >>> path = cell_state_gradient(layer, np.zeros((10, 1, 2)))
    >>> bool(path.to_end[0].min() > 0.9)
    True
    """
    if not isinstance(layer, LSTM):
        hint = (
            " The GRU has no cell state; its direct path h_{t-1} -> h_t is scaled by "
            "the update gate: gate_activations(layer, x)['z']."
            if isinstance(layer, GRU)
            else ""
        )
        raise TypeError(f"layer must be an LSTM, but received {describe(layer)}.{hint}")
    forget = gate_activations(layer, x, state)["f"]
    to_end = np.ones((forget.shape[0] + 1,) + forget.shape[1:])
    with np.errstate(under="ignore"):
        for t in range(forget.shape[0] - 1, -1, -1):
            to_end[t] = to_end[t + 1] * forget[t]
    return CellStateGradient(forget_gate=forget, to_end=to_end)
