"""Windows of series: cut for training, and per-step outputs stitched back.

``make_windows`` turns series into supervised windows (the past
``window_length`` steps -> the next ones); ``predict_in_windows`` labels long
sequences with a per-step model trained on windows, window by window.
"""

import warnings

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._validation import _as_numeric, check_sequences, check_token_ids

__all__ = ["make_windows", "predict_in_windows"]


def as_float(values, where):
    """``values`` as a float64 array (pandas' NA as NaN), or an error saying where."""
    try:
        return _as_numeric(values, where).astype(np.float64, copy=False)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def _as_series_array(values, name):
    array = as_float(values, name)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one series (a 1-D array or a pandas Series), got an "
            f"array of shape {array.shape}; pass many series as a list of them."
        )
    return array


def _check_positive_int(value, name):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def _window_ends(n_steps, window_length, horizon, step):
    """Last input step of each window, counted back from the newest window."""
    newest = n_steps - horizon - 1
    return np.arange(newest, window_length - 2, -step)[::-1]


def make_windows(y, window_length, horizon=1, *, step=1, X=None):
    """Cut series into supervised windows: past values -> the next ``horizon``.

    Each window holds ``window_length`` consecutive steps of a series (plus the
    same steps of its exogenous variables as extra channels) and its target the
    ``horizon`` values that follow. Windows are taken every ``step`` steps,
    counted back from the end, so the most recent window is always included.
    Nothing is scaled or shuffled: windows come in time order, series after
    series.

    Parameters
    ----------
    y : array-like of shape (n_steps,) or list of such
        One series, or many series (of any lengths) as a list.
    window_length : int
        Number of past steps a window holds.
    horizon : int, default=1
        Number of following values a window's target holds.
    step : int, default=1
        Distance between the ends of consecutive windows.
    X : array-like of shape (n_steps, n_exog) or list of such, default=None
        Exogenous variables aligned with ``y`` (a list aligned with a list of
        series); they become channels 1, 2, ... of the windows.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, 1 + n_exog)
        Channel 0 is the series itself.
    targets : ndarray of shape (n_windows, horizon)
        The values that follow each window.

    Notes
    -----
    Consecutive windows overlap. To split windows of one series for
    validation without leaking targets into training, keep time order and
    leave a gap of ``horizon - 1`` windows (``step=1``), for example
    ``TimeSeriesSplit(gap=horizon - 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import make_windows
    >>> windows, targets = make_windows(np.arange(6.0), window_length=3, horizon=2)
    >>> windows[:, :, 0]
    array([[0., 1., 2.],
           [1., 2., 3.]])
    >>> targets
    array([[3., 4.],
           [4., 5.]])
    """
    _check_positive_int(window_length, "window_length")
    _check_positive_int(horizon, "horizon")
    _check_positive_int(step, "step")
    many = isinstance(y, (list, tuple))
    series = list(y) if many else [y]
    if not series:
        raise ValueError("y is an empty list: no series to cut into windows.")
    if X is None:
        exog = [None] * len(series)
    else:
        exog = list(X) if many else [X]
        if len(exog) != len(series):
            raise ValueError(
                f"X holds exogenous variables for {len(exog)} series, y holds "
                f"{len(series)}."
            )
    windows, targets = [], []
    for i, (values, extra) in enumerate(zip(series, exog, strict=True)):
        where = f"series {i}" if many else "y"
        values = _as_series_array(values, where)
        if not np.isfinite(values).all():
            raise ValueError(
                f"{where} holds missing or infinite values; windows need every value."
            )
        channels = values[:, None]
        if extra is not None:
            extra = as_float(extra, f"The exogenous variables of {where}")
            extra = extra[:, None] if extra.ndim == 1 else extra
            if extra.ndim != 2 or len(extra) != len(values):
                raise ValueError(
                    f"The exogenous variables of {where} have shape {extra.shape}; "
                    f"expected ({len(values)}, n_exog), one row per step."
                )
            if not np.isfinite(extra).all():
                raise ValueError(
                    f"The exogenous variables of {where} hold missing or infinite "
                    "values; windows need every value."
                )
            channels = np.hstack([channels, extra])
        if len(values) < window_length + horizon:
            continue  # too short for a window
        ends = _window_ends(len(values), window_length, horizon, step)
        # sliding_window_view: (n_steps - w + 1, n_channels, w), a view.
        past = sliding_window_view(channels, window_length, axis=0)
        windows.append(past[ends - window_length + 1].transpose(0, 2, 1))
        future = sliding_window_view(values, horizon)
        targets.append(future[ends + 1])
    if not windows:
        raise ValueError(
            f"No window fits: a window needs window_length + horizon = "
            f"{window_length + horizon} steps, the longest series has "
            f"{max(len(_as_series_array(s, 'y')) for s in series)}."
        )
    if len({w.shape[2] for w in windows}) > 1:
        raise ValueError(
            "Every series needs the same number of exogenous variables; got "
            f"{sorted({w.shape[2] - 1 for w in windows})}."
        )
    return np.concatenate(windows), np.concatenate(targets)


def _window_starts(length, window_length, step):
    """First step of each window over a sequence; the last window ends with it."""
    if length <= window_length:
        return np.array([0])
    starts = np.arange(0, length - window_length + 1, step)
    return np.union1d(starts, [length - window_length])


def predict_in_windows(estimator, X, window_length, *, step=None, method="predict"):
    """Per-step outputs of long sequences, averaged over overlapping windows.

    A per-step model (``per_step=True``) trained on windows of a few hundred
    steps has only seen sequences of that length; read whole, a much longer
    sequence takes its recurrent state where training never went. This reads
    each sequence in windows of the training length instead, every ``step``
    steps (the last window ends with the sequence), and gives each step the
    mean of the outputs of the windows that hold it: class probabilities for
    a classifier, predictions for a regressor. Steps near a window's edge miss
    part of their context; overlapping windows give every step some windows
    where it is near the middle. Sequences up to ``window_length`` steps are
    read whole. Windows also bound the memory of ``cell="transformer"``,
    whose attention grows with the square of the length (2.5 GB for one
    8,000-step stream read whole, against 11 MB for a GRU).

    Parameters
    ----------
    estimator : fitted estimator
        An :class:`RNNClassifier` or :class:`RNNRegressor` with
        ``per_step=True``, or a Pipeline that ends in one: its transformers
        run on the whole sequences first, and the final model reads their
        output in windows.
    X : sequences
        What ``estimator`` predicts from: numeric sequences in any format
        :func:`check_sequences` accepts, or token ids
        (:func:`check_token_ids`) for a model with ``embedding_dim`` (texts,
        for a Pipeline that starts with a :class:`TokenSequencer`). One long
        sequence is a list of one: ``[stream]``.
    window_length : int
        Steps per window: the length of the training windows.
    step : int or None, default=None
        Distance between the starts of consecutive windows, at most
        ``window_length`` (further apart, some steps would be in no window).
        None is a quarter of ``window_length``, rounded up, so that most
        steps are read by four windows.
    method : {"predict", "predict_proba"}, default="predict"
        "predict": labels from the averaged probabilities (classifier) or the
        averaged predictions (regressor); "predict_proba": the averaged
        probabilities, in the order of ``estimator.classes_``.

    Returns
    -------
    outputs : list of ndarray
        One array per sequence, of its length: labels, predictions (of shape
        ``(length, n_targets)`` where the model was fitted on several targets
        per step) or probabilities of shape ``(length, n_classes)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import RNNClassifier, predict_in_windows
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 20, 1))
    >>> y = (X[:, :, 0] > 0).astype(int)  # label each step: is it positive?
    >>> tagger = RNNClassifier(per_step=True, hidden_size=8, max_epochs=20,
    ...                        random_state=0).fit(X, y)
    >>> stream = rng.normal(size=500)  # a long sequence, read 20 steps at a time
    >>> labels = predict_in_windows(tagger, [stream], window_length=20)[0]
    >>> labels.shape
    (500,)
    """
    model = estimator[-1] if isinstance(estimator, Pipeline) else estimator
    if not getattr(model, "per_step", False):
        raise ValueError(
            "predict_in_windows needs a fitted RNNClassifier or RNNRegressor "
            "with per_step=True, or a Pipeline ending in one (for a search, "
            f"pass its best_estimator_); got {type(model).__name__}"
            + (" with per_step=False." if hasattr(model, "per_step") else ".")
        )
    check_is_fitted(model)
    _check_positive_int(window_length, "window_length")
    if step is None:
        step = -(-window_length // 4)
    else:
        _check_positive_int(step, "step")
        if step > window_length:
            raise ValueError(
                f"step={step} must be at most window_length={window_length}: "
                "further apart, the steps between windows would be in none."
            )
    if method not in ("predict", "predict_proba"):
        raise ValueError(
            f"method must be 'predict' or 'predict_proba', got {method!r}."
        )
    classifier = is_classifier(model)
    if method == "predict_proba" and not classifier:
        raise ValueError("method='predict_proba' needs a classifier.")
    if model is not estimator and len(estimator) > 1:
        X = estimator[:-1].transform(X)
    if model.embedding_dim is None:
        padded, lengths, channel_names = check_sequences(X, dtype=np.float64)
    else:
        (padded, lengths), channel_names = check_token_ids(X), None
    if lengths.max() <= window_length:
        warnings.warn(
            f"No sequence is longer than window_length={window_length}, so "
            "each was read whole, as predict reads it. One long sequence is a "
            "list of one, [stream]: a 2-D array is many univariate sequences.",
            UserWarning,
            stacklevel=2,
        )
    starts = [_window_starts(n, window_length, step) for n in lengths]
    windows = [
        padded[i, start : start + min(window_length, n)]
        for i, (n, sequence_starts) in enumerate(zip(lengths, starts, strict=True))
        for start in sequence_starts
    ]
    if channel_names is not None:  # a model fitted on DataFrames gets DataFrames
        windows = [pd.DataFrame(window, columns=channel_names) for window in windows]
    window_outputs = iter(
        model.predict_proba(windows) if classifier else model.predict(windows)
    )
    outputs = []
    for n, sequence_starts in zip(lengths, starts, strict=True):
        total, count = None, np.zeros(n)
        for start in sequence_starts:
            output = np.asarray(next(window_outputs), dtype=np.float64)
            if total is None:
                total = np.zeros((n, *output.shape[1:]))
            total[start : start + len(output)] += output
            count[start : start + len(output)] += 1
        mean = total / count.reshape(-1, *[1] * (total.ndim - 1))
        if method == "predict" and classifier:
            mean = model.classes_[np.argmax(mean, axis=1)]
        outputs.append(mean)
    return outputs
