"""The parameters that the sktime and aeon adapters share with the core estimators.

:mod:`sklearn_rnn.sktime` and :mod:`sklearn_rnn.aeon` mix these classes in
front of their libraries' base classes, so that each adapter has the flat
parameters of :class:`~sklearn_rnn.RNNRegressor` or
:class:`~sklearn_rnn.RNNClassifier` in its signature, with the same defaults,
and calls its base class's constructor after storing them. Neither sktime nor
aeon is imported here.

The parameters of token ids (``embedding_dim``, ``embedding_dropout``,
``embedding_weights``, ``freeze_embedding``), of labels per time step
(``per_step``) and ``warm_start`` are left out: a panel holds numeric series
with one target each, and sktime's and aeon's ``fit`` reset the estimator
before training, so there is no network to continue.
"""


class RegressorParameters:
    """The parameters of RNNRegressor that apply to panels of numeric series."""

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
        n_threads=1,
        device="cpu",
        random_state=None,
        verbose=0,
        linear_path="auto",
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
        self.n_threads = n_threads
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.linear_path = linear_path
        super().__init__()


class ClassifierParameters:
    """The parameters of RNNClassifier that apply to panels of numeric series."""

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
        n_threads=1,
        device="cpu",
        random_state=None,
        verbose=0,
        class_weight=None,
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
        self.n_threads = n_threads
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.class_weight = class_weight
        super().__init__()


def small_parameter_sets():
    """Two small parameter sets that train in well under a second.

    For the ``get_test_params`` of the adapters, which sktime's and aeon's
    ``check_estimator`` build their test instances from: a bidirectional GRU
    without a front-end, and a one-directional LSTM behind one convolution.
    """
    return [
        {
            "hidden_size": 4,
            "conv_channels": None,
            "max_epochs": 2,
            "n_threads": 1,
            "random_state": 0,
        },
        {
            "cell": "lstm",
            "hidden_size": 4,
            "bidirectional": False,
            "pooling": "mean",
            "conv_channels": (4,),
            "max_epochs": 3,
            "n_threads": 1,
            "random_state": 0,
        },
    ]
