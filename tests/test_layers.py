import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_gru_course.cells import gru_step, lstm_step, rnn_step
from lstm_gru_course.gradcheck import gradcheck
from lstm_gru_course.layers import GRU, LSTM, RNN

KINDS = {
    "rnn": lambda I, H, **kw: RNN(I, H, **kw),
    "lstm": lambda I, H, **kw: LSTM(I, H, **kw),
    "gru_after": lambda I, H, **kw: GRU(I, H, reset="after", **kw),
    "gru_before": lambda I, H, **kw: GRU(I, H, reset="before", **kw),
}


def n_states(layer):
    return 2 if isinstance(layer, LSTM) else 1


def pack(layer, arrays):
    """A list of (B, H) arrays -> the layer's state form (array, or tuple for LSTM)."""
    return tuple(arrays) if n_states(layer) == 2 else arrays[0]


def unpack(layer, state):
    return list(state) if n_states(layer) == 2 else [state]


def cell_outputs(layer, x, states):
    """Run the cell functions step by step: the readable reference for the layer."""
    h, c = states[0], (states[1] if len(states) == 2 else None)
    outputs = []
    for x_t in x:
        if isinstance(layer, LSTM):
            h, c, _ = lstm_step(x_t, h, c, **layer.params)
        elif isinstance(layer, GRU):
            h, _ = gru_step(x_t, h, **layer.params, reset=layer.reset)
        else:
            h, _ = rnn_step(x_t, h, **layer.params)
        outputs.append(h)
    return np.array(outputs), [h] if c is None else [h, c]


# ------------------------------------------------------------------ exactness


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=6, deadline=None)
@given(
    T=st.integers(1, 4),
    B=st.integers(1, 3),
    I=st.integers(1, 3),
    H=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    read_outputs=st.booleans(),
    read_state=st.booleans(),
)
def test_every_gradient_matches_central_differences(
    kind, T, B, I, H, seed, read_outputs, read_state
):
    rng = np.random.default_rng(seed)
    layer = KINDS[kind](I, H, seed=seed)
    x = rng.normal(size=(T, B, I))
    states = [rng.normal(size=(B, H)) for _ in range(n_states(layer))]
    w_out = rng.normal(size=(T, B, H)) if read_outputs or not read_state else None
    w_state = [rng.normal(size=(B, H)) for _ in states] if read_state else None

    def loss():
        outputs, final = layer.forward(x, pack(layer, states))
        value = float((outputs * w_out).sum()) if w_out is not None else 0.0
        if w_state is not None:
            value += sum(float((s * w).sum()) for s, w in zip(unpack(layer, final), w_state))
        return value

    loss()
    dx = layer.backward(w_out, None if w_state is None else pack(layer, w_state))
    inputs = {**layer.params, "x": x, **{f"initial_state[{k}]": s for k, s in enumerate(states)}}
    analytic = {
        **{k: v.copy() for k, v in layer.grads.items()},
        "x": dx,
        **{f"initial_state[{k}]": d for k, d in enumerate(unpack(layer, layer.d_initial_state))},
    }
    result = gradcheck(loss, inputs, analytic)
    assert result.passed, result


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=5, deadline=None)
@given(
    T=st.integers(1, 6),
    B=st.integers(1, 4),
    I=st.integers(1, 5),
    H=st.integers(1, 6),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_layer_agrees_with_the_cells(kind, T, B, I, H, seed, dtype):
    rng = np.random.default_rng(seed)
    layer = KINDS[kind](I, H, seed=seed, dtype=dtype)
    x = rng.normal(size=(T, B, I)).astype(dtype)
    states = [rng.normal(size=(B, H)).astype(dtype) for _ in range(n_states(layer))]
    outputs, final = layer.forward(x, pack(layer, states))
    ref_outputs, ref_final = cell_outputs(layer, x, states)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    assert outputs.dtype == dtype
    np.testing.assert_allclose(outputs, ref_outputs, rtol=0, atol=tol)
    for ours, ref in zip(unpack(layer, final), ref_final):
        np.testing.assert_allclose(ours, ref, rtol=0, atol=tol)


@pytest.mark.parametrize("kind", list(KINDS))
def test_saturated_gates_stay_finite_in_float32(kind):
    layer = KINDS[kind](3, 4, seed=0, dtype=np.float32)
    for value in layer.params.values():
        value *= 1e4  # pre-activations far beyond ±88
    x = np.random.default_rng(0).normal(size=(5, 2, 3)).astype(np.float32)
    with np.errstate(all="raise"):
        outputs, _ = layer.forward(x)
        dx = layer.backward(np.ones_like(outputs))
    assert np.isfinite(outputs).all() and np.isfinite(dx).all()
    assert np.abs(outputs).max() <= 1.0


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_batch_is_the_sum_of_its_parts(kind):
    """Examples of a batch run independently: running a part of the batch alone gives
    the same outputs and input gradients, and parameter gradients add up."""
    H, B = 8, 6
    rng = np.random.default_rng(7)
    layer = KINDS[kind](2, H, seed=7)
    x, d_out = rng.normal(size=(3, B, 2)), rng.normal(size=(3, B, H))
    whole, _ = layer.forward(x)
    dx = layer.backward(d_out)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    d_initial = unpack(layer, layer.d_initial_state)
    parts = (slice(0, 1), slice(1, B))  # batch 1 has its own code path
    summed = {k: np.zeros_like(v) for k, v in grads.items()}
    for part in parts:
        outputs, _ = layer.forward(x[:, part])
        np.testing.assert_allclose(outputs, whole[:, part], rtol=0, atol=1e-14)
        np.testing.assert_allclose(layer.backward(d_out[:, part]), dx[:, part], rtol=0, atol=1e-13)
        for ours, full in zip(unpack(layer, layer.d_initial_state), d_initial):
            np.testing.assert_allclose(ours, full[part], rtol=0, atol=1e-13)
        for k in summed:
            summed[k] += layer.grads[k]
    for k in summed:
        np.testing.assert_allclose(summed[k], grads[k], rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ API behaviour


@pytest.mark.parametrize("kind", list(KINDS))
def test_init_is_pytorch_like_and_seeded(kind):
    layer = KINDS[kind](5, 16, seed=3)
    G = {"rnn": 1, "lstm": 4}.get(kind, 3)
    shapes = {
        "weight_ih": (G * 16, 5),
        "weight_hh": (G * 16, 16),
        "bias_ih": (G * 16,),
        "bias_hh": (G * 16,),
    }
    assert {k: v.shape for k, v in layer.params.items()} == shapes
    for value in layer.params.values():
        assert value.dtype == np.float64
        assert np.abs(value).max() <= 0.25 and np.abs(value).max() > 0.2  # U(-1/4, 1/4)
    same, other = KINDS[kind](5, 16, seed=3), KINDS[kind](5, 16, seed=4)
    for name in shapes:
        np.testing.assert_array_equal(same.params[name], layer.params[name])
        assert not np.array_equal(other.params[name], layer.params[name])
    assert {k: v.shape for k, v in layer.grads.items()} == shapes
    assert layer.d_initial_state is None


@pytest.mark.parametrize("kind", list(KINDS))
def test_params_are_live_and_grads_are_filled_in_place(kind):
    rng = np.random.default_rng(1)
    layer = KINDS[kind](3, 4, seed=1)
    x = rng.normal(size=(6, 2, 3))
    grad_arrays = {k: id(v) for k, v in layer.grads.items()}
    outputs, _ = layer.forward(x)
    layer.backward(np.ones_like(outputs))
    assert {k: id(v) for k, v in layer.grads.items()} == grad_arrays
    for name, value in layer.params.items():  # an optimiser step, in place
        value -= 0.1 * layer.grads[name]
    fresh = KINDS[kind](3, 4, seed=99)
    fresh.load_state_dict(layer.state_dict())
    np.testing.assert_array_equal(layer.forward(x)[0], fresh.forward(x)[0])
    assert np.abs(layer.forward(x)[0] - outputs).max() > 1e-3
    layer.params["bias_hh"] = np.zeros_like(layer.params["bias_hh"])  # replaced: used too
    fresh.params["bias_hh"][:] = 0
    np.testing.assert_array_equal(layer.forward(x)[0], fresh.forward(x)[0])


@pytest.mark.parametrize("kind", list(KINDS))
def test_second_forward_after_backward_and_repeated_backward(kind):
    rng = np.random.default_rng(2)
    layer = KINDS[kind](3, 5, seed=2)
    x1, x2 = rng.normal(size=(4, 2, 3)), rng.normal(size=(7, 3, 3))
    out1, _ = layer.forward(x1)
    dx1 = layer.backward(np.ones_like(out1))
    grads1 = {k: v.copy() for k, v in layer.grads.items()}
    out2, _ = layer.forward(x2)  # other T and B
    assert out2.shape == (7, 3, 5)
    np.testing.assert_array_equal(out1, layer.forward(x1)[0])  # the old result is kept
    np.testing.assert_array_equal(dx1, layer.backward(np.ones_like(out1)))
    np.testing.assert_array_equal(layer.backward(np.ones_like(out1)), dx1)
    for name, value in grads1.items():  # overwritten, not accumulated
        np.testing.assert_array_equal(layer.grads[name], value)


def test_outputs_are_read_only_and_state_matches_last_output():
    layer = LSTM(2, 3)
    outputs, (h, c) = layer.forward(np.ones((4, 1, 2)))
    np.testing.assert_array_equal(h, outputs[-1])
    with pytest.raises(ValueError, match="read-only"):
        outputs[0] = 0.0


def test_state_round_trip_for_truncated_bptt():
    rng = np.random.default_rng(3)
    layer, x = GRU(2, 3), rng.normal(size=(8, 2, 2))
    whole, _ = layer.forward(x)
    first, h = layer.forward(x[:5])
    second, _ = layer.forward(x[5:], h)
    np.testing.assert_allclose(np.concatenate([first, second]), whole, rtol=0, atol=1e-15)


def test_float32_layer_keeps_float32_and_tracks_float64():
    x = np.random.default_rng(4).normal(size=(20, 3, 4))
    l64, l32 = LSTM(4, 8, seed=5), LSTM(4, 8, seed=5, dtype=np.float32)
    out64, _ = l64.forward(x)
    out32, _ = l32.forward(x)  # float64 input is cast
    dx32 = l32.backward(np.ones_like(out32))
    dx64 = l64.backward(np.ones_like(out64))
    assert out32.dtype == dx32.dtype == l32.grads["weight_hh"].dtype == np.float32
    np.testing.assert_allclose(out32, out64, atol=1e-5)
    np.testing.assert_allclose(dx32, dx64, atol=1e-4)


def test_integer_input_is_converted():
    layer = RNN(2, 3)
    outputs, _ = layer.forward(np.ones((3, 1, 2), dtype=int))
    np.testing.assert_array_equal(outputs, layer.forward(np.ones((3, 1, 2)))[0])


def test_cache_memory_is_linear_in_time():
    def cache_numbers(T):
        layer = LSTM(8, 16)
        layer.forward(np.zeros((T, 4, 8)))
        return sum(v.size for v in layer._cache.values() if isinstance(v, np.ndarray))

    small, large = cache_numbers(50), cache_numbers(100)
    assert large <= 2.05 * small
    assert large <= 100 * 4 * (8 + 8 * 16)  # a handful of (T, B, H) arrays, no T*T


def test_state_dict_round_trip_and_names():
    layer = GRU(3, 4, seed=1)
    sd = layer.state_dict()
    assert sorted(sd) == ["bias_hh_l0", "bias_ih_l0", "weight_hh_l0", "weight_ih_l0"]
    sd["weight_hh_l0"][:] = 0.0  # a copy: layer not changed
    assert np.abs(layer.params["weight_hh"]).max() > 0
    other = GRU(3, 4, seed=2)
    live = other.params["weight_ih"]
    other.load_state_dict({k.replace("_l0", ""): v for k, v in layer.state_dict().items()})
    assert other.params["weight_ih"] is live  # loaded in place
    for name in layer.params:
        np.testing.assert_array_equal(other.params[name], layer.params[name])
    assert repr(other) == "GRU(input_size=3, hidden_size=4, reset='after', dtype=float64)"


# ------------------------------------------------------------------ bad input


def raises(error, words, func, *args, **kwargs):
    with pytest.raises(error) as info:
        func(*args, **kwargs)
    for word in words if isinstance(words, list) else [words]:
        assert word in str(info.value)


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_bad_sizes_seeds_and_options(cls):
    raises(ValueError, "hidden_size must be a positive integer, but received 0", cls, 3, 0)
    raises(ValueError, "input_size must be a positive integer, but received -2", cls, -2, 3)
    raises(
        TypeError,
        "hidden_size must be a positive integer, but received the number 2.5",
        cls,
        3,
        2.5,
    )
    raises(
        TypeError, "input_size must be a positive integer, but received the string '3'", cls, "3", 2
    )
    raises(TypeError, "the boolean True", cls, True, 2)
    raises(ValueError, "seed must be a non-negative integer, but received -1", cls, 3, 2, seed=-1)
    raises(
        TypeError,
        "dtype must be np.float32 or np.float64, but received dtype int64",
        cls,
        3,
        2,
        dtype=np.int64,
    )


def test_unknown_reset_is_named():
    raises(
        ValueError,
        "reset must be one of 'after', 'before', but received the string 'sideways'",
        GRU,
        3,
        2,
        reset="sideways",
    )


@pytest.mark.parametrize(
    "x, error, words",
    [
        (
            np.zeros((4, 3)),
            ValueError,
            "x must have shape (any, any, 3), but received shape (4, 3)",
        ),
        (np.zeros((4, 2, 5)), ValueError, "received shape (4, 2, 5)"),
        (np.zeros((0, 2, 3)), ValueError, ["T >= 1 and B >= 1", "(0, 2, 3)"]),
        (
            [[[0.0] * 3] * 2] * 4,
            TypeError,
            ["x must be a numpy array, but received a list", "np.asarray"],
        ),
        ("hello", TypeError, "x must be a numpy array, but received the string 'hello'"),
        (
            np.full((4, 2, 3), "a", dtype=object),
            TypeError,
            "x must hold real numbers, but received an array of dtype object",
        ),
        (np.full((4, 2, 3), np.nan), ValueError, "x contains NaN"),
        (np.full((4, 2, 3), -np.inf), ValueError, "x contains inf"),
    ],
)
def test_bad_x_is_named(x, error, words):
    raises(error, words, LSTM(3, 5).forward, x)


def test_bad_states_are_named():
    x = np.zeros((4, 2, 3))
    raises(
        ValueError,
        "state must have shape (2, 5), but received shape (5,)",
        GRU(3, 5).forward,
        x,
        np.zeros(5),
    )
    raises(
        ValueError,
        "state must have shape (2, 5), but received shape (1, 2, 5)",
        RNN(3, 5).forward,
        x,
        np.zeros((1, 2, 5)),
    )
    raises(
        TypeError,
        ["state must be a tuple (h, c)", "an array of shape (2, 5)"],
        LSTM(3, 5).forward,
        x,
        np.zeros((2, 5)),
    )
    raises(
        ValueError,
        "state[1] (c) must have shape (2, 5), but received shape (2, 4)",
        LSTM(3, 5).forward,
        x,
        (np.zeros((2, 5)), np.zeros((2, 4))),
    )
    raises(
        ValueError,
        "state[0] (h) contains NaN",
        LSTM(3, 5).forward,
        x,
        (np.full((2, 5), np.nan), np.zeros((2, 5))),
    )
    raises(
        TypeError,
        "state must be a numpy array, but received a list",
        RNN(3, 5).forward,
        x,
        [[0.0] * 5] * 2,
    )


def test_nonfinite_or_misshapen_params_are_named():
    layer, x = LSTM(3, 5), np.zeros((4, 2, 3))
    layer.params["weight_hh"][0, 0] = np.nan
    raises(ValueError, "params['weight_hh'] contains NaN", layer.forward, x)
    layer.params["weight_hh"] = np.zeros((5, 20))
    raises(
        ValueError,
        "params['weight_hh'] must have shape (20, 5), but received shape (5, 20)",
        layer.forward,
        x,
    )
    del layer.params["weight_hh"]
    raises(ValueError, "params is missing 'weight_hh'", layer.forward, x)


def test_bad_backward_calls_are_named():
    layer = GRU(3, 5)
    raises(RuntimeError, "call layer.forward(x) first", layer.backward, np.zeros((4, 2, 5)))
    layer.forward(np.zeros((4, 2, 3)))
    raises(
        ValueError,
        "d_outputs must have shape (4, 2, 5), but received shape (4, 2, 4)",
        layer.backward,
        np.zeros((4, 2, 4)),
    )
    raises(
        ValueError,
        "d_outputs must have shape (4, 2, 5), but received shape (2, 5)",
        layer.backward,
        np.zeros((2, 5)),
    )
    raises(ValueError, "d_outputs contains inf", layer.backward, np.full((4, 2, 5), np.inf))
    raises(
        ValueError,
        "d_state must have shape (2, 5), but received shape (1, 5)",
        layer.backward,
        None,
        np.zeros((1, 5)),
    )
    lstm = LSTM(3, 5)
    lstm.forward(np.zeros((4, 2, 3)))
    raises(TypeError, "d_state must be a tuple (h, c)", lstm.backward, None, np.zeros((2, 5)))
    dx = lstm.backward(None, (None, np.ones((2, 5))))  # only the cell state is read
    assert dx.shape == (4, 2, 3) and np.abs(dx).max() > 0


def test_bad_state_dicts_are_named():
    layer = LSTM(3, 5)
    sd = layer.state_dict()
    raises(
        ValueError,
        ["unexpected key 'weight_ih_l1'", "one layer, one direction"],
        layer.load_state_dict,
        {**sd, "weight_ih_l1": sd["weight_ih_l0"]},
    )
    raises(
        ValueError,
        "missing the keys ['bias_hh_l0']",
        layer.load_state_dict,
        {k: v for k, v in sd.items() if k != "bias_hh_l0"},
    )
    raises(
        ValueError,
        "state_dict['weight_hh_l0'] must have shape (20, 5), but received shape (5, 20)",
        layer.load_state_dict,
        {**sd, "weight_hh_l0": np.zeros((5, 20))},
    )
    raises(
        ValueError,
        "gives 'bias_ih' twice",
        layer.load_state_dict,
        {**sd, "bias_ih": sd["bias_ih_l0"]},
    )
    raises(TypeError, "state_dict must be a dict", layer.load_state_dict, [1, 2])
    raises(
        TypeError,
        "state_dict['bias_ih_l0'] must be a numpy array, but received a list",
        layer.load_state_dict,
        {**sd, "bias_ih_l0": [0.0] * 20},
    )
