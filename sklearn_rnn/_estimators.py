"""RNNClassifier and RNNRegressor: scikit-learn estimators that train a skorch net.

The estimators are plain scikit-learn estimators with flat hyperparameters; ``fit``
validates the input, builds a :class:`skorch.NeuralNet` around
:class:`~sklearn_rnn._network.RecurrentNetwork` and lets skorch run the training
loop, callbacks, early stopping and gradient clipping.
"""

import copy
import inspect
import math
import threading
import warnings
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager, nullcontext
from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    _fit_context,
    is_classifier,
)
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state, compute_class_weight
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    column_or_1d,
)
from skorch import NeuralNet
from skorch.callbacks import (
    Callback,
    EarlyStopping,
    GradientNormClipping,
    LRScheduler,
    PassthroughScoring,
    PrintLog,
    ProgressBar,
)
from skorch.helper import predefined_split

from ._batching import SequenceDataset, SequenceLoader
from ._losses import IGNORED_CLASS, PerStepLoss, WeightedCrossEntropy, WeightedMSE
from ._network import CELLS, INITS, INPUT_SCALINGS, POOLINGS, RecurrentNetwork
from ._validation import (
    UNKNOWN_ID,
    check_token_ids,
    frame_values,
    set_fitted_channels,
    validate_sequences,
)

__all__ = ["RNNClassifier", "RNNRegressor"]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
    "lbfgs": torch.optim.LBFGS,
}
# conv_stride="auto" shortens sequences to at most this many recurrent steps.
_AUTO_STEPS = 200
# lr_schedule="plateau": halve the learning rate after this many epochs without
# a lower training loss.
_PLATEAU_FACTOR = 0.5
_PLATEAU_PATIENCE = 5


class _RaiseOnNonFiniteLoss(Callback):
    """Stop training with a clear error once an epoch's loss is NaN or infinite.

    Checked once per epoch: the epoch's mean loss is not finite when any of its
    batches' was, and a check per batch cost ~30 us each.
    """

    def on_epoch_end(self, net, **kwargs):
        loss = net.history[-1, "train_loss"]
        if not math.isfinite(loss):
            raise FloatingPointError(
                f"Training diverged: the loss became {loss} in epoch "
                f"{len(net.history)}. "
                "Lower `lr`, set `clip_grad_norm`, or scale the inputs (for "
                "example with SequenceScaler)."
            )


@contextmanager
def _flushing_denormals():
    """Flush denormal floats to zero on the CPU, then restore the setting.

    Gradients that flow back through hundreds of time steps decay into the
    denormal range, where x86 arithmetic is very slow: an LSTM's backward pass
    on 324 steps measured 5x slower without this. Values below 1.2e-38 do not
    matter to training. Threads torch starts inside inherit the setting.
    """
    # torch has no getter: a denormal times one is zero only when flushing.
    was_flushing = torch.tensor(1e-40).mul(1.0).item() == 0.0
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(was_flushing)


class _SequenceNet(NeuralNet):
    """skorch's NeuralNet, for batches that are tensors already.

    skorch's generic ``infer`` and ``get_loss`` convert and merge whatever a
    batch holds; here they only move tensors to the device. That saves ~30 us
    per batch, ~1% of a fit of an LSTM with 64 units on batches of 32.
    """

    def infer(self, x, **fit_params):
        return self.module_(
            x["X"].to(self.device), x["lengths"].to(self.device), **fit_params
        )

    def get_loss(self, y_pred, y_true, X=None, training=False):
        sample_weight = None if X is None else X.get("sample_weight")
        if sample_weight is not None:
            sample_weight = sample_weight.to(self.device)
        return self.criterion_(y_pred, y_true.to(self.device), sample_weight)


def _softmax(logits):
    return torch.softmax(logits, dim=-1)


# Fits hold this lock: torch's random generator, its thread count and its
# denormal setting are process-wide, so seeded fits running in threads would
# draw from one another's streams. A fit in a thread waits for the others.
_TORCH_STATE_LOCK = threading.RLock()

# The parameters that define the network; under warm start or partial_fit they
# cannot change (all others are applied at every call).
_ARCHITECTURE = (
    "cell",
    "hidden_size",
    "num_layers",
    "bidirectional",
    "nonlinearity",
    "pooling",
    "head_hidden_sizes",
    "init",
    "input_scaling",
    "conv_channels",
    "conv_kernel_size",
    "conv_stride",
    "conv_batch_norm",
    "branch_channels",
    "branch_kernel_sizes",
    "embedding_dim",
    "freeze_embedding",
    "per_step",
    "device",
)


def _set_dropout(module, p, embedding_p):
    """Set the dropout probabilities of a built network."""
    module.between_layers.p = p
    if module.embedding is not None:
        module.embedding_dropout.p = embedding_p
    for submodule in module.modules():
        if isinstance(submodule, torch.nn.RNNBase) and submodule.num_layers > 1:
            submodule.dropout = p
    if module.transformer is not None:  # the encoder layers' own dropouts
        for submodule in module.transformer.modules():
            if isinstance(submodule, torch.nn.Dropout):
                submodule.p = p
            elif isinstance(submodule, torch.nn.MultiheadAttention):
                submodule.dropout = p


@contextmanager
def _restored_on_error(net):
    """Put a fitted skorch ``net`` back as it was if the block raises.

    A warm start or ``partial_fit`` trains the fitted network in place; when it
    fails (a divergent loss, an error in a callback), the estimator keeps the
    model it had. What continuing changes is saved and restored: the net's
    attributes, the weights, buffers and which of them train, the optimizer's
    state, the dropout rates, the history and the batches' random stream. (A
    deep copy of the whole net would go through skorch's pickling, which fails
    on hooks and callbacks that cannot be pickled.)
    """
    attributes = dict(vars(net))
    module = net.module_
    weights = {name: value.clone() for name, value in module.state_dict().items()}
    trainable = {name: p.requires_grad for name, p in module.named_parameters()}
    optimizer_state = copy.deepcopy(net.optimizer_.state_dict())
    dropout = (
        module.between_layers.p,
        None if module.embedding is None else module.embedding_dropout.p,
    )
    history = net.history
    n_epochs = len(history)
    # Callbacks may record into the last epoch before training.
    last_epoch = dict(history[-1]) if n_epochs else None
    generator = net.iterator_train__generator
    generator_state = generator.get_state()
    try:
        yield
    except BaseException:
        # The plain parts first: they cannot fail.
        vars(net).clear()
        vars(net).update(attributes)
        del history[n_epochs:]
        if n_epochs:
            history[-1] = last_epoch
        generator.set_state(generator_state)
        _set_dropout(module, *dropout)
        for name, parameter in module.named_parameters():
            parameter.requires_grad_(trainable[name])
        module.load_state_dict(weights)
        net.optimizer_.load_state_dict(optimizer_state)
        raise


def _step_targets(y, lengths):
    """The targets of every valid step, concatenated in sequence order.

    ``y`` holds one array of per-step targets per sequence (ragged, each of
    its sequence's length), or is an array padded after each sequence's end
    (what lies past the end is ignored).
    """
    if y is None:
        raise ValueError("per_step=True requires y: one target per time step.")
    # A DataFrame holds padded rows (iterating it would give its columns).
    padded = isinstance(y, pd.DataFrame) or (
        isinstance(y, np.ndarray) and y.dtype != object and y.ndim >= 2
    )
    if isinstance(y, pd.DataFrame):
        y = frame_values(y)
    if len(y) != len(lengths):
        raise ValueError(
            f"X has {len(lengths)} sequences but y has {len(y)}; with "
            "per_step=True, y holds one array of per-step targets per sequence."
        )
    steps = []
    for i, (targets, length) in enumerate(zip(y, lengths, strict=True)):
        targets = np.asarray(targets)
        if targets.ndim == 0 or (
            len(targets) < length if padded else len(targets) != length
        ):
            found = "a scalar" if targets.ndim == 0 else f"{len(targets)} targets"
            raise ValueError(
                f"Sequence {i} has {length} steps, but y[{i}] holds {found}; "
                "with per_step=True, y holds one target per step."
            )
        steps.append(targets[:length])
    return np.concatenate(steps)


def _padded_steps(steps, lengths):
    """Encoded step targets laid out as ``(n_sequences, max_length, ...)``,
    with the ignored value past each end."""
    n_timesteps = int(lengths.max())
    shape = (len(lengths), n_timesteps, *steps.shape[1:])
    if steps.dtype == torch.int64:
        padded = torch.full(shape, IGNORED_CLASS, dtype=torch.int64)
    else:
        padded = torch.full(shape, float("nan"), dtype=steps.dtype)
    valid = torch.arange(n_timesteps)[None, :] < torch.as_tensor(lengths)[:, None]
    padded[valid] = steps
    return padded


def _unique_labels(labels, name):
    """Sorted unique labels, or a clear error when they cannot be ordered."""
    try:
        return np.unique(labels)
    except TypeError as exc:
        raise TypeError(
            f"The labels in {name} cannot be sorted ({exc}); use labels of one "
            "type, for example all strings or all numbers."
        ) from exc


# conv_channels="auto" for numeric input, chosen on the public suite.
_AUTO_CONV_CHANNELS = (32, 32, 32)
# lr, dropout and embedding_dropout "auto": for numeric input the values the
# public suite chose; for token ids those 3-fold CV chose on the reviews (an
# embedding table overfits 4000 texts within a few epochs; dropout slows that,
# and a higher rate reaches the best epoch before it).
_AUTO_TRAINING = {
    "numeric": {"lr": 1e-3, "dropout": 0.0, "embedding_dropout": 0.0},
    "tokens": {"lr": 3e-3, "dropout": 0.5, "embedding_dropout": 0.5},
}
# early_stopping="auto" holds out data from this many sequences of token ids:
# an embedding table overfits within a few epochs.
_TOKEN_EARLY_STOPPING_MIN = 1000


def _to_tuple(sizes, name=None):
    """``sizes`` (None, an int or a sequence of them) as a tuple of positive ints.

    With ``name``, anything else is a ValueError that names the parameter.
    """
    if sizes is None:
        return ()
    if isinstance(sizes, Integral):
        sizes = (sizes,)
    sizes = tuple(sizes)
    if name is not None and not all(
        isinstance(size, Integral) and not isinstance(size, bool) and size >= 1
        for size in sizes
    ):
        raise ValueError(
            f"{name} must be a positive integer or a sequence of them, got {sizes!r}."
        )
    return tuple(int(size) for size in sizes)


def _auto_conv_strides(max_length, n_layers):
    """Strides of ``n_layers`` layers that leave at most ``_AUTO_STEPS`` steps.

    The smallest product of strides that does, spread as evenly as it goes
    (the first layers take the larger ones): 150 steps give (1, 1, 1), 1460
    give (2, 2, 2), 5000 give (3, 3, 3). Recurrent layers cost time per step,
    so shorter is faster, but too short loses what the convolutions cannot
    summarize.
    """
    strides = [1] * n_layers
    while max_length / math.prod(strides) > _AUTO_STEPS:
        strides[strides.index(min(strides))] += 1
    return tuple(strides)


def _auto_batch_size(n_sequences):
    """About eight batches an epoch, of 16 to 64 sequences.

    Small data need several optimizer steps an epoch: on GunPoint's 50
    training sequences, two batches an epoch left the network on its initial
    plateau for most of the training budget. Larger data take larger batches,
    since an epoch's time goes with its number of batches more than with
    their size.
    """
    return int(np.clip(n_sequences // 8, 16, 64))


def _channel_statistics(X, lengths):
    """Per-channel mean and standard deviation over the valid steps of ``X``."""
    valid = np.arange(X.shape[1])[None, :] < lengths[:, None]
    steps = X[valid]  # (n_valid_steps, n_channels)
    return steps.mean(axis=0, dtype=np.float64), steps.std(axis=0, dtype=np.float64)


def _seed_torch(seed, cuda_devices):
    """Seed the CPU generator and those of ``cuda_devices``, and only those.

    They are the generators ``fork_rng`` restores after a fit: a private
    random stream. ``torch.manual_seed`` would seed every CUDA device (leaving
    the others changed), and initialize CUDA for a fit on the CPU.
    """
    torch.default_generator.manual_seed(seed)
    for device in cuda_devices:
        with torch.cuda.device(device):
            torch.cuda.manual_seed(seed)


@contextmanager
def _torch_threads(n_threads):
    """Run with ``n_threads`` intra-op threads (None: torch's), then restore."""
    if n_threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class _BaseRNN(BaseEstimator, metaclass=ABCMeta):
    """Shared parameters, training and prediction of the RNN estimators."""

    _parameter_constraints: dict = {
        "cell": [StrOptions(set(CELLS))],
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
        "input_scaling": [None, StrOptions(set(INPUT_SCALINGS))],
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
        "conv_batch_norm": ["boolean"],
        "branch_channels": [
            None,
            Interval(Integral, 1, None, closed="left"),
            "array-like",
        ],
        "branch_kernel_sizes": [
            Interval(Integral, 1, None, closed="left"),
            "array-like",
        ],
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
        "lr": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "lr_schedule": [StrOptions({"constant", "plateau", "cosine"})],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "clip_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [None, Interval(Integral, 1, None, closed="left")],
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
        cell="gru",
        hidden_size=64,
        num_layers=1,
        bidirectional=True,
        nonlinearity="tanh",
        dropout="auto",
        pooling="max",
        head_hidden_sizes=(),
        init="default",
        input_scaling="both",
        conv_channels="auto",
        conv_kernel_size=5,
        conv_stride="auto",
        conv_batch_norm=False,
        branch_channels=None,
        branch_kernel_sizes=(8, 5, 3),
        embedding_dim=None,
        embedding_dropout="auto",
        embedding_weights=None,
        freeze_embedding=False,
        per_step=False,
        optimizer="adam",
        optimizer_kwargs=None,
        lr="auto",
        lr_schedule="constant",
        weight_decay=0.0,
        batch_size="auto",
        max_epochs=150,
        clip_grad_norm=None,
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=20,
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

    # -- what the subclasses define ---------------------------------------------

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

    # -- training ---------------------------------------------------------------

    def _resolve_device(self):
        if self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        try:
            device = torch.device(self.device)
        except RuntimeError:
            raise ValueError(
                f"device={self.device!r} is not a device torch knows; use 'cpu', "
                "'cuda', 'cuda:N' or 'auto'."
            ) from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r} was requested, but CUDA is not available; "
                "use device='cpu' or device='auto'."
            )
        if device.type == "meta":
            raise ValueError("device='meta' holds no data to train on; use 'cpu'.")
        try:
            torch.empty(0, device=device)
        except Exception as exc:
            raise ValueError(
                f"device={self.device!r} cannot be used here ({type(exc).__name__}, "
                "above); use device='cpu' or device='auto'."
            ) from exc
        return str(device)

    def _architecture_params(self):
        """The parameters that define the network, each in one form: layer
        sizes and strides as tuples (a list, an array or, for sizes, an int of
        the same is no change), the device as its name."""

        def normalized(name, value):
            if name == "device":
                return str(value)
            if isinstance(value, np.ndarray):
                value = value.tolist()
            if isinstance(value, (list, tuple)) or (
                isinstance(value, Integral) and name.endswith(("_channels", "_sizes"))
            ):
                return _to_tuple(value, name)
            return value

        return {
            name: normalized(name, value)
            for name, value in self.get_params(deep=False).items()
            if name in _ARCHITECTURE
        }

    def _resolved(self, name):
        """The value of parameter ``name``, ``"auto"`` resolved for the input."""
        value = getattr(self, name)
        if isinstance(value, str):  # "auto", the only string allowed
            kind = "numeric" if self.embedding_dim is None else "tokens"
            return _AUTO_TRAINING[kind][name]
        return value

    def _architecture(self, lengths, n_tokens):
        """The module's keyword arguments, with ``"auto"`` values resolved."""
        if not isinstance(self.conv_channels, str):
            conv_channels = _to_tuple(self.conv_channels, "conv_channels")
        elif self.embedding_dim is None:
            conv_channels = _AUTO_CONV_CHANNELS
        else:
            # Measured on reviews (3-fold CV): the front-end cost 0.03-0.04
            # accuracy on token vectors.
            conv_channels = ()
        if not conv_channels:
            conv_stride = ()
        elif self.per_step and isinstance(self.conv_stride, str):
            conv_stride = (1,) * len(conv_channels)  # one output per input step
        elif isinstance(self.conv_stride, str):
            conv_stride = _auto_conv_strides(int(lengths.max()), len(conv_channels))
        elif isinstance(self.conv_stride, Integral):
            conv_stride = (int(self.conv_stride),) * len(conv_channels)
        else:
            conv_stride = _to_tuple(self.conv_stride, "conv_stride")
            if len(conv_stride) != len(conv_channels):
                raise ValueError(
                    f"conv_stride={self.conv_stride!r} must give one stride for "
                    f"each of the {len(conv_channels)} layers of conv_channels="
                    f"{self.conv_channels!r}."
                )
        branch_channels = _to_tuple(self.branch_channels, "branch_channels")
        branch_kernel_sizes = _to_tuple(self.branch_kernel_sizes, "branch_kernel_sizes")
        if branch_channels and len(branch_kernel_sizes) != len(branch_channels):
            raise ValueError(
                f"branch_kernel_sizes={self.branch_kernel_sizes!r} must give one "
                f"kernel size per layer of branch_channels={self.branch_channels!r}."
            )
        if self.per_step and (
            any(stride != 1 for stride in conv_stride)
            or (conv_channels and self.conv_kernel_size % 2 == 0)
            or branch_channels
        ):
            raise ValueError(
                "per_step=True needs one output per input step: a front-end of "
                f"strides 1 and an odd kernel (got conv_stride={conv_stride}, "
                f"conv_kernel_size={self.conv_kernel_size}) and no "
                "branch_channels."
            )
        return {
            "cell": self.cell,
            "hidden_size": self.hidden_size,
            "num_layers": self.num_layers,
            "bidirectional": self.bidirectional,
            "nonlinearity": self.nonlinearity,
            "dropout": self._resolved("dropout"),
            "pooling": self.pooling,
            "head_hidden_sizes": _to_tuple(self.head_hidden_sizes, "head_hidden_sizes"),
            "init": self.init,
            "input_scaling": self.input_scaling,
            "conv_channels": conv_channels,
            "conv_kernel_size": self.conv_kernel_size,
            "conv_stride": conv_stride,
            "conv_batch_norm": self.conv_batch_norm,
            "branch_channels": branch_channels,
            "branch_kernel_sizes": branch_kernel_sizes,
            "n_embeddings": n_tokens,
            "embedding_dim": self.embedding_dim,
            "embedding_dropout": self._resolved("embedding_dropout"),
            "embedding_weights": self._embedding_weights(),
            "freeze_embedding": self.freeze_embedding,
            "per_step": self.per_step,
        }

    def _embedding_weights(self):
        """``embedding_weights`` as a float32 tensor, checked; or None."""
        if self.embedding_weights is None:
            return None
        weights = np.asarray(self.embedding_weights, dtype=np.float32)
        if weights.ndim != 2 or weights.shape[1] != self.embedding_dim:
            raise ValueError(
                f"embedding_weights must have shape (n_token_ids, embedding_dim="
                f"{self.embedding_dim}), got {weights.shape}."
            )
        if not np.isfinite(weights).all():
            raise ValueError("embedding_weights holds NaN or infinite values.")
        return torch.from_numpy(weights)

    def _validate_input(self, X, *, reset):
        """Sequences as the network reads them: padded values or token ids.

        Returns the padded array, the lengths and, with ``reset``, the fitted
        attributes that describe the input (as ``validate_sequences``).
        """
        if self.embedding_dim is None:
            return validate_sequences(self, X, reset=reset)
        ids, lengths = check_token_ids(X)
        if reset:
            weights = self._embedding_weights()
            n_rows = None if weights is None else len(weights)
            largest = int(ids.max())
            if n_rows is not None and largest >= n_rows:
                raise ValueError(
                    f"X holds token id {largest}, but embedding_weights has rows "
                    f"for ids 0 to {n_rows - 1} only."
                )
            n_tokens = n_rows or max(largest + 1, UNKNOWN_ID + 1)
            return ids, lengths, {"n_tokens_": n_tokens}
        unseen = ids >= self.n_tokens_
        if unseen.any():
            warnings.warn(
                f"X holds {int(unseen.sum())} token id(s) the model never saw "
                f"(up to {int(ids.max())}; it knows ids 0 to {self.n_tokens_ - 1}); "
                f"they are read as unknown (id {UNKNOWN_ID}).",
                UserWarning,
                stacklevel=3,
            )
            ids[unseen] = UNKNOWN_ID
        return ids, lengths, {}

    def _holds_out(self, y, incremental):
        """Whether this fit holds out data for early stopping.

        "auto" does for regressors of at least 20 sequences, and for token ids
        from 1000 sequences. Measured on Covid3Month's training split (3-fold
        cross-validation), a regressor that trained on all data fitted the
        noise of its nearly unpredictable targets (RMSE 0.045 against 0.040
        for the mean); stopping on held-out data gave 0.039. Classifiers of
        tiny data (BasicMotions: 40 sequences, 4 classes) cannot spare a
        stratified split. On 4000 reviews, a classifier of token ids trained
        56 epochs past its best; stopping on held-out data gave the same
        accuracy 5x faster. ``partial_fit`` never does. Where the split is
        impossible (a class with one sequence), "auto" trains on all data and
        True is an error.
        """
        if incremental or not self.early_stopping:
            return False
        n_sequences = len(y)
        if self.early_stopping == "auto":
            if self.embedding_dim is not None:
                wanted = n_sequences >= _TOKEN_EARLY_STOPPING_MIN
            else:
                wanted = not is_classifier(self) and n_sequences >= 20
            return wanted and self._split_problem(y) is None
        problem = self._split_problem(y)
        if problem is not None:
            raise ValueError(
                f"early_stopping=True holds out validation_fraction="
                f"{self.validation_fraction} of the training data, but {problem}"
            )
        return True

    def _split_problem(self, y):
        """Why the validation split cannot be drawn (and what to do), or None."""
        n_valid = math.ceil(self.validation_fraction * len(y))
        if len(y) < 2:
            return "one sequence cannot be split. Set early_stopping=False."
        if n_valid >= len(y):
            return (
                f"{len(y)} sequences leave none to train on. Lower "
                "validation_fraction or set early_stopping=False."
            )
        if not is_classifier(self) or self.per_step:
            return None
        counts = np.bincount(y.numpy())
        counts = counts[counts > 0]
        if counts.min() < 2:
            return (
                "a stratified split needs two sequences of every class, and a "
                "class has one. Set early_stopping=False."
            )
        if n_valid < len(counts):
            return (
                f"the {n_valid} held-out sequences cannot hold each of the "
                f"{len(counts)} classes. Raise validation_fraction or set "
                "early_stopping=False."
            )
        if len(y) - n_valid < len(counts):
            return (
                f"the {len(y) - n_valid} sequences left to train on cannot hold "
                f"each of the {len(counts)} classes. Lower validation_fraction "
                "or set early_stopping=False."
            )
        return None

    def _training_callbacks(self, incremental, early_stopping):
        """skorch callbacks for the training parameters.

        ``partial_fit`` trains one epoch a call, so it neither stops early nor
        holds out data (as scikit-learn's MLP).
        """
        callbacks = [("raise_on_non_finite_loss", _RaiseOnNonFiniteLoss())]
        if self.clip_grad_norm is not None:
            callbacks.append(
                ("gradient_clipping", GradientNormClipping(self.clip_grad_norm))
            )
        if self.lr_schedule == "plateau":
            callbacks.append(
                (
                    "lr_schedule",
                    LRScheduler(
                        policy=torch.optim.lr_scheduler.ReduceLROnPlateau,
                        monitor="train_loss",
                        factor=_PLATEAU_FACTOR,
                        patience=_PLATEAU_PATIENCE,
                    ),
                )
            )
        elif self.lr_schedule == "cosine":
            callbacks.append(
                (
                    "lr_schedule",
                    LRScheduler(
                        policy=torch.optim.lr_scheduler.CosineAnnealingLR,
                        T_max=self.max_epochs,
                        # From lr, also on a warm start: skorch would resume
                        # the curve at the epoch count of the history.
                        last_epoch=-1,
                    ),
                )
            )
        if not incremental and (early_stopping or self.n_iter_no_change):
            monitor = "valid_loss" if early_stopping else "train_loss"
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor=monitor,
                        # None: train every epoch, then restore the best.
                        patience=self.n_iter_no_change or self.max_epochs,
                        threshold=self.tol,
                        threshold_mode="abs",
                        load_best=early_stopping,
                        # skorch prints to print only when verbose; a
                        # function here would make the net unpicklable.
                        sink=print,
                    ),
                )
            )
        if self.verbose >= 2:
            callbacks.append(("progress_bar", ProgressBar()))
        # Deep copies: fitting must not change the user's callback objects.
        return callbacks + copy.deepcopy(self.callbacks or [])

    def _optimizer_class(self):
        optimizer = OPTIMIZERS.get(self.optimizer, self.optimizer)
        if not issubclass(optimizer, torch.optim.Optimizer):
            raise TypeError(
                f"optimizer must be one of {sorted(OPTIMIZERS)} or a subclass of "
                f"torch.optim.Optimizer, got {optimizer!r}."
            )
        return optimizer

    def _training_params(self, incremental, n_sequences, early_stopping):
        """What the skorch net takes from the training parameters."""
        batch_size = self.batch_size
        if batch_size == "auto":
            batch_size = _auto_batch_size(n_sequences)
        optimizer = self._optimizer_class()
        optimizer_kwargs = dict(self.optimizer_kwargs or {})
        if "weight_decay" in inspect.signature(optimizer).parameters:
            optimizer_kwargs.setdefault("weight_decay", self.weight_decay)
        elif self.weight_decay:
            raise ValueError(
                f"{optimizer.__name__} takes no weight_decay; set weight_decay=0."
            )
        try:
            inspect.signature(optimizer).bind(
                None, lr=self._resolved("lr"), **optimizer_kwargs
            )
        except TypeError as exc:
            raise TypeError(
                f"optimizer_kwargs={self.optimizer_kwargs!r} do not fit "
                f"{optimizer.__name__}: {exc}."
            ) from None
        return {
            "optimizer": optimizer,
            "lr": self._resolved("lr"),
            **{f"optimizer__{key}": value for key, value in optimizer_kwargs.items()},
            "batch_size": batch_size,
            "max_epochs": self.max_epochs,
            "callbacks": self._training_callbacks(incremental, early_stopping),
            # Default callbacks with nothing to do still cost a call per batch.
            "callbacks__print_log": PrintLog() if self.verbose else None,
            "callbacks__valid_loss": (
                PassthroughScoring("valid_loss") if early_stopping else None
            ),
            "verbose": self.verbose,
        }

    def _build_net(
        self, criterion, n_inputs, n_outputs, seed, device, module_kwargs, training
    ):
        return _SequenceNet(
            module=RecurrentNetwork,
            module__n_inputs=n_inputs,
            module__n_outputs=n_outputs,
            **{f"module__{key}": value for key, value in module_kwargs.items()},
            criterion=criterion,
            predict_nonlinearity=_softmax if is_classifier(self) else None,
            iterator_train=SequenceLoader,
            iterator_train__shuffle=True,
            iterator_train__generator=torch.Generator().manual_seed(seed),
            iterator_valid=SequenceLoader,
            train_split=None,
            device=device,
            **training,
        )

    def _datasets(self, X, lengths, y, sample_weight, seed, holds_out):
        """Training dataset and, with early stopping, a held-out validation one."""
        if not holds_out:
            return SequenceDataset(X, lengths, y, sample_weight, self.per_step), None
        stratify = y.numpy() if is_classifier(self) and not self.per_step else None
        train, valid = train_test_split(
            np.arange(len(lengths)),
            test_size=self.validation_fraction,
            random_state=seed,
            stratify=stratify,
        )
        # Sorted by length, the validation batches carry little padding.
        valid = valid[np.argsort(lengths[valid], kind="stable")]

        def subset(indices):
            weights = None if sample_weight is None else sample_weight[indices]
            return SequenceDataset(
                X[indices], lengths[indices], y[indices], weights, self.per_step
            )

        return subset(train), subset(valid)

    def _check_continuation(self):
        """Raise if a parameter that defines the network changed since it was built."""
        changed = {
            name: (fitted, self._architecture_params()[name])
            for name, fitted in self._fitted_architecture.items()
            if self._architecture_params()[name] != fitted
        }
        if changed:
            details = ", ".join(
                f"{name} from {old!r} to {new!r}"
                for name, (old, new) in changed.items()
            )
            raise ValueError(
                f"Cannot continue training: {details} changed since the network "
                "was built, and these define it. Set them back, or set "
                "warm_start=False (or call fit instead of partial_fit) to train a "
                "new network."
            )

    def _prepare_continuation(
        self, net, training, criterion, target_state, device, cuda_devices
    ):
        """Apply the training parameters as they are now to the fitted ``net``;
        return the seed of this call, drawn from the first call's stream."""
        generator = net.iterator_train__generator
        seed = int(torch.randint(np.iinfo(np.int32).max, (1,), generator=generator))
        _seed_torch(seed, cuda_devices)
        # skorch's set_params cannot replace the callback list of an
        # initialized net; the attributes are what initialize reads.
        for key in [key for key in training if key.startswith("callbacks")]:
            setattr(net, key, training.pop(key))
        net.initialize_callbacks()
        optimizer = training.pop("optimizer")
        # Keywords of optimizer_kwargs dropped since the last call: a new
        # optimizer must not get them, the same one takes their defaults.
        dropped = [
            key
            for key in vars(net)
            if key.startswith("optimizer__") and key not in training
        ]
        for key in dropped:
            delattr(net, key)
        if optimizer is net.optimizer:
            defaults = inspect.signature(optimizer).parameters
            names = [key.removeprefix("optimizer__") for key in dropped]
            for group in net.optimizer_.param_groups:
                group.update({name: defaults[name].default for name in names})
            # lr and optimizer__* change the optimizer in place.
            net.set_params(**training)
        else:
            for key, value in training.items():
                setattr(net, key, value)
            net.optimizer = optimizer
            net.initialize_optimizer()
        # torch's schedulers take their base rate from "initial_lr", which the
        # last call's schedule left: this call's is lr.
        for group in net.optimizer_.param_groups:
            group["initial_lr"] = group["lr"]
        net.criterion_ = criterion.to(device)
        _set_dropout(
            net.module_, self._resolved("dropout"), self._resolved("embedding_dropout")
        )
        self._adapt_to_target_state(net.module_, target_state)
        return seed

    def _fit(self, X, y, *, incremental, classes=None, sample_weight=None):
        # Nothing is set on the estimator until training has succeeded, so a
        # failed fit leaves a fitted model as it was (and an unfitted one
        # unfitted).
        first_call = not (hasattr(self, "net_") and (incremental or self.warm_start))
        if not first_call:
            self._check_continuation()
        X, lengths, channels = self._validate_input(X, reset=first_call)
        if self.per_step:
            y = _step_targets(y, lengths)
        y, n_outputs, target_state = self._validate_target(
            y, first_call=first_call, classes=classes
        )
        criterion = self._criterion(y, target_state)
        if self.per_step:
            y, criterion = _padded_steps(y, lengths), PerStepLoss(criterion)
        if len(lengths) != len(y):
            raise ValueError(
                f"X has {len(lengths)} sequences but y has {len(y)} targets; they "
                "must have the same number of samples."
            )
        if sample_weight is not None:
            sample_weight = torch.as_tensor(
                _check_sample_weight(
                    sample_weight, lengths, dtype=np.float32, ensure_non_negative=True
                )
            )
        device = self._resolve_device()
        holds_out = self._holds_out(y, incremental)
        training = self._training_params(incremental, len(lengths), holds_out)
        cuda_devices = [torch.device(device)] if device.startswith("cuda") else []

        with (
            _TORCH_STATE_LOCK,
            torch.random.fork_rng(devices=cuda_devices),
            _flushing_denormals(),
            _torch_threads(self.n_threads),
        ):
            if first_call:
                seed = int(
                    check_random_state(self.random_state).randint(
                        np.iinfo(np.int32).max
                    )
                )
                _seed_torch(seed, cuda_devices)
                architecture = self._architecture(lengths, channels.get("n_tokens_"))
                net = self._build_net(
                    criterion,
                    X.shape[2] if X.ndim == 3 else None,
                    n_outputs,
                    seed,
                    device,
                    architecture,
                    training,
                )
                net.initialize()
                if self.embedding_dim is None and self.input_scaling in (
                    "channel",
                    "both",
                ):
                    net.module_.input_scaling_.set_statistics(
                        *_channel_statistics(X, lengths)
                    )
            else:
                net = self.net_
            with nullcontext() if first_call else _restored_on_error(net):
                if not first_call:
                    seed = self._prepare_continuation(
                        net, training, criterion, target_state, device, cuda_devices
                    )
                train, valid = self._datasets(
                    X, lengths, y, sample_weight, seed, holds_out
                )
                net.set_params(
                    train_split=None if valid is None else predefined_split(valid)
                )
                net.partial_fit(train, epochs=1 if incremental else None)
        for name, value in target_state.items():
            setattr(self, name, value)
        if first_call:
            set_fitted_channels(self, channels)
            self.conv_channels_ = architecture["conv_channels"]
            self.conv_stride_ = architecture["conv_stride"]
            self._fitted_architecture = self._architecture_params()
        self.net_ = net
        self.history_ = net.history
        self.n_iter_ = len(self.history_)
        return self

    def _in_caller_order(self, X, compute):
        """``compute(dataset)`` on the sequences ``X``, rows in the caller's order."""
        check_is_fitted(self)
        X, lengths, _ = self._validate_input(X, reset=False)
        # Length-sorted batches carry little padding; results go back in order.
        order = np.argsort(lengths, kind="stable")
        dataset = SequenceDataset(X[order], lengths[order])
        with (
            _TORCH_STATE_LOCK,
            _flushing_denormals(),
            _torch_threads(self.n_threads),
        ):
            sorted_output = compute(dataset)
        if isinstance(sorted_output, list):  # per-step outputs, one per sequence
            output = [None] * len(order)
            for position, index in enumerate(order):
                output[index] = sorted_output[position]
            return output
        output = np.empty_like(sorted_output)
        output[order] = sorted_output
        return output

    def _steps_scored(self, X, y, sample_weight):
        """True and predicted targets of every valid step, with step weights."""
        predictions = self.predict(X)
        lengths = np.array([len(p) for p in predictions])
        weights = None
        if sample_weight is not None:
            weights = np.repeat(_check_sample_weight(sample_weight, lengths), lengths)
        return _step_targets(y, lengths), np.concatenate(predictions), weights

    def _raw_predict(self, X):
        """Network outputs (after the loss's nonlinearity) in the caller's order."""
        return self._in_caller_order(X, self._predict_dataset)

    def _predict_dataset(self, dataset):
        if not self.per_step:
            return self.net_.predict_proba(dataset)
        # skorch would concatenate the batches, whose widths differ: each
        # sequence's outputs are cut to its own length instead.
        module, device = self.net_.module_, self.net_.device
        nonlinearity = _softmax if is_classifier(self) else None
        module.eval()
        outputs = []
        with torch.no_grad():
            for batch, _ in SequenceLoader(dataset, self.net_.batch_size):
                out = module(batch["X"].to(device), batch["lengths"])
                out = (out if nonlinearity is None else nonlinearity(out)).cpu()
                lengths = batch["lengths"].tolist()
                outputs += [o[:n].numpy() for o, n in zip(out, lengths, strict=True)]
        return outputs

    def _embed_dataset(self, dataset):
        module, device = self.net_.module_, self.net_.device
        module.eval()
        with torch.no_grad():
            return np.concatenate(
                [
                    module.embed(batch["X"].to(device), batch["lengths"]).cpu().numpy()
                    for batch, _ in SequenceLoader(dataset, self.net_.batch_size)
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
        return self._in_caller_order(X, self._embed_dataset)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


class RNNClassifier(ClassifierMixin, _BaseRNN):
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
    cell : {"rnn", "lstm", "gru", "transformer"}, default="gru"
        Recurrent cell, as ``torch.nn.RNN``, ``torch.nn.LSTM``, ``torch.nn.GRU``;
        or "transformer", a self-attention encoder in their place (inputs
        projected to ``hidden_size`` channels with sinusoidal positions,
        ``num_layers`` layers of ``torch.nn.TransformerEncoderLayer`` with 4
        heads when ``hidden_size`` is a multiple of 4, else 1), padding
        masked as keys, so that padding changes nothing either. With
        ``bidirectional=False`` each step attends to earlier steps only
        (causal, as a one-directional recurrent layer); pooling and head are
        those of the recurrent cells.
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
    input_scaling : {"channel", "sequence", "both"} or None, default="both"
        Standardization inside the network, from valid steps only: "channel"
        with each channel's mean and standard deviation over the training data
        (learned in ``fit``), "sequence" with each sequence's own statistics,
        "both" side by side (twice the channels: the level of a series and its
        shape), None for none. Unscaled data need no scaler in front.
    conv_channels : int, tuple of int, None or "auto", default="auto"
        Output channels of a convolutional front-end (one layer per entry, each
        followed by ReLU) before the recurrent layers; None for none. "auto"
        is (32, 32, 32) for numeric sequences and none for token ids
        (``embedding_dim`` set), where it lost accuracy. The channels used are
        ``conv_channels_``.
    conv_kernel_size : int, default=5
        Kernel size of every front-end convolution.
    conv_stride : int, tuple of int or "auto", default="auto"
        Stride of every front-end convolution (or of each): each layer divides
        lengths by it. "auto" takes the smallest strides, spread over the
        layers, that leave the recurrent layers at most 200 steps of the
        longest training sequence: none for up to 200 steps, (2, 2, 2) for
        1460. The strides used are ``conv_stride_``.
    conv_batch_norm : bool, default=False
        Whether each front-end convolution is followed by batch normalization
        over valid steps.
    branch_channels : int, tuple of int or None, default=None
        Output channels of a fully convolutional branch beside the recurrent
        one (LSTM-FCN: convolutions with batch normalization and ReLU at full
        length, then the mean over valid steps), e.g. ``(128, 256, 128)``;
        its features join the pooled recurrent ones. None for none.
    branch_kernel_sizes : int or tuple of int, default=(8, 5, 3)
        Kernel size of each branch layer.
    embedding_dim : int or None, default=None
        With an int, ``X`` holds token ids instead of numbers (ragged lists
        of integers, or 2-D integer arrays padded with trailing 0; id 1 is an
        unknown token; :class:`TokenSequencer` makes them from texts), and
        each id becomes a learned vector of this size
        (:class:`torch.nn.Embedding`) that the network reads. Padding id 0 is
        masked like NaN padding of numbers. The vocabulary size is the largest
        id seen in ``fit`` plus one (``n_tokens_``); larger ids later are read
        as unknown, with a warning. ``input_scaling`` does not apply. None for
        numeric sequences.
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
        Learning rate. "auto" is 1e-3 for numeric input and 3e-3 for token
        ids.
    lr_schedule : {"constant", "plateau", "cosine"}, default="constant"
        "plateau" halves the learning rate after 5 epochs without a lower
        training loss (skorch's ``LRScheduler`` with ``ReduceLROnPlateau``);
        "cosine" anneals it to zero over ``max_epochs``.
    weight_decay : float, default=0.0
        Weight decay (L2 penalty) of the optimizer.
    batch_size : int or "auto", default="auto"
        Sequences per training batch. "auto" is ``n_sequences // 8`` between
        16 and 64: small data get several optimizer steps an epoch, large data
        fewer, larger batches. Batches group sequences of similar length.
    max_epochs : int, default=150
        The most training epochs.
    clip_grad_norm : float or None, default=None
        Clip the gradient norm to this value (skorch's GradientNormClipping).
    early_stopping : bool or "auto", default="auto"
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers) and stop when its loss has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, restoring the weights of the best epoch.
        "auto" does for RNNRegressor from 20 sequences and, for token ids
        (``embedding_dim`` set), for both estimators from 1000 sequences;
        otherwise not. Where no validation split can be drawn (a class of
        one sequence, or more classes than either part has sequences),
        "auto" trains on all data and True raises an error. ``partial_fit``
        never holds out data.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    n_iter_no_change : int or None, default=20
        Epochs without an improvement of ``tol`` before training stops: of the
        validation loss with early stopping, else of the training loss (as in
        ``MLPClassifier``). None trains for all ``max_epochs``.
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
        Weights of the classes in the loss, as in scikit-learn's classifiers.

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
    conv_channels_ : tuple of int
        The channels of each front-end convolution, ``conv_channels``
        resolved; empty without a front-end.
    conv_stride_ : tuple of int
        The stride of each front-end convolution, ``conv_stride`` resolved.
    net_ : skorch.NeuralNet
        The trained skorch network; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Training history of ``net_``: losses and timings per epoch.
    n_iter_ : int
        Number of epochs trained.

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

    _parameter_constraints: dict = {
        **_BaseRNN._parameter_constraints,
        "class_weight": [None, dict, StrOptions({"balanced"})],
    }

    def __init__(
        self,
        *,
        cell="gru",
        hidden_size=64,
        num_layers=1,
        bidirectional=True,
        nonlinearity="tanh",
        dropout="auto",
        pooling="max",
        head_hidden_sizes=(),
        init="default",
        input_scaling="both",
        conv_channels="auto",
        conv_kernel_size=5,
        conv_stride="auto",
        conv_batch_norm=False,
        branch_channels=None,
        branch_kernel_sizes=(8, 5, 3),
        embedding_dim=None,
        embedding_dropout="auto",
        embedding_weights=None,
        freeze_embedding=False,
        per_step=False,
        optimizer="adam",
        optimizer_kwargs=None,
        lr="auto",
        lr_schedule="constant",
        weight_decay=0.0,
        batch_size="auto",
        max_epochs=150,
        clip_grad_norm=None,
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=20,
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
    def fit(self, X, y, sample_weight=None):
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

        Returns
        -------
        self : RNNClassifier
            The fitted classifier.
        """
        return self._fit(X, y, incremental=False, sample_weight=sample_weight)

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
                    f"{fitted[0]!r}."
                )
        else:
            fitted = self.classes_
            if classes is not None and not np.array_equal(classes, fitted):
                raise ValueError(
                    f"classes={list(classes)} is not the same as on the first call "
                    f"to partial_fit, {list(fitted)}."
                )
        unseen = np.setdiff1d(y, fitted)
        if unseen.size:
            raise ValueError(
                f"y contains labels {list(unseen)} that are not among the classes "
                f"{list(fitted)} of the first call."
            )
        encoded = torch.as_tensor(np.searchsorted(fitted, y), dtype=torch.int64)
        return encoded, len(fitted), {"classes_": fitted}

    def _criterion(self, y, target_state):
        if self.class_weight is None:
            return WeightedCrossEntropy()
        classes = target_state["classes_"]
        weights = compute_class_weight(
            self.class_weight, classes=classes, y=classes[y.numpy()]
        )
        return WeightedCrossEntropy(weights)

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

        raw = self._raw_predict(X)
        return [normalized(p) for p in raw] if self.per_step else normalized(raw)

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
        scores = self._raw_predict(X)
        if self.per_step:
            return [self.classes_[np.argmax(s, axis=1)] for s in scores]
        return self.classes_[np.argmax(scores, axis=1)]

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
        if not self.per_step:
            return super().score(X, y, sample_weight)
        y_true, y_pred, weights = self._steps_scored(X, y, sample_weight)
        return accuracy_score(y_true, y_pred, sample_weight=weights)


class RNNRegressor(RegressorMixin, _BaseRNN):
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
branch_kernel_sizes, embedding_dim, embedding_dropout, embedding_weights, \
freeze_embedding, per_step, optimizer, optimizer_kwargs, lr, lr_schedule, \
weight_decay, batch_size, max_epochs, clip_grad_norm, early_stopping, \
validation_fraction, n_iter_no_change, tol, callbacks, warm_start, n_threads, \
device, random_state, verbose
        As in :class:`RNNClassifier`, with the same defaults. Early stopping
        holds out a random (not stratified) validation split; by default
        (``early_stopping="auto"``) it is on for 20 sequences or more (1000
        of token ids): with noisy targets, training on all data fits the
        noise.

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
    net_ : skorch.NeuralNet
        The trained skorch network.
    history_ : skorch.History
        Training history of ``net_``.
    n_iter_ : int
        Number of epochs trained.

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
    def fit(self, X, y, sample_weight=None):
        """Train the network on sequences ``X`` with targets ``y``.

        Parameters
        ----------
        X : sequences
            As in :meth:`RNNClassifier.fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, n_targets)
            Real-valued targets.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss; None weighs all equally.

        Returns
        -------
        self : RNNRegressor
            The fitted regressor.
        """
        return self._fit(X, y, incremental=False, sample_weight=sample_weight)

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
        y = check_array(y, ensure_2d=False, dtype="numeric", input_name="y")
        if y.ndim > 2:
            raise ValueError(f"y must be 1-D or 2-D, got {y.ndim}-D.")
        y2d = y.reshape(len(y), -1)
        if first_call:
            target_state = {
                "_target_ndim": y.ndim,
                "n_outputs_": y2d.shape[1],
                "target_scaler_": StandardScaler().fit(y2d),
            }
        elif y2d.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y2d.shape[1]} targets, but {type(self).__name__} was "
                f"fitted with {self.n_outputs_}."
            )
        else:
            target_state = {
                "target_scaler_": copy.deepcopy(self.target_scaler_).partial_fit(y2d)
            }
        scaled = target_state["target_scaler_"].transform(y2d)
        n_outputs = y2d.shape[1]
        return torch.as_tensor(scaled, dtype=torch.float32), n_outputs, target_state

    def _criterion(self, y, target_state):
        return WeightedMSE()

    @torch.no_grad()
    def _adapt_to_target_state(self, module, target_state):
        """Rescale the output layer to the updated target standardization.

        With old statistics ``(m, s)`` and new ones ``(m', s')``, an output
        ``o`` meant ``s * o + m``; the output layer is changed so that it now
        gives ``(s * o + m - m') / s'``, which means the same.
        """
        old, new = self.target_scaler_, target_state["target_scaler_"]
        ratio = torch.as_tensor(old.scale_ / new.scale_, dtype=torch.float32)
        shift = torch.as_tensor(
            (old.mean_ - new.mean_) / new.scale_, dtype=torch.float32
        )
        output = module.head[-1]
        output.weight.mul_(ratio.to(output.weight.device)[:, None])
        output.bias.mul_(ratio.to(output.bias.device)).add_(
            shift.to(output.bias.device)
        )

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

        raw = self._raw_predict(X)
        return [unscaled(r) for r in raw] if self.per_step else unscaled(raw)

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
        if not self.per_step:
            return super().score(X, y, sample_weight)
        y_true, y_pred, weights = self._steps_scored(X, y, sample_weight)
        return r2_score(y_true, y_pred, sample_weight=weights)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
