"""SequenceImputer: fill missing values inside sequences, keep the padding."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .base import SequenceTransformer
from .scaling import magnitude_scaled

__all__ = ["SequenceImputer"]


def _carry(X, observed, backward):
    """Carry each channel's observed values forward (or backward) in time.

    ``X`` is ``(n_sequences, n_timesteps, n_channels)``; ``observed`` marks the
    values to carry. Steps before the first observation (after the last, going
    backward) stay as they are.
    """
    if backward:
        return _carry(X[:, ::-1], observed[:, ::-1], backward=False)[:, ::-1]
    steps = np.arange(X.shape[1])[None, :, None]
    last_seen = np.maximum.accumulate(np.where(observed, steps, -1), axis=1)
    carried = np.take_along_axis(X, np.maximum(last_seen, 0), axis=1)
    return np.where(last_seen >= 0, carried, X)


class SequenceImputer(SequenceTransformer):
    """Fill missing values (NaN) inside sequences; padding stays padding.

    A NaN before a sequence's last observed step is a missing value; trailing
    all-NaN steps are padding (see :func:`sequence_lengths`). Each channel of
    each sequence is first filled from its own observations, carried along
    time as ``fill`` says; values still missing (a channel never observed in a
    sequence, or every value with ``fill=None``) get a per-channel statistic
    learned in ``fit`` from the observed values. The output is the NaN-padded
    3-D array of :class:`SequencePadder`, with no NaN left inside a sequence.
    :class:`~sklearn.impute.SimpleImputer` cannot do this: it reads rows as
    samples, so it cannot take ragged input, and it would fill the padding.

    Parameters
    ----------
    fill : {"forward", "backward"} or None, default="forward"
        "forward" carries the last observation forward (and the first one back
        to the start), "backward" the next observation back (and the last one
        forward to the end); None fills only with the statistic.
    strategy : {"mean", "median", "constant"}, default="mean"
        The per-channel statistic of the observed training values, or
        ``fill_value``.
    fill_value : float, default=0.0
        The value used with ``strategy="constant"``; finite.

    Attributes
    ----------
    statistics_ : ndarray of shape (`n_features_in_`,)
        The value each channel's remaining missing values get.
    n_features_in_ : int
        Number of channels seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Channel names, when ``fit`` got DataFrames with string columns.

    See Also
    --------
    SequencePadder : Pads sequences with NaN.
    sklearn.impute.SimpleImputer : The imputer for tabular rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import SequenceImputer
    >>> X = [np.array([1.0, np.nan, 3.0]), np.array([np.nan, 5.0])]
    >>> SequenceImputer().fit_transform(X)[:, :, 0]
    array([[ 1.,  1.,  3.],
           [ 5.,  5., nan]])
    >>> SequenceImputer(fill=None).fit_transform(X)[:, :, 0]
    array([[ 1.,  3.,  3.],
           [ 3.,  5., nan]])
    """

    _parameter_constraints: dict = {
        "fill": [StrOptions({"forward", "backward"}), None],
        "strategy": [StrOptions({"mean", "median", "constant"})],
        # Finite: a NaN or infinite fill would leave values missing or invalid.
        "fill_value": [Interval(Real, None, None, closed="neither")],
    }

    def __init__(self, *, fill="forward", strategy="mean", fill_value=0.0):
        self.fill = fill
        self.strategy = strategy
        self.fill_value = fill_value

    _allow_missing = True

    def _fit_padded(self, padded, lengths, channels):
        if self.strategy == "constant":
            self.statistics_ = np.full(padded.shape[2], float(self.fill_value))
            return
        values = padded.reshape(-1, padded.shape[2])
        never_observed = np.isnan(values).all(axis=0)
        if never_observed.any():
            c = int(np.flatnonzero(never_observed)[0])
            name = channels.get("feature_names_in_")
            label = f"channel {c}" + (f" ({name[c]!r})" if name is not None else "")
            raise ValueError(
                f"{label} has no observed value in the training data, so "
                f"its {self.strategy} is undefined; drop it or use "
                "strategy='constant'."
            )
        reduce = np.nanmean if self.strategy == "mean" else np.nanmedian
        scaled, power = magnitude_scaled(values, axis=0)  # no overflow
        self.statistics_ = reduce(scaled, axis=0) * power[0]

    def _transform_padded(self, padded, lengths):
        valid = (np.arange(padded.shape[1])[None, :] < lengths[:, None])[:, :, None]
        if self.fill is not None:
            first, then = (False, True) if self.fill == "forward" else (True, False)
            padded = _carry(padded, ~np.isnan(padded), backward=first)
            padded = _carry(padded, ~np.isnan(padded), backward=then)
            # Carrying forward also ran into the padding; it stays padding.
            padded = np.where(valid, padded, np.nan)
        missing = np.isnan(padded) & valid
        padded[missing] = np.broadcast_to(self.statistics_, padded.shape)[missing]
        return padded
