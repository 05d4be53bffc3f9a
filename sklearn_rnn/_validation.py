"""Input validation: every accepted sequence format to one padded array.

This module is the one place that knows the padding convention:

* a 3-D array ``(n_sequences, n_timesteps, n_channels)`` holds numeric sequences;
  trailing time steps whose channels are all NaN are padding, and the length of a
  sequence is the index after its last step that is not all-NaN;
* a 2-D array or DataFrame ``(n_sequences, n_timesteps)`` holds univariate
  sequences (one channel), padded the same way;
* a list, tuple or 1-D object array of 1-D arrays, 2-D arrays, Series or
  DataFrames holds sequences of different lengths (ragged input), as does a
  DataFrame whose cells are Series (sktime's ``nested_univ``: a row per
  sequence, a column per channel);
* NaN before the end of a sequence is a missing value, and an error.

Token ids (the input of an estimator with ``embedding_dim``) follow the same
convention with 0 as padding: a 2-D integer array holds one sequence per row,
padded with trailing zeros, or a list holds 1-D integer sequences of any
lengths; id 1 stands for an unknown token.
"""

import numbers
import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .exceptions import ChannelLayoutWarning

__all__ = [
    "as_float",
    "check_positive_int",
    "check_sequences",
    "check_token_ids",
    "refuse_text_and_dates",
    "sequence_lengths",
    "set_fitted_channels",
    "validate_sequences",
]

# Reserved token ids.
PADDING_ID = 0
UNKNOWN_ID = 1

_MISSING_VALUE_HELP = (
    "NaN is only allowed as trailing padding, where all channels of a time step "
    "are NaN. Fill missing values with sklearn_rnn.SequenceImputer as the first "
    "step of a Pipeline."
)


def _text_or_time(values):
    """What ``values`` (a 1-D or N-D array) holds that is not a number: "text",
    "dates" or "durations"; None for numbers (objects holding numbers too)."""
    kind = values.dtype.kind
    if kind in "US":
        return "text"
    if kind in "Mm":
        return "dates" if kind == "M" else "durations"
    if kind == "O" and any(isinstance(v, (str, bytes)) for v in values.flat):
        return "text"
    return None


def _column_problem(column):
    """What a pandas column holds that is not numbers (with its dtype), or None."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return None
    if pd.api.types.is_object_dtype(dtype):
        held = _text_or_time(column.to_numpy())
        return None if held is None else f"{held} (dtype object)"
    if isinstance(dtype, pd.CategoricalDtype):
        held = "categories"
    elif isinstance(dtype, pd.PeriodDtype):
        held = "periods"
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        held = "dates"
    elif pd.api.types.is_timedelta64_dtype(dtype):
        held = "durations"
    elif pd.api.types.is_string_dtype(dtype):
        held = "text"
    else:
        held = "values other than numbers"
    return f"{held} (dtype {dtype})"


def refuse_text_and_dates(array, where):
    """Refuse text, dates and durations: converting them to float would read
    numbers written as text, or nanoseconds since 1970, as values."""
    if isinstance(array, pd.DataFrame):
        for name, column in array.items():
            problem = _column_problem(column)
            if problem is not None:
                raise ValueError(
                    f"{where} must hold numbers, but its column {name!r} holds "
                    f"{problem}. Convert it explicitly (pd.to_numeric for numbers "
                    "written as text; the elapsed time as a number, for example "
                    "(t - t[0]) / pd.Timedelta('1D'), for dates) or leave it out."
                )
        return
    held = (
        _column_problem(array)
        if isinstance(array, pd.Series)
        else _text_or_time(array) and f"{_text_or_time(array)} (dtype {array.dtype})"
    )
    if held is not None:
        raise ValueError(
            f"{where} must hold numbers, but holds {held}. Convert it explicitly "
            "(for example np.asarray(values, dtype=float) for numbers written as "
            "text) or encode categories (one-hot) first."
        )


def _as_numeric(array, where):
    """Return ``array`` as a float ndarray, or raise an error saying where."""
    if isinstance(array, (pd.DataFrame, pd.Series)):
        refuse_text_and_dates(array, where)
        try:
            # Nullable pandas dtypes (Int64, Float64, boolean) hold pd.NA.
            return array.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise type(exc)(
                f"{where} must hold numbers, but converting it to float failed: {exc}"
            ) from exc
    try:
        array = np.asarray(array)
    except ValueError as exc:  # nested sequences of different lengths
        raise ValueError(f"{where} is not an array of numbers: {exc}") from exc
    if np.iscomplexobj(array):
        raise ValueError(f"Complex data not supported; {where} is complex.")
    if array.dtype.kind == "f":
        return array
    refuse_text_and_dates(array, where)
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise type(exc)(
            f"{where} must hold numbers, but converting it to float failed: {exc}"
        ) from exc


def _is_nested_frame(X):
    """A DataFrame whose cells hold whole series (sktime's ``nested_univ``)."""
    return (
        isinstance(X, pd.DataFrame)
        and X.shape[0] > 0
        and X.shape[1] > 0
        and all(dtype is np.dtype(object) for dtype in X.dtypes)
        and isinstance(X.iat[0, 0], (pd.Series, np.ndarray, list))
    )


def _is_ragged_container(X):
    if isinstance(X, (list, tuple)):
        return len(X) > 0 and all(
            isinstance(item, (np.ndarray, pd.DataFrame, pd.Series, list, tuple))
            or sp.issparse(item)
            for item in X
        )
    return isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1


def _no_sequences_error(X):
    """The error for input without a sequence, saying what it got."""
    given = (
        f"shape {X.shape}" if hasattr(X, "shape") else f"an empty {type(X).__name__}"
    )
    return ValueError(f"X holds no sequences ({given}); at least one is required.")


def _channel(c, names):
    return f"channel {c}" if names is None else f"channel {c} ({names[c]!r})"


def frame_values(frame):
    """The values of a DataFrame of rows, with pandas' nullable numeric columns
    as NumPy ones: int64 when whole and complete, else float64 with NaN for NA
    (``to_numpy`` alone would give objects)."""
    dtypes = frame.dtypes
    if not all(
        pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        for dtype in dtypes
    ):
        return frame.to_numpy()
    if all(pd.api.types.is_integer_dtype(dtype) for dtype in dtypes) and not (
        frame.isna().to_numpy().any()
    ):
        return frame.to_numpy(dtype=np.int64)
    return frame.to_numpy(dtype=np.float64, na_value=np.nan)


def sequence_lengths(X):
    """Lengths of NaN-padded sequences.

    Parameters
    ----------
    X : ndarray of shape (n_sequences, n_timesteps, n_channels) or \
            (n_sequences, n_timesteps)
        Sequences padded with trailing all-NaN time steps; a 2-D array holds
        univariate sequences.

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
    X = _as_numeric(X, "X")
    if X.ndim == 2:
        X = X[:, :, None]
    if X.ndim != 3:
        raise ValueError(
            "sequence_lengths takes a NaN-padded array of shape (n_sequences, "
            f"n_timesteps, n_channels) or (n_sequences, n_timesteps), got shape "
            f"{X.shape}."
        )
    observed = ~np.isnan(X).all(axis=2)
    n_timesteps = X.shape[1]
    if n_timesteps == 0:
        return np.zeros(len(X), dtype=np.int64)
    # argmax over the reversed time axis finds the last observed step.
    last_from_end = np.argmax(observed[:, ::-1], axis=1)
    lengths = np.where(observed.any(axis=1), n_timesteps - last_from_end, 0)
    return lengths.astype(np.int64)


def _check_values(X, lengths, names, allow_missing, offset=0):
    """Raise on empty sequences, infinity and (unless allowed) inner NaN.

    ``X`` is NaN-padded, ``(n_sequences, n_timesteps, n_channels)``; sequence
    numbers in messages start at ``offset``.
    """
    empty = np.flatnonzero(lengths == 0)
    if empty.size:
        raise ValueError(
            f"sequence {empty[0] + offset} is empty (all of its time steps are "
            "NaN); every sequence needs at least one observed time step."
        )
    infinite = np.isinf(X)
    if infinite.any():
        i, t, c = np.argwhere(infinite)[0]
        raise ValueError(
            f"Input contains infinity: sequence {i + offset}, time step {t}, "
            f"{_channel(c, names)}."
        )
    if allow_missing:
        return
    inside = np.arange(X.shape[1])[None, :] < lengths[:, None]
    missing = np.isnan(X) & inside[:, :, None]
    if missing.any():
        i, t, c = np.argwhere(missing)[0]
        raise ValueError(
            f"Input contains NaN inside sequence {i + offset} at time step {t}, "
            f"{_channel(c, names)} (its length is {lengths[i]}). " + _MISSING_VALUE_HELP
        )


def _frame_rows(X):
    """The rows of a ``nested_univ`` DataFrame as 2-D arrays, and its columns."""
    sequences = []
    for i, row in enumerate(X.itertuples(index=False)):
        cells = [_as_numeric(cell, f"sequence {i}").ravel() for cell in row]
        if len({len(cell) for cell in cells}) > 1:
            raise ValueError(
                f"Sequence {i} (row {i} of the nested DataFrame) has channels of "
                f"different lengths {[len(cell) for cell in cells]}; the channels "
                "of a sequence must have one length."
            )
        sequences.append(np.column_stack(cells))
    return sequences, np.asarray(X.columns, dtype=object)


def _ragged_items(X):
    """Check each sequence of ragged input; return them as 2-D arrays, and names."""
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
    return sequences, names


def _pad_items(sequences, names, dtype, pad_value, allow_missing):
    """Pad checked 2-D sequences into one array of ``dtype`` (no float64 copy)."""
    lengths = np.array(
        [
            sequence_lengths(values[None])[0] if len(values) else 0
            for values in sequences
        ],
        dtype=np.int64,
    )
    for i, values in enumerate(sequences):
        _check_values(
            values[None, : max(lengths[i], 1)],
            lengths[i : i + 1],
            names,
            allow_missing,
            offset=i,
        )
    n_timesteps = int(lengths.max())
    n_channels = sequences[0].shape[1]
    padded = np.full((len(sequences), n_timesteps, n_channels), pad_value, dtype)
    for i, values in enumerate(sequences):
        _fill_checked(padded[i : i + 1, : lengths[i]], values[None, : lengths[i]], i)
    return padded, lengths


def _fill_checked(target, values, offset):
    """Copy ``values`` into ``target``, refusing values too large for its dtype.

    Both are ``(n_sequences, n_timesteps, n_channels)``; sequence numbers in
    messages start at ``offset``.
    """
    with np.errstate(over="ignore"):
        target[...] = values
    if np.finfo(values.dtype).max > np.finfo(target.dtype).max:
        overflow = np.isinf(target) & np.isfinite(values)
        if overflow.any():
            i, t, c = np.argwhere(overflow)[0]
            raise ValueError(
                f"Input value at sequence {i + offset}, time step {t}, channel {c} "
                f"is too large for {target.dtype.name}; scale the data first."
            )


def check_sequences(X, *, dtype=np.float32, pad_value=0.0, allow_missing=False):
    """Validate sequences in any accepted format and pad them into one array.

    Parameters
    ----------
    X : array-like or list of array-like
        Sequences in one of the formats of the module docstring.
    dtype : numpy dtype, default=np.float32
        Dtype of the returned array.
    pad_value : float, default=0.0
        Value written into padded time steps of the returned array.
    allow_missing : bool, default=False
        Whether NaN inside a sequence (a missing value) is accepted and kept;
        otherwise it is an error.

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
    _refuse_containers(X)
    if isinstance(X, pd.Series) and X.dtype == object:  # a Series of sequences
        X = list(X)
    if isinstance(X, (list, tuple)) and len(X) == 0:
        raise _no_sequences_error(X)
    if _is_ragged_container(X) and len(X) == 0:  # an empty object array
        raise _no_sequences_error(X)
    if _is_nested_frame(X) or _is_ragged_container(X):
        sequences, names = _frame_rows(X) if _is_nested_frame(X) else _ragged_items(X)
        if names is not None and not all(isinstance(n, str) for n in names):
            names = None
        padded, lengths = _pad_items(sequences, names, dtype, pad_value, allow_missing)
        return padded, lengths, names
    padded, lengths = _pad_array(X, dtype, pad_value, allow_missing)
    return padded, lengths, None


def _refuse_containers(X):
    """Refuse what holds no sequences, or holds them in no reliable order:
    sparse matrices, scalars, long-format frames, iterators, sets, dicts."""
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
    if isinstance(X, pd.DataFrame) and X.index.nlevels > 1:
        raise ValueError(
            f"X is a DataFrame with a {X.index.nlevels}-level row index, which "
            "looks like long format (sktime's pd-multiindex: one row per time "
            "step, not per sequence). Convert it with "
            "sklearn_rnn.from_long_format(X), which reads an (id, time) "
            "MultiIndex, and pass the sequences it returns."
        )
    if isinstance(X, (Iterator, set, frozenset)):
        what = "an iterator" if isinstance(X, Iterator) else "a set"
        raise TypeError(
            f"X is {what} ({type(X).__name__}); sequences must be an array or a "
            "list, which can be read more than once and in order: pass list(X)."
        )
    if isinstance(X, dict):
        raise TypeError(
            "Expected sequences (a 2-D or 3-D array or a list of arrays), got a "
            "dict; pass its values as a list, for example list(X.values())."
        )


def _pad_array(X, dtype, pad_value, allow_missing):
    """A 2-D or 3-D array of sequences (trailing NaN as padding) as the padded
    array of ``dtype`` and the lengths."""
    input_shape = getattr(X, "shape", None)
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
    if padded.shape[0] == 0:
        raise _no_sequences_error(X)
    if padded.shape[1] == 0 or padded.shape[2] == 0:
        missing = "time steps" if padded.shape[1] == 0 else "channels"
        # scikit-learn's wording, which its estimator checks expect.
        raise ValueError(
            f"X has no {missing}: found array with 0 feature(s) (shape="
            f"{input_shape or padded.shape}) while a minimum of 1 is required; "
            "every sequence needs at least one time step and one channel."
        )
    # Complete fixed-length data, the common case, needs one pass and no search
    # for padding.
    complete = np.isfinite(padded).all()
    if complete:
        lengths = np.full(len(padded), padded.shape[1], dtype=np.int64)
    else:
        lengths = sequence_lengths(padded)
        _check_values(padded, lengths, None, allow_missing)
    # One copy into the output dtype: the input may be read-only, and must not
    # change.
    out = np.empty((len(padded), lengths.max(), padded.shape[2]), dtype)
    for start in range(0, len(padded), 4096):  # bounds the overflow check's memory
        _fill_checked(
            out[start : start + 4096],
            padded[start : start + 4096, : lengths.max()],
            start,
        )
    if not complete:
        padding = np.arange(out.shape[1])[None, :] >= lengths[:, None]
        out[padding] = pad_value
    return out, lengths


def validate_sequences(
    estimator, X, *, reset, dtype=np.float32, pad_value=0.0, allow_missing=False
):
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
    dtype, pad_value, allow_missing
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
    padded, lengths, names = check_sequences(
        X, dtype=dtype, pad_value=pad_value, allow_missing=allow_missing
    )
    n_channels = padded.shape[2]
    name = type(estimator).__name__
    input_ndim = _array_ndim(X)
    if reset and input_ndim == 3 and X.shape[2] > X.shape[1]:
        warnings.warn(
            f"X has shape {X.shape}: {name} reads it as {X.shape[1]} time steps "
            f"of {X.shape[2]} channels, the layout (n_sequences, n_timesteps, "
            "n_channels). If X is laid out (n_sequences, n_channels, "
            "n_timesteps), as sktime's, aeon's and tsai's numpy3D, pass "
            "X.transpose(0, 2, 1), or put SequencePadder(channels_first=True) "
            "before the estimator in a Pipeline. If the layout is right, silence "
            "this with warnings.filterwarnings('ignore', "
            "category=sklearn_rnn.exceptions.ChannelLayoutWarning).",
            ChannelLayoutWarning,
            stacklevel=3,
        )
    if reset:
        channels = {"n_features_in_": n_channels}
        if names is not None:
            channels["feature_names_in_"] = names
        return padded, lengths, channels
    if n_channels != estimator.n_features_in_:
        hint = ""
        if input_ndim == 2:
            hint = (
                " A 2-D array is read as univariate sequences, one per row; pass "
                f"one sequence of shape (n_timesteps, {estimator.n_features_in_}) "
                "in a list, [x], or as x[None]."
            )
        raise ValueError(
            f"X has {n_channels} features (channels), but {name} is expecting "
            f"{estimator.n_features_in_} features as input.{hint}"
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


def _array_ndim(X):
    """The dimensions of an array or DataFrame of sequences; None for ragged input."""
    if isinstance(X, pd.DataFrame):
        return None if _is_nested_frame(X) else 2
    if isinstance(X, np.ndarray) and X.dtype != object:
        return X.ndim
    return None


def set_fitted_channels(estimator, channels):
    """Set the channel attributes ``validate_sequences`` returned in ``fit``.

    A channel name left from an earlier fit on named channels is removed.
    """
    for attribute, value in channels.items():
        setattr(estimator, attribute, value)
    if "feature_names_in_" not in channels and hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_


def _as_token_ids(values, where):
    """``values`` as a 1-D or 2-D int64 array, or an error saying where."""
    try:
        array = np.asarray(values)
    except ValueError as exc:  # nested sequences of different lengths
        raise ValueError(f"{where} is not an array of token ids: {exc}") from exc
    if np.issubdtype(array.dtype, np.floating) and np.isnan(array).any():
        raise ValueError(
            f"{where} holds missing values (NaN); token ids are padded with 0."
        )
    # Whole floats are ids too (a pipeline step may have cast them).
    integral = np.issubdtype(array.dtype, np.integer) or (
        np.issubdtype(array.dtype, np.floating)
        and np.isfinite(array).all()
        and (array == np.round(array)).all()
    )
    if not integral:
        raise ValueError(
            f"{where} must hold integer token ids (embedding_dim is set), got "
            f"values of dtype {array.dtype}. Turn texts into ids with "
            "sklearn_rnn.TokenSequencer."
        )
    # int64 would wrap them around; the bound is compared in the array's kind.
    if array.dtype.kind == "f":
        too_large = array >= np.float64(2**63)
    else:
        too_large = array > np.iinfo(np.int64).max
    if too_large.any():
        raise ValueError(
            f"{where} holds token id {array[too_large].flat[0]:g}, beyond the int64 "
            "ids can be; number ids densely from 2, as sklearn_rnn.TokenSequencer "
            "does."
        )
    if (array < 0).any():
        raise ValueError(f"{where} holds a negative token id: ids start at 0.")
    return array.astype(np.int64)


def check_token_ids(X):
    """Token-id sequences as one 0-padded int64 array and their lengths.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps) or list of 1-D array-like
        Integer ids: rows padded with trailing zeros, or sequences of any
        lengths. Id 0 is padding and may only trail a sequence.

    Returns
    -------
    padded : ndarray of shape (n_sequences, max_length), dtype int64
    lengths : ndarray of shape (n_sequences,)

    Examples
    --------
    >>> from sklearn_rnn import check_token_ids
    >>> padded, lengths = check_token_ids([[5, 2, 9], [7]])
    >>> padded
    array([[5, 2, 9],
           [7, 0, 0]])
    >>> lengths
    array([3, 1])
    """
    if sp.issparse(X):
        raise TypeError("Token ids must be dense; got a sparse matrix.")
    if isinstance(X, pd.DataFrame):  # rows of ids; iterating it gives columns
        X = frame_values(X)
    if isinstance(X, np.ndarray) and X.dtype != object:
        if X.ndim != 2:
            raise ValueError(
                f"A token-id array must be 2-D (n_sequences, n_timesteps), got "
                f"shape {X.shape}."
            )
        padded = _as_token_ids(X, "X")
    else:
        if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
            raise TypeError(
                f"Token ids must be a 2-D integer array or a list of id sequences, "
                f"got {type(X).__name__}."
            )
        sequences = [_as_token_ids(x, f"Sequence {i}") for i, x in enumerate(X)]
        for i, sequence in enumerate(sequences):
            if sequence.ndim != 1:
                raise ValueError(
                    f"Sequence {i} of token ids must be 1-D, got shape "
                    f"{sequence.shape}."
                )
        padded = np.zeros(
            (len(sequences), max((len(x) for x in sequences), default=0)), np.int64
        )
        for i, sequence in enumerate(sequences):
            padded[i, : len(sequence)] = sequence
    if len(padded) == 0:
        raise _no_sequences_error(X)
    # A sequence ends after its last nonzero id (0 for none, also without
    # columns); a zero before that is padding inside a sequence.
    nonzero = padded != PADDING_ID
    n_timesteps = padded.shape[1]
    lengths = np.max(nonzero * np.arange(1, n_timesteps + 1), axis=1, initial=0)
    inside = np.arange(n_timesteps)[None, :] < lengths[:, None]
    bad = np.flatnonzero((inside & ~nonzero).any(axis=1))
    if len(bad):
        raise ValueError(
            f"Sequence {bad[0]} holds the padding id 0 before its last token; "
            "0 may only trail a sequence (use 1 for an unknown token)."
        )
    empty = np.flatnonzero(lengths == 0)
    if len(empty):
        raise ValueError(
            f"Sequence {empty[0]} holds no token id: every sequence needs at "
            "least one (an empty text can be one unknown id, 1)."
        )
    return padded, lengths


def as_float(values, where):
    """``values`` as a float64 array (pandas' NA as NaN), or an error saying where."""
    try:
        return _as_numeric(values, where).astype(np.float64, copy=False)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def check_positive_int(value, name):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
