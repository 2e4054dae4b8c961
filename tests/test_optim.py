"""Tests for lstm_gru_course.optim: updates in place, convergence on a quadratic, clipping."""

import numpy as np
import pytest

from lstm_gru_course.optim import SGD, Adam, clip_grad_norm, grad_norm

# A strictly convex quadratic f(p) = 1/2 p^T A p - b^T p with minimum at A^{-1} b.
A = np.array([[3.0, 0.5], [0.5, 1.0]])
b = np.array([1.0, -2.0])
MINIMUM = np.linalg.solve(A, b)


def quadratic_grad(p):
    return A @ p - b


def minimise(make_optimiser, steps):
    params = {"p": np.zeros(2)}
    array = params["p"]
    optimiser = make_optimiser(params)
    for _ in range(steps):
        optimiser.step({"p": quadratic_grad(params["p"])})
    assert params["p"] is array, "the optimiser must update the array in place"
    return params["p"]


def test_sgd_converges_on_a_quadratic():
    np.testing.assert_allclose(minimise(lambda p: SGD(p, lr=0.2), 300), MINIMUM, atol=1e-8)


def test_sgd_with_momentum_converges_on_a_quadratic():
    np.testing.assert_allclose(
        minimise(lambda p: SGD(p, lr=0.05, momentum=0.9), 400), MINIMUM, atol=1e-8
    )


def test_adam_converges_on_a_quadratic():
    np.testing.assert_allclose(minimise(lambda p: Adam(p, lr=0.01), 3000), MINIMUM, atol=1e-3)


def test_sgd_momentum_follows_the_heavy_ball_recurrence():
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 2)) for _ in range(4)]
    start = rng.normal(size=(3, 2))
    params = {"w": start.copy()}
    optimiser = SGD(params, lr=0.1, momentum=0.8)
    expected, velocity = start.copy(), np.zeros((3, 2))
    for g in grads:
        optimiser.step({"w": g})
        velocity = 0.8 * velocity + g
        expected = expected - 0.1 * velocity
    np.testing.assert_allclose(params["w"], expected, rtol=1e-14)


def test_adam_follows_the_papers_algorithm():
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=4) * 10.0 ** rng.integers(-3, 3) for _ in range(5)]
    start = rng.normal(size=4)
    params = {"w": start.copy()}
    lr, beta1, beta2, eps = 0.01, 0.8, 0.99, 1e-6
    optimiser = Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)
    expected, m, v = start.copy(), np.zeros(4), np.zeros(4)
    for t, g in enumerate(grads, start=1):
        optimiser.step({"w": g})
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        expected = expected - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    np.testing.assert_allclose(params["w"], expected, rtol=1e-13)


def test_optimisers_update_several_dicts_and_keep_float32():
    layer = {"weight": np.ones((2, 3), dtype=np.float32), "bias": np.ones(2, dtype=np.float32)}
    readout = {"weight": np.ones((1, 2))}
    arrays = [layer["weight"], layer["bias"], readout["weight"]]
    for optimiser in (SGD([layer, readout], lr=0.5), Adam([layer, readout], lr=0.5)):
        before = [a.copy() for a in arrays]
        grads = [{k: np.ones_like(a) for k, a in layer.items()}, {"weight": -np.ones((1, 2))}]
        optimiser.step(grads)
        current = [layer["weight"], layer["bias"], readout["weight"]]
        assert all(x is y for x, y in zip(current, arrays)), "arrays must be updated in place"
        assert (arrays[0] < before[0]).all() and (arrays[2] > before[2]).all()
        assert arrays[0].dtype == np.float32 and arrays[1].dtype == np.float32


def test_clip_grad_norm_scales_everything_by_one_factor_in_place():
    rng = np.random.default_rng(2)
    grads = [{"a": rng.normal(size=(3, 4)), "b": rng.normal(size=5)}, {"c": rng.normal(size=2)}]
    original = [{k: v.copy() for k, v in g.items()} for g in grads]
    expected_norm = np.sqrt(sum((v**2).sum() for g in original for v in g.values()))
    before = clip_grad_norm(grads, max_norm=0.5)
    assert before == pytest.approx(expected_norm)
    assert grad_norm(grads) == pytest.approx(0.5)
    for g, o in zip(grads, original):
        for key in g:
            np.testing.assert_allclose(g[key], o[key] * 0.5 / expected_norm)


def test_clip_grad_norm_leaves_small_gradients_alone():
    grads = {"w": np.array([0.3, -0.4])}
    assert clip_grad_norm(grads, max_norm=1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(grads["w"], [0.3, -0.4])


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: SGD({"w": np.zeros(2, dtype=int)}), TypeError, ["params['w']", "float"]),
        (lambda: SGD([{"w": [0.0]}]), TypeError, ["params", "list"]),
        (lambda: SGD("weights"), TypeError, ["params", "dict", "string"]),
        (lambda: SGD([]), TypeError, ["params", "non-empty"]),
        (lambda: SGD({"w": np.zeros(2)}, lr=-1.0), ValueError, ["lr", "-1.0"]),
        (lambda: SGD({"w": np.zeros(2)}, momentum=1.5), ValueError, ["momentum", "1.5"]),
        (lambda: Adam({"w": np.zeros(2)}, lr="fast"), TypeError, ["lr", "string"]),
        (lambda: Adam({"w": np.zeros(2)}, betas=(0.9,)), TypeError, ["betas", "pair"]),
        (lambda: Adam({"w": np.zeros(2)}, betas=(0.9, 1.0)), ValueError, ["betas", "below 1"]),
        (lambda: Adam({"w": np.zeros(2)}, eps=0.0), ValueError, ["eps", "positive"]),
    ],
)
def test_optimisers_reject_bad_construction(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("kind", [SGD, Adam])
@pytest.mark.parametrize(
    "grads, error, words",
    [
        ({"w": np.zeros(3)}, ValueError, ["grads['w']", "(2,)", "(3,)"]),
        ({"v": np.zeros(2)}, ValueError, ["grads", "['w']", "['v']"]),
        ({"w": np.array([np.nan, 0.0])}, ValueError, ["grads['w']", "NaN", "diverged"]),
        ({"w": [0.0, 0.0]}, TypeError, ["grads['w']", "list"]),
        ([{"w": np.zeros(2)}, {"w": np.zeros(2)}], ValueError, ["one dict per", "2"]),
    ],
)
def test_step_rejects_mismatched_gradients(kind, grads, error, words):
    params = {"w": np.ones(2)}
    optimiser = kind(params)
    with pytest.raises(error) as info:
        optimiser.step(grads)
    for word in words:
        assert word in str(info.value)
    np.testing.assert_array_equal(params["w"], [1.0, 1.0])


def test_step_notices_a_replaced_parameter():
    params = {"w": np.ones(2)}
    optimiser = Adam(params)
    params["w"] = np.ones(3)
    with pytest.raises(ValueError, match="create a new optimiser"):
        optimiser.step({"w": np.ones(3)})


@pytest.mark.parametrize(
    "grads, max_norm, error, words",
    [
        ({"w": np.ones(2)}, 0.0, ValueError, ["max_norm", "positive"]),
        ({"w": np.ones(2)}, np.inf, ValueError, ["max_norm", "finite"]),
        ({"w": np.ones(2)}, "1", TypeError, ["max_norm", "string"]),
        ({"w": np.ones(2, dtype=int)}, 1.0, TypeError, ["grads['w']", "float", "int"]),
        ({"w": np.array([np.inf])}, 1.0, ValueError, ["norm", "inf", "diverged"]),
        ({"w": "x"}, 1.0, TypeError, ["grads['w']", "string"]),
        (np.ones(2), 1.0, TypeError, ["grads", "dict"]),
    ],
)
def test_clip_grad_norm_rejects_bad_input(grads, max_norm, error, words):
    with pytest.raises(error) as info:
        clip_grad_norm(grads, max_norm)
    for word in words:
        assert word in str(info.value)


def test_docstring_examples_run():
    import doctest

    from lstm_gru_course import optim

    failures, tried = doctest.testmod(optim, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
