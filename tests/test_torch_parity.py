"""The numpy layers match torch.nn.RNN / LSTM / GRU: outputs, final states, every gradient.

Skipped when torch is not installed (it is a test-only dependency: .ci/run installs the
CPU build with ``pip install torch==2.13.0``; the package never imports torch).
"""

import numpy as np
import pytest

from lstm_gru_course.layers import GRU, LSTM, RNN

torch = pytest.importorskip(
    "torch",
    reason="torch is not installed; the PyTorch parity tests need `pip install torch==2.13.0`",
)

TOL = 1e-10
SIZES = [(1, 1, 1, 1), (7, 3, 4, 5), (20, 8, 6, 16), (3, 9, 2, 520)]  # (T, B, I, H)


def rel_err(ours, theirs):
    """max |ours - theirs| / max |theirs|: relative error of a whole array."""
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else theirs
    assert ours.shape == theirs.shape
    return np.abs(ours - theirs).max() / max(np.abs(theirs).max(), 1e-300)


def torch_twin(layer):
    cls = {RNN: torch.nn.RNN, LSTM: torch.nn.LSTM, GRU: torch.nn.GRU}[type(layer)]
    twin = cls(layer.input_size, layer.hidden_size).double()
    twin.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    return twin


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
@pytest.mark.parametrize("T,B,I,H", SIZES)
def test_matches_torch_outputs_states_and_gradients(cls, T, B, I, H):
    rng = np.random.default_rng(T * 100 + H)
    layer = cls(I, H, seed=T + B)
    twin = torch_twin(layer)
    is_lstm = cls is LSTM
    x = rng.normal(size=(T, B, I))
    states = [rng.normal(size=(B, H)) for _ in range(2 if is_lstm else 1)]
    d_out = rng.normal(size=(T, B, H))
    d_states = [rng.normal(size=(B, H)) for _ in states]

    outputs, final = layer.forward(x, tuple(states) if is_lstm else states[0])
    dx = layer.backward(d_out, tuple(d_states) if is_lstm else d_states[0])
    final = final if is_lstm else (final,)
    d_initial = layer.d_initial_state if is_lstm else (layer.d_initial_state,)

    tx = torch.from_numpy(x).requires_grad_()
    tstates = [torch.from_numpy(s[None]).requires_grad_() for s in states]
    t_out, t_final = twin(tx, tuple(tstates) if is_lstm else tstates[0])
    t_final = t_final if is_lstm else (t_final,)
    loss = (t_out * torch.from_numpy(d_out)).sum() + sum(
        (f[0] * torch.from_numpy(d)).sum() for f, d in zip(t_final, d_states)
    )
    loss.backward()

    assert rel_err(outputs, t_out) < TOL
    for ours, theirs in zip(final, t_final):
        assert rel_err(ours, theirs[0]) < TOL
    assert rel_err(dx, tx.grad) < TOL
    for ours, theirs in zip(d_initial, tstates):
        assert rel_err(ours, theirs.grad[0]) < TOL
    named = dict(twin.named_parameters())
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        assert rel_err(layer.grads[name], named[name + "_l0"].grad) < TOL, name


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_weights_round_trip_through_torch(cls):
    layer = cls(3, 4, seed=5)
    twin = cls(3, 4, seed=6)
    twin.load_state_dict({k: v.detach().numpy() for k, v in torch_twin(layer).state_dict().items()})
    for name in layer.params:
        np.testing.assert_array_equal(twin.params[name], layer.params[name])


def test_float32_layers_match_torch_float32():
    layer = LSTM(4, 8, seed=1, dtype=np.float32)
    twin = torch.nn.LSTM(4, 8)
    twin.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(10, 2, 4)).astype(np.float32)
    outputs, _ = layer.forward(x)
    assert outputs.dtype == np.float32
    assert rel_err(outputs, twin(torch.from_numpy(x))[0]) < 1e-5
