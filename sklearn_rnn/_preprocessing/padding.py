"""SequencePadder: ragged sequences in, one NaN-padded 3-D array out."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._validation import _as_numeric, _is_nested_frame, sequence_lengths
from .base import SequenceTransformer

__all__ = ["SequencePadder"]


def _trailing_value_as_nan(values, value, *, rows, first=0):
    """A float copy of ``values`` whose trailing steps that equal ``value`` in
    every channel are NaN.

    ``rows``: ``values`` holds sequences, ``(n_sequences, n_timesteps)`` or
    ``(n_sequences, n_timesteps, n_channels)``; otherwise it is one sequence,
    ``(n_timesteps,)`` or ``(n_timesteps, n_channels)``, sequence ``first``
    in error messages.
    """
    values = np.array(values, dtype=np.float64)
    steps = values if rows else values[None]
    if steps.ndim == 2:
        steps = steps[:, :, None]
    is_padding = (steps == value).all(axis=2)
    # A step is padding when it and every later step are.
    trailing = np.flip(np.cumprod(np.flip(is_padding, axis=1), axis=1), axis=1)
    empty = np.flatnonzero(trailing.all(axis=1) & (steps.shape[1] > 0))
    if empty.size:
        raise ValueError(
            f"Sequence {empty[0] + first} holds padding_value={value:g} in every "
            "channel of every time step: nothing of it is left once padding is "
            "taken off."
        )
    steps[trailing.astype(bool)] = np.nan
    return values


class SequencePadder(SequenceTransformer):
    """Pad sequences of any lengths into one 3-D array, with NaN as padding.

    Accepts every sequence format of the library (lists of 1-D/2-D arrays or
    DataFrames, object arrays, 2-D and 3-D arrays) and returns an array of
    shape ``(n_sequences, length, n_channels)`` whose padded time steps are all
    NaN, so that the true lengths stay recoverable (:func:`sequence_lengths`).
    Being an array, its output goes through a :class:`~sklearn.pipeline.Pipeline`
    and cross-validation splits.

    Parameters
    ----------
    max_length : int or None, default=None
        Length of the output. None: the longest sequence in the data given to
        ``transform``. Longer sequences are truncated as ``truncating`` says.
    truncating : {"pre", "post"}, default="post"
        Which end of a sequence longer than ``max_length`` is cut: "pre" drops
        its first steps (keeps the most recent ones), "post" its last steps.
    min_length : int or None, default=None
        If set, ``fit`` and ``transform`` raise a ValueError naming any sequence
        shorter than this.
    channels_first : bool, default=False
        Whether the input has channels before time steps: 3-D arrays
        ``(n_sequences, n_channels, n_timesteps)`` or sequences
        ``(n_channels, n_timesteps)``, as sktime's and aeon's ``numpy3D``, tsai
        and PyTorch's ``Conv1d`` lay them out. A channel-first array given
        as it is would be read with its channels as time steps.
    padding_value : float or None, default=None
        A value that marks padding in the input besides NaN, as Keras's and
        tsai's zero padding does: trailing time steps whose channels all
        equal it are padding (NaN in the output). None: only NaN is padding.
        A real trailing step of that value in every channel is read as
        padding too, so choose a value the data never take in all channels
        at once.

    Attributes
    ----------
    n_features_in_ : int
        Number of channels seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Channel names, when ``fit`` got DataFrames with string columns.

    See Also
    --------
    sequence_lengths : Lengths of NaN-padded sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import SequencePadder
    >>> X = [np.array([1.0, 2.0, 3.0]), np.array([4.0])]
    >>> padded = SequencePadder().fit_transform(X)
    >>> padded[:, :, 0]
    array([[ 1.,  2.,  3.],
           [ 4., nan, nan]])
    >>> SequencePadder(max_length=2, truncating="pre").fit_transform(X)[:, :, 0]
    array([[ 2.,  3.],
           [ 4., nan]])
    """

    _parameter_constraints: dict = {
        "max_length": [None, Interval(Integral, 1, None, closed="left")],
        "truncating": [StrOptions({"pre", "post"})],
        "min_length": [None, Interval(Integral, 1, None, closed="left")],
        "channels_first": ["boolean"],
        "padding_value": [None, Real],
    }

    def __init__(
        self,
        *,
        max_length=None,
        truncating="post",
        min_length=None,
        channels_first=False,
        padding_value=None,
    ):
        self.max_length = max_length
        self.truncating = truncating
        self.min_length = min_length
        self.channels_first = channels_first
        self.padding_value = padding_value

    def _prepare(self, X):
        X = self._channels_last(X)
        if self.padding_value is None or (
            isinstance(self.padding_value, float) and np.isnan(self.padding_value)
        ):
            return X
        if isinstance(X, np.ndarray) and X.dtype != object and X.ndim in (2, 3):
            return _trailing_value_as_nan(X, self.padding_value, rows=True)
        if isinstance(X, pd.DataFrame) and not _is_nested_frame(X):
            return _trailing_value_as_nan(
                _as_numeric(X, "X"), self.padding_value, rows=True
            )
        if not isinstance(X, (list, tuple, np.ndarray)):
            return X  # check_sequences says what is wrong with it
        return [
            _trailing_value_as_nan(
                _as_numeric(x, f"sequence {i}"), self.padding_value, rows=False, first=i
            )
            for i, x in enumerate(X)
        ]

    def _channels_last(self, X):
        if not self.channels_first:
            return X
        if isinstance(X, np.ndarray) and X.dtype != object:
            if X.ndim != 3:
                raise ValueError(
                    f"channels_first=True expects a 3-D array (n_sequences, "
                    f"n_channels, n_timesteps), got a {X.ndim}-D array."
                )
            return X.transpose(0, 2, 1)
        if not isinstance(X, (list, tuple, np.ndarray)):
            raise TypeError(
                "channels_first=True expects a 3-D array or a list of "
                f"(n_channels, n_timesteps) sequences, got {type(X).__name__}."
            )
        return [np.asarray(x).T for x in X]

    def _check_min_length(self, lengths):
        if self.min_length is not None and lengths.min() < self.min_length:
            i = int(np.argmin(lengths))
            raise ValueError(
                f"Sequence {i} has length {lengths[i]}, shorter than "
                f"min_length={self.min_length}."
            )

    def _fit_padded(self, padded, lengths, channels):
        self._check_min_length(lengths)

    def _transform_padded(self, padded, lengths):
        self._check_min_length(lengths)
        if self.max_length is None:
            return padded
        if self.truncating == "pre":
            # Shift each long sequence left so that its last max_length steps
            # come first; short ones are already in place.
            start = np.maximum(lengths - self.max_length, 0)
            steps = start[:, None] + np.arange(self.max_length)[None, :]
            steps = np.minimum(steps, padded.shape[1] - 1)
            kept = np.take_along_axis(padded, steps[:, :, None], axis=1)
            beyond = np.arange(self.max_length)[None, :] >= lengths[:, None]
            kept[beyond] = np.nan
            return kept
        out = np.full((len(padded), self.max_length, padded.shape[2]), np.nan)
        kept_steps = min(self.max_length, padded.shape[1])
        out[:, :kept_steps] = padded[:, :kept_steps]
        return out

    def inverse_transform(self, X):
        """Cut NaN-padded sequences back to a list of their valid steps.

        Parameters
        ----------
        X : ndarray of shape (n_sequences, n_timesteps, n_channels)
            Output of :meth:`transform`.

        Returns
        -------
        sequences : list of ndarray of shape (length, n_channels)
            One array per sequence, without its padding.
        """
        check_is_fitted(self)
        X = _as_numeric(X, "X").astype(np.float64, copy=False)
        if X.ndim != 3:
            raise ValueError(
                f"inverse_transform expects the 3-D output of transform, got a "
                f"{X.ndim}-D array."
            )
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} channels, but {type(self).__name__} was "
                f"fitted with {self.n_features_in_}."
            )
        lengths = sequence_lengths(X)
        if len(lengths) and lengths.min() == 0:
            raise ValueError(
                f"Sequence {int(np.argmin(lengths))} of X has no step that is not "
                "NaN; the output of transform has at least one in every sequence."
            )
        return [x[:length] for x, length in zip(X, lengths, strict=True)]
