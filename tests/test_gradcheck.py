import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_gru_course.gradcheck import GradcheckResult, gradcheck, numerical_gradient


def quadratic_problem(seed):
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(3, 4)), rng.normal(size=(2, 3))

    def loss():
        return float(np.sum(np.tanh(b @ A) ** 2))

    t = np.tanh(b @ A)
    d = 2 * t * (1 - t**2)
    return loss, {"A": A, "b": b}, {"A": b.T @ d, "b": d @ A.T}


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_right_gradients_pass_and_arrays_are_restored(seed):
    loss, inputs, analytic = quadratic_problem(seed)
    before = {k: v.copy() for k, v in inputs.items()}
    result = gradcheck(loss, inputs, analytic)
    assert result.passed and bool(result)
    assert result.max_relative_error < 1e-6
    assert set(result.per_argument) == {"A", "b"}
    for name, value in before.items():
        np.testing.assert_array_equal(inputs[name], value)  # bit-for-bit restored


def test_a_wrong_entry_is_found_and_located():
    loss, inputs, analytic = quadratic_problem(0)
    analytic["A"][2, 1] *= 1.01
    result = gradcheck(loss, inputs, analytic)
    assert not result.passed and not bool(result)
    assert (result.argument, result.index) == ("A", (2, 1))
    assert result.max_relative_error == pytest.approx(0.01 / 1.01, rel=1e-3)
    assert result.per_argument["b"] < 1e-6
    assert result.analytic == analytic["A"][2, 1]
    text = repr(result)
    assert "FAILED" in text and "A[2, 1]" in text and "9.90e-03" in text


def test_repr_of_a_pass_reads_well():
    loss, inputs, analytic = quadratic_problem(1)
    text = repr(gradcheck(loss, inputs, analytic))
    assert text.startswith("GradcheckResult(passed: worst relative error")
    assert "worst per argument: A:" in text


def test_sampling_checks_fewer_entries_reproducibly():
    calls = []
    w = np.arange(100.0)

    def loss():
        calls.append(1)
        return float(np.sum(w**2))

    result = gradcheck(loss, {"w": w}, {"w": 2 * w}, samples=5, seed=3)
    assert len(calls) == 10 and result.passed
    wrong = 2 * w
    wrong[:] += 1.0  # every entry wrong
    a = gradcheck(loss, {"w": w}, {"w": wrong}, samples=5, seed=3)
    b = gradcheck(loss, {"w": w}, {"w": wrong}, samples=5, seed=3)
    assert not a.passed and a.index == b.index


def test_floor_makes_tiny_entries_compare_absolutely():
    w = np.array([1.0, 1e-9])

    def loss():
        return float(w[0] ** 2 + w[1] ** 3)  # d/dw1 = 3e-18, ~0

    result = gradcheck(loss, {"w": w}, {"w": np.array([2.0, 0.0])})
    assert result.passed
    assert not gradcheck(loss, {"w": w}, {"w": np.array([2.0, 1e-7])}).passed


def test_numerical_gradient_of_a_known_function():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda: float(np.sum(np.sin(w))), w)
    np.testing.assert_allclose(grad, np.cos(w), rtol=1e-9)
    partial = numerical_gradient(lambda: float(np.sum(w**2)), w, indices=[(0, 1)])
    assert partial[0, 1] == pytest.approx(-4.0) and np.isnan(partial[0, 0])


def test_result_is_a_small_value_object():
    result = GradcheckResult(1e-3, "x", (0,), 1.0, 1.001, 1e-5, {"x": 1e-3})
    assert not result.passed and "x[0]" in repr(result)


def raises(error, text, *args, **kwargs):
    with pytest.raises(error) as info:
        gradcheck(*args, **kwargs)
    assert text in str(info.value)


def test_bad_input_is_named():
    w = np.ones(3)
    f = lambda: float(w.sum())  # noqa: E731
    good = {"w": np.ones(3)}
    raises(
        TypeError,
        "f must be a function of no arguments, but received the number 3",
        3,
        {"w": w},
        good,
    )
    raises(
        TypeError,
        "inputs must be a non-empty dict of name -> array, but received a list",
        f,
        [w],
        good,
    )
    raises(TypeError, "analytic must be a non-empty dict", f, {"w": w}, {})
    raises(
        ValueError,
        "analytic must have the same keys as inputs ['w'], but received keys ['v']",
        f,
        {"w": w},
        {"v": w},
    )
    raises(
        ValueError,
        "analytic['w'] must have shape (3,), but received shape (2,)",
        f,
        {"w": w},
        {"w": np.ones(2)},
    )
    raises(
        TypeError, "inputs['w'] must be a float64 numpy array", f, {"w": w.astype(np.float32)}, good
    )
    raises(
        TypeError,
        "inputs['w'] must be a float64 numpy array (float32 is too coarse for "
        "central differences), but received a list",
        f,
        {"w": [1.0, 2.0, 3.0]},
        good,
    )
    frozen = np.ones(3)
    frozen.flags.writeable = False
    raises(ValueError, "inputs['w'] must be writeable", f, {"w": frozen}, good)
    raises(
        TypeError,
        "f must return a single real number (the loss), but returned an array of shape (3,)",
        lambda: w * 2,
        {"w": w},
        good,
    )
    raises(ValueError, "f returned nan", lambda: float("nan"), {"w": w}, good)
    raises(ValueError, "eps must be at most 1.0, but received 2.0", f, {"w": w}, good, eps=2.0)
    raises(
        ValueError,
        "samples must be a positive integer, but received 0",
        f,
        {"w": w},
        good,
        samples=0,
    )
    raises(ValueError, "inputs hold no entries", lambda: 0.0, {"w": np.ones(0)}, {"w": np.ones(0)})


def test_difference_text_names_round_off_and_prints_real_differences():
    from lstm_gru_course.gradcheck import ROUND_OFF, difference_text

    assert difference_text(0.0) == difference_text(3e-16) == f"below {ROUND_OFF:.0e} (round-off)"
    assert difference_text(np.float64(0.0431)) == "4.3e-02"
    assert difference_text(2 * ROUND_OFF) == "2.0e-12"
    for bad, error in (
        (-1e-3, ValueError),
        (float("nan"), ValueError),
        ("0.1", TypeError),
        (None, TypeError),
    ):
        with pytest.raises(error, match="difference"):
            difference_text(bad)


def test_relative_error_text_hides_only_the_noise_of_a_correct_gradient():
    from lstm_gru_course.gradcheck import FD_NOISE, gradcheck, relative_error_text

    w = np.linspace(-1.0, 1.0, 6)
    good = gradcheck(lambda: float(np.tanh(w).sum()), {"w": w}, {"w": 1 - np.tanh(w) ** 2})
    wrong = gradcheck(lambda: float(np.tanh(w).sum()), {"w": w}, {"w": 1.01 - np.tanh(w) ** 2})
    assert good.max_relative_error < FD_NOISE
    assert (
        relative_error_text(good.max_relative_error)
        == f"below {FD_NOISE:.0e} (finite-difference noise)"
    )
    # a gradient off by 1% is printed, digits and all
    assert relative_error_text(wrong.max_relative_error) == f"{wrong.max_relative_error:.1e}"
    assert relative_error_text(2 * FD_NOISE) == "2.0e-06"
    for bad, error in ((-1e-3, ValueError), (float("inf"), ValueError), (None, TypeError)):
        with pytest.raises(error, match="error"):
            relative_error_text(bad)
