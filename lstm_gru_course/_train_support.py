"""Helpers of ``train``'s loop: checking a batch against the model, stopping on
divergence, the optional progress bar and one BLAS thread while training.

Split out of ``train`` unchanged; ``train`` imports them from here.
"""

from __future__ import annotations

import contextlib
import sys

import numpy as np

from ._validate import describe
from .tasks import Batch


def _check_batch(batch, layer, readout, readout_at) -> Batch:
    if not isinstance(batch, Batch):
        raise TypeError(
            f"batch must be a tasks.Batch (e.g. tasks.adding_problem(...)), but received "
            f"{describe(batch)}."
        )
    features = batch.inputs.shape[2]
    if features != layer.input_size:
        raise ValueError(
            f"the batch's inputs have {features} features (shape {batch.inputs.shape}), but "
            f"the layer expects input_size={layer.input_size}."
        )
    if batch.output_size != readout.out_features:
        raise ValueError(
            f"the task needs output_size={batch.output_size} numbers, but received "
            f"{readout!r}; use Linear({layer.hidden_size}, {batch.output_size})."
        )
    per_step = batch.targets.ndim == (3 if batch.kind == "regression" else 2)
    if per_step != (readout_at == "every"):
        other = "every" if per_step else "last"
        raise ValueError(
            f"readout_at={readout_at!r} needs targets of shape "
            f"{'(T, B, ...)' if readout_at == 'every' else '(B, ...)'}, but the batch's "
            f"targets have shape {batch.targets.shape}; use readout_at={other!r}."
        )
    return batch


def _interactive_terminal() -> bool:
    """True when stderr is a terminal; False in Jupyter kernels, pipes, files and CI."""
    return sys.stderr is not None and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


def _one_blas_thread():
    """Limit numpy's BLAS to one thread while training (restored afterwards).

    The course's models are small: extra BLAS threads only add overhead, and on a busy
    or shared machine (Binder, a laptop running other work) they made training 10-40x
    slower. Uses threadpoolctl when it is installed; otherwise changes nothing.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _progress_bar(progress: bool, steps: int):
    if not progress or not _interactive_terminal():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=steps, file=sys.stderr, leave=True, unit="step")


def _check_finite(step, what, value):
    if not np.isfinite(value).all():
        raise RuntimeError(
            f"training diverged at step {step}: {what} is not finite. Try a smaller lr, "
            "or clipping (clip=1.0)."
        )
