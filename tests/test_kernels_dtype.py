"""float32 stays float32 through the layers' kernels: results, and the memory they use.

The speed kernels (``lstm_gru_course._kernels``) run float32 end to end; a silent upcast
would give float64 results, or at least float64 temporaries (twice the memory traffic).
"""

import tracemalloc

import numpy as np
import pytest

from lstm_gru_course.layers import GRU, LSTM, RNN

KINDS = {"RNN": RNN, "LSTM": LSTM, "GRU": GRU}


def _forward_backward(layer, x, d_out, d_state):
    outputs, state = layer.forward(x)
    dx = layer.backward(d_out, d_state=d_state)
    return outputs, state, dx


def _data(T, B, I, H, dtype, lstm, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, B, I)).astype(dtype)
    d_out = rng.normal(size=(T, B, H)).astype(dtype)
    d_h = rng.normal(size=(B, H)).astype(dtype)
    d_state = (d_h, rng.normal(size=(B, H)).astype(dtype)) if lstm else d_h
    return x, d_out, d_state


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("B", [1, 5])  # batch 1 has its own code paths
def test_float32_in_gives_float32_everywhere(kind, B):
    T, I, H = 6, 3, 4
    layer = KINDS[kind](I, H, seed=1, dtype=np.float32)
    x, d_out, d_state = _data(T, B, I, H, np.float32, kind == "LSTM")
    outputs, state, dx = _forward_backward(layer, x, d_out, d_state)
    states = state if isinstance(state, tuple) else (state,)
    d_initial = layer.d_initial_state
    d_initial = d_initial if isinstance(d_initial, tuple) else (d_initial,)
    arrays = {
        "outputs": outputs,
        "dx": dx,
        **{f"state[{k}]": s for k, s in enumerate(states)},
        **{f"d_initial_state[{k}]": d for k, d in enumerate(d_initial)},
        **{f"grads[{n!r}]": g for n, g in layer.grads.items()},
    }
    wrong = {name: a.dtype for name, a in arrays.items() if a.dtype != np.float32}
    assert not wrong, f"float32 layer returned other dtypes: {wrong}"
    # the same numbers as the float64 layer, to float32 rounding
    l64 = KINDS[kind](I, H, seed=1)
    x64, d64, s64 = _data(T, B, I, H, np.float64, kind == "LSTM")
    out64, _, dx64 = _forward_backward(l64, x64, d64, s64)
    np.testing.assert_allclose(outputs, out64, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dx, dx64, rtol=1e-4, atol=1e-5)
    for name in layer.grads:
        np.testing.assert_allclose(layer.grads[name], l64.grads[name], rtol=1e-4, atol=1e-5)


def _transient_peaks(layer, x, d_out, d_state):
    """Peak bytes allocated above the starting level, by forward and by backward."""
    _forward_backward(layer, x, d_out, d_state)  # warm-up: reusable workspaces exist
    peaks = []
    tracemalloc.start()
    try:
        for phase in (lambda: layer.forward(x), lambda: layer.backward(d_out, d_state=d_state)):
            start = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            phase()
            peaks.append(tracemalloc.get_traced_memory()[1] - start)
    finally:
        tracemalloc.stop()
    return np.array(peaks)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("B", [1, 16])
def test_float32_uses_half_the_memory_of_float64(kind, B):
    """No float64 temporaries: forward and backward in float32 each peak at about half
    the memory of the same pass in float64.

    numpy reports its allocations to tracemalloc; a float64 temporary the size of one
    of the cached (T, B, H) arrays pushes a ratio well above one half.
    """
    T, I, H = 200, 8, 32
    peaks = {}
    for dtype in (np.float32, np.float64):
        layer = KINDS[kind](I, H, seed=0, dtype=dtype)
        peaks[dtype] = _transient_peaks(layer, *_data(T, B, I, H, dtype, kind == "LSTM"))
    ratios = peaks[np.float32] / peaks[np.float64]
    assert (ratios < 0.55).all(), (
        f"float32 / float64 peak memory of forward, backward: {ratios.round(3)} "
        f"({peaks[np.float32]} vs {peaks[np.float64]} bytes)"
    )


def test_backward_workspace_is_safe_across_threads_and_shapes():
    """The LSTM backward reuses a per-thread scratch buffer: threads running at once, and
    calls of different shapes one after another, still get their own exact results."""
    import threading

    def run(seed, T, B):
        layer = LSTM(3, 5, seed=seed)
        x, d_out, d_state = _data(T, B, 3, 5, np.float64, True, seed=seed)
        _, _, dx = _forward_backward(layer, x, d_out, d_state)
        return dx, {k: v.copy() for k, v in layer.grads.items()}

    jobs = [(1, 300, 4), (2, 300, 4), (3, 300, 4), (4, 7, 1), (5, 25, 9)]
    serial = [run(*job) for job in jobs]
    threaded = [None] * len(jobs)

    def worker(k):
        for _ in range(3):
            threaded[k] = run(*jobs[k])

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for (dx, grads), (dx_t, grads_t) in zip(serial, threaded):
        np.testing.assert_array_equal(dx, dx_t)
        for name in grads:
            np.testing.assert_array_equal(grads[name], grads_t[name])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch1_kept_step_buffers_never_leak_between_calls(dtype):
    """At batch 1 the LSTM loops run on per-thread buffers kept from call to call (with
    their per-step views). Two layers of one shape, forwards and backwards interleaved
    (as in a stacked model), with and without d_outputs, must give exactly what each
    gives alone, and the first forward's outputs must not change under the second."""
    T, I, H = 40, 3, 5

    def alone(seed, with_outputs):
        layer = LSTM(I, H, seed=seed, dtype=dtype)
        x, d_out, d_state = _data(T, 1, I, H, dtype, True, seed=seed)
        outputs, _ = layer.forward(x)
        dx = layer.backward(d_out if with_outputs else None, d_state=d_state)
        return outputs.copy(), dx, {k: v.copy() for k, v in layer.grads.items()}

    expected = {(seed, w): alone(seed, w) for seed in (1, 2) for w in (True, False)}
    for with_outputs in (True, False, True):
        layers = {s: LSTM(I, H, seed=s, dtype=dtype) for s in (1, 2)}
        data = {s: _data(T, 1, I, H, dtype, True, seed=s) for s in (1, 2)}
        outputs = {s: layers[s].forward(data[s][0])[0] for s in (1, 2)}  # both forwards first
        for s in (2, 1):
            x, d_out, d_state = data[s]
            dx = layers[s].backward(d_out if with_outputs else None, d_state=d_state)
            out_e, dx_e, grads_e = expected[(s, with_outputs)]
            np.testing.assert_array_equal(outputs[s], out_e)
            np.testing.assert_array_equal(dx, dx_e)
            for name in grads_e:
                np.testing.assert_array_equal(layers[s].grads[name], grads_e[name])


@pytest.mark.parametrize("with_outputs", [True, False])
def test_batch1_long_sequences_without_kept_buffers_give_the_same_results(
    with_outputs, monkeypatch
):
    """Above ``_STEP_VIEWS_MAX_BYTES`` the batch-1 LSTM allocates and iterates afresh;
    both paths run the same arithmetic, so their results agree bit for bit."""
    from lstm_gru_course import _kernels_lstm

    T, I, H = 30, 3, 5

    def run():
        layer = LSTM(I, H, seed=3, dtype=np.float32)
        x, d_out, d_state = _data(T, 1, I, H, np.float32, True, seed=3)
        outputs, state = layer.forward(x)
        dx = layer.backward(d_out if with_outputs else None, d_state=d_state)
        return [outputs, *state, dx, *layer.grads.values(), *layer.d_initial_state]

    kept = run()
    monkeypatch.setattr(_kernels_lstm, "_STEP_VIEWS_MAX_BYTES", 0)

    def not_called(*args):
        raise AssertionError("the kept buffers were used above their size limit")

    monkeypatch.setattr(_kernels_lstm, "_step_workspace", not_called)
    fresh = run()
    for a, b in zip(kept, fresh):
        np.testing.assert_array_equal(a, b)
