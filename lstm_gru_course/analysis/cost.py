"""What each recurrent layer costs: parameters, and the arithmetic of one time step.

One function for each count, used by chapter 6 (LSTM against GRU) and chapter 7 (all
three): :func:`parameter_count`, :func:`operation_count`, and :func:`cost_table` which
puts them side by side.

How operations are counted, per time step, for ``B`` sequences (I inputs, H hidden
units, G gate blocks: 1 for the RNN, 4 for the LSTM, 3 for the GRU):

- ``multiply_adds``: ``B * G*H * (I + H)``, the gate matrix products
  ``x W_ih^T + h W_hh^T``. Adding the input part to the hidden part of a gate and adding
  the two biases belong to this matrix work and are not counted again, except in the
  GRU's candidate, where the reset's product comes between them: there the input part
  is added to ``r*(h W_hn^T + b_hn)`` afterwards, a separate elementwise sum;
- ``sigmoids`` and ``tanhs``: one evaluation per unit of each sigmoid gate and each tanh
  (LSTM: i, f, o | g, tanh(c); GRU: r, z | n; RNN: tanh);
- ``products``: elementwise products besides the matrix products (LSTM: ``f*c``, ``i*g``,
  ``o*tanh(c)``; GRU: ``r*(h W_hn^T + b_hn)``, ``(1-z)*n``, ``z*h``);
- ``sums``: elementwise sums and differences besides the matrix products (LSTM: the ``+`` of
  ``f*c + i*g``; GRU: ``x W_in^T + b_in + r*(...)`` inside the candidate, ``1 - z``
  and the ``+`` of ``(1-z)*n + z*h``).

>>> parameter_count("lstm", input_size=3, hidden_size=5), parameter_count("GRU", 3, 5)
(200, 150)
>>> operation_count("gru", 2, 32)
{'multiply_adds': 3264, 'sigmoids': 64, 'tanhs': 32, 'products': 96, 'sums': 96}
"""

from __future__ import annotations

from .._validate import positive_int
from .conventions import GATE_BLOCKS, kind_name

__all__ = ["parameter_count", "operation_count", "cost_table"]

#: Per hidden unit: (sigmoids, tanhs, products, sums) after the gate matrix products.
_ELEMENTWISE = {"rnn": (0, 1, 0, 0), "lstm": (3, 2, 3, 1), "gru": (2, 1, 3, 3)}


def parameter_count(model: str, input_size: int, hidden_size: int) -> int:
    """Numbers one layer of ``model`` ("rnn", "lstm", "gru", any case) learns, as PyTorch counts.

        G*H*I (weight_ih) + G*H*H (weight_hh) + 2*G*H (bias_ih and bias_hh)

    >>> parameter_count("LSTM", input_size=2, hidden_size=32)
    4608
    """
    G = GATE_BLOCKS[kind_name(model, "model")]
    I, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    return G * H * (I + H) + 2 * G * H


def operation_count(
    model: str, input_size: int, hidden_size: int, batch_size: int = 1
) -> dict[str, int]:
    """Arithmetic of one time step of ``model`` for ``batch_size`` sequences, by kind.

    Returns ``{"multiply_adds", "sigmoids", "tanhs", "products", "sums"}``, counted as
    the module's docstring says.

    >>> operation_count("lstm", 3, 5)["products"], operation_count("lstm", 3, 5)["sums"]
    (15, 5)
    """
    kind = kind_name(model, "model")
    I, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    B = positive_int("batch_size", batch_size)
    sigmoids, tanhs, products, sums = _ELEMENTWISE[kind]
    return {
        "multiply_adds": B * GATE_BLOCKS[kind] * H * (I + H),
        "sigmoids": B * sigmoids * H,
        "tanhs": B * tanhs * H,
        "products": B * products * H,
        "sums": B * sums * H,
    }


def cost_table(input_size: int, hidden_size: int) -> list[dict]:
    """Rows ``{"model", "parameters", **operation_count}`` for RNN, LSTM and GRU (one sequence).

    >>> [row["parameters"] for row in cost_table(3, 5)]
    [50, 200, 150]
    """
    return [
        {
            "model": kind.upper(),
            "parameters": parameter_count(kind, input_size, hidden_size),
            **operation_count(kind, input_size, hidden_size),
        }
        for kind in GATE_BLOCKS
    ]
