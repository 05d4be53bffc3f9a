"""Exogenous variables of the forecaster, aligned with its series."""

import numpy as np
import pandas as pd

from .._validation import as_float
from .series import check_time_index, row_name

__all__ = ["exogenous_blocks"]


def _column_name(block, column):
    """How errors name column ``column`` of exogenous variables ``block``."""
    if isinstance(block, pd.DataFrame):
        return f"column {block.columns[column]!r}"
    if isinstance(block, pd.Series) and block.name is not None:
        return f"column {block.name!r}"
    return f"column {column}"


def exogenous_blocks(X, panel):
    """Exogenous variables as one standardized (n_steps, n_exog) array per series.

    ``X`` has one row per step of a series, or one per row of the input when
    the series starts late or ends early within it.
    """
    if isinstance(X, (list, tuple)) and panel.form.many:
        blocks = list(X)
    elif panel.form.many:
        raise ValueError(
            "With many series, pass their exogenous variables as a list with one "
            "(n_steps, n_exog) array per series of y."
        )
    else:
        blocks = [X]
    if len(blocks) != len(panel.values):
        raise ValueError(
            f"X holds exogenous variables for {len(blocks)} series, y holds "
            f"{len(panel.values)}."
        )
    aligned = []
    for block, label, index, start, values in zip(
        blocks,
        panel.names,
        panel.indexes,
        panel.starts,
        panel.values,
        strict=True,
    ):
        where = panel.where(label, "X")
        block = _aligned_block(block, where, index, start, len(values))
        if aligned and block.shape[1] != aligned[0].shape[1]:
            raise ValueError(
                f"{where} has {block.shape[1]} exogenous variable(s), the first "
                f"series {aligned[0].shape[1]}; every series needs the same."
            )
        aligned.append(_standardized(block))
    return aligned


def _aligned_block(block, where, index, start, n_steps):
    """The rows of ``block`` for the ``n_steps`` steps of a series that starts
    at row ``start`` of its input (indexed by ``index``), as a float array of
    shape (n_steps, n_exog) with every value finite."""
    if isinstance(block, (pd.Series, pd.DataFrame)):
        check_time_index(block.index, where)
        if index is not None and not block.index.equals(index):
            raise ValueError(
                f"The index of {where} does not match the index of y; align them "
                "first (e.g. X.reindex(y.index))."
            )
    original = block
    block = as_float(block, where)
    block = block[:, None] if block.ndim == 1 else block
    end = start + n_steps
    if block.ndim == 2 and len(block) >= end:
        block = block[start:end] if len(block) > n_steps else block
    if block.ndim != 2 or len(block) != n_steps:
        raise ValueError(
            f"{where} has shape {block.shape}; expected one row per step of "
            f"y ({n_steps} steps, or {end} rows with the missing ones)."
        )
    bad = np.argwhere(~np.isfinite(block))
    if len(bad):
        row, column = bad[0]
        value = "missing" if np.isnan(block[row, column]) else "infinite"
        raise ValueError(
            f"{where} holds a {value} value at {row_name(index, start + row)}, "
            f"{_column_name(original, column)}; fill it first (e.g. with "
            "DataFrame.interpolate): the windows need every value."
        )
    return block


def _standardized(block):
    """Each column standardized with the series' own history, as the series
    is scaled."""
    # Divided by its largest magnitude first: the squares in a standard
    # deviation overflow above ~1e154 and vanish below ~1e-154.
    magnitude = np.abs(block).max(axis=0)
    block = block / np.where(magnitude > 0, magnitude, 1)
    spread = block.std(axis=0)
    return (block - block.mean(axis=0)) / np.where(spread > 0, spread, 1)
