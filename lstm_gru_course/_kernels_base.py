"""Shared helpers of the speed kernels (``_kernels``): time blocks, per-thread workspaces,
input projections and the gradient gathering of the RNN and GRU.

Split out of ``_kernels`` unchanged; see its docstring for the tricks and the contract.
"""

from __future__ import annotations

import threading
from itertools import repeat

import numpy as np

# Elementwise work on a block of about this many numbers stays in cache; the backward
# coefficients are computed for as many time steps at once as fit in such a block.
_BLOCK = 16384


def _blocks(T, B, H):
    """Time blocks (start, stop), last first, of about ``_BLOCK / (B*H)`` steps each."""
    steps = max(1, _BLOCK // (B * H))
    return [(max(0, stop - steps), stop) for stop in range(T, 0, -steps)]


_workspaces = threading.local()
_WORKSPACE_MAX_BYTES = 2**27  # 128 MB


def _workspace(name, shape, dtype):
    """A scratch array of this thread, reused from call to call (its contents are garbage).

    Fresh memory of tens of megabytes costs a page fault per 4 kB on first touch,
    measurably at large batches; nothing that leaves a kernel may live in a workspace.
    Buffers above ``_WORKSPACE_MAX_BYTES`` are not kept (memory over speed).
    """
    size = int(np.prod(shape))
    key = (name, np.dtype(dtype).str)
    buffers = getattr(_workspaces, "buffers", {})
    buffer = buffers.get(key)
    if buffer is None or buffer.size < size:
        buffer = np.empty(size, dtype)
        if buffer.nbytes <= _WORKSPACE_MAX_BYTES:
            _workspaces.buffers = {**buffers, key: buffer}
    return buffer[:size].reshape(shape)


# At batch 1 a kernel keeps its step buffers and their per-step views (see below) up to
# this size; larger ones are allocated and iterated afresh on every call.
_STEP_VIEWS_MAX_BYTES = 2**24  # 16 MB


def _step_workspace(name, key, build):
    """``build()``'s result, kept per thread and ``name`` for the next call with the same
    ``key``: buffers that only live inside a kernel, with the list of their per-step views.

    At batch 1 a step costs a few numpy calls of about 0.3 us each, and taking a step's
    view of a buffer while iterating costs 0.05 us per buffer (about 0.5 us per step
    for the LSTM forward); built once and reused, the views cost nothing. One entry per
    name (the last key). Callers keep the result under ``_STEP_VIEWS_MAX_BYTES``.
    """
    memo = getattr(_workspaces, "steps", {})
    entry = memo.get(name)
    if entry is not None and entry[0] == key:
        return entry[1]
    value = build()
    _workspaces.steps = {**memo, name: (key, value)}
    return value


def _reversed_steps(d_outputs, start, stop):
    """d_outputs[t] for t = stop-1 ... start (None for each step when there are none)."""
    return repeat(None) if d_outputs is None else d_outputs[start:stop][::-1]


def _project_inputs(X, W, bias):
    """``x_t W^T + bias`` for all time steps in one matmul: (T, B, I) -> (T, B, rows of W)."""
    T, B, _ = X.shape
    A = np.dot(X.reshape(T * B, -1), np.ascontiguousarray(W.T)).reshape(T, B, -1)
    A += bias
    return A


def _gate_planes(X, W, bias, gates):
    """Input projections as one contiguous (T, B, H) plane per gate: (gates, T, B, H).

    Each gate of each step is then a contiguous block, which elementwise numpy needs to
    run at full speed. At batch 1 the row-major result already has that property.
    """
    T, B, I = X.shape
    H = W.shape[0] // gates
    if B == 1:
        A = np.dot(X.reshape(T, I), np.ascontiguousarray(W.T))
        A = A.reshape(T, 1, gates, H).transpose(2, 0, 1, 3)
    else:
        A = np.matmul(X.reshape(T * B, I), W.reshape(gates, H, I).transpose(0, 2, 1))
        A = A.reshape(gates, T, B, H)
    A += bias.reshape(gates, 1, 1, H)
    return A


def _empty_planes(gates, T, B, H, dtype):
    """An uninitialised (gates, T, B, H) buffer laid out like ``_gate_planes``."""
    if B == 1:
        return np.empty((T, 1, gates, H), dtype).transpose(2, 0, 1, 3)
    return np.empty((gates, T, B, H), dtype)


def _reversed_rows(planes):
    """At batch 1, each step's gates as one (1, gates*H) row (a view), last step first;
    at larger batches None for every step."""
    G, T, B, H = planes.shape
    if B > 1:
        return repeat(None)
    return planes.transpose(1, 2, 0, 3).reshape(T, 1, G * H)[::-1]


def _times_weights(da, row, W, W_planes, scratch, out):
    """``out <- sum over gates k of da[k] @ W[k-th block of rows]``: one step of BPTT.

    da (G, B, H) in planes; at batch 1 ``row`` is the same numbers as one (1, G*H) row
    and a single dot does it; else one stacked matmul and a sum over the gates.
    """
    if row is not None:
        np.dot(row, W, out=out)
    else:
        np.matmul(da, W_planes, out=scratch)
        np.sum(scratch, axis=0, out=out)


def _weight_grad(dA, inputs):
    """Sum over all steps of ``dA_t^T inputs_t``, one matmul per gate: (G*H, width)."""
    G, T, B, H = dA.shape
    P = dA.reshape(G, T * B, H).transpose(0, 2, 1)
    return np.matmul(P, inputs.reshape(T * B, -1)).reshape(G * H, -1)


def _gather(dA, X, W_ih):
    """After the loop: input weight and bias gradients, and dx, from dA (G, T, B, H)."""
    G, T, B, H = dA.shape
    P = dA.reshape(G, T * B, H)
    grads = {
        "weight_ih": _weight_grad(dA, X),
        "bias_ih": np.matmul(np.ones(T * B, dA.dtype), P).reshape(G * H),
    }
    dx = np.matmul(P, W_ih.reshape(G, H, -1)).sum(axis=0)
    return grads, dx.reshape(X.shape)
