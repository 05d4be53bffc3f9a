"""Per-step outputs of long sequences, read in windows and stitched back."""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._estimator.inputs import input_kind
from ._validation import check_positive_int

__all__ = ["predict_in_windows"]


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
    step = _checked_step(window_length, step)
    classifier = is_classifier(model)
    if method not in ("predict", "predict_proba"):
        raise ValueError(
            f"method must be 'predict' or 'predict_proba', got {method!r}."
        )
    if method == "predict_proba" and not classifier:
        raise ValueError("method='predict_proba' needs a classifier.")
    if model is not estimator and len(estimator) > 1:
        X = estimator[:-1].transform(X)
    padded, lengths, channel_names = input_kind(model).read(X)
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
        mean = _mean_over_windows(n, sequence_starts, window_outputs)
        if method == "predict" and classifier:
            mean = model.classes_[np.argmax(mean, axis=1)]
        outputs.append(mean)
    return outputs


def _checked_step(window_length, step):
    """``step`` checked against ``window_length`` (None: a quarter of it,
    rounded up)."""
    check_positive_int(window_length, "window_length")
    if step is None:
        return -(-window_length // 4)
    check_positive_int(step, "step")
    if step > window_length:
        raise ValueError(
            f"step={step} must be at most window_length={window_length}: "
            "further apart, the steps between windows would be in none."
        )
    return step


def _mean_over_windows(n_steps, starts, window_outputs):
    """Each of ``n_steps`` steps' mean output over the windows that start at
    ``starts``, whose outputs ``window_outputs`` gives in turn."""
    total, count = None, np.zeros(n_steps)
    for start in starts:
        output = np.asarray(next(window_outputs), dtype=np.float64)
        if total is None:
            total = np.zeros((n_steps, *output.shape[1:]))
        total[start : start + len(output)] += output
        count[start : start + len(output)] += 1
    return total / count.reshape(-1, *[1] * (total.ndim - 1))
