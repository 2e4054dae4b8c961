import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_gru_course.cells import (
    gru_step,
    gru_step_backward,
    lstm_step,
    lstm_step_backward,
    rnn_step,
    rnn_step_backward,
)
from lstm_gru_course.gradcheck import gradcheck

GATES = {"rnn": 1, "lstm": 4, "gru_after": 3, "gru_before": 3}


def make_args(kind, B, I, H, seed, unbatched=False):
    rng = np.random.default_rng(seed)
    G = GATES[kind]
    lead = () if unbatched else (B,)
    args = {
        "x": rng.normal(size=lead + (I,)),
        "h_prev": rng.normal(size=lead + (H,)),
        "weight_ih": rng.normal(size=(G * H, I)),
        "weight_hh": rng.normal(size=(G * H, H)),
        "bias_ih": rng.normal(size=G * H),
        "bias_hh": rng.normal(size=G * H),
    }
    if kind == "lstm":
        args["c_prev"] = rng.normal(size=lead + (H,))
    return args, rng


def run(kind, args):
    """Forward one step; return (list of new states, cache)."""
    if kind == "rnn":
        h, cache = rnn_step(**args)
        return [h], cache
    if kind == "lstm":
        h, c, cache = lstm_step(**args)
        return [h, c], cache
    h, cache = gru_step(**args, reset=kind[4:])
    return [h], cache


def run_backward(kind, d_states, cache):
    if kind == "rnn":
        return rnn_step_backward(d_states[0], cache)
    if kind == "lstm":
        return lstm_step_backward(d_states[0], d_states[1], cache)
    return gru_step_backward(d_states[0], cache)


@pytest.mark.parametrize("kind", list(GATES))
@settings(max_examples=8, deadline=None)
@given(
    B=st.integers(1, 3),
    I=st.integers(1, 4),
    H=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    unbatched=st.booleans(),
)
def test_every_gradient_matches_central_differences(kind, B, I, H, seed, unbatched):
    args, rng = make_args(kind, B, I, H, seed, unbatched)
    states, cache = run(kind, args)
    weights = [rng.normal(size=s.shape) for s in states]

    def loss():
        return sum(float((s * w).sum()) for s, w in zip(run(kind, args)[0], weights))

    grads = run_backward(kind, weights, cache)
    assert set(grads) == set(args)
    for name in args:
        assert grads[name].shape == args[name].shape, name
    result = gradcheck(loss, args, grads)
    assert result.passed, result


def test_lstm_with_zero_weights_is_half_open_gates():
    H, I = 3, 2
    zeros = {
        "weight_ih": np.zeros((4 * H, I)),
        "weight_hh": np.zeros((4 * H, H)),
        "bias_ih": np.zeros(4 * H),
        "bias_hh": np.zeros(4 * H),
    }
    c_prev = np.array([1.0, -2.0, 0.5])
    h, c, cache = lstm_step(np.ones(I), np.zeros(H), c_prev, **zeros)
    for gate in ("i", "f", "o"):
        np.testing.assert_array_equal(cache[gate], 0.5)
    np.testing.assert_array_equal(cache["g"], 0.0)
    np.testing.assert_allclose(c, 0.5 * c_prev)  # c = f*c_prev + i*g
    np.testing.assert_allclose(h, 0.5 * np.tanh(0.5 * c_prev))


def test_caches_hold_the_books_names():
    for kind, keys in [
        ("rnn", {"x", "h_prev", "h"}),
        ("lstm", {"x", "h_prev", "c_prev", "i", "f", "g", "o", "c", "tanh_c", "h"}),
        ("gru_after", {"x", "h_prev", "r", "z", "n", "h", "n_hidden"}),
        ("gru_before", {"x", "h_prev", "r", "z", "n", "h", "r_h_prev"}),
    ]:
        args, _ = make_args(kind, 2, 3, 4, seed=0)
        assert keys <= set(run(kind, args)[1])


def test_gru_forms_differ_but_agree_when_reset_cannot_matter():
    args, _ = make_args("gru_after", 2, 3, 4, seed=1)
    h_after, _ = gru_step(**args, reset="after")
    h_before, _ = gru_step(**args, reset="before")
    assert np.abs(h_after - h_before).max() > 1e-3
    args["h_prev"] = np.zeros_like(args["h_prev"])
    args["bias_hh"][8:] = 0.0  # b_hn = 0 and h = 0
    np.testing.assert_allclose(
        gru_step(**args, reset="after")[0], gru_step(**args, reset="before")[0], rtol=0, atol=1e-15
    )


def test_gru_update_gate_keeps_the_old_state():
    args, _ = make_args("gru_after", 2, 3, 4, seed=2)
    args["bias_ih"][4:8] = 1e3  # z = 1: copy h_prev
    h, _ = gru_step(**args)
    np.testing.assert_allclose(h, args["h_prev"])


def test_lstm_dc_none_means_zero():
    args, _ = make_args("lstm", 2, 3, 4, seed=3)
    h, c, cache = lstm_step(**args)
    dh = np.ones_like(h)
    a = lstm_step_backward(dh, None, cache)
    b = lstm_step_backward(dh, np.zeros_like(c), cache)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


def test_float32_and_integer_inputs():
    args, _ = make_args("lstm", 2, 3, 4, seed=4)
    f32 = {k: v.astype(np.float32) for k, v in args.items()}
    h, c, cache = lstm_step(**f32)
    assert h.dtype == np.float32 and c.dtype == np.float32
    assert lstm_step_backward(np.ones_like(h), None, cache)["weight_hh"].dtype == np.float32
    args["x"] = np.array([[1, 0, 2], [0, 1, 1]])  # int -> float64
    assert lstm_step(**args)[0].dtype == np.float64


# ------------------------------------------------------------------ bad input


def bad_call(kind, **changes):
    args, _ = make_args(kind, 2, 3, 4, seed=5)
    args.update(changes)
    return lambda: run(kind, args)


@pytest.mark.parametrize(
    "kind, changes, error, words",
    [
        ("lstm", {"x": np.zeros((2, 5))}, ValueError, "x must have shape (B, 3) or (3,)"),
        ("lstm", {"x": np.zeros((1, 2, 3))}, ValueError, "received shape (1, 2, 3)"),
        ("lstm", {"h_prev": np.zeros((3, 4))}, ValueError, "h_prev must have shape (2, 4)"),
        ("lstm", {"c_prev": np.zeros(4)}, ValueError, "c_prev must have shape (2, 4)"),
        (
            "lstm",
            {"weight_hh": np.zeros((12, 4))},
            ValueError,
            "weight_hh must have shape (4*H, H)",
        ),
        (
            "rnn",
            {"weight_ih": np.zeros((4, 3, 1))},
            ValueError,
            "weight_ih must have shape (4, any)",
        ),
        ("gru_after", {"bias_hh": np.zeros(13)}, ValueError, "bias_hh must have shape (12,)"),
        (
            "rnn",
            {"x": [[0.0, 1.0, 2.0]] * 2},
            TypeError,
            "x must be a numpy array, but received a list",
        ),
        ("rnn", {"x": "abc"}, TypeError, "the string 'abc'"),
        ("rnn", {"x": np.array([["a"] * 3] * 2, dtype=object)}, TypeError, "dtype object"),
        ("gru_before", {"x": np.full((2, 3), np.nan)}, ValueError, "x contains NaN"),
        ("lstm", {"weight_ih": np.full((16, 3), np.inf)}, ValueError, "weight_ih contains inf"),
        ("rnn", {"h_prev": None}, TypeError, "h_prev must be a numpy array, but received None"),
    ],
)
def test_bad_forward_input_is_named(kind, changes, error, words):
    with pytest.raises(error) as info:
        bad_call(kind, **changes)()
    assert words in str(info.value)


def test_unknown_reset_is_named():
    args, _ = make_args("gru_after", 2, 3, 4, seed=6)
    with pytest.raises(
        ValueError, match="reset must be one of 'after', 'before', but received the string 'middle'"
    ):
        gru_step(**args, reset="middle")


def test_bad_backward_input_is_named():
    args, _ = make_args("lstm", 2, 3, 4, seed=7)
    h, c, cache = lstm_step(**args)
    with pytest.raises(ValueError, match=r"dh must have shape \(2, 4\), but received shape \(4,\)"):
        lstm_step_backward(np.ones(4), None, cache)
    with pytest.raises(ValueError, match="dc contains NaN"):
        lstm_step_backward(np.ones((2, 4)), np.full((2, 4), np.nan), cache)
    with pytest.raises(TypeError, match="cache must be the dict returned by gru_step"):
        gru_step_backward(np.ones((2, 4)), cache)
    with pytest.raises(
        TypeError, match="cache must be the dict returned by rnn_step, but received None"
    ):
        rnn_step_backward(np.ones((2, 4)), None)
