"""Numerical gradient checking: is my backward pass right?

Nudge one number of an array up and down by ``eps``, watch how the loss moves, and you
have a slope that needs no calculus (central differences):

    dL/dw  ≈  (L(w + eps) - L(w - eps)) / (2 * eps)

``gradcheck`` does this for every entry (or a random sample) of every array you give it
and compares with the gradients your backward pass computed, reporting the worst
relative error and exactly where it is:

    relative error = |analytic - numerical| / max(|analytic|, |numerical|, floor)

The arrays are changed *in place* one entry at a time and always restored, so ``f`` can
be a function of no arguments that simply reads them (a layer's ``params``, an input).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validate import describe, finite_number, float_array, nonnegative_int, positive_int

__all__ = [
    "GradcheckResult",
    "gradcheck",
    "numerical_gradient",
    "ROUND_OFF",
    "FD_NOISE",
    "difference_text",
    "relative_error_text",
]

# Differences below this are floating-point round-off in float64 for the sizes the book uses;
# their exact digits change with the CPU and the BLAS build, so pages print them as words.
ROUND_OFF = 1e-12

# Relative errors of a correct float64 gradient against central differences (eps 1e-5):
# a few times 1e-9 to 1e-7, digits that change with the CPU and the BLAS build. A wrong
# gradient is off by far more (1e-3 and up), so pages print errors below this as words.
FD_NOISE = 1e-6


@dataclass(frozen=True)
class GradcheckResult:
    """The outcome of ``gradcheck``: the worst relative error, where, and whether it passed."""

    max_relative_error: float
    argument: str
    index: tuple
    analytic: float
    numerical: float
    tolerance: float
    per_argument: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.max_relative_error <= self.tolerance

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        where = f"{self.argument}[{', '.join(str(i) for i in self.index)}]"
        verdict = "passed" if self.passed else "FAILED"
        per_arg = ", ".join(f"{k}: {v:.1e}" for k, v in self.per_argument.items())
        return (
            f"GradcheckResult({verdict}: worst relative error {self.max_relative_error:.2e} "
            f"(tolerance {self.tolerance:.0e}) at {where}, analytic {self.analytic:.8g}, "
            f"numerical {self.numerical:.8g}; worst per argument: {per_arg})"
        )


def _scalar(f):
    value = f()
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"f must return a single real number (the loss), but returned {describe(value)}."
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"f returned {value}; the loss must be a finite number.")
    return value


def _check_writable(name, array):
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        got = f"dtype {array.dtype}" if isinstance(array, np.ndarray) else describe(array)
        raise TypeError(
            f"{name} must be a float64 numpy array (float32 is too coarse for central "
            f"differences), but received {got}."
        )
    if not array.flags.writeable:
        raise ValueError(f"{name} must be writeable: gradcheck nudges its entries in place.")


def numerical_gradient(f, array, eps=1e-5, indices=None):
    """Central-difference gradient of the scalar ``f()`` with respect to ``array``.

    ``array`` (float64, any shape) is nudged in place and restored. ``indices`` is an
    optional list of index tuples to evaluate (the others are left as NaN).

    Shapes: array (any) -> gradient of the same shape.

    >>> w = np.array([1.0, 2.0])
    >>> np.round(numerical_gradient(lambda: float((w ** 2).sum()), w), 6)
    array([2., 4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments, but received {describe(f)}.")
    _check_writable("array", array)
    eps = finite_number("eps", eps, low=1e-12, high=1.0)
    grad = np.full(array.shape, np.nan)
    for index in np.ndindex(array.shape) if indices is None else indices:
        original = array[index]
        try:
            array[index] = original + eps
            up = _scalar(f)
            array[index] = original - eps
            down = _scalar(f)
        finally:
            array[index] = original
        grad[index] = (up - down) / (2 * eps)
    return grad


def gradcheck(f, inputs, analytic, eps=1e-5, tolerance=1e-5, floor=1e-4, samples=None, seed=0):
    """Compare analytic gradients with central differences; report the worst entry.

    f: function of no arguments returning the scalar loss; it must read the arrays in
        ``inputs`` (they are nudged in place, one entry at a time, and restored).
    inputs: dict name -> float64 array.   analytic: dict name -> gradient, same shapes.
    samples: check every entry (None) or this many random entries per array (seeded).
    floor: the denominator's lower bound, so entries near zero compare absolutely
        (an entry smaller than ``floor`` passes when its absolute error is below
        ``tolerance * floor``: central differences of a float64 loss carry an absolute
        noise of about 1e-11 per unit of loss).

    Returns a ``GradcheckResult`` (true when ``max_relative_error <= tolerance``).

    >>> w = np.array([[1.0, -2.0]])
    >>> result = gradcheck(lambda: float((w ** 3).sum()), {"w": w}, {"w": 3 * w ** 2})
    >>> result.passed, result.argument
    (True, 'w')
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments, but received {describe(f)}.")
    for name, value in (("inputs", inputs), ("analytic", analytic)):
        if not isinstance(value, dict) or not value:
            raise TypeError(
                f"{name} must be a non-empty dict of name -> array, but received {describe(value)}."
            )
    if set(inputs) != set(analytic):
        raise ValueError(
            f"analytic must have the same keys as inputs {sorted(inputs)}, "
            f"but received keys {sorted(analytic)}."
        )
    eps = finite_number("eps", eps, low=1e-12, high=1.0)
    tolerance = finite_number("tolerance", tolerance, low=0.0)
    floor = finite_number("floor", floor, low=0.0)
    if samples is not None:
        samples = positive_int("samples", samples)
    rng = np.random.default_rng(nonnegative_int("seed", seed))

    worst = None
    per_argument = {}
    for name, array in inputs.items():
        _check_writable(f"inputs[{name!r}]", array)
        grad = float_array(f"analytic[{name!r}]", analytic[name], shape=array.shape)
        if samples is None or samples >= array.size:
            indices = list(np.ndindex(array.shape))
        else:
            flat = rng.choice(array.size, size=samples, replace=False)
            indices = [np.unravel_index(k, array.shape) for k in flat]
        numeric = numerical_gradient(f, array, eps, indices)
        for index in indices:
            a, n = float(grad[index]), float(numeric[index])
            error = abs(a - n) / max(abs(a), abs(n), floor, 1e-300)
            if error > per_argument.get(name, -1.0):
                per_argument[name] = error
            if worst is None or error > worst[0]:
                worst = (error, name, tuple(int(i) for i in index), a, n)
    if worst is None:
        raise ValueError("inputs hold no entries to check: every array is empty.")
    error, name, index, a, n = worst
    return GradcheckResult(error, name, index, a, n, tolerance, per_argument)


def difference_text(difference) -> str:
    """A difference between two results, written so that the page reads the same anywhere.

    Below ``ROUND_OFF`` (1e-12) the two agree to floating-point round-off, whose exact
    digits depend on the machine and its BLAS build, so the text says so instead of
    printing them; larger differences are printed with two significant digits.

    >>> difference_text(2.2e-16)
    'below 1e-12 (round-off)'
    >>> difference_text(0.0431)
    '4.3e-02'
    """
    value = finite_number("difference", difference)
    if value < 0:
        raise ValueError(f"difference must be at least 0, but received {value}.")
    return f"below {ROUND_OFF:.0e} (round-off)" if value < ROUND_OFF else f"{value:.1e}"


def relative_error_text(error) -> str:
    """A gradcheck's relative error, written so that the page reads the same anywhere.

    Below ``FD_NOISE`` (1e-6) the error is the central differences' own noise, whose
    digits depend on the machine, so the text says so; larger errors are printed.

    >>> relative_error_text(3e-8)
    'below 1e-06 (finite-difference noise)'
    >>> relative_error_text(0.25)
    '2.5e-01'
    """
    value = finite_number("error", error)
    if value < 0:
        raise ValueError(f"error must be at least 0, but received {value}.")
    return f"below {FD_NOISE:.0e} (finite-difference noise)" if value < FD_NOISE else f"{value:.1e}"
