"""The vectors a cell diagram writes, by name, from a ``cells`` cache."""

from __future__ import annotations

import numpy as np

from .._validate import choice, describe
from .diagrams import vector_of

_CACHE_KEYS = {
    "rnn": ("x", "h_prev", "h"),
    "lstm": ("x", "h_prev", "c_prev", "i", "f", "g", "o", "c", "tanh_c", "h"),
    "gru": ("x", "h_prev", "r", "z", "n", "h"),
}


def cell_values(cell: str, cache) -> dict:
    """The vectors a diagram of ``cell`` writes, by name, from a ``cells`` cache.

    Besides the cache's own entries, the products the picture shows are computed from
    them: ``f_c_prev = f*c_prev`` and ``i_g = i*g`` (LSTM); ``z_h_prev = z*h_prev``,
    ``one_minus_z = 1-z`` and ``one_minus_z_n = (1-z)*n`` (GRU; with the reset after
    the weights also ``r_n_hidden = r*(h_prev W_hn^T + b_hn)`` and the input's share
    ``x_n = x W_in^T + b_in``, recovered as ``artanh(n) - r_n_hidden``).
    Returns a dict name -> 1-D array (batch item 0).
    """
    cell = choice("cell", cell, tuple(_CACHE_KEYS))
    if not isinstance(cache, dict):
        raise TypeError(
            f"cache must be the dict returned by cells.{cell}_step, but received {describe(cache)}."
        )
    missing = [k for k in _CACHE_KEYS[cell] if k not in cache]
    if missing or cache.get("cell", cell) != cell:
        raise ValueError(
            f"cache must be the dict returned by cells.{cell}_step; it is missing "
            f"{missing} (its 'cell' entry is {cache.get('cell')!r})."
        )
    v = {k: vector_of(cache[k]) for k in _CACHE_KEYS[cell]}
    if cell == "lstm":
        v["f_c_prev"] = v["f"] * v["c_prev"]
        v["i_g"] = v["i"] * v["g"]
    elif cell == "gru":
        v["z_h_prev"] = v["z"] * v["h_prev"]
        v["one_minus_z"] = 1.0 - v["z"]
        v["one_minus_z_n"] = v["one_minus_z"] * v["n"]
        for extra in ("n_hidden", "r_h_prev"):
            if extra in cache:
                v[extra] = vector_of(cache[extra])
        if "n_hidden" in v:
            # reset after the weights: what r lets through, and the input's share
            # x W_in^T + b_in = artanh(n) - r*(h W_hn^T + b_hn) (unknown once |n| = 1)
            v["r_n_hidden"] = v["r"] * v["n_hidden"]
            if np.all(np.abs(v["n"]) < 1 - 1e-9):
                v["x_n"] = np.arctanh(v["n"]) - v["r_n_hidden"]
    return v
