"""What X holds: numeric sequences or token ids, chosen once per call.

Each kind validates X (setting and checking its fitted attributes) and gives
the network's input arguments; the "auto" rules read its ``name``.
``INPUT_KINDS`` lists them; ``embedding_dim`` chooses.
"""

import warnings

import numpy as np
import torch

from .._validation import (
    PADDING_ID,
    UNKNOWN_ID,
    check_sequences,
    check_token_ids,
    validate_sequences,
)

__all__ = ["INPUT_KINDS", "InputKind", "NumericInput", "TokenInput", "input_kind"]

# The largest embedding table fit builds when most of its rows no id uses: its
# float32 values, their gradient and Adam's two moments, four copies in all.
# One large id (a raw identifier, a hash) would otherwise size the table: an
# id of 10**9 asked for tens of GB.
MAX_SPARSE_TABLE_BYTES = 2**30
_TABLE_COPIES = 4
# A table is sparse when fewer than one of this many rows is an id of X.
_SPARSE_ROWS_PER_ID = 10


def _channel_statistics(X, lengths):
    """Per-channel mean and standard deviation over the valid steps of ``X``."""
    valid = np.arange(X.shape[1])[None, :] < lengths[:, None]
    steps = X[valid]  # (n_valid_steps, n_channels)
    return steps.mean(axis=0, dtype=np.float64), steps.std(axis=0, dtype=np.float64)


class InputKind:
    """What one kind of input gives: validation and the network's input
    arguments."""

    # The kind's name in INPUT_KINDS, which the "auto" rules read.
    name = None

    def validate(self, estimator, X, *, reset):
        """The padded input, the lengths and, with ``reset``, the fitted
        attributes that describe the input, checked against the fitted ones
        otherwise."""
        raise NotImplementedError

    def read(self, X):
        """``X`` padded in float64 (numbers) or int64 (ids), the lengths and
        the channel names (or None), unchecked against any fitted model."""
        raise NotImplementedError

    def network_arguments(self, estimator, X, lengths, fitted, settings):
        """The network's arguments about its input, given the validated input,
        the fitted attributes ``validate`` returned and the fit's resolved
        ``settings``."""
        raise NotImplementedError


class NumericInput(InputKind):
    """Numeric sequences: padded values, standardized inside the network."""

    name = "numeric"

    def validate(self, estimator, X, *, reset):
        return validate_sequences(estimator, X, reset=reset)

    def read(self, X):
        return check_sequences(X, dtype=np.float64)

    def network_arguments(self, estimator, X, lengths, fitted, settings):
        arguments = {"n_inputs": X.shape[2]}
        if settings.input_scaling in ("channel", "both"):
            mean, scale = _channel_statistics(X, lengths)
            arguments |= {"input_mean": mean, "input_scale": scale}
        return arguments


def _check_table_size(ids, n_rows, embedding_dim):
    """Refuse an embedding table over ``MAX_SPARSE_TABLE_BYTES`` whose rows
    are mostly ids that ``ids`` never uses."""
    table_bytes = n_rows * embedding_dim * np.dtype(np.float32).itemsize * _TABLE_COPIES
    if table_bytes <= MAX_SPARSE_TABLE_BYTES:
        return
    # Only now: it sorts every id.
    n_used = np.count_nonzero(np.unique(ids) != PADDING_ID)
    if n_used * _SPARSE_ROWS_PER_ID >= n_rows:
        return  # a large vocabulary, but used: the caller's choice
    raise ValueError(
        f"X holds token ids up to {n_rows - 1} but only {n_used} distinct ones: "
        f"the embedding table would have {n_rows} rows of embedding_dim="
        f"{embedding_dim}, {table_bytes / 2**30:.1f} GiB with its gradient and "
        f"the optimizer's state, over the {MAX_SPARSE_TABLE_BYTES / 2**30:g} GiB "
        f"allowed to a table that uses fewer than one row in "
        f"{_SPARSE_ROWS_PER_ID}. Number the tokens densely: pass each sequence's "
        "ids as strings through sklearn_rnn.TokenSequencer (it numbers the "
        "tokens it sees from 2 up and reads unseen ones as unknown), or remap "
        "them yourself, e.g. with np.unique(ids, return_inverse=True), keeping "
        "0 for padding and 1 for unknown. Passing embedding_weights sets the "
        "table's size instead."
    )


class TokenInput(InputKind):
    """Integer token ids, 0 for padding and 1 for unknown, read through an
    embedding table (``embedding_dim``)."""

    name = "tokens"

    def validate(self, estimator, X, *, reset):
        # Ids the fitted model never saw are read as unknown, with a warning.
        ids, lengths = check_token_ids(X)
        if reset:
            weights = self.embedding_weights(estimator)
            n_rows = None if weights is None else len(weights)
            largest = int(ids.max())
            if n_rows is not None and largest >= n_rows:
                raise ValueError(
                    f"X holds token id {largest}, but embedding_weights has rows "
                    f"for ids 0 to {n_rows - 1} only."
                )
            if n_rows is None:
                n_rows = max(largest + 1, UNKNOWN_ID + 1)
                _check_table_size(ids, n_rows, estimator.embedding_dim)
            return ids, lengths, {"n_tokens_": n_rows}
        unseen = ids >= estimator.n_tokens_
        if unseen.any():
            warnings.warn(
                f"X holds {int(unseen.sum())} token id(s) the model never saw "
                f"(up to {int(ids.max())}; it knows ids 0 to "
                f"{estimator.n_tokens_ - 1}); they are read as unknown (id "
                f"{UNKNOWN_ID}).",
                UserWarning,
                stacklevel=4,
            )
            ids[unseen] = UNKNOWN_ID
        return ids, lengths, {}

    def read(self, X):
        return (*check_token_ids(X), None)

    @staticmethod
    def embedding_weights(estimator):
        """``embedding_weights`` as a float32 tensor, checked; or None."""
        if estimator.embedding_weights is None:
            return None
        weights = np.asarray(estimator.embedding_weights, dtype=np.float32)
        if weights.ndim != 2 or weights.shape[1] != estimator.embedding_dim:
            raise ValueError(
                f"embedding_weights must have shape (n_token_ids, embedding_dim="
                f"{estimator.embedding_dim}), got {weights.shape}."
            )
        if not np.isfinite(weights).all():
            raise ValueError("embedding_weights holds NaN or infinite values.")
        return torch.from_numpy(weights)

    def network_arguments(self, estimator, X, lengths, fitted, settings):
        return {
            "n_inputs": None,
            "n_embeddings": fitted["n_tokens_"],
            "embedding_dim": estimator.embedding_dim,
            "embedding_dropout": settings.embedding_dropout,
            "embedding_weights": self.embedding_weights(estimator),
            "freeze_embedding": estimator.freeze_embedding,
        }


INPUT_KINDS = {kind.name: kind for kind in (NumericInput(), TokenInput())}


def input_kind(estimator):
    """The kind of input of ``estimator``'s parameters: token ids with an
    ``embedding_dim``, else numeric sequences."""
    return INPUT_KINDS["numeric" if estimator.embedding_dim is None else "tokens"]
