"""Input validation: every accepted sequence format to one padded array.

This module is the one place that knows the padding convention:

* a 3-D array ``(n_sequences, n_timesteps, n_channels)`` holds numeric sequences;
  trailing time steps whose channels are all NaN are padding, and the length of a
  sequence is the index after its last step that is not all-NaN;
* a 2-D array or DataFrame ``(n_sequences, n_timesteps)`` holds univariate
  sequences (one channel), padded the same way;
* a list, tuple or 1-D object array of 1-D arrays, 2-D arrays, Series or
  DataFrames holds sequences of different lengths (ragged input);
* NaN before the end of a sequence is a missing value, and an error.
"""

import numbers
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["check_sequences", "sequence_lengths", "validate_sequences"]


def _as_numeric(array, where):
    """Return ``array`` as a float ndarray, or raise an error saying where."""
    array = np.asarray(array)
    if np.iscomplexobj(array):
        raise ValueError(f"Complex data not supported; {where} is complex.")
    if array.dtype.kind == "f":
        return array
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise type(exc)(
            f"{where} must hold numbers, but converting it to float failed: {exc}"
        ) from exc


def _is_ragged_container(X):
    if isinstance(X, (list, tuple)):
        return len(X) > 0 and all(
            isinstance(item, (np.ndarray, pd.DataFrame, pd.Series, list, tuple))
            or sp.issparse(item)
            for item in X
        )
    return isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1


def sequence_lengths(X):
    """Lengths of NaN-padded sequences.

    Parameters
    ----------
    X : ndarray of shape (n_sequences, n_timesteps, n_channels)
        Sequences padded with trailing all-NaN time steps.

    Returns
    -------
    lengths : ndarray of shape (n_sequences,), dtype int64
        The index after the last time step that is not all-NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import sequence_lengths
    >>> X = np.array([[[1.0], [2.0], [np.nan]], [[1.0], [np.nan], [np.nan]]])
    >>> sequence_lengths(X)
    array([2, 1])
    """
    observed = ~np.isnan(X).all(axis=2)
    n_timesteps = X.shape[1]
    # argmax over the reversed time axis finds the last observed step.
    last_from_end = np.argmax(observed[:, ::-1], axis=1)
    lengths = np.where(observed.any(axis=1), n_timesteps - last_from_end, 0)
    return lengths.astype(np.int64)


def _check_padded(X, lengths):
    """Raise on empty sequences, inner NaN and infinity in a NaN-padded array."""
    empty = np.flatnonzero(lengths == 0)
    if empty.size:
        raise ValueError(
            f"sequence {empty[0]} is empty (all of its time steps are NaN); every "
            "sequence needs at least one observed time step."
        )
    if np.isinf(X).any():
        i, t, c = np.argwhere(np.isinf(X))[0]
        raise ValueError(
            f"Input contains infinity: sequence {i}, time step {t}, channel {c}."
        )
    inside = np.arange(X.shape[1])[None, :] < lengths[:, None]
    missing = np.isnan(X) & inside[:, :, None]
    if missing.any():
        i, t, c = np.argwhere(missing)[0]
        raise ValueError(
            f"Input contains NaN inside sequence {i} at time step {t}, channel {c} "
            f"(its length is {lengths[i]}). NaN is only allowed as trailing "
            "padding, where all channels of a time step are NaN; impute missing "
            "values before fitting, for example with a pipeline step."
        )


def _ragged_to_padded(X):
    """Pad a list of per-sequence arrays; return (padded, channel names)."""
    sequences = []
    names = None
    for i, item in enumerate(X):
        if sp.issparse(item):
            raise TypeError(
                f"Sequence {i} is a sparse matrix; sparse input is not "
                "supported, pass dense arrays."
            )
        if isinstance(item, pd.DataFrame):
            item_names = np.asarray(item.columns, dtype=object)
            if i == 0:
                names = item_names
            elif names is not None and not np.array_equal(names, item_names):
                raise ValueError(
                    f"Sequence {i} has columns {list(item_names)}, but sequence 0 "
                    f"has columns {list(names)}; all DataFrames must have the "
                    "same columns."
                )
        elif i > 0 and names is not None:
            names = None
        values = _as_numeric(item, f"sequence {i}")
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2:
            raise ValueError(
                f"Sequence {i} has {values.ndim} dimensions; each sequence must be "
                "1-D (time steps) or 2-D (time steps, channels)."
            )
        if sequences and values.shape[1] != sequences[0].shape[1]:
            raise ValueError(
                f"Sequence {i} has {values.shape[1]} channels, but sequence 0 has "
                f"{sequences[0].shape[1]}; all sequences must have the same "
                "number of channels."
            )
        sequences.append(values)
    n_timesteps = max(len(s) for s in sequences)
    padded = np.full((len(sequences), n_timesteps, sequences[0].shape[1]), np.nan)
    for i, values in enumerate(sequences):
        padded[i, : len(values)] = values
    if names is not None and not all(isinstance(n, str) for n in names):
        names = None
    return padded, names


def check_sequences(X, *, dtype=np.float32, pad_value=0.0):
    """Validate sequences in any accepted format and pad them into one array.

    Parameters
    ----------
    X : array-like or list of array-like
        Sequences in one of the formats of the module docstring.
    dtype : numpy dtype, default=np.float32
        Dtype of the returned array.
    pad_value : float, default=0.0
        Value written into padded time steps of the returned array.

    Returns
    -------
    padded : ndarray of shape (n_sequences, max_length, n_channels)
        The sequences, each followed by ``pad_value`` up to the longest length.
    lengths : ndarray of shape (n_sequences,), dtype int64
        The true length of each sequence.
    channel_names : ndarray of str or None
        Column names, when the input was DataFrames with string columns.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import check_sequences
    >>> padded, lengths, _ = check_sequences([np.ones(3), np.ones(1)])
    >>> padded.shape, lengths
    ((2, 3, 1), array([3, 1]))
    """
    if sp.issparse(X):
        raise TypeError(
            "Sparse input is not supported: sequences must be dense arrays, a 2-D "
            "or 3-D array, or a list of arrays."
        )
    if X is None or isinstance(X, (str, bytes, numbers.Number)):
        raise ValueError(
            f"Expected sequences (a 2-D or 3-D array or a list of arrays), got "
            f"{type(X).__name__}."
        )
    names = None
    input_shape = getattr(X, "shape", None)
    if isinstance(X, pd.Series):
        X = list(X) if X.dtype == object else X.to_numpy()
    if _is_ragged_container(X):
        padded, names = _ragged_to_padded(X)
    else:
        padded = _as_numeric(X, "X")
        if padded.ndim == 2:
            padded = padded[:, :, None]
        elif padded.ndim != 3:
            raise ValueError(
                f"Expected 2D array (n_sequences, n_timesteps), 3D array "
                f"(n_sequences, n_timesteps, n_channels) or a list of sequences, "
                f"got {padded.ndim}D array instead. Reshape your data: "
                "X.reshape(1, -1) for a single univariate sequence, "
                "X.reshape(-1, 1) for several sequences of length 1."
            )
    shape = input_shape or padded.shape
    if padded.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={shape}) while a minimum of 1 "
            "is required."
        )
    if padded.shape[1] == 0 or padded.shape[2] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 "
            "is required: sequences need at least one time step and one channel."
        )
    # Complete fixed-length data, the common case, needs one pass and no search
    # for padding.
    complete = np.isfinite(padded).all()
    if complete:
        lengths = np.full(len(padded), padded.shape[1], dtype=np.int64)
    else:
        lengths = sequence_lengths(padded)
        _check_padded(padded, lengths)
    overflow_possible = np.finfo(padded.dtype).max > np.finfo(dtype).max
    # A copy: the input may be read-only, and must not change.
    with np.errstate(over="ignore"):
        padded = padded[:, : lengths.max()].astype(dtype, copy=True)
    if overflow_possible and np.isinf(padded).any():
        i, t, c = np.argwhere(np.isinf(padded))[0]
        raise ValueError(
            f"Input value at sequence {i}, time step {t}, channel {c} is too large "
            f"for {np.dtype(dtype).name}; scale the data first."
        )
    if not complete:
        padded[np.isnan(padded)] = pad_value
    return padded, lengths, names


def validate_sequences(estimator, X, *, reset, dtype=np.float32, pad_value=0.0):
    """Check sequences and the channels they have against a fitted estimator.

    The sequence counterpart of :func:`sklearn.utils.validation.validate_data`:
    ``n_features_in_`` is the number of channels and ``feature_names_in_`` the
    column names of DataFrame sequences.

    Parameters
    ----------
    estimator : estimator instance
        Checked against its ``n_features_in_`` (and ``feature_names_in_``) when
        ``reset`` is False. Never changed.
    X : sequences
        Any format accepted by :func:`check_sequences`.
    reset : bool
        True in ``fit``, False in every method that uses a fitted estimator.
    dtype, pad_value
        Passed to :func:`check_sequences`.

    Returns
    -------
    padded : ndarray of shape (n_sequences, max_length, n_channels)
    lengths : ndarray of shape (n_sequences,)
    channels : dict
        With ``reset``, the fitted attributes that describe the channels
        (``n_features_in_``, and ``feature_names_in_`` for named channels), for
        the caller to set once fitting has succeeded; empty otherwise.
    """
    padded, lengths, names = check_sequences(X, dtype=dtype, pad_value=pad_value)
    n_channels = padded.shape[2]
    name = type(estimator).__name__
    if reset:
        channels = {"n_features_in_": n_channels}
        if names is not None:
            channels["feature_names_in_"] = names
        return padded, lengths, channels
    if n_channels != estimator.n_features_in_:
        raise ValueError(
            f"X has {n_channels} features (channels), but {name} is expecting "
            f"{estimator.n_features_in_} features as input."
        )
    fitted_names = getattr(estimator, "feature_names_in_", None)
    if fitted_names is not None and names is None:
        warnings.warn(
            f"X does not have valid feature names, but {name} was fitted with "
            "feature names",
            UserWarning,
            stacklevel=3,
        )
    elif fitted_names is not None and not np.array_equal(fitted_names, names):
        raise ValueError(
            f"The channel names should match those that were passed during fit: "
            f"fitted with {list(fitted_names)}, got {list(names)}."
        )
    return padded, lengths, {}


def set_fitted_channels(estimator, channels):
    """Set the channel attributes ``validate_sequences`` returned in ``fit``.

    A channel name left from an earlier fit on named channels is removed.
    """
    for attribute, value in channels.items():
        setattr(estimator, attribute, value)
    if "feature_names_in_" not in channels and hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_
