"""The estimators' shared parameters and their fit and predict templates.

``fit`` validates the input through its kind (``inputs.py``) and the targets
through their layout (``targets.py``), resolves every "auto" value once
(``fit_settings.py``), and lets skorch train a net built by ``_training``
around the network of ``_nn``. Subclasses define the targets: their
validation, loss, output nonlinearity and how the hold-out is drawn.
"""

import copy
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from .._nn import (
    INITS,
    INPUT_SCALINGS,
    POOLINGS,
    SEQUENCE_MODELS,
    NetworkEnsemble,
    RecurrentNetwork,
)
from .._training import (
    OPTIMIZERS,
    batch_outputs,
    build_net,
    continued_net,
    draw_seed,
    learning_check,
    process_group,
    schedules_the_rate,
    seed_torch,
    torch_state,
    training_datasets,
    training_parameters,
)
from .._training.batching import SequenceDataset
from .._training.losses import MemberLoss
from .._validation import set_fitted_channels
from .architecture import architecture_changes, architecture_params, network_arguments
from .fit_settings import (
    ARCHITECTURE_SETTINGS,
    FitContext,
    is_short_panel,
    resolve_fit_settings,
)
from .inputs import input_kind
from .targets import LAYOUTS, check_target_count, target_layout
from .training_data import TrainingData

__all__ = ["BaseRNN"]


class BaseRNN(BaseEstimator, metaclass=ABCMeta):
    """Shared parameters, training and prediction of the RNN estimators."""

    _parameter_constraints: dict = {
        "cell": [StrOptions(set(SEQUENCE_MODELS) | {"auto"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "nonlinearity": [StrOptions({"tanh", "relu"})],
        "dropout": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})],
        "pooling": [StrOptions(set(POOLINGS))],
        "head_hidden_sizes": [
            None,
            Interval(Integral, 1, None, closed="left"),
            "array-like",
        ],
        "init": [StrOptions(set(INITS))],
        "input_scaling": [None, StrOptions({*INPUT_SCALINGS, "auto"})],
        "conv_channels": [
            None,
            Interval(Integral, 1, None, closed="left"),
            "array-like",
            StrOptions({"auto"}),
        ],
        "conv_kernel_size": [Interval(Integral, 1, None, closed="left")],
        "conv_stride": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            "array-like",
        ],
        "conv_batch_norm": ["boolean", StrOptions({"auto"})],
        "branch_channels": [
            None,
            Interval(Integral, 1, None, closed="left"),
            "array-like",
        ],
        "branch_kernel_sizes": [
            Interval(Integral, 1, None, closed="left"),
            "array-like",
        ],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "embedding_dim": [None, Interval(Integral, 1, None, closed="left")],
        "embedding_dropout": [
            Interval(Real, 0, 1, closed="left"),
            StrOptions({"auto"}),
        ],
        "embedding_weights": [None, "array-like"],
        "freeze_embedding": ["boolean"],
        "per_step": ["boolean"],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "optimizer_kwargs": [None, dict],
        # Below float32's largest value: the optimizers' steps are float32.
        "lr": [
            Interval(Real, 0, float(np.finfo(np.float32).max), closed="neither"),
            StrOptions({"auto"}),
        ],
        "lr_schedule": [
            StrOptions({"constant", "plateau", "cosine", "one_cycle", "auto"})
        ],
        "weight_decay": [
            Interval(Real, 0, float(np.finfo(np.float32).max), closed="left")
        ],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_epochs": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "clip_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [
            Interval(Real, 0, 1, closed="neither"),
            StrOptions({"auto"}),
        ],
        "n_iter_no_change": [
            None,
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "tol": [Interval(Real, 0, None, closed="left")],
        "callbacks": [None, list],
        "warm_start": ["boolean"],
        "n_threads": [None, Interval(Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
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
    ):
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.nonlinearity = nonlinearity
        self.dropout = dropout
        self.pooling = pooling
        self.head_hidden_sizes = head_hidden_sizes
        self.init = init
        self.input_scaling = input_scaling
        self.conv_channels = conv_channels
        self.conv_kernel_size = conv_kernel_size
        self.conv_stride = conv_stride
        self.conv_batch_norm = conv_batch_norm
        self.branch_channels = branch_channels
        self.branch_kernel_sizes = branch_kernel_sizes
        self.n_estimators = n_estimators
        self.embedding_dim = embedding_dim
        self.embedding_dropout = embedding_dropout
        self.embedding_weights = embedding_weights
        self.freeze_embedding = freeze_embedding
        self.per_step = per_step
        self.optimizer = optimizer
        self.optimizer_kwargs = optimizer_kwargs
        self.lr = lr
        self.lr_schedule = lr_schedule
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.clip_grad_norm = clip_grad_norm
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.n_threads = n_threads
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- what the subclasses define --------------------------------------------

    # Applied to the network's outputs for predictions (None: as they are).
    _output_nonlinearity = None
    # Whether the hold-out of early stopping is stratified by class.
    _stratified_hold_out = False

    @abstractmethod
    def _validate_target(self, y, *, first_call, classes=None):
        """Check ``y`` against the fitted state without changing it.

        Returns the target as a tensor ready for the loss, the number of
        network outputs, and the fitted attributes that describe the target
        (classes, target scaling), to be set once training has succeeded.
        """

    @abstractmethod
    def _criterion(self, y, target_state):
        """Return the loss module for encoded target ``y``."""

    def _adapt_to_target_state(self, module, target_state):
        """Let a trained ``module`` follow changed target statistics."""

    def _after_training(self, net, train, valid, layout, settings, continuing):
        """Adjust the trained ``net``, given the ``train`` data and the
        held-out ``valid`` data (or None) of the fit with ``settings``; return
        the fitted attributes that describe the adjustment."""
        return {}

    def _learned_beside_network(self, target_state):
        """Whether something beside the network carries the predictions (then
        a network that learned nothing is no cause for a warning)."""
        return False

    # -- fit ----------------------------------------------------------------------

    def _check_no_booleans(self):
        """Refuse True and False for parameters that take no booleans, which
        scikit-learn's intervals accept as the numbers 1 and 0."""
        for name, constraints in self._parameter_constraints.items():
            value = getattr(self, name)
            takes_booleans = "boolean" in constraints or "verbose" in constraints
            if isinstance(value, (bool, np.bool_)) and not takes_booleans:
                raise TypeError(
                    f"The {name!r} parameter of {type(self).__name__} takes no "
                    f"booleans, got {value}."
                )

    def _fit(
        self,
        X,
        y,
        *,
        incremental,
        classes=None,
        sample_weight=None,
        validation_data=None,
    ):
        """Validate, build or continue the net, and train it.

        ``validation_data`` is ``(X_val, y_val, sample_weight_val)``: when
        ``X_val`` or ``y_val`` is given, early stopping reads them instead of
        a share of ``X``.
        """
        self._check_no_booleans()
        if validation_data is not None and (
            validation_data[0] is None and validation_data[1] is None
        ):
            validation_data = None
        # Nothing is set on the estimator until training has succeeded, so a
        # failed fit leaves a fitted model as it was (and an unfitted one
        # unfitted).
        continuing = hasattr(self, "net_") and (incremental or self.warm_start)
        inputs, layout = input_kind(self), target_layout(self)
        data = self._training_data(
            X, y, sample_weight, validation_data, inputs, layout, continuing, classes
        )
        settings = self._fit_settings(
            data, inputs, layout, incremental=incremental, continuing=continuing
        )
        network = None
        if continuing:
            self._check_architecture_unchanged(settings.device)
        else:
            network = network_arguments(self, settings, layout)
            network |= inputs.network_arguments(
                self, *data.given(), data.fitted_input, settings
            )
        net, train = self._train(data, settings, network, layout, incremental)
        if not incremental:
            data.target_state |= learning_check(
                net,
                data.criterion,
                train,
                warn=not self._learned_beside_network(data.target_state),
            )
        self._set_fitted(net, data.target_state, data.fitted_input, network, settings)
        return self

    def _training_data(
        self, X, y, sample_weight, validation_data, inputs, layout, continuing, classes
    ):
        """``X``, ``y`` and ``sample_weight`` validated and encoded, followed
        by the validation data when given."""
        X, lengths, fitted_input = inputs.validate(self, X, reset=not continuing)
        y = layout.targets(y, lengths)
        # The sequences of X; given validation data follow them in what is
        # trained on, and nothing learned from the data (input statistics,
        # panel or not) reads it.
        n_given = len(lengths)
        if validation_data is not None:
            X, lengths, y, sample_weight = self._with_validation_data(
                inputs,
                layout,
                fitted_input,
                (X, lengths, y, sample_weight),
                validation_data,
            )
        y, criterion, n_outputs, target_state = self._encoded_targets(
            y, lengths, layout, continuing, classes
        )
        if validation_data is not None:
            self._check_validation_classes(y, layout, n_given)
        return TrainingData(
            X=X,
            lengths=lengths,
            y=y,
            sample_weight=self._sample_weight(sample_weight, lengths),
            labels=layout.stratification(y, self._stratified_hold_out),
            n_given=n_given,
            criterion=criterion,
            n_outputs=n_outputs,
            target_state=target_state,
            fitted_input=fitted_input,
        )

    def _train(self, data, settings, network, layout, incremental):
        """Build (``network`` given) or continue the net, train it on ``data``
        and let the subclass adjust it; the net and its training dataset."""
        device = settings.device
        group = process_group()
        net_arguments = {
            "criterion": data.criterion,
            "predict_nonlinearity": self._output_nonlinearity,
            "device": device,
            "training": self._training_parameters(settings, incremental, group),
        }
        cuda_devices = [torch.device(device)] if device.startswith("cuda") else []
        with torch_state(self.n_threads, private_random_devices=cuda_devices):
            seed, generator = self._random_stream(network is None, cuda_devices, group)
            train, valid = training_datasets(
                data.X,
                data.lengths,
                data.y,
                data.sample_weight,
                per_step=layout.per_step,
                holds_out=settings.early_stopping,
                validation_fraction=settings.validation_fraction,
                labels=data.labels,
                seed=seed,
                validation_indices=data.validation_indices(),
            )
            net = self._net(data, settings, network, generator, valid, net_arguments)
            if group is not None:
                net.module_ = group.wrap(net.module_, device)
            net.partial_fit(train, epochs=1 if incremental else None)
            if group is not None:
                net.module_ = net.module_.module
            data.target_state |= self._after_training(
                net, train, valid, layout, settings, continuing=network is None
            )
        return net, train

    def _net(self, data, settings, network, generator, valid, net_arguments):
        """A new net around a network of the ``network`` arguments, or (None)
        a copy of the fitted one that continues with this call's settings."""
        if network is None:
            return continued_net(
                self.net_,
                prepare_module=lambda module: self._prepare_continued_module(
                    module, settings, data.target_state
                ),
                generator=generator,
                valid=valid,
                **net_arguments,
            )
        module = {"module": RecurrentNetwork}
        if self.n_estimators > 1:
            module = {
                "module": NetworkEnsemble,
                "module__n_members": self.n_estimators,
            }
        return build_net(
            {
                **module,
                "module__n_outputs": data.n_outputs,
                **{f"module__{key}": value for key, value in network.items()},
            },
            generator=generator,
            valid=valid,
            **net_arguments,
        ).initialize()

    def _fit_settings(self, data, inputs, layout, *, incremental, continuing):
        """The fit's resolved settings, from the training ``data`` (without
        given validation data); a continued network keeps its architecture."""
        X, lengths = data.given()
        labels = None if data.labels is None else data.labels[: data.n_given]
        context = FitContext(
            estimator_type=self.__sklearn_tags__().estimator_type,
            input_kind=inputs.name,
            per_step=layout.per_step,
            bidirectional=self.bidirectional,
            n_sequences=len(lengths),
            max_length=int(lengths.max()),
            panel=is_short_panel(X, lengths, layout.per_step),
            schedules_the_rate=schedules_the_rate(self.callbacks),
            incremental=incremental,
            validation_given=data.n_given < len(data.lengths),
            stratification=labels,
        )
        fitted = None
        if continuing:
            fitted = {name: getattr(self, f"{name}_") for name in ARCHITECTURE_SETTINGS}
        return resolve_fit_settings(self.get_params(deep=False), context, fitted)

    def _random_stream(self, continuing, cuda_devices, group):
        """This call's seed, seeded into torch, and the batches' generator: from
        ``random_state`` on a first call, else going on from the fitted net's;
        rank 0's in a process group, so that every process draws alike."""
        if continuing:
            generator = torch.Generator()
            generator.set_state(self.net_.iterator_train__generator.get_state())
            seed = draw_seed(generator)
        else:
            seed = draw_seed(check_random_state(self.random_state))
            if group is not None:
                seed = group.shared_seed(seed)
            generator = torch.Generator().manual_seed(seed)
        seed_torch(seed, cuda_devices)
        return seed, generator

    def _set_fitted(self, net, target_state, fitted_input, network, settings):
        """Set the fitted attributes; ``network`` is None when continuing."""
        for name, value in target_state.items():
            setattr(self, name, value)
        if network is not None:
            set_fitted_channels(self, fitted_input)
            for name in ARCHITECTURE_SETTINGS:
                setattr(self, f"{name}_", getattr(settings, name))
            self._fitted_architecture = self._architecture_params(settings.device)
        self.fit_settings_ = settings
        self.net_ = net
        self.max_epochs_ = net.max_epochs
        self.history_ = net.history
        self.n_iter_ = len(self.history_)

    def _check_architecture_unchanged(self, device):
        """Raise if a parameter that defines the network changed since it was
        built; ``device`` is the one this call resolved."""
        changes = architecture_changes(
            self._fitted_architecture, self._architecture_params(device)
        )
        if changes:
            raise ValueError(
                f"Cannot continue training: {changes} changed since the network "
                "was built, and these define it. Set them back, or set "
                "warm_start=False (or call fit instead of partial_fit) to train a "
                "new network."
            )

    def _architecture_params(self, device):
        """The parameters that define the network, with the resolved
        ``device`` ("auto" is the device it chose)."""
        return architecture_params({**self.get_params(deep=False), "device": device})

    def _with_validation_data(self, inputs, layout, fitted_input, given, validation):
        """The sequences, lengths, targets (as the layout reads them) and
        sample weights of ``given``, followed by those of ``validation``
        (``X_val, y_val, sample_weight_val``), checked as ``X`` and ``y`` are."""
        X, lengths, y, sample_weight = given
        X_val, y_val, sample_weight_val = validation
        if X_val is None or y_val is None:
            missing = "y_val" if y_val is None else "X_val"
            raise ValueError(
                f"{'X_val' if missing == 'y_val' else 'y_val'} is given but "
                f"{missing} is not; pass both for early stopping on them."
            )
        if self.early_stopping is False:
            raise ValueError(
                "X_val and y_val are given, but early_stopping=False: they only "
                "serve early stopping. Set early_stopping='auto' or True."
            )
        # X_val is read as predict reads X: against the input that fit has
        # just read (or, continuing, the fitted one).
        fitted = copy.copy(self)
        for name, value in fitted_input.items():
            setattr(fitted, name, value)
        try:
            X_val, lengths_val, _ = inputs.validate(fitted, X_val, reset=False)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"In X_val: {exc}") from exc
        try:
            y_val = layout.targets(y_val, lengths_val)
            layout.check_count(lengths_val, y_val)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"In X_val and y_val: {exc}") from exc
        merged = np.zeros(
            (len(X) + len(X_val), max(X.shape[1], X_val.shape[1]), *X.shape[2:]),
            X.dtype,
        )
        merged[: len(X), : X.shape[1]] = X
        merged[len(X) :, : X_val.shape[1]] = X_val
        y_all = np.asarray(y), np.asarray(y_val)
        if y_all[0].shape[1:] != y_all[1].shape[1:]:
            raise ValueError(
                f"y_val has {y_all[1].shape[1:] or 'one'} target(s) per "
                f"{layout.unit}, but y has "
                f"{y_all[0].shape[1:] or 'one'}."
            )
        if sample_weight is not None or sample_weight_val is not None:
            sample_weight = np.concatenate(
                [
                    _check_sample_weight(sample_weight, lengths, dtype=np.float64),
                    _check_sample_weight(
                        sample_weight_val, lengths_val, dtype=np.float64
                    ),
                ]
            )
        lengths = np.concatenate([lengths, lengths_val])
        return merged, lengths, np.concatenate(y_all), sample_weight

    @staticmethod
    def _check_validation_classes(y, layout, n_given):
        """Refuse classes of the validation data that ``y`` lacks: the net
        cannot learn them, and its held-out loss would be judged on them."""
        labels = layout.stratification(y, by_class=True)
        if labels is None or not np.issubdtype(labels.dtype, np.integer):
            return
        unseen = np.setdiff1d(labels[n_given:], labels[:n_given])
        if unseen.size:
            raise ValueError(
                f"y_val holds {unseen.size} class(es) that y does not; every "
                "class of the validation data must be among the training data's."
            )

    def _encoded_targets(self, y, lengths, layout, continuing, classes):
        """The targets (as the layout reads them) and the criterion as the
        net trains on them, the number of network outputs and the fitted
        attributes of the targets."""
        y, n_outputs, target_state = self._validate_target(
            y, first_call=not continuing, classes=classes
        )
        y, criterion = layout.for_loss(y, self._criterion(y, target_state), lengths)
        if self.n_estimators > 1:
            criterion = MemberLoss(criterion)
        check_target_count(len(lengths), len(y))
        return y, criterion, n_outputs, target_state

    @staticmethod
    def _sample_weight(sample_weight, lengths):
        if sample_weight is None:
            return None
        # Checked in float64: a cast of larger weights to float32 gives
        # infinity, and a loss of NaN.
        sample_weight = _check_sample_weight(
            sample_weight, lengths, dtype=np.float64, ensure_non_negative=True
        )
        too_large = np.flatnonzero(sample_weight > np.finfo(np.float32).max)
        if too_large.size:
            i = too_large[0]
            raise ValueError(
                f"sample_weight[{i}] = {sample_weight[i]:g} is too large for "
                "float32; scale the weights (only their ratios matter)."
            )
        return torch.as_tensor(sample_weight, dtype=torch.float32)

    def _training_parameters(self, settings, incremental, group):
        """The net's training parameters, from the resolved ``settings``."""
        return training_parameters(
            optimizer=self.optimizer,
            optimizer_kwargs=self.optimizer_kwargs,
            lr=settings.lr,
            weight_decay=self.weight_decay,
            batch_size=settings.batch_size,
            max_epochs=settings.max_epochs,
            verbose=self.verbose,
            holds_out=settings.early_stopping,
            process_group=group,
            incremental=incremental,
            clip_grad_norm=self.clip_grad_norm,
            lr_schedule=settings.lr_schedule,
            n_iter_no_change=settings.n_iter_no_change,
            tol=self.tol,
            callbacks=self.callbacks,
        )

    def _prepare_continued_module(self, module, settings, target_state):
        """Apply this call's dropout rates and target scaling to the copy of
        the fitted network that continues training."""
        module.set_dropout(settings.dropout, settings.embedding_dropout)
        self._adapt_to_target_state(module, target_state)

    # -- predict ------------------------------------------------------------------

    def _in_caller_order(self, X, compute, layout):
        """``compute(dataset)`` on the sequences ``X``, put back in the
        caller's order as ``layout`` lays its outputs out."""
        check_is_fitted(self)
        X, lengths, _ = input_kind(self).validate(self, X, reset=False)
        # Length-sorted batches carry little padding; results go back in order.
        order = np.argsort(lengths, kind="stable")
        dataset = SequenceDataset(X[order], lengths[order])
        with torch_state(self.n_threads):
            return layout.in_caller_order(compute(dataset), order)

    def _raw_predict(self, X):
        """Model outputs (after the output nonlinearity) in the caller's order."""
        layout = target_layout(self)
        return self._in_caller_order(
            X, lambda dataset: self._dataset_outputs(dataset, layout), layout
        )

    def _dataset_outputs(self, dataset, layout):
        """The outputs of the sequences of ``dataset``: the network's."""
        return layout.predict(self.net_, dataset, self._output_nonlinearity)

    def _embed_dataset(self, dataset):
        return np.concatenate(
            [
                out.numpy()
                for out, _ in batch_outputs(self.net_, dataset, method="embed")
            ]
        )

    def embed(self, X):
        """Each sequence's learned representation: the pooled recurrent outputs.

        The vector the output layer reads (with ``branch_channels``, the
        convolutional branch's features follow the recurrent ones), for use as
        features in another model. It is not called ``transform`` so that the
        estimator stays a plain classifier or regressor for scikit-learn; in a
        Pipeline, wrap it: ``FunctionTransformer(fitted_model.embed)``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_sequences, n_features)
            ``n_features`` is ``hidden_size`` (twice that when bidirectional,
            except for ``cell="transformer"``), plus the branch's last channel
            count.
        """
        # One vector per sequence, whatever the targets.
        return self._in_caller_order(X, self._embed_dataset, LAYOUTS[False])

    def __setstate__(self, state):
        # Models pickled before n_estimators trained one network.
        state.setdefault("n_estimators", 1)
        super().__setstate__(state)
        # Models pickled before cell="auto" and conv_batch_norm="auto" named
        # them.
        if "net_" in state and "cell_" not in state:
            self.cell_ = self.cell
            self.conv_batch_norm_ = self.conv_batch_norm
        # Models pickled by version 0.1.0 had no "auto" input scaling.
        if "net_" in state and "input_scaling_" not in state:
            self.input_scaling_ = (
                self.input_scaling if input_kind(self).name == "numeric" else None
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
