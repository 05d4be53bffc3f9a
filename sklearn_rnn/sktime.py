"""The estimators as sktime classifiers and regressors of time series panels.

:class:`SktimeRNNClassifier` and :class:`SktimeRNNRegressor` are sktime
``BaseClassifier`` and ``BaseRegressor`` estimators that train an
:class:`~sklearn_rnn.RNNClassifier` or :class:`~sklearn_rnn.RNNRegressor`:
they take every panel container sktime converts (``numpy3D``,
``nested_univ``, ``pd-multiindex``, ``df-list``, ...), series of unequal
lengths included, and work in sktime's pipelines, tuners and benchmarks.

This module imports sktime; ``import sklearn_rnn`` does not import it.
Install sktime with ``pip install "sklearn-rnn[sktime]"``.
"""

try:
    from sktime.classification.base import BaseClassifier
    from sktime.regression.base import BaseRegressor
except ImportError as exc:
    raise ImportError(
        f"sklearn_rnn.sktime needs sktime ({exc}); install it with "
        'pip install "sklearn-rnn[sktime]".'
    ) from exc

from ._estimator.classifier import RNNClassifier
from ._estimator.regressor import RNNRegressor
from ._integrations.adapters import (
    ClassifierParameters,
    RegressorParameters,
    small_parameter_sets,
)

__all__ = ["SktimeRNNClassifier", "SktimeRNNRegressor"]

# The tags both adapters set. "df-list" (a list of one DataFrame per series,
# rows = time points, columns = variables) holds series of unequal lengths as
# they are, so sktime hands them over without resampling.
_TAGS = {
    "authors": "sklearn-rnn developers",
    "maintainers": "sklearn-rnn developers",
    "X_inner_mtype": "df-list",
    "y_inner_mtype": "numpy1D",
    "capability:multivariate": True,
    "capability:unequal_length": True,
    # NaN inside a series is refused by the core estimators.
    "capability:missing_values": False,
    "capability:categorical_in_X": False,
    "capability:random_state": True,
    "property:randomness": "derandomized",
}


def _sequences(X):
    """The series of a ``df-list`` panel as (length, n_channels) float arrays."""
    return [frame.to_numpy(dtype=float) for frame in X]


class SktimeRNNClassifier(ClassifierParameters, BaseClassifier):
    """:class:`~sklearn_rnn.RNNClassifier` as an sktime time series classifier.

    Takes univariate or multivariate panels in any container sktime converts,
    series of unequal lengths included (they reach the network as they are,
    not resampled); a series holding NaN is refused. The time index is not
    read: the network sees each series' values in order.

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
        ``warm_start`` are not offered: a panel holds numbers with one label
        per series, and sktime's ``fit`` starts anew.

    Attributes
    ----------
    estimator_ : RNNClassifier
        The trained core estimator; ``estimator_.history_`` holds the losses
        of each epoch.
    classes_ : ndarray of shape (n_classes,)
        Class labels, in the order of the columns of ``predict_proba``.

    See Also
    --------
    SktimeRNNRegressor : The regression counterpart.
    sklearn_rnn.aeon.AeonRNNClassifier : The same for aeon.

    Examples
    --------
    >>> from sktime.datasets import load_unit_test
    >>> from sklearn_rnn.sktime import SktimeRNNClassifier
    >>> X_train, y_train = load_unit_test(split="train", return_type="nested_univ")
    >>> X_test, y_test = load_unit_test(split="test", return_type="nested_univ")
    >>> clf = SktimeRNNClassifier(hidden_size=8, max_epochs=2, random_state=0)
    >>> clf.fit(X_train, y_train).predict_proba(X_test).shape
    (22, 2)
    """

    _tags = {
        **_TAGS,
        "capability:predict_proba": True,
        "capability:class_weight": True,
    }

    def _fit(self, X, y):
        """Train an RNNClassifier with this estimator's parameters.

        Parameters
        ----------
        X : list of pandas.DataFrame
            The ``df-list`` panel: one frame per series, rows are time points
            and columns are variables.
        y : ndarray of shape (n_series,)
            Class labels.

        Returns
        -------
        self : SktimeRNNClassifier
            The fitted estimator.
        """
        self.estimator_ = RNNClassifier(**self.get_params(deep=False))
        self.estimator_.fit(_sequences(X), y)
        return self

    def _predict(self, X):
        """Predict the class label of each series of ``X``.

        Parameters
        ----------
        X : list of pandas.DataFrame
            The ``df-list`` panel.

        Returns
        -------
        y : ndarray of shape (n_series,)
            Predicted class labels.
        """
        return self.estimator_.predict(_sequences(X))

    def _predict_proba(self, X):
        """Predict the probability of each class for each series of ``X``.

        Parameters
        ----------
        X : list of pandas.DataFrame
            The ``df-list`` panel.

        Returns
        -------
        proba : ndarray of shape (n_series, n_classes)
            Class probabilities, columns in the order of ``classes_``.
        """
        return self.estimator_.predict_proba(_sequences(X))

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Two small parameter sets that train fast, for sktime's tests.

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


class SktimeRNNRegressor(RegressorParameters, BaseRegressor):
    """:class:`~sklearn_rnn.RNNRegressor` as an sktime time series regressor.

    Takes univariate or multivariate panels in any container sktime converts,
    series of unequal lengths included (they reach the network as they are,
    not resampled); a series holding NaN is refused. The time index is not
    read: the network sees each series' values in order.

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
        ``warm_start`` are not offered: a panel holds numbers with one target
        per series, and sktime's ``fit`` starts anew.

    Attributes
    ----------
    estimator_ : RNNRegressor
        The trained core estimator; ``estimator_.history_`` holds the losses
        of each epoch.

    See Also
    --------
    SktimeRNNClassifier : The classification counterpart.
    sklearn_rnn.aeon.AeonRNNRegressor : The same for aeon.

    Examples
    --------
    >>> from sktime.datasets import load_covid_3month
    >>> from sklearn_rnn.sktime import SktimeRNNRegressor
    >>> X, y = load_covid_3month(split="train")  # nested_univ: a series per cell
    >>> reg = SktimeRNNRegressor(hidden_size=8, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X.iloc[:3]).shape
    (3,)
    """

    _tags = _TAGS

    def _fit(self, X, y):
        """Train an RNNRegressor with this estimator's parameters.

        Parameters
        ----------
        X : list of pandas.DataFrame
            The ``df-list`` panel: one frame per series, rows are time points
            and columns are variables.
        y : ndarray of shape (n_series,)
            Targets.

        Returns
        -------
        self : SktimeRNNRegressor
            The fitted estimator.
        """
        self.estimator_ = RNNRegressor(**self.get_params(deep=False))
        self.estimator_.fit(_sequences(X), y)
        return self

    def _predict(self, X):
        """Predict the target of each series of ``X``.

        Parameters
        ----------
        X : list of pandas.DataFrame
            The ``df-list`` panel.

        Returns
        -------
        y : ndarray of shape (n_series,)
            Predicted targets.
        """
        return self.estimator_.predict(_sequences(X))

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Two small parameter sets that train fast, for sktime's tests.

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
