"""RNNClassifier: the recurrent network with a softmax over classes."""

import numbers

import numpy as np
import torch
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.utils import compute_class_weight
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, column_or_1d

from .._training import softmax
from .._training.losses import WeightedCrossEntropy
from .base import BaseRNN
from .targets import target_layout

__all__ = ["RNNClassifier"]


def _unique_labels(labels, name):
    """Sorted unique labels, or a clear error when they cannot be ordered."""
    try:
        return np.unique(labels)
    except TypeError as exc:
        raise TypeError(
            f"The labels in {name} cannot be sorted ({exc}); use labels of one "
            "type, for example all strings or all numbers."
        ) from exc


def _class_weights(class_weight, classes, y):
    """The weight of each of ``classes`` in the loss, from ``class_weight``.

    A dict must map labels to finite numbers of 0 or more, not 0 for every
    class; as in scikit-learn, it may name labels that are not classes only
    when it names every class (a dict for all labels serves data that lack
    some), and a class it does not name weighs 1.
    """
    if class_weight == "balanced":
        return compute_class_weight("balanced", classes=classes, y=y)
    not_numbers = {
        label: weight
        for label, weight in class_weight.items()
        if not isinstance(weight, numbers.Real)
    }
    if not_numbers:
        raise TypeError(
            f"class_weight must map class labels to numbers, got {not_numbers}."
        )
    out_of_range = {
        label: weight
        for label, weight in class_weight.items()
        if not (np.isfinite(weight) and weight >= 0)
    }
    if out_of_range:
        raise ValueError(
            "class_weight must give each class a finite weight of 0 or more (0 "
            f"leaves a class out of the loss), got {out_of_range}."
        )
    labels = classes.tolist()
    unknown = [label for label in class_weight if label not in labels]
    if unknown and any(label not in class_weight for label in labels):
        raise ValueError(
            f"class_weight names {unknown}, which are not classes: the classes "
            f"are {labels}. Name the classes by their labels (a class left out "
            "weighs 1)."
        )
    weights = np.array([class_weight.get(label, 1.0) for label in labels], float)
    if not weights.any():
        raise ValueError(
            f"class_weight gives every class the weight 0 ({class_weight}), so "
            "the loss would be 0 whatever the network predicts; give at least "
            "one class a positive weight."
        )
    return weights


class RNNClassifier(ClassifierMixin, BaseRNN):
    """Recurrent neural network classifier for sequences.

    A vanilla RNN, LSTM or GRU (stacked, optionally bidirectional) reads each
    sequence, after input scaling and an optional convolutional front-end that
    shortens long sequences; its outputs are pooled over the sequence's valid
    steps and an MLP head gives class scores. Training uses PyTorch through
    skorch, with the cross-entropy loss. The defaults (a bidirectional GRU
    behind three convolutions that shorten long sequences, max pooling, inputs
    standardized inside the network, training until the loss stops improving)
    were chosen by cross-validation on the training splits of seven public
    datasets.

    Parameters
    ----------
    cell : {"auto", "rnn", "lstm", "gru", "transformer"}, default="auto"
        Recurrent cell, as ``torch.nn.RNN``, ``torch.nn.LSTM``, ``torch.nn.GRU``;
        "auto" is "lstm" for numeric sequences with one target each and
        "gru" for token ids, one target per step and short panels (see
        ``cell_``);
        or "transformer", a self-attention encoder in their place (inputs
        projected to ``hidden_size`` channels with sinusoidal positions,
        ``num_layers`` layers of ``torch.nn.TransformerEncoderLayer`` with 4
        heads when ``hidden_size`` is a multiple of 4, else 1), padding
        masked as keys, so that padding changes nothing either. With
        ``bidirectional=False`` each step attends to earlier steps only
        (causal, as a one-directional recurrent layer); pooling and head are
        those of the recurrent cells. Attention's memory grows with the
        square of the length: a per-step transformer predicting one stream
        of 8,000 steps took 2.5 GB, a GRU 11 MB (read long streams with
        :func:`predict_in_windows`).
    hidden_size : int, default=64
        Hidden units of each recurrent layer and direction.
    num_layers : int, default=1
        Number of stacked recurrent layers.
    bidirectional : bool, default=True
        Whether each layer also reads every sequence backwards, starting from
        its own last valid step.
    nonlinearity : {"tanh", "relu"}, default="tanh"
        Nonlinearity of the vanilla RNN cell (``cell="rnn"``); ignored otherwise.
    dropout : float or "auto", default="auto"
        Dropout probability on the outputs of every recurrent layer (between
        stacked layers and before pooling). "auto" is 0.0 for numeric input
        and 0.5 for token ids (``embedding_dim`` set), where a network overfits
        small text data within a few epochs.
    pooling : {"last", "mean", "max", "attention"}, default="max"
        How a sequence's outputs become one vector: the output at its last valid
        step ("last"; bidirectional: forward at the last step with backward at
        the first), the mean or maximum over valid steps, or learned attention
        weights over valid steps.
    head_hidden_sizes : int or tuple of int, default=()
        Hidden layer sizes of the ReLU MLP between pooling and the output.
    init : {"default", "xavier", "orthogonal", "kaiming"}, default="default"
        Initialization of the recurrent weights: PyTorch's default, Xavier
        uniform, orthogonal recurrent weights with Xavier input weights, or
        Kaiming uniform (for ``nonlinearity="relu"``). Biases are zeroed by all
        but "default".
    input_scaling : {"channel", "sequence", "both", "auto"} or None, \
            default="auto"
        Standardization inside the network, from valid steps only: "channel"
        with each channel's mean and standard deviation over the training data
        (learned in ``fit``), "sequence" with each sequence's own statistics,
        "both" side by side (twice the channels: the level of a series and its
        shape), None for none. Unscaled data need no scaler in front. A
        causal model (``per_step=True, bidirectional=False``) reads a
        sequence's statistics so far (an expanding window), never those of
        later steps. "auto" is "both", except "channel" for a causal model,
        where cross-validation found the sequence's statistics so far of no
        help. The scaling used is ``input_scaling_``.
    conv_channels : int, tuple of int, None or "auto", default="auto"
        Output channels of a convolutional front-end (one layer per entry, each
        followed by ReLU) before the recurrent layers; None for none. "auto"
        is (32, 32, 32) for numeric sequences, but none for short panels
        (several channels over a median training length under 13 steps, the
        window of the default front-end, with one target per sequence: a few
        periods per entity) and for token ids
        (``embedding_dim`` set), where it lost accuracy. The channels used are
        ``conv_channels_``.
    conv_kernel_size : int, default=5
        Kernel size of every front-end convolution.
    conv_stride : int, tuple of int or "auto", default="auto"
        Stride of every front-end convolution (or of each): each layer divides
        lengths by it. "auto" takes the smallest strides, spread over the
        layers, that leave the recurrent layers at most 100 steps of the
        longest training sequence: none for up to 100 steps, (2, 1, 1) for
        150, (3, 3, 2) for 1460. The strides used are ``conv_stride_``.
    conv_batch_norm : bool or "auto", default="auto"
        Whether each front-end convolution is followed by batch normalization
        over valid steps. "auto" is True for numeric sequences with one
        target each, False with one target per step (see
        ``conv_batch_norm_``).
    branch_channels : int, tuple of int or None, default=None
        Output channels of a fully convolutional branch beside the recurrent
        one (LSTM-FCN: convolutions with batch normalization and ReLU at full
        length, then the mean over valid steps), e.g. ``(128, 256, 128)``;
        its features join the pooled recurrent ones. None for none.
    branch_kernel_sizes : int or tuple of int, default=(8, 5, 3)
        Kernel size of each branch layer.
    n_estimators : int, default=1
        The number of networks of this architecture trained side by side, each
        from its own initial weights, on the same batches; predictions average
        their probabilities (predictions, for a regressor), as a soft vote of
        separately seeded fits does, at ``n_estimators`` times the cost of one.
        A single fit's accuracy depends on its seed; the average depends on it
        less. The members are reproducible from ``random_state``; ``embed``
        gives their representations side by side.
    embedding_dim : int or None, default=None
        With an int, ``X`` holds token ids instead of numbers (ragged lists
        of integers, or 2-D integer arrays padded with trailing 0; id 1 is an
        unknown token; :class:`TokenSequencer` makes them from texts), and
        each id becomes a learned vector of this size
        (:class:`torch.nn.Embedding`) that the network reads. Padding id 0 is
        masked like NaN padding of numbers. The vocabulary size is the largest
        id seen in ``fit`` plus one (``n_tokens_``); larger ids later are read
        as unknown, with a warning. Ids must be numbered densely: ``fit``
        refuses ids whose table (``n_tokens_ * embedding_dim`` float32 values,
        counted four times for the gradient and the optimizer's state) would
        exceed 1 GiB while fewer than one of its rows in 10 is an id of ``X``
        (one id of ``10**9`` would ask for tens of GB); renumber them with
        :class:`TokenSequencer` or pass ``embedding_weights``.
        ``input_scaling`` does not apply. None for numeric sequences.
    embedding_dropout : float or "auto", default="auto"
        Dropout on the token vectors, in training. "auto" is 0.5.
    embedding_weights : array-like of shape (n_token_ids, embedding_dim), \
            default=None
        Initial token vectors, row ``i`` for id ``i`` (pretrained vectors
        aligned with a :class:`TokenSequencer` vocabulary); used when the
        network is built. None draws them at random.
    freeze_embedding : bool, default=False
        Whether the token vectors stay as initialized instead of training.
    per_step : bool, default=False
        Whether ``y`` holds a label per time step (sequence labelling,
        tagging) instead of one per sequence: a list with an array of each
        sequence's length, or an array padded after each sequence's end
        (what lies past an end is ignored). The head then reads every step's
        recurrent output (both directions when bidirectional; no pooling),
        the loss counts valid steps only, :meth:`predict` and
        :meth:`predict_proba` return a list with an array per sequence, of
        its own length, and :meth:`score` averages over valid steps. The
        front-end keeps the length (``conv_stride="auto"`` is 1), and there
        is no ``branch_channels``.
    optimizer : {"adam", "adamw", "sgd", "rmsprop", "lbfgs"} or optimizer class, \
            default="adam"
        Optimizer. "lbfgs" is a full-batch method: use it with ``batch_size``
        at least the number of sequences and a line search
        (``optimizer_kwargs={"line_search_fn": "strong_wolfe"}``).
    optimizer_kwargs : dict or None, default=None
        More keyword arguments of the optimizer, e.g. ``{"momentum": 0.9}``.
    lr : float or "auto", default="auto"
        Learning rate; the peak rate of the one-cycle schedule. "auto" is
        3e-3.
    lr_schedule : {"auto", "one_cycle", "constant", "plateau", "cosine"}, \
            default="auto"
        How the learning rate moves over the epochs of a fit. "one_cycle"
        rises from ``lr / 25`` to ``lr`` over the first 30% of the epochs,
        then anneals to nearly zero (torch's ``OneCycleLR``, stepped per
        epoch; the optimizer's momentum is left as set); "plateau" halves the
        rate after 5 epochs without a lower training loss; "cosine" anneals
        it to zero over ``max_epochs``. "auto" is "one_cycle" for numeric
        input and "constant" for token ids, and "constant" when
        ``callbacks`` hold a skorch ``LRScheduler`` (which then sets the
        rate). A schedule spans the epochs of one call: ``partial_fit``
        trains at ``lr``.
    weight_decay : float, default=0.0
        Weight decay (L2 penalty) of the optimizer.
    batch_size : int or "auto", default="auto"
        Sequences per training batch. "auto" is ``n_sequences // 8`` between
        16 and 64: small data get several optimizer steps an epoch, large data
        fewer, larger batches. Batches group sequences of similar length.
    max_epochs : int or "auto", default="auto"
        The most training epochs. "auto" is a budget of about 600 optimizer
        steps for numeric input: ``ceil(600 / batches per epoch)`` epochs,
        at least 20 and at most 150 (GunPoint's 50 sequences: 150 epochs;
        PLAID's 537: about 60); 150 for token ids. ``max_epochs_`` holds the
        value a fit used.
    clip_grad_norm : float or None, default=None
        Clip the gradient norm to this value (skorch's GradientNormClipping).
    early_stopping : bool or "auto", default="auto"
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers) and stop when its loss has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, restoring the weights of the best epoch.
        "auto" does for RNNRegressor from 20 sequences, for token ids
        (``embedding_dim`` set) for both estimators from 1000 sequences, and
        for RNNClassifier of a short panel (as for ``conv_channels``) from 100
        sequences (training on all data memorized the entities); otherwise
        not. Where no validation split can be drawn (a class of
        one sequence, or more classes than either part has sequences),
        "auto" trains on all data and True raises an error. ``partial_fit``
        never holds out data.
    validation_fraction : float or "auto", default="auto"
        Share of the training data held out for early stopping. "auto" is
        0.1 for RNNClassifier and 0.2 for RNNRegressor.
    n_iter_no_change : int, None or "auto", default="auto"
        Epochs without an improvement of ``tol`` before training stops: of the
        validation loss with early stopping, else of the training loss (as in
        ``MLPClassifier``). None trains for all ``max_epochs``. "auto" is 20,
        except on the training loss under the one-cycle schedule, which is
        the training budget: its first epochs, at a low rate, can leave the
        loss flat for longer, and "auto" trains for all ``max_epochs`` then.
    tol : float, default=1e-4
        Minimum decrease of the monitored loss that counts as improvement.
    callbacks : list of skorch callbacks or (name, callback) tuples, default=None
        Extra skorch callbacks, appended to the ones the parameters above make.
    warm_start : bool, default=False
        Whether ``fit`` continues training the current network instead of
        starting anew; the training parameters are applied as they are now,
        and changing one that defines the network is an error.
    n_threads : int or None, default=1
        Torch threads inside ``fit``, ``predict`` and ``embed``; the caller's
        setting is restored afterwards. None leaves torch's setting (all
        cores). One thread is as fast for networks of this size and does not
        slow to a crawl beside other processes (see the documentation).
    device : str or torch.device, default="cpu"
        Device to train on: "cpu", "cuda", "cuda:N", or "auto" (CUDA if
        available).
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, batch order, dropout and the validation
        split; an int makes fits reproducible bit for bit on CPU, also in
        threads.
    verbose : int, default=0
        0 is silent; 1 prints skorch's table of epochs; 2 or more also shows a
        progress bar of the batches of each epoch (skorch's ``ProgressBar``,
        on stderr).
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn's classifiers:
        a dict maps class labels to finite weights of 0 or more, not all 0 (a
        class it leaves out weighs 1; it may name labels that are not classes
        only when it names every class); "balanced" weighs each class by the
        inverse of its frequency.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of channels of the sequences seen in ``fit`` (not set with
        ``embedding_dim``).
    n_tokens_ : int
        With ``embedding_dim``, the number of token ids the embedding holds.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Channel names, when ``fit`` got DataFrame sequences with string columns.
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
        The trained skorch network; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Training history of ``net_``: losses and timings per epoch.
    n_iter_ : int
        Number of epochs trained.
    max_epochs_ : int
        The most epochs the last fit could train, ``max_epochs`` resolved.
    fit_settings_ : FitSettings
        The values the last ``fit`` or ``partial_fit`` used for every
        parameter that takes "auto" (``device``, ``lr``, ``lr_schedule``,
        ``dropout``, ``embedding_dropout``, ``conv_channels``, ``conv_stride``,
        ``input_scaling``, ``validation_fraction``, ``early_stopping``: whether
        data were held out, ``n_iter_no_change``, ``batch_size``,
        ``max_epochs``), given or resolved; ``fit_settings_.as_dict()`` lists
        them. The rules are in the user guide's page on defaults.
    loss_ : float
        The training loss of the epoch whose weights were kept (with early
        stopping, the best held-out epoch; else the last). Set by ``fit``.
    baseline_loss_ : float
        The training loss of the best constant prediction: that of
        predicting the (weighted) training class frequencies for every
        sequence (their entropy). A ``ConvergenceWarning``
        says when ``loss_`` is not at least 1% below it: the network learned
        nothing it can show.

    See Also
    --------
    RNNRegressor : The regression counterpart.
    SequencePadder : Pads ragged sequences into one array in a Pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import RNNClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(n, 2)) for n in rng.integers(5, 15, size=40)]
    >>> y = np.array(["up" if x[:, 0].sum() > 0 else "down" for x in X])
    >>> clf = RNNClassifier(hidden_size=16, lr=1e-2, max_epochs=30, random_state=0)
    >>> clf.fit(X, y).predict(X[:3])
    array(['down', 'up', 'up'], dtype='<U4')
    >>> y[:3]
    array(['down', 'up', 'up'], dtype='<U4')
    >>> clf.predict_proba(X[:1]).shape
    (1, 2)
    """

    _output_nonlinearity = staticmethod(softmax)
    _stratified_hold_out = True

    _parameter_constraints: dict = {
        **BaseRNN._parameter_constraints,
        "class_weight": [None, dict, StrOptions({"balanced"})],
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
        class_weight=None,
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
        self.class_weight = class_weight

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
        """Train the network on sequences ``X`` with class labels ``y``.

        Parameters
        ----------
        X : sequences
            A 3-D array ``(n_sequences, n_timesteps, n_channels)`` padded with
            trailing all-NaN steps, a 2-D array or DataFrame of univariate
            sequences, or a list of 1-D/2-D arrays or DataFrames of any lengths.
        y : array-like of shape (n_sequences,)
            Class labels of any type.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss (times its class weight);
            None weighs all equally.
        X_val : sequences, default=None
            Validation sequences, in any format ``X`` takes: early stopping
            reads their loss instead of holding out a share of ``X``
            (``validation_fraction`` is then unused), as in scikit-learn's
            :class:`~sklearn.ensemble.HistGradientBoostingClassifier`. Use it
            where a random share would leak, for example the last windows in
            time of a series. Requires ``y_val`` and ``early_stopping``
            "auto" or True; nothing is learned from them but when to stop
            (and, for :class:`RNNRegressor`, the output shrinkage).
        y_val : array-like, default=None
            The targets of ``X_val``, as ``y``.
        sample_weight_val : array-like of shape (n_val_sequences,), default=None
            Weights of the validation sequences; None weighs all equally.

        Returns
        -------
        self : RNNClassifier
            The fitted classifier.
        """
        return self._fit(
            X,
            y,
            incremental=False,
            sample_weight=sample_weight,
            validation_data=(X_val, y_val, sample_weight_val),
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train the network for one epoch on ``X``, ``y``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.
        y : array-like of shape (n_sequences,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            All classes; required on the first call, and if given later, the
            same classes.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss.

        Returns
        -------
        self : RNNClassifier
            The classifier, trained one more epoch.
        """
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' is not supported for partial_fit: the "
                "class frequencies of one call's data are not those of the whole "
                "training set. Compute the weights once, for example with "
                "sklearn.utils.compute_class_weight('balanced', classes=classes, "
                "y=y) on a large enough sample, and pass them as a dict."
            )
        if not hasattr(self, "net_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return self._fit(
            X, y, incremental=True, classes=classes, sample_weight=sample_weight
        )

    def _validate_target(self, y, *, first_call, classes=None):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        y = column_or_1d(
            check_array(y, ensure_2d=False, dtype=None, input_name="y"), warn=True
        )
        _unique_labels(y, "y")  # a clear error for labels that cannot be ordered
        check_classification_targets(y)
        if classes is not None:
            classes = _unique_labels(classes, "classes")
        if first_call:
            fitted = _unique_labels(y if classes is None else classes, "y")
            if len(fitted) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes in "
                    f"the data, but the data contains only one class: "
                    f"{fitted.tolist()[0]!r}."
                )
        else:
            fitted = self.classes_
            if classes is not None and not np.array_equal(classes, fitted):
                raise ValueError(
                    f"classes={classes.tolist()} is not the same as on the first "
                    f"call to partial_fit, {fitted.tolist()}."
                )
        unseen = np.setdiff1d(y, fitted)
        if unseen.size:
            raise ValueError(
                f"y contains labels {unseen.tolist()} that are not among the "
                f"classes {fitted.tolist()} of the first call."
            )
        encoded = torch.as_tensor(np.searchsorted(fitted, y), dtype=torch.int64)
        return encoded, len(fitted), {"classes_": fitted}

    def _criterion(self, y, target_state):
        if self.class_weight is None:
            return WeightedCrossEntropy()
        classes = target_state["classes_"]
        return WeightedCrossEntropy(
            _class_weights(self.class_weight, classes, classes[y.numpy()])
        )

    def predict_proba(self, X):
        """Class probabilities of sequences ``X``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_sequences, n_classes), or list
            Probabilities in the order of ``classes_``; rows sum to 1. With
            ``per_step``, a list with an array of shape ``(length,
            n_classes)`` per sequence.
        """

        def normalized(proba):
            # float64: rows sum to 1 to double precision after renormalizing.
            proba = proba.astype(np.float64)
            return proba / proba.sum(axis=-1, keepdims=True)

        return target_layout(self).map_outputs(self._raw_predict(X), normalized)

    def predict(self, X):
        """Predicted class labels of sequences ``X``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.

        Returns
        -------
        y : ndarray of shape (n_sequences,), or list
            Labels from ``classes_``; with ``per_step``, a list with an array
            of each sequence's length per sequence.
        """
        return target_layout(self).map_outputs(
            self._raw_predict(X),
            lambda scores: self.classes_[np.argmax(scores, axis=1)],
        )

    def score(self, X, y, sample_weight=None):
        """Accuracy on sequences ``X``: of every valid step with ``per_step``.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.
        y : array-like of shape (n_sequences,), or per-step targets
            True labels, as in :meth:`fit`.
        sample_weight : array-like of shape (n_sequences,), default=None
            Sequence weights (with ``per_step``, of each of its steps).

        Returns
        -------
        score : float
            Mean accuracy.
        """

        def accuracy(y_true, y_pred, sample_weight=None):
            # As fit checks them: a clear error for labels that cannot be
            # ordered or are not classes.
            _unique_labels(y_true, "y")
            check_classification_targets(y_true)
            return accuracy_score(y_true, y_pred, sample_weight=sample_weight)

        return target_layout(self).score(self, X, y, sample_weight, accuracy)
