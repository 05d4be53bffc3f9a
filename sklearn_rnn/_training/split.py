"""The hold-out split for early stopping, and the datasets of a fit."""

import math

import numpy as np
from sklearn.model_selection import train_test_split

from .batching import SequenceDataset

__all__ = ["split_problem", "training_datasets"]


def split_problem(n_sequences, validation_fraction, labels=None):
    """Why the validation split cannot be drawn (and what to do), or None.

    ``labels`` are the encoded classes of a stratified split, None for a
    random one.
    """
    n_valid = math.ceil(validation_fraction * n_sequences)
    if n_sequences < 2:
        return "one sequence cannot be split. Set early_stopping=False."
    if n_valid >= n_sequences:
        return (
            f"{n_sequences} sequences leave none to train on. Lower "
            "validation_fraction or set early_stopping=False."
        )
    if labels is None:
        return None
    counts = np.bincount(labels)
    counts = counts[counts > 0]
    if counts.min() < 2:
        return (
            "a stratified split needs two sequences of every class, and a "
            "class has one. Set early_stopping=False."
        )
    if n_valid < len(counts):
        return (
            f"the {n_valid} held-out sequences cannot hold each of the "
            f"{len(counts)} classes. Raise validation_fraction or set "
            "early_stopping=False."
        )
    if n_sequences - n_valid < len(counts):
        return (
            f"the {n_sequences - n_valid} sequences left to train on cannot hold "
            f"each of the {len(counts)} classes. Lower validation_fraction "
            "or set early_stopping=False."
        )
    return None


def training_datasets(
    X,
    lengths,
    y,
    sample_weight,
    *,
    per_step,
    holds_out,
    validation_fraction,
    labels,
    seed,
    validation_indices=None,
):
    """The training dataset and, when ``holds_out``, a validation one.

    The validation sequences are ``validation_indices`` when given, else a
    ``validation_fraction`` that ``seed`` draws, stratified by ``labels``
    (None: random).
    """
    if not holds_out:
        return SequenceDataset(X, lengths, y, sample_weight, per_step), None
    if validation_indices is not None:
        valid = np.asarray(validation_indices)
        train = np.setdiff1d(np.arange(len(lengths)), valid)
    else:
        train, valid = train_test_split(
            np.arange(len(lengths)),
            test_size=validation_fraction,
            random_state=seed,
            stratify=labels,
        )
    # Sorted by length, the validation batches carry little padding.
    valid = valid[np.argsort(lengths[valid], kind="stable")]

    def subset(indices):
        weights = None if sample_weight is None else sample_weight[indices]
        return SequenceDataset(
            X[indices], lengths[indices], y[indices], weights, per_step
        )

    return subset(train), subset(valid)
