"""Recurrent layers over a whole sequence: ``RNN``, ``LSTM`` and ``GRU``, with BPTT.

The maths is exactly that of ``cells`` (same equations, PyTorch's layout and names), run
over T time steps and arranged for speed:

- the input projections ``x_t W_ih^T + b`` of all time steps are one matmul before the loop;
- each step does one fused matmul for all gates, into preallocated buffers, in place;
- sigmoid and tanh go through one ``exp``: the weight rows of each gate are scaled by -1
  (sigmoid gates) or -2 (tanh, as ``tanh(a) = 2 / (1 + exp(-2a)) - 1``) for the pass,
  which is exact in floating point, so ``1 / (1 + exp(.))`` gives every gate at once;
- backward precomputes the elementwise coefficients of a block of time steps at once
  (all of them when batch*hidden is small), loops with one matmul per step, and gathers
  the weight gradients of all time steps in one matmul after the loop.

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

from ._validate import choice, describe, float_array, float_dtype, nonnegative_int, positive_int

__all__ = ["RNN", "LSTM", "GRU"]

PARAM_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
# Elementwise work on a block of about this many numbers stays in cache; the backward
# coefficients are computed for as many time steps at once as fit in such a block.
_BLOCK = 16384


def _blocks(T, B, H):
    """Time blocks (start, stop), last first, of about ``_BLOCK / (B*H)`` steps each."""
    steps = max(1, _BLOCK // (B * H))
    return [(max(0, stop - steps), stop) for stop in range(T, 0, -steps)]


def _sigmoid_of_negated(a):
    """In place: ``a <- 1 / (1 + exp(a))``, i.e. sigmoid(-a); overflow gives exactly 0."""
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)


def _tanh_of_scaled(a, out):
    """``out <- tanh(-a/2)`` from ``a = -2 * pre-activation``: 2 / (1 + exp(a)) - 1."""
    np.exp(a, out=out)
    out += 1.0
    np.divide(2.0, out, out=out)
    out -= 1.0


# ---------------------------------------------------------------- RNN kernels


def _rnn_forward(X, states, W_ih, W_hh, b_ih, b_hh):
    T, B, _ = X.shape
    H = W_hh.shape[0]
    Wx, Wh, bias = -2.0 * W_ih, -2.0 * W_hh, -2.0 * (b_ih + b_hh)
    A = np.matmul(X.reshape(T * B, -1), Wx.T).reshape(T, B, H)
    A += bias
    hs = np.empty((T + 1, B, H), X.dtype)
    hs[0] = states[0]
    for t in range(T):
        h = hs[t + 1]
        np.matmul(hs[t], Wh.T, out=h)
        h += A[t]
        _tanh_of_scaled(h, h)
    return hs, {"X": X, "hs": hs}


def _rnn_backward(cache, d_outputs, d_states, W_ih, W_hh):
    X, hs = cache["X"], cache["hs"]
    T, B, _ = X.shape
    H = W_hh.shape[0]
    dA = np.empty((T, B, H), X.dtype)
    dh = d_states[0].copy()
    for start, stop in _blocks(T, B, H):
        K = hs[start + 1:stop + 1] ** 2
        np.subtract(1.0, K, out=K)                      # tanh'(a) = 1 - h**2
        for t in range(stop - 1, start - 1, -1):
            if d_outputs is not None:
                dh += d_outputs[t]
            np.multiply(dh, K[t - start], out=dA[t])
            np.matmul(dA[t], W_hh, out=dh)
    dA2 = dA.reshape(T * B, H)
    db = dA2.sum(axis=0)
    grads = {"weight_ih": dA2.T @ X.reshape(T * B, -1),
             "weight_hh": dA2.T @ hs[:-1].reshape(T * B, H), "bias_ih": db, "bias_hh": db}
    return (dA2 @ W_ih).reshape(X.shape), [dh], grads


# ---------------------------------------------------------------- LSTM kernels


def _lstm_forward(X, states, W_ih, W_hh, b_ih, b_hh):
    T, B, _ = X.shape
    H = W_hh.shape[1]
    scale = np.full((4 * H, 1), -1.0, X.dtype)
    scale[2 * H:3 * H] = -2.0                            # g is a tanh: exp(-2a)
    Wx, Wh, bias = W_ih * scale, W_hh * scale, (b_ih + b_hh) * scale[:, 0]
    A = np.matmul(X.reshape(T * B, -1), Wx.T).reshape(T, B, 4 * H)
    A += bias
    hs = np.empty((T + 1, B, H), X.dtype)
    cs = np.empty((T + 1, B, H), X.dtype)
    tanh_cs = np.empty((T, B, H), X.dtype)
    hs[0], cs[0] = states
    hidden = np.empty((B, 4 * H), X.dtype)
    ig = np.empty((B, H), X.dtype)
    for t in range(T):
        a = A[t]
        np.matmul(hs[t], Wh.T, out=hidden)
        a += hidden
        _sigmoid_of_negated(a)                           # i, f, o; and sigmoid(2 a_g)
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        g *= 2.0
        g -= 1.0                                         # g = tanh(a_g)
        c = cs[t + 1]
        np.multiply(f, cs[t], out=c)
        np.multiply(i, g, out=ig)
        c += ig                                          # c = f*c_prev + i*g
        np.tanh(c, out=tanh_cs[t])
        np.multiply(o, tanh_cs[t], out=hs[t + 1])        # h = o*tanh(c)
    return (hs, cs), {"X": X, "hs": hs, "cs": cs, "gates": A, "tanh_cs": tanh_cs}


def _lstm_backward(cache, d_outputs, d_states, W_ih, W_hh):
    X, hs, cs, A, tanh_cs = (cache[k] for k in ("X", "hs", "cs", "gates", "tanh_cs"))
    T, B, _ = X.shape
    H = hs.shape[2]
    dA = np.empty((T, B, 4 * H), X.dtype)
    dA4 = dA.reshape(T, B, 4, H)
    dh, dc = d_states[0].copy(), d_states[1].copy()
    tmp = np.empty((B, H), X.dtype)
    for start, stop in _blocks(T, B, H):
        a = A[start:stop]
        i, f, g, o = a[..., :H], a[..., H:2 * H], a[..., 2 * H:3 * H], a[..., 3 * H:]
        tc, c_prev = tanh_cs[start:stop], cs[start:stop]
        K = np.empty((stop - start, B, 4, H), X.dtype)   # da = [dc, dc, dc, dh] * K
        K[:, :, 0] = g * i * (1.0 - i)
        K[:, :, 1] = c_prev * f * (1.0 - f)
        K[:, :, 2] = i * (1.0 - g * g)
        K[:, :, 3] = tc * o * (1.0 - o)
        K_c = o * (1.0 - tc * tc)                         # dc += dh * o * tanh'(c)
        for t in range(stop - 1, start - 1, -1):
            k = t - start
            if d_outputs is not None:
                dh += d_outputs[t]
            np.multiply(dh, K[k, :, 3], out=dA4[t, :, 3])
            np.multiply(dh, K_c[k], out=tmp)
            dc += tmp
            np.multiply(dc[:, None, :], K[k, :, :3], out=dA4[t, :, :3])
            dc *= f[k]                                    # dc_prev = dc * f
            np.matmul(dA[t], W_hh, out=dh)
    dA2 = dA.reshape(T * B, 4 * H)
    db = dA2.sum(axis=0)
    grads = {"weight_ih": dA2.T @ X.reshape(T * B, -1),
             "weight_hh": dA2.T @ hs[:-1].reshape(T * B, H), "bias_ih": db, "bias_hh": db}
    return (dA2 @ W_ih).reshape(X.shape), [dh, dc], grads


# ---------------------------------------------------------------- GRU kernels


def _gru_forward(X, states, W_ih, W_hh, b_ih, b_hh, reset):
    T, B, _ = X.shape
    H = W_hh.shape[1]
    scale = np.full((3 * H, 1), -1.0, X.dtype)
    scale[2 * H:] = -2.0                                 # n is a tanh: exp(-2a)
    Wx, Wh = W_ih * scale, W_hh * scale
    b_x, b_h = b_ih * scale[:, 0], b_hh * scale[:, 0]
    AX = np.matmul(X.reshape(T * B, -1), Wx.T).reshape(T, B, 3 * H)
    AX += b_x
    AX[..., :2 * H] += b_h[:2 * H]
    hs = np.empty((T + 1, B, H), X.dtype)
    hs[0] = states[0]
    inner = np.empty((T, B, H), X.dtype)                 # W_hn h + b_hn, or r * h (scaled)
    hidden = np.empty((B, 3 * H), X.dtype)
    tmp = np.empty((B, H), X.dtype)
    Wh_rz, Wh_n, b_hn = Wh[:2 * H], Wh[2 * H:], b_h[2 * H:]
    if reset == "before":
        AX[..., 2 * H:] += b_hn
    for t in range(T):
        a = AX[t]
        h_prev = hs[t]
        if reset == "after":
            np.matmul(h_prev, Wh.T, out=hidden)
            a[:, :2 * H] += hidden[:, :2 * H]
        else:
            np.matmul(h_prev, Wh_rz.T, out=hidden[:, :2 * H])
            a[:, :2 * H] += hidden[:, :2 * H]
        _sigmoid_of_negated(a[:, :2 * H])                # r, z
        r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
        if reset == "after":
            np.add(hidden[:, 2 * H:], b_hn, out=inner[t])
            np.multiply(r, inner[t], out=tmp)
        else:
            np.multiply(r, h_prev, out=inner[t])
            np.matmul(inner[t], Wh_n.T, out=tmp)
        n += tmp
        _tanh_of_scaled(n, n)
        np.subtract(h_prev, n, out=tmp)
        tmp *= z
        np.add(n, tmp, out=hs[t + 1])                    # h = (1-z)*n + z*h_prev
    return (hs,), {"X": X, "hs": hs, "gates": AX, "inner": inner, "reset": reset}


def _gru_backward(cache, d_outputs, d_states, W_ih, W_hh):
    X, hs, AX, inner, reset = (cache[k] for k in ("X", "hs", "gates", "inner", "reset"))
    T, B, _ = X.shape
    H = hs.shape[2]
    dA = np.empty((T, B, 3 * H), X.dtype)                # d pre-activations, hidden side
    dA3 = dA.reshape(T, B, 3, H)
    dH = np.empty((T, B, H), X.dtype)                    # dLoss/dh_t, all t
    dh = d_states[0].copy()
    tmp = np.empty((B, H), X.dtype)
    d_rh = np.empty((B, H), X.dtype)
    W_hrz, W_hn = W_hh[:2 * H], W_hh[2 * H:]
    for start, stop in _blocks(T, B, H):
        a = AX[start:stop]
        r, z, n = a[..., :H], a[..., H:2 * H], a[..., 2 * H:]
        h_prev = hs[start:stop]
        K_n = (1.0 - z) * (1.0 - n * n)                   # dA_n = dh * K_n
        K = np.empty((stop - start, B, 3, H), X.dtype)
        K[:, :, 1] = (h_prev - n) * z * (1.0 - z)
        if reset == "after":                              # inner = -2 (W_hn h + b_hn)
            K[:, :, 0] = K_n * (-0.5 * inner[start:stop]) * r * (1.0 - r)
            K[:, :, 2] = K_n * r
        else:
            K[:, :, 0] = h_prev * r * (1.0 - r)           # times d(r*h) = dA_n W_hn
            K[:, :, 2] = K_n
        for t in range(stop - 1, start - 1, -1):
            k = t - start
            if d_outputs is not None:
                dh += d_outputs[t]
            dH[t] = dh
            if reset == "after":
                np.multiply(dh[:, None, :], K[k], out=dA3[t])
                np.multiply(dh, z[k], out=tmp)
                np.matmul(dA[t], W_hh, out=dh)
            else:
                np.multiply(dh[:, None, :], K[k, :, 1:], out=dA3[t, :, 1:])
                np.matmul(dA3[t, :, 2], W_hn, out=d_rh)
                np.multiply(d_rh, K[k, :, 0], out=dA3[t, :, 0])
                np.multiply(dh, z[k], out=tmp)
                d_rh *= r[k]
                tmp += d_rh
                np.matmul(dA[t, :, :2 * H], W_hrz, out=dh)
            dh += tmp
    dA2 = dA.reshape(T * B, 3 * H)
    X2, Hp = X.reshape(T * B, -1), hs[:-1].reshape(T * B, H)
    if reset == "after":
        dAx = dA.copy()
        z, n = AX[..., H:2 * H], AX[..., 2 * H:]
        np.multiply(dH, (1.0 - z) * (1.0 - n * n), out=dAx[..., 2 * H:])
        dAx2 = dAx.reshape(T * B, 3 * H)
        dW_hh = dA2.T @ Hp
        db_hh = dA2.sum(axis=0)
    else:
        dAx2 = dA2
        dW_hh = np.concatenate([dA2[:, :2 * H].T @ Hp,
                                dA2[:, 2 * H:].T @ inner.reshape(T * B, H)])
        db_hh = dA2.sum(axis=0)
    grads = {"weight_ih": dAx2.T @ X2, "weight_hh": dW_hh,
             "bias_ih": dAx2.sum(axis=0), "bias_hh": db_hh}
    return (dAx2 @ W_ih).reshape(X.shape), [dh], grads


# ---------------------------------------------------------------- the layers


class _Recurrent:
    """What the three layers share: parameters, input checks, state_dict, forward/backward."""

    _gates = 1
    _state_names = ("h",)

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64):
        self.input_size = positive_int("input_size", input_size)
        self.hidden_size = positive_int("hidden_size", hidden_size)
        self.dtype = float_dtype("dtype", dtype)
        rng = np.random.default_rng(nonnegative_int("seed", seed))
        bound = 1.0 / np.sqrt(self.hidden_size)
        self.params = {name: rng.uniform(-bound, bound, shape).astype(self.dtype)
                       for name, shape in self._shapes().items()}
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self.d_initial_state = None
        self._cache = None

    def _shapes(self):
        GH, I, H = self._gates * self.hidden_size, self.input_size, self.hidden_size
        return {"weight_ih": (GH, I), "weight_hh": (GH, H), "bias_ih": (GH,), "bias_hh": (GH,)}

    def _extra_repr(self):
        return ""

    def __repr__(self):
        return (f"{type(self).__name__}(input_size={self.input_size}, "
                f"hidden_size={self.hidden_size}{self._extra_repr()}, dtype={self.dtype.name})")

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
                f"state_dict must be a dict of name -> numpy array, but received {describe(state_dict)}."
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
            found[name] = float_array(f"state_dict[{key!r}]", value, shape=shapes[name],
                                      dtype=self.dtype)
        missing = [n + "_l0" for n in PARAM_NAMES if n not in found]
        if missing:
            raise ValueError(f"state_dict is missing the keys {missing}.")
        for name, value in found.items():
            target = self.params.get(name)
            if (isinstance(target, np.ndarray) and target.shape == value.shape
                    and target.dtype == self.dtype and target.flags.writeable):
                np.copyto(target, value)
            else:
                self.params[name] = value.copy()

    # -------------------------------------------------------- checks

    def _checked_params(self):
        if not isinstance(self.params, dict):
            raise TypeError(f"params must be a dict of arrays, but is {describe(self.params)}.")
        out = []
        for name, shape in self._shapes().items():
            if name not in self.params:
                raise ValueError(f"params is missing {name!r}; expected the keys {list(PARAM_NAMES)}.")
            out.append(float_array(f"params[{name!r}]", self.params[name], shape=shape,
                                   dtype=self.dtype))
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
        with np.errstate(over="ignore", under="ignore"):   # exp(±large) -> inf / 0 is exact here
            sequences, cache = self._forward(x, states, *params)
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
            d_outputs = float_array("d_outputs", d_outputs, shape=(T, B, self.hidden_size),
                                    dtype=self.dtype)
        d_states = self._checked_states("d_state", d_state, B, allow_none_entries=True)
        params = self._checked_params()
        with np.errstate(under="ignore"):
            dx, d_initial, grads = self._backward(self._cache, d_outputs, d_states,
                                                  params[0], params[1])
        for name, value in grads.items():
            target = self.grads.get(name)
            if (isinstance(target, np.ndarray) and target.shape == value.shape
                    and target.dtype == self.dtype and target.flags.writeable):
                np.copyto(target, value)
            else:
                self.grads[name] = np.array(value, dtype=self.dtype)
        self.d_initial_state = tuple(d_initial) if len(d_initial) > 1 else d_initial[0]
        return dx


class RNN(_Recurrent):
    """Elman RNN with tanh: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``.

    ``RNN(input_size, hidden_size, seed=0, dtype=np.float64)``; parameters (PyTorch
    layout and init, uniform in ±1/sqrt(H)): weight_ih (H, I), weight_hh (H, H),
    bias_ih (H,), bias_hh (H,). x (T, B, I) -> outputs (T, B, H), final h (B, H).

    >>> outputs, h = RNN(3, 4).forward(np.zeros((5, 2, 3)))
    >>> outputs.shape, h.shape
    ((5, 2, 4), (2, 4))
    """

    _gates = 1

    def _forward(self, X, states, W_ih, W_hh, b_ih, b_hh):
        hs, cache = _rnn_forward(X, states, W_ih, W_hh, b_ih, b_hh)
        return (hs,), cache

    def _backward(self, cache, d_outputs, d_states, W_ih, W_hh):
        return _rnn_backward(cache, d_outputs, d_states, W_ih, W_hh)


class LSTM(_Recurrent):
    """Long short-term memory over a sequence (equations in ``cells.lstm_step``).

        [i f g o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh, through sigmoid/tanh
        c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)

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
        return _lstm_forward(X, states, W_ih, W_hh, b_ih, b_hh)

    def _backward(self, cache, d_outputs, d_states, W_ih, W_hh):
        return _lstm_backward(cache, d_outputs, d_states, W_ih, W_hh)


class GRU(_Recurrent):
    """Gated recurrent unit over a sequence (equations in ``cells.gru_step``).

        r, z = sigmoid(x_t W_i[rz]^T + b_i[rz] + h_{t-1} W_h[rz]^T + b_h[rz])
        reset="after" (PyTorch, default): n = tanh(x_t W_in^T + b_in + r * (h_{t-1} W_hn^T + b_hn))
        reset="before" (Cho et al. 2014): n = tanh(x_t W_in^T + b_in + (r * h_{t-1}) W_hn^T + b_hn)
        h_t = (1 - z) * n + z * h_{t-1}

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
        return _gru_forward(X, states, W_ih, W_hh, b_ih, b_hh, self.reset)

    def _backward(self, cache, d_outputs, d_states, W_ih, W_hh):
        return _gru_backward(cache, d_outputs, d_states, W_ih, W_hh)
