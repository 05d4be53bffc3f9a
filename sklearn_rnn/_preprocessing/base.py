"""What the sequence transformers share: one validation per call, 3-D output.

The transformers take any sequence format and return the NaN-padded 3-D array
``(n_sequences, n_timesteps, n_channels)``. Such an array has no DataFrame form,
so ``set_output(transform="pandas")`` (or the global pandas output setting)
leaves it as it is instead of failing: a Pipeline configured for pandas output
keeps working.
"""

from abc import abstractmethod

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils.validation import check_is_fitted

from .._validation import set_fitted_channels, validate_sequences

__all__ = ["ArrayOutputMixin", "SequenceTransformer"]


class ArrayOutputMixin:
    """For transformers whose output has no DataFrame form: padded sequences
    or token ids, whose columns are time steps, not features."""

    def set_output(self, *, transform=None):
        """Accept an output configuration; the output stays a NumPy array.

        The output's columns are time steps, not features, so it is the same
        whatever ``transform`` says. This makes ``Pipeline.set_output`` and
        ``sklearn.set_config(transform_output="pandas")`` work with Pipelines
        of this library.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        return self


class SequenceTransformer(
    ArrayOutputMixin,
    OneToOneFeatureMixin,
    TransformerMixin,
    BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Base of the transformers from sequences to NaN-padded sequences.

    Subclasses learn from the padded input in ``_fit_padded`` and transform it
    in ``_transform_padded``; ``fit_transform`` validates and pads only once.
    """

    # Whether NaN inside a sequence (a missing value) is accepted.
    _allow_missing = False

    def _prepare(self, X):
        """The input as the library's sequence formats understand it."""
        return X

    def _validate(self, X, *, reset):
        return validate_sequences(
            self,
            self._prepare(X),
            reset=reset,
            dtype=np.float64,
            pad_value=np.nan,
            allow_missing=self._allow_missing,
        )

    @abstractmethod
    def _fit_padded(self, padded, lengths, channels):
        """Learn from the NaN-padded training sequences."""

    @abstractmethod
    def _transform_padded(self, padded, lengths):
        """Transform NaN-padded sequences (in place where possible)."""

    def _fit(self, X):
        """Validate ``X``, learn from it; return it padded, with its lengths."""
        padded, lengths, channels = self._validate(X, reset=True)
        self._fit_padded(padded, lengths, channels)
        set_fitted_channels(self, channels)
        return padded, lengths

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn what the transformation needs from sequences ``X``.

        Parameters
        ----------
        X : sequences
            Any sequence format of the library.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        self._fit(X)
        return self

    def transform(self, X):
        """Transform sequences ``X``; padding stays NaN.

        Parameters
        ----------
        X : sequences
            With the channels seen in ``fit``.

        Returns
        -------
        X_out : ndarray of shape (n_sequences, n_timesteps, n_channels)
            NaN-padded sequences.
        """
        check_is_fitted(self)
        padded, lengths, _ = self._validate(X, reset=False)
        return self._transform_padded(padded, lengths)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to ``X``, then transform it, validating and padding it once.

        Parameters
        ----------
        X : sequences
            Any sequence format of the library.
        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray of shape (n_sequences, n_timesteps, n_channels)
            NaN-padded sequences.
        """
        return self._transform_padded(*self._fit(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = self._allow_missing
        return tags
