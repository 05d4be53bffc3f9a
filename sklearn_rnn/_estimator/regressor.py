"""RNNRegressor: the recurrent network with a linear output per target."""

import contextlib
import copy

import numpy as np
import pandas as pd
import torch
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_array

from .._training.losses import WeightedMSE
from .._validation import refuse_text_and_dates
from .base import BaseRNN
from .targets import target_layout

__all__ = ["RNNRegressor"]


def _numeric_targets(y):
    """``y`` as a 1-D or 2-D array of finite numbers, or an error naming y."""
    if not isinstance(y, (pd.Series, pd.DataFrame)):
        with contextlib.suppress(ValueError):  # ragged: check_array says so
            y = np.asarray(y)
    if hasattr(y, "dtype") or isinstance(y, pd.DataFrame):
        refuse_text_and_dates(y, "y")
    try:
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
    except (TypeError, ValueError) as exc:
        # scikit-learn's (and pandas') messages need not name y.
        raise type(exc)(f"y must hold finite numbers: {exc}") from exc
    if y.ndim > 2:
        raise ValueError(f"y must be 1-D or 2-D, got {y.ndim}-D.")
    # As for X: larger targets overflow float32, and their variance float64.
    too_large = np.argwhere(np.abs(y) > np.finfo(np.float32).max)
    if len(too_large):
        raise ValueError(
            f"y{too_large[0].tolist()} = {y[tuple(too_large[0])]:g} is too large for "
            "float32; scale the targets first."
        )
    return y


class RNNRegressor(RegressorMixin, BaseRNN):
    """Recurrent neural network regressor for sequences.

    The network of :class:`RNNClassifier` with a linear output per target and
    the mean squared error loss. Targets are standardized internally, so
    unscaled real-valued targets train well; predictions are in the original
    units.

    Parameters
    ----------
    cell, hidden_size, num_layers, bidirectional, nonlinearity, dropout, \
pooling, head_hidden_sizes, init, input_scaling, conv_channels, \
conv_kernel_size, conv_stride, conv_batch_norm, branch_channels, \
branch_kernel_sizes, n_estimators, embedding_dim, embedding_dropout, \
embedding_weights, freeze_embedding, per_step, optimizer, optimizer_kwargs, lr, \
lr_schedule, weight_decay, batch_size, max_epochs, clip_grad_norm, early_stopping, \
validation_fraction, n_iter_no_change, tol, callbacks, warm_start, n_threads, \
device, random_state, verbose
        As in :class:`RNNClassifier`, with the same defaults. Early stopping
        holds out a random (not stratified) validation split; by default
        (``early_stopping="auto"``) it is on for 20 sequences or more (1000
        of token ids): with noisy targets, training on all data fits the
        noise. The held-out data also choose how far the predictions shrink
        toward the training mean (``output_shrinkage_``), so that a regressor
        that learned nothing predicts the mean.

    Attributes
    ----------
    n_features_in_ : int
        Number of channels of the sequences seen in ``fit`` (not set with
        ``embedding_dim``).
    n_tokens_ : int
        With ``embedding_dim``, the number of token ids the embedding holds.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Channel names, when ``fit`` got DataFrame sequences with string columns.
    n_outputs_ : int
        Number of targets.
    target_scaler_ : sklearn.preprocessing.StandardScaler
        The standardization of the targets (updated by ``partial_fit``).
    conv_channels_ : tuple of int
        The channels of each front-end convolution, ``conv_channels``
        resolved; empty without a front-end.
    conv_stride_ : tuple of int
        The stride of each front-end convolution, ``conv_stride`` resolved.
    input_scaling_ : str or None
        The standardization inside the network, ``input_scaling`` resolved.
    net_ : skorch.NeuralNet
        The trained skorch network.
    history_ : skorch.History
        Training history of ``net_``.
    n_iter_ : int
        Number of epochs trained.
    max_epochs_ : int
        The most epochs the last fit could train, ``max_epochs`` resolved.
    fit_settings_ : FitSettings
        The values the last ``fit`` or ``partial_fit`` used for every
        parameter that takes "auto", as in :class:`RNNClassifier`.
    loss_ : float
        The training loss of the epoch whose weights were kept (with early
        stopping, the best held-out epoch; else the last). Set by ``fit``.
    baseline_loss_ : float
        The training loss of the best constant prediction: that of
        predicting the (weighted) mean of the standardized training
        targets for every sequence (their variance). A ``ConvergenceWarning``
        says when ``loss_`` is not at least 1% below it: the network learned
        nothing it can show.
    output_shrinkage_ : ndarray of shape (`n_outputs_`,)
        With a held-out split, the predictions were shrunk toward the
        training mean by this factor per target, the one in [0, 1] that
        minimizes the squared error of the held-out data: about 1 where the
        network learned the targets, 0 where it learned nothing, and its
        predictions are then the mean predictor's. Ones without a hold-out.

    See Also
    --------
    RNNClassifier : The classification counterpart, with all parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import RNNRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(n, 1)) for n in rng.integers(5, 15, size=60)]
    >>> y = np.array([1000 + 10 * x.sum() for x in X])
    >>> reg = RNNRegressor(hidden_size=16, pooling="mean", lr=1e-2, max_epochs=50,
    ...                    random_state=0).fit(X, y)
    >>> reg.predict(X[:2]).shape
    (2,)
    >>> reg.score(X, y) > 0.8
    True
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Train the network on sequences ``X`` with targets ``y``.

        Parameters
        ----------
        X : sequences
            As in :meth:`RNNClassifier.fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, n_targets)
            Real-valued targets.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss; None weighs all equally.
        X_val, y_val, sample_weight_val : default=None
            Validation data for early stopping instead of a share of ``X``, as
            in :meth:`RNNClassifier.fit`, with real-valued ``y_val``; the
            output shrinkage is chosen on them too.

        Returns
        -------
        self : RNNRegressor
            The fitted regressor.
        """
        return self._fit(
            X,
            y,
            incremental=False,
            sample_weight=sample_weight,
            validation_data=(X_val, y_val, sample_weight_val),
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train the network for one epoch on ``X``, ``y``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, n_targets)
            Targets. Their standardization is updated with every call's
            targets (a running mean and variance), and the output layer is
            rescaled with it, so the predictions of the network so far do not
            change and later batches on another scale train on a sound scale.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss.

        Returns
        -------
        self : RNNRegressor
            The regressor, trained one more epoch.
        """
        return self._fit(X, y, incremental=True, sample_weight=sample_weight)

    def _validate_target(self, y, *, first_call, classes=None):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        y = _numeric_targets(y)
        y2d = y.reshape(len(y), -1)
        if first_call:
            target_state = {
                "_target_ndim": y.ndim,
                "n_outputs_": y2d.shape[1],
                "target_scaler_": StandardScaler().fit(y2d),
            }
        else:
            self._check_n_targets(y2d)
            target_state = {
                "target_scaler_": copy.deepcopy(self.target_scaler_).partial_fit(y2d)
            }
        scaled = target_state["target_scaler_"].transform(y2d)
        n_outputs = y2d.shape[1]
        return torch.as_tensor(scaled, dtype=torch.float32), n_outputs, target_state

    def _check_n_targets(self, y2d):
        if y2d.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y2d.shape[1]} targets, but {type(self).__name__} was "
                f"fitted with {self.n_outputs_}."
            )

    def _criterion(self, y, target_state):
        return WeightedMSE()

    def _adapt_to_target_state(self, module, target_state):
        """Rescale the output layer to the updated target standardization.

        With old statistics ``(m, s)`` and new ones ``(m', s')``, an output
        ``o`` meant ``s * o + m``; the output layer is changed so that it now
        gives ``(s * o + m - m') / s'``, which means the same.
        """
        old, new = self.target_scaler_, target_state["target_scaler_"]
        module.rescale_outputs(
            old.scale_ / new.scale_, (old.mean_ - new.mean_) / new.scale_
        )

    def _after_training(self, net, valid, layout):
        """Shrink the outputs toward the training mean, by the factor in [0, 1]
        that minimizes the squared error on the held-out data.

        A network stopped at its best held-out epoch can still predict worse
        than the mean where the targets are nearly unpredictable (the best
        epoch's error is one draw of a noisy estimate). Shrinkage makes the
        predictions the mean's where the network learned nothing, and leaves
        them as they are where it learned the targets (a factor near 1).
        """
        if valid is None:
            return {"output_shrinkage_": np.ones(net.module_.n_outputs)}
        outputs = layout.predict(net, valid, None)
        targets, weights = valid.y.numpy(), valid.sample_weight
        weights = np.ones(len(targets)) if weights is None else weights.numpy()
        outputs, targets, weights = layout.valid_values(
            outputs, targets, weights, valid.lengths.numpy()
        )
        outputs = outputs.reshape(len(outputs), -1).astype(np.float64)
        targets = targets.reshape(len(targets), -1)
        # Targets are standardized: the training mean is zero. The factor that
        # minimizes the held-out error, alpha = fit / size, is itself noisy:
        # its gain over the mean, fit**2 / size, is about one residual
        # variance when outputs and targets are unrelated (a chi-square of
        # one degree of freedom). Scaling alpha by (1 - 1 / z**2), z**2 being
        # the gain in residual variances (positive-part James-Stein), keeps
        # only the part of it that the held-out data show beyond chance.
        fit = weights @ (outputs * targets)
        size = weights @ outputs**2
        alpha = np.divide(fit, size, out=np.zeros_like(fit), where=size > 0)
        residual = weights @ (targets - alpha * outputs) ** 2 / weights.sum()
        gain = np.divide(
            alpha * fit, residual, out=np.zeros_like(fit), where=residual > 0
        )
        evidence = np.clip(
            1 - np.divide(1, gain, out=np.zeros_like(gain), where=gain > 0), 0, 1
        )
        shrinkage = np.clip(alpha, 0, 1) * evidence
        with torch.no_grad():
            net.module_.rescale_outputs(shrinkage, np.zeros_like(shrinkage))
        return {"output_shrinkage_": shrinkage}

    def predict(self, X):
        """Predicted targets of sequences ``X``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.

        Returns
        -------
        y : ndarray of shape (n_sequences,) or (n_sequences, n_targets), or list
            Predictions in the units of the training targets; 1-D when ``y``
            was 1-D in ``fit``. With ``per_step``, a list with the
            predictions of each step of each sequence.
        """

        def unscaled(scaled):
            y = self.target_scaler_.inverse_transform(scaled.astype(np.float64))
            return y.ravel() if self._target_ndim == 1 else y

        return target_layout(self).map_outputs(self._raw_predict(X), unscaled)

    def score(self, X, y, sample_weight=None):
        """R² on sequences ``X``: of every valid step with ``per_step``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, n_targets), or \
per-step targets
            True targets, as in :meth:`fit`.
        sample_weight : array-like of shape (n_sequences,), default=None
            Sequence weights (with ``per_step``, of each of its steps).

        Returns
        -------
        score : float
            The coefficient of determination.
        """

        def r2(y_true, y_pred, sample_weight=None):
            # As fit checks them, naming y.
            y_true = _numeric_targets(y_true)
            self._check_n_targets(y_true.reshape(len(y_true), -1))
            return r2_score(y_true, y_pred, sample_weight=sample_weight)

        return target_layout(self).score(self, X, y, sample_weight, r2)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
