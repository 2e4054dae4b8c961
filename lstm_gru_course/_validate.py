"""Input checks shared by every public function.

Each check raises ``TypeError`` or ``ValueError`` with a sentence that names the
argument, says what was expected and what was received. Learners should never see a
bare numpy broadcasting error or a silent NaN.
"""

from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def describe(value) -> str:
    """A short description of ``value`` for error messages: type, and shape/dtype for arrays."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the string {shown!r}"
    if isinstance(value, (bool, np.bool_)):
        return f"the boolean {value}"
    if isinstance(value, numbers.Number):
        return f"the number {value!r}"
    return f"an object of type {type(value).__name__}"


def positive_int(name: str, value) -> int:
    """Return ``value`` as an int if it is a positive integer, else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, but received {describe(value)}.")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, but received {value}.")
    return int(value)


def choice(name: str, value, options) -> object:
    """Return ``value`` if it is one of ``options``, else raise naming the options."""
    if not isinstance(value, str) or value not in options:
        opts = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {opts}, but received {describe(value)}.")
    return value


def finite_number(name: str, value, low=None, high=None) -> float:
    """Return ``value`` as a float if it is a finite real number in [low, high]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, but received {describe(value)}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, but received {value}.")
    if low is not None and value < low:
        raise ValueError(f"{name} must be at least {low}, but received {value}.")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high}, but received {value}.")
    return value


def float_array(name: str, value, shape=None, dtype=None, allow_nonfinite=False) -> np.ndarray:
    """Return ``value`` as a float array, checking its shape and that it is finite.

    ``shape`` is a tuple whose entries are ints (must match) or ``None`` (any size);
    its length fixes the rank. Integer and boolean arrays are converted to float;
    lists are refused (learners get told to call ``np.asarray``) so that nothing is
    silently guessed. ``dtype`` defaults to float64 for non-float input and keeps
    float32/float64 input as it is.
    """
    if value is None:
        raise TypeError(f"{name} must be a numpy array, but received None.")
    if isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a numpy array, but received {describe(value)}; "
            f"wrap it with np.asarray(...) first."
        )
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, but received {describe(value)}.")
    if value.dtype.kind not in "fiub":
        raise TypeError(
            f"{name} must hold real numbers, but received an array of dtype {value.dtype}."
        )
    if dtype is not None:
        target = np.dtype(dtype)
    elif value.dtype in (np.float32, np.float64):
        target = value.dtype
    else:
        target = np.dtype(np.float64)
    arr = value.astype(target, copy=False)
    if shape is not None:
        expected = "(" + ", ".join("any" if s is None else str(s) for s in shape)
        expected += ",)" if len(shape) == 1 else ")"
        if arr.ndim != len(shape) or any(
            s is not None and s != a for s, a in zip(shape, arr.shape)
        ):
            raise ValueError(f"{name} must have shape {expected}, but received shape {arr.shape}.")
    if not allow_nonfinite and not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {bad}; every entry must be a finite number.")
    return arr


def class_indices(name: str, value, shape, num_classes: int) -> np.ndarray:
    """Return ``value`` as an int64 array of class indices in ``[0, num_classes)``.

    ``shape`` is the exact shape expected (a tuple of ints). Float arrays are refused
    even when they hold whole numbers, and a one-hot array gets a hint to use argmax.
    """
    if value is None or isinstance(value, (list, tuple)) or not isinstance(value, np.ndarray):
        hint = "; wrap it with np.asarray(...) first" if isinstance(value, (list, tuple)) else ""
        raise TypeError(
            f"{name} must be a numpy array of integer class indices, "
            f"but received {describe(value)}{hint}."
        )
    shape = tuple(shape)
    if value.dtype.kind not in "iu":
        hint = ""
        if value.shape == shape + (num_classes,):
            hint = f" It looks one-hot: pass {name}.argmax(axis=-1) instead."
        raise TypeError(
            f"{name} must hold integer class indices, but received an array of dtype "
            f"{value.dtype}.{hint}"
        )
    if value.shape != shape:
        hint = ""
        if value.shape == shape + (num_classes,):
            hint = f" It looks one-hot: pass {name}.argmax(axis=-1) instead."
        raise ValueError(f"{name} must have shape {shape}, but received shape {value.shape}.{hint}")
    if value.size and (value.min() < 0 or value.max() >= num_classes):
        raise ValueError(
            f"{name} must hold class indices from 0 to {num_classes - 1}, but received "
            f"values from {value.min()} to {value.max()}."
        )
    return value.astype(np.int64, copy=False)


def generator(name: str, value) -> np.random.Generator:
    """Return a ``numpy.random.Generator``: ``value`` is a non-negative int seed or a Generator.

    Passing a Generator lets successive calls draw different numbers from one stream.
    """
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a non-negative integer or a numpy.random.Generator, "
            f"but received {describe(value)}."
        )
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, but received {value}.")
    return np.random.default_rng(int(value))


def nonnegative_int(name: str, value) -> int:
    """Return ``value`` as an int if it is an integer >= 0 (a seed, a count), else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, but received {describe(value)}.")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, but received {value}.")
    return int(value)


def float_dtype(name: str, value) -> np.dtype:
    """Return ``value`` as ``np.dtype('float32')`` or ``np.dtype('float64')``, else raise."""
    try:
        dtype = np.dtype(value) if value is not None else None
    except (TypeError, ValueError):
        dtype = None
    if dtype not in FLOAT_DTYPES:
        received = f"dtype {dtype}" if dtype is not None else describe(value)
        raise TypeError(f"{name} must be np.float32 or np.float64, but received {received}.")
    return dtype


def finite_result(where: str, results, arguments: dict) -> None:
    """Raise FloatingPointError if any of ``results`` holds NaN or inf.

    Called once on what a computation returns, after its inputs were checked finite:
    a non-finite result then means the arithmetic overflowed. The message names the
    argument of ``arguments`` (name -> array) with the largest magnitude, the likely
    culprit, and says what to do.

    >>> finite_result("f", [np.ones(2)], {"x": np.ones(2)})
    >>> finite_result("f", [np.array([np.nan])], {"x": np.array([1e308]), "w": np.ones(1)})
    Traceback (most recent call last):
    ...
    FloatingPointError: f overflowed: every input is finite, but the result holds NaN or inf ...
    """
    if all(bool(np.isfinite(r).all()) for r in results):
        return
    sizes = {
        name: float(np.max(np.abs(a)))
        for name, a in arguments.items()
        if isinstance(a, np.ndarray) and a.size
    }
    dtype = next(
        (a.dtype for a in arguments.values() if isinstance(a, np.ndarray)), np.dtype(np.float64)
    )
    limit = float(np.finfo(dtype).max)
    culprit = max(sizes, key=sizes.get) if sizes else None
    text = (
        f"{where} overflowed: every input is finite, but the result holds NaN or inf "
        f"because the sums and products went past the largest {dtype.name} number, "
        f"about {limit:.2g}."
    )
    if culprit is not None:
        text += (
            f" The largest numbers are in {culprit} (up to {sizes[culprit]:.3g}): scale "
            f"{culprit} down to values of order 1 (standardise it, or clip it)"
        )
        text += "." if dtype == np.float64 else ", or use dtype=np.float64."
    raise FloatingPointError(text)
