"""RNNRegressor: the recurrent network with a linear output per target."""

import contextlib
import copy

import numpy as np
import pandas as pd
import torch
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_array

from .._training.losses import WeightedMSE
from .._validation import refuse_text_and_dates
from .base import BaseRNN
from .linear_path import held_out_weights, linear_path, valid_sequences
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
    linear_path : "auto" or bool, default="auto"
        Whether a ridge regression of the targets on the values of each
        sequence, resampled to the longest training length (shorter where
        that gives more than 1000 values a sequence) and standardized
        (:class:`~sklearn.linear_model.RidgeCV`, its penalty chosen per
        target by leave-one-out), is fitted on the training data beside the
        network, and the two predictions weighed on
        the held-out data: each gets the weight in [0, 1] of their
        non-negative least-squares combination there, shrunk by the evidence
        the held-out data give for it (``linear_weight_`` and
        ``output_shrinkage_``). Where the targets are a linear function of
        the values (spectra, sums over a window), the ridge carries them;
        where the network learned more, it keeps the weight. "auto" is True
        where data are held out (``early_stopping``, or ``X_val``) for
        numeric sequences with one target each, else False; True where no
        data are held out is an error. ``partial_fit`` keeps the weights the
        last ``fit`` chose.

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
    cell_ : str
        The recurrent cell of the network, ``cell`` resolved.
    conv_batch_norm_ : bool
        Whether the front-end normalizes its batches, ``conv_batch_norm``
        resolved.
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
        With a held-out split, the network's predictions were shrunk toward
        the training mean by this factor per target, its weight in the
        combination that minimizes the squared error of the held-out data
        (see ``linear_path``): about 1 where the network learned the targets,
        0 where it learned nothing or the linear path predicts better. Ones
        without a hold-out.
    linear_ : sklearn.pipeline.Pipeline or None
        The linear path (resampling, standardization, ``RidgeCV``) on the
        standardized targets; None without one, or where the held-out data
        gave it no weight.
    linear_weight_ : ndarray of shape (`n_outputs_`,)
        The linear path's weight per target; zeros without one. The
        predictions are those of the network (shrunk) plus this weight times
        the ridge's, in the units of the standardized targets.

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

    _parameter_constraints: dict = {
        **BaseRNN._parameter_constraints,
        "linear_path": ["boolean", StrOptions({"auto"})],
    }

    def __init__(
        self,
        *,
        cell="auto",
        hidden_size=64,
        num_layers=1,
        bidirectional=True,
        nonlinearity="tanh",
        dropout="auto",
        pooling="max",
        head_hidden_sizes=(),
        init="default",
        input_scaling="auto",
        conv_channels="auto",
        conv_kernel_size=5,
        conv_stride="auto",
        conv_batch_norm="auto",
        branch_channels=None,
        branch_kernel_sizes=(8, 5, 3),
        n_estimators=1,
        embedding_dim=None,
        embedding_dropout="auto",
        embedding_weights=None,
        freeze_embedding=False,
        per_step=False,
        optimizer="adam",
        optimizer_kwargs=None,
        lr="auto",
        lr_schedule="auto",
        weight_decay=0.0,
        batch_size="auto",
        max_epochs="auto",
        clip_grad_norm=None,
        early_stopping="auto",
        validation_fraction="auto",
        n_iter_no_change="auto",
        tol=1e-4,
        callbacks=None,
        warm_start=False,
        n_threads=1,
        device="cpu",
        random_state=None,
        verbose=0,
        linear_path="auto",
    ):
        super().__init__(
            cell=cell,
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            nonlinearity=nonlinearity,
            dropout=dropout,
            pooling=pooling,
            head_hidden_sizes=head_hidden_sizes,
            init=init,
            input_scaling=input_scaling,
            conv_channels=conv_channels,
            conv_kernel_size=conv_kernel_size,
            conv_stride=conv_stride,
            conv_batch_norm=conv_batch_norm,
            branch_channels=branch_channels,
            branch_kernel_sizes=branch_kernel_sizes,
            n_estimators=n_estimators,
            embedding_dim=embedding_dim,
            embedding_dropout=embedding_dropout,
            embedding_weights=embedding_weights,
            freeze_embedding=freeze_embedding,
            per_step=per_step,
            optimizer=optimizer,
            optimizer_kwargs=optimizer_kwargs,
            lr=lr,
            lr_schedule=lr_schedule,
            weight_decay=weight_decay,
            batch_size=batch_size,
            max_epochs=max_epochs,
            clip_grad_norm=clip_grad_norm,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            callbacks=callbacks,
            warm_start=warm_start,
            n_threads=n_threads,
            device=device,
            random_state=random_state,
            verbose=verbose,
        )
        self.linear_path = linear_path

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

    def _after_training(self, net, train, valid, layout, settings, continuing):
        """Weigh the network's outputs and the linear path's on the held-out
        data: shrink the outputs toward the training mean, and give the ridge
        its weight (see :func:`held_out_weights`).

        A network stopped at its best held-out epoch can still predict worse
        than the mean where the targets are nearly unpredictable (the best
        epoch's error is one draw of a noisy estimate), and a linear model of
        the values can predict better than the network (spectra). The
        weights make the predictions the mean's where nothing learned the
        targets, and the better model's, or a blend, where something did.
        """
        n_outputs = net.module_.n_outputs
        if valid is None:
            # partial_fit keeps the linear path that fit weighed.
            state = {"output_shrinkage_": np.ones(n_outputs)}
            if not continuing:
                state |= {"linear_": None, "linear_weight_": np.zeros(n_outputs)}
            return state
        outputs = layout.predict(net, valid, None)
        targets, weights = valid.y.numpy(), valid.sample_weight
        weights = np.ones(len(targets)) if weights is None else weights.numpy()
        outputs, targets, weights = layout.valid_values(
            outputs, targets, weights, valid.lengths.numpy()
        )
        predictions = [outputs.reshape(len(outputs), -1).astype(np.float64)]
        linear = None
        if settings.linear_path:  # one target per sequence
            linear = linear_path(int(train.lengths.max()), train.X.shape[2])
            train_weights = train.sample_weight
            linear.fit(
                valid_sequences(train),
                train.y.numpy(),
                ridgecv__sample_weight=(
                    None if train_weights is None else train_weights.numpy()
                ),
            )
            held_out = linear.predict(valid_sequences(valid))
            predictions.append(held_out.reshape(len(held_out), -1))
        targets = targets.reshape(len(targets), -1).astype(np.float64)
        weights = held_out_weights(predictions, targets, weights)
        with torch.no_grad():
            net.module_.rescale_outputs(weights[0], np.zeros(n_outputs))
        linear_weight = weights[1] if linear is not None else np.zeros(n_outputs)
        return {
            "output_shrinkage_": weights[0],
            "linear_": linear if linear_weight.any() else None,
            "linear_weight_": linear_weight,
        }

    def _learned_beside_network(self, target_state):
        return target_state.get("linear_") is not None

    def _dataset_outputs(self, dataset, layout):
        """The network's outputs plus the weighted linear path's."""
        outputs = super()._dataset_outputs(dataset, layout)
        if self.linear_ is None:
            return outputs
        linear = self.linear_.predict(valid_sequences(dataset))
        return outputs + self.linear_weight_ * linear.reshape(len(linear), -1)

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

    def __setstate__(self, state):
        # Models pickled before the linear path predicted without one.
        state.setdefault("linear_path", False)
        if "net_" in state and "linear_" not in state:
            state["linear_"] = None
            state["linear_weight_"] = np.zeros(state["n_outputs_"])
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
