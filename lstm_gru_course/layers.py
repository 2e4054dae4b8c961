"""Recurrent layers over a whole sequence: ``RNN``, ``LSTM`` and ``GRU``, with BPTT.

The maths is exactly that of ``cells`` (same equations in the row form
``x_t W_ih^T + h_{t-1} W_hh^T``, PyTorch's layout and names), run over T time steps.
This module holds what a learner uses: the parameters, input checks, ``state_dict`` /
``load_state_dict``, ``forward`` and ``backward``. The loops themselves, arranged for
speed, live in ``_kernels`` (its docstring lists the tricks).

Shapes (time-major): x (T, B, I) -> outputs (T, B, H); states (B, H).

    >>> layer = LSTM(input_size=3, hidden_size=4, seed=0)
    >>> x = np.random.default_rng(1).normal(size=(5, 2, 3))     # T=5, B=2, I=3
    >>> outputs, (h, c) = layer.forward(x)
    >>> dx = layer.backward(np.ones_like(outputs))
    >>> outputs.shape, dx.shape, layer.grads["weight_hh"].shape
    ((5, 2, 4), (5, 2, 3), (16, 4))
"""

from __future__ import annotations

import numpy as np

from . import _kernels
from ._validate import (
    choice,
    describe,
    finite_result,
    float_array,
    float_dtype,
    nonnegative_int,
    positive_int,
)

__all__ = ["RNN", "LSTM", "GRU"]

PARAM_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _uniform_params(shapes, fan, seed, dtype):
    """Parameters drawn from U(-1/sqrt(fan), 1/sqrt(fan)) as PyTorch does, and zero grads.

    ``shapes`` maps name -> shape; ``seed`` an int, ``dtype`` a checked float dtype.
    Returns ``(params, grads)``. Shared by the recurrent layers and ``train.Linear``.
    """
    rng = np.random.default_rng(nonnegative_int("seed", seed))
    bound = 1.0 / np.sqrt(fan)
    params = {
        name: rng.uniform(-bound, bound, shape).astype(dtype) for name, shape in shapes.items()
    }
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    return params, grads


def _store(store, name, value, dtype):
    """Put ``value`` in ``store[name]``: copied into the array already there when it fits
    (same shape and dtype, writeable), so views an optimizer holds stay valid; else a new
    array of ``dtype``."""
    target = store.get(name)
    if (
        isinstance(target, np.ndarray)
        and target.shape == value.shape
        and target.dtype == dtype
        and target.flags.writeable
    ):
        np.copyto(target, value)
    else:
        store[name] = np.array(value, dtype=dtype)


class _Recurrent:
    """What the three layers share: parameters, input checks, state_dict, forward/backward."""

    _gates = 1
    _state_names = ("h",)

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64):
        self.input_size = positive_int("input_size", input_size)
        self.hidden_size = positive_int("hidden_size", hidden_size)
        self.dtype = float_dtype("dtype", dtype)
        self.params, self.grads = _uniform_params(
            self._shapes(), self.hidden_size, seed, self.dtype
        )
        self.d_initial_state = None
        self._cache = None

    def _shapes(self):
        GH, I, H = self._gates * self.hidden_size, self.input_size, self.hidden_size
        return {"weight_ih": (GH, I), "weight_hh": (GH, H), "bias_ih": (GH,), "bias_hh": (GH,)}

    def _extra_repr(self):
        return ""

    def __repr__(self):
        return (
            f"{type(self).__name__}(input_size={self.input_size}, "
            f"hidden_size={self.hidden_size}{self._extra_repr()}, dtype={self.dtype.name})"
        )

    # -------------------------------------------------------- weights in and out

    def state_dict(self):
        """Copies of the parameters under PyTorch's names (``weight_ih_l0``, ...).

        Load into torch with
        ``torch_layer.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})``.
        """
        return {f"{name}_l0": self.params[name].copy() for name in PARAM_NAMES}

    def load_state_dict(self, state_dict):
        """Copy weights into ``params`` in place from a PyTorch-style dict of numpy arrays.

        Keys: ``weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0`` (the ``_l0`` may be
        left out). From torch: ``layer.load_state_dict({k: v.detach().numpy() for k, v in
        torch_layer.state_dict().items()})`` (single layer, unidirectional).
        """
        if not isinstance(state_dict, dict):
            raise TypeError(
                "state_dict must be a dict of name -> numpy array, "
                f"but received {describe(state_dict)}."
            )
        shapes, found = self._shapes(), {}
        for key, value in state_dict.items():
            name = key[:-3] if isinstance(key, str) and key.endswith("_l0") else key
            if name not in shapes:
                raise ValueError(
                    f"state_dict has the unexpected key {key!r}; expected the keys "
                    f"{[n + '_l0' for n in PARAM_NAMES]} (one layer, one direction)."
                )
            if name in found:
                raise ValueError(f"state_dict gives {name!r} twice (with and without '_l0').")
            found[name] = float_array(
                f"state_dict[{key!r}]", value, shape=shapes[name], dtype=self.dtype
            )
        missing = [n + "_l0" for n in PARAM_NAMES if n not in found]
        if missing:
            raise ValueError(f"state_dict is missing the keys {missing}.")
        for name, value in found.items():
            _store(self.params, name, value, self.dtype)

    # -------------------------------------------------------- checks

    def _checked_params(self):
        if not isinstance(self.params, dict):
            raise TypeError(f"params must be a dict of arrays, but is {describe(self.params)}.")
        out = []
        for name, shape in self._shapes().items():
            if name not in self.params:
                raise ValueError(
                    f"params is missing {name!r}; expected the keys {list(PARAM_NAMES)}."
                )
            out.append(
                float_array(f"params[{name!r}]", self.params[name], shape=shape, dtype=self.dtype)
            )
        return out

    def _checked_states(self, argument, value, batch, allow_none_entries):
        """Turn ``state`` / ``d_state`` into a list of (B, H) arrays (zeros where None)."""
        shape, n = (batch, self.hidden_size), len(self._state_names)
        if value is None:
            return [np.zeros(shape, self.dtype) for _ in range(n)]
        if n == 1:
            values, names = [value], [argument]
        else:
            if not isinstance(value, (tuple, list)) or len(value) != n:
                raise TypeError(
                    f"{argument} must be a tuple (h, c) of two arrays of shape (B, H) = "
                    f"{shape}, but received {describe(value)}."
                )
            values = list(value)
            names = [f"{argument}[{k}] ({s})" for k, s in enumerate(self._state_names)]
        out = []
        for name, v in zip(names, values):
            if v is None and allow_none_entries:
                out.append(np.zeros(shape, self.dtype))
            else:
                out.append(np.array(float_array(name, v, shape=shape, dtype=self.dtype)))
        return out

    def _named(self, states, argument):
        if len(states) == 1:
            return {argument: states[0]}
        return {
            f"{argument}[{k}] ({s})": v for k, (s, v) in enumerate(zip(self._state_names, states))
        }

    @staticmethod
    def _named_params(params):
        return {f"params[{name!r}]": value for name, value in zip(PARAM_NAMES, params)}

    # -------------------------------------------------------- forward and backward

    def forward(self, x, state=None):
        """Run the layer over a sequence: ``outputs, state = layer.forward(x, state=None)``.

        x: (T, B, input_size). state: the initial state, zeros when None; (B, H) for RNN
        and GRU, a tuple (h, c) for LSTM. Returns outputs (T, B, H), the hidden state
        at every step, and the final state in the same form as ``state``. Both are
        read-only views of the cache that ``backward`` uses.
        """
        x = float_array("x", x, shape=(None, None, self.input_size), dtype=self.dtype)
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(
                f"x must have shape (T, B, {self.input_size}) with T >= 1 and B >= 1, "
                f"but received shape {x.shape}."
            )
        states = self._checked_states("state", state, x.shape[1], allow_none_entries=False)
        params = self._checked_params()
        self._cache = None
        with np.errstate(all="ignore"):  # exp(±large) -> inf / 0 is exact here; NaN checked below
            sequences, cache = self._forward(x, states, *params)
        # Inputs are finite, so a NaN or inf here is an overflow: say so, once per call.
        finite_result(
            f"{type(self).__name__}.forward",
            sequences,
            {"x": x, **self._named(states, "state"), **self._named_params(params)},
        )
        self._cache = cache
        views = []
        for seq in sequences:
            views.append(seq[1:])
            views[-1].flags.writeable = False
        final = tuple(v[-1] for v in views)
        return views[0], (final if len(final) > 1 else final[0])

    def backward(self, d_outputs=None, d_state=None):
        """Backpropagate through time: ``dx = layer.backward(d_outputs, d_state=None)``.

        d_outputs: dLoss/d outputs, (T, B, H), or None when the loss reads only the final
        state. d_state: dLoss/d final state, same form as the state (None = zeros; for
        the LSTM either entry of the tuple may be None). Returns dx (T, B, input_size);
        fills ``grads`` (overwritten, not accumulated) and ``d_initial_state``.
        """
        if self._cache is None:
            raise RuntimeError(
                "backward() needs the cache of a forward() pass: call layer.forward(x) first."
            )
        T, B = self._cache["X"].shape[:2]
        if d_outputs is not None:
            d_outputs = float_array(
                "d_outputs", d_outputs, shape=(T, B, self.hidden_size), dtype=self.dtype
            )
        d_states = self._checked_states("d_state", d_state, B, allow_none_entries=True)
        params = self._checked_params()
        with np.errstate(all="ignore"):
            dx, d_initial, grads = self._backward(
                self._cache, d_outputs, d_states, params[0], params[1]
            )
        finite_result(
            f"{type(self).__name__}.backward",
            [dx, *d_initial, *grads.values()],
            {
                "d_outputs": d_outputs,
                **self._named(d_states, "d_state"),
                "x (of the forward pass)": self._cache.get("X"),
                **self._named_params(params),
            },
        )
        for name, value in grads.items():
            _store(self.grads, name, value, self.dtype)
        self.d_initial_state = tuple(d_initial) if len(d_initial) > 1 else d_initial[0]
        return dx


class RNN(_Recurrent):
    """Elman RNN with tanh: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``.

    x_t (B, I), h_{t-1} and h_t (B, H), W_ih = weight_ih, W_hh = weight_hh.

    ``RNN(input_size, hidden_size, seed=0, dtype=np.float64)``; parameters (PyTorch
    layout and init, uniform in ±1/sqrt(H)): weight_ih (H, I), weight_hh (H, H),
    bias_ih (H,), bias_hh (H,). x (T, B, I) -> outputs (T, B, H), final h (B, H).

    >>> outputs, h = RNN(3, 4).forward(np.zeros((5, 2, 3)))
    >>> outputs.shape, h.shape
    ((5, 2, 4), (2, 4))
    """

    _gates = 1

    def _forward(self, X, states, W_ih, W_hh, b_ih, b_hh):
        return _kernels.rnn_forward(X, states, W_ih, W_hh, b_ih, b_hh)

    def _backward(self, cache, d_outputs, d_states, W_ih, W_hh):
        return _kernels.rnn_backward(cache, d_outputs, d_states, W_ih, W_hh)


class LSTM(_Recurrent):
    """Long short-term memory over a sequence (equations in ``cells.lstm_step``).

        a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh       (B, 4H), blocks i, f, g, o
        i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o);  g = tanh(a_g)   each (B, H)
        c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)                  each (B, H)

    x_t (B, I), h_{t-1} and c_{t-1} (B, H), W_ih = weight_ih, W_hh = weight_hh.

    ``LSTM(input_size, hidden_size, seed=0, dtype=np.float64)``; parameters (PyTorch
    layout and init, gate blocks i, f, g, o): weight_ih (4H, I), weight_hh (4H, H),
    bias_ih (4H,), bias_hh (4H,). x (T, B, I) -> outputs (T, B, H), final (h, c).

    >>> outputs, (h, c) = LSTM(3, 4).forward(np.zeros((5, 2, 3)))
    >>> outputs.shape, c.shape
    ((5, 2, 4), (2, 4))
    """

    _gates = 4
    _state_names = ("h", "c")

    def _forward(self, X, states, W_ih, W_hh, b_ih, b_hh):
        return _kernels.lstm_forward(X, states, W_ih, W_hh, b_ih, b_hh)

    def _backward(self, cache, d_outputs, d_states, W_ih, W_hh):
        return _kernels.lstm_backward(cache, d_outputs, d_states, W_ih, W_hh)


class GRU(_Recurrent):
    """Gated recurrent unit over a sequence (equations in ``cells.gru_step``).

        r = sigmoid(x_t W_ir^T + b_ir + h_{t-1} W_hr^T + b_hr)                  (B, H)
        z = sigmoid(x_t W_iz^T + b_iz + h_{t-1} W_hz^T + b_hz)                  (B, H)
        reset="after" (PyTorch, default):
            n = tanh(x_t W_in^T + b_in + r * (h_{t-1} W_hn^T + b_hn))           (B, H)
        reset="before" (Cho et al. 2014):
            n = tanh(x_t W_in^T + b_in + (r * h_{t-1}) W_hn^T + b_hn)           (B, H)
        h_t = (1 - z) * n + z * h_{t-1}                                          (B, H)

    x_t (B, I), h_{t-1} (B, H); W_ir, W_iz, W_in (H, I) are the row blocks of weight_ih,
    W_hr, W_hz, W_hn (H, H) those of weight_hh, b_ir ... b_hn the blocks of the biases.

    ``GRU(input_size, hidden_size, seed=0, dtype=np.float64, reset="after")``;
    parameters (PyTorch layout and init, gate blocks r, z, n): weight_ih (3H, I),
    weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,). x (T, B, I) -> outputs (T, B, H),
    final h (B, H).

    >>> outputs, h = GRU(3, 4, reset="before").forward(np.zeros((5, 2, 3)))
    >>> outputs.shape
    (5, 2, 4)
    """

    _gates = 3

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64, reset="after"):
        self.reset = choice("reset", reset, ("after", "before"))
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)

    def _extra_repr(self):
        return f", reset={self.reset!r}"

    def _forward(self, X, states, W_ih, W_hh, b_ih, b_hh):
        return _kernels.gru_forward(X, states, W_ih, W_hh, b_ih, b_hh, self.reset)

    def _backward(self, cache, d_outputs, d_states, W_ih, W_hh):
        return _kernels.gru_backward(cache, d_outputs, d_states, W_ih, W_hh)
