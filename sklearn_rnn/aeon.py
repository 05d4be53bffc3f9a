"""The estimators as aeon classifiers and regressors of time series collections.

:class:`AeonRNNClassifier` and :class:`AeonRNNRegressor` are aeon collection
estimators (``BaseClassifier``, ``BaseRegressor``) that train an
:class:`~sklearn_rnn.RNNClassifier` or :class:`~sklearn_rnn.RNNRegressor`:
they take every collection aeon converts (a 3-D array of shape ``(n_cases,
n_channels, n_timepoints)``, a list of 2-D arrays of shape ``(n_channels,
n_timepoints_i)`` for series of unequal lengths, ``pd-multiindex``, ...), and
work in aeon's pipelines and benchmarking.

This module imports aeon; ``import sklearn_rnn`` does not import it. Install
aeon with ``pip install "sklearn-rnn[aeon]"``.
"""

try:
    from aeon.classification import BaseClassifier
    from aeon.regression import BaseRegressor
except ImportError as exc:
    raise ImportError(
        f"sklearn_rnn.aeon needs aeon ({exc}); install it with "
        'pip install "sklearn-rnn[aeon]".'
    ) from exc

from ._estimator.classifier import RNNClassifier
from ._estimator.regressor import RNNRegressor
from ._integrations.adapters import (
    ClassifierParameters,
    RegressorParameters,
    small_parameter_sets,
)

__all__ = ["AeonRNNClassifier", "AeonRNNRegressor"]

# The tags both adapters set. "np-list" (a list of one (n_channels,
# n_timepoints_i) array per series) holds series of unequal lengths as they
# are, so aeon hands them over without padding or resampling.
_TAGS = {
    "X_inner_type": "np-list",
    "capability:multivariate": True,
    "capability:unequal_length": True,
    # NaN inside a series is refused by the core estimators.
    "capability:missing_values": False,
    "algorithm_type": "deeplearning",
}


def _sequences(X):
    """The series of an ``np-list`` collection as (length, n_channels) arrays."""
    return [series.T for series in X]


class AeonRNNClassifier(ClassifierParameters, BaseClassifier):
    """:class:`~sklearn_rnn.RNNClassifier` as an aeon time series classifier.

    Takes univariate or multivariate collections in any type aeon converts,
    series of unequal lengths included (they reach the network as they are,
    not padded or resampled); a series holding NaN is refused.

    Parameters
    ----------
    cell, hidden_size, num_layers, bidirectional, nonlinearity, dropout, \
pooling, head_hidden_sizes, init, input_scaling, conv_channels, \
conv_kernel_size, conv_stride, conv_batch_norm, branch_channels, \
branch_kernel_sizes, n_estimators, optimizer, optimizer_kwargs, lr, \
lr_schedule, weight_decay, batch_size, max_epochs, clip_grad_norm, \
early_stopping, validation_fraction, n_iter_no_change, tol, callbacks, \
n_threads, device, random_state, verbose, class_weight
        As in :class:`~sklearn_rnn.RNNClassifier`, with the same defaults. Its
        parameters of token ids (``embedding_*``), ``per_step`` and
        ``warm_start`` are not offered: a collection holds numbers with one
        label per series, and aeon's ``fit`` starts anew.

    Attributes
    ----------
    estimator_ : RNNClassifier
        The trained core estimator; ``estimator_.history_`` holds the losses
        of each epoch.
    classes_ : ndarray of shape (n_classes,)
        Class labels, in the order of the columns of ``predict_proba``.

    See Also
    --------
    AeonRNNRegressor : The regression counterpart.
    sklearn_rnn.sktime.SktimeRNNClassifier : The same for sktime.

    Examples
    --------
    >>> from aeon.datasets import load_japanese_vowels
    >>> from sklearn_rnn.aeon import AeonRNNClassifier
    >>> X, y = load_japanese_vowels(split="train")  # 270 series of 7 to 26 steps
    >>> X[0].shape  # (n_channels, n_timepoints)
    (12, 20)
    >>> clf = AeonRNNClassifier(hidden_size=8, max_epochs=2, random_state=0)
    >>> clf.fit(X, y).predict_proba(X[:3]).shape
    (3, 9)
    """

    _tags = _TAGS

    def _fit(self, X, y):
        """Train an RNNClassifier with this estimator's parameters.

        Parameters
        ----------
        X : list of ndarray of shape (n_channels, n_timepoints_i)
            The ``np-list`` collection.
        y : ndarray of shape (n_cases,)
            Class labels.

        Returns
        -------
        self : AeonRNNClassifier
            The fitted estimator.
        """
        self.estimator_ = RNNClassifier(**self.get_params(deep=False))
        self.estimator_.fit(_sequences(X), y)
        return self

    def _predict(self, X):
        """Predict the class label of each series of ``X``.

        Parameters
        ----------
        X : list of ndarray of shape (n_channels, n_timepoints_i)
            The ``np-list`` collection.

        Returns
        -------
        y : ndarray of shape (n_cases,)
            Predicted class labels.
        """
        return self.estimator_.predict(_sequences(X))

    def _predict_proba(self, X):
        """Predict the probability of each class for each series of ``X``.

        Parameters
        ----------
        X : list of ndarray of shape (n_channels, n_timepoints_i)
            The ``np-list`` collection.

        Returns
        -------
        proba : ndarray of shape (n_cases, n_classes)
            Class probabilities, columns in the order of ``classes_``.
        """
        return self.estimator_.predict_proba(_sequences(X))

    @classmethod
    def _get_test_params(cls, parameter_set="default"):
        """Two small parameter sets that train fast, for aeon's tests.

        Parameters
        ----------
        parameter_set : str, default="default"
            Name of the set of test parameters; all names give the same sets.

        Returns
        -------
        params : list of dict
            Parameters of two test instances.
        """
        return small_parameter_sets()


class AeonRNNRegressor(RegressorParameters, BaseRegressor):
    """:class:`~sklearn_rnn.RNNRegressor` as an aeon time series regressor.

    Takes univariate or multivariate collections in any type aeon converts,
    series of unequal lengths included (they reach the network as they are,
    not padded or resampled); a series holding NaN is refused.

    Parameters
    ----------
    cell, hidden_size, num_layers, bidirectional, nonlinearity, dropout, \
pooling, head_hidden_sizes, init, input_scaling, conv_channels, \
conv_kernel_size, conv_stride, conv_batch_norm, branch_channels, \
branch_kernel_sizes, n_estimators, optimizer, optimizer_kwargs, lr, \
lr_schedule, weight_decay, batch_size, max_epochs, clip_grad_norm, \
early_stopping, validation_fraction, n_iter_no_change, tol, callbacks, \
n_threads, device, random_state, verbose, linear_path
        As in :class:`~sklearn_rnn.RNNRegressor`, with the same defaults. Its
        parameters of token ids (``embedding_*``), ``per_step`` and
        ``warm_start`` are not offered: a collection holds numbers with one
        target per series, and aeon's ``fit`` starts anew.

    Attributes
    ----------
    estimator_ : RNNRegressor
        The trained core estimator; ``estimator_.history_`` holds the losses
        of each epoch.

    See Also
    --------
    AeonRNNClassifier : The classification counterpart.
    sklearn_rnn.sktime.SktimeRNNRegressor : The same for sktime.

    Examples
    --------
    >>> from aeon.datasets import load_covid_3month
    >>> from sklearn_rnn.aeon import AeonRNNRegressor
    >>> X, y = load_covid_3month(split="train")  # (n_cases, n_channels, n_timepoints)
    >>> reg = AeonRNNRegressor(hidden_size=8, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _tags = _TAGS

    def _fit(self, X, y):
        """Train an RNNRegressor with this estimator's parameters.

        Parameters
        ----------
        X : list of ndarray of shape (n_channels, n_timepoints_i)
            The ``np-list`` collection.
        y : ndarray of shape (n_cases,)
            Targets.

        Returns
        -------
        self : AeonRNNRegressor
            The fitted estimator.
        """
        self.estimator_ = RNNRegressor(**self.get_params(deep=False))
        self.estimator_.fit(_sequences(X), y)
        return self

    def _predict(self, X):
        """Predict the target of each series of ``X``.

        Parameters
        ----------
        X : list of ndarray of shape (n_channels, n_timepoints_i)
            The ``np-list`` collection.

        Returns
        -------
        y : ndarray of shape (n_cases,)
            Predicted targets.
        """
        return self.estimator_.predict(_sequences(X))

    @classmethod
    def _get_test_params(cls, parameter_set="default"):
        """Two small parameter sets that train fast, for aeon's tests.

        Parameters
        ----------
        parameter_set : str, default="default"
            Name of the set of test parameters; all names give the same sets.

        Returns
        -------
        params : list of dict
            Parameters of two test instances.
        """
        return small_parameter_sets()
