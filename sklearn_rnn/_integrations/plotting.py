"""TrainingHistoryDisplay: the training curve of a fitted estimator."""

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import BatchScoring, EpochScoring

__all__ = ["TrainingHistoryDisplay"]


def _check_matplotlib_support(caller_name):
    """Raise an ImportError that names the extra to install without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{caller_name} requires matplotlib, which is not installed; install "
            'the plot extra: pip install "sklearn-rnn[plot]"'
        ) from exc


def _history_column(history, key):
    """``key`` of every epoch of a skorch history, NaN where an epoch lacks it.

    Epochs of a warm-started fit may lack a key (a validation loss only while
    early stopping was on); NaN leaves a gap in the plotted line.
    """
    return np.array([epoch.get(key, np.nan) for epoch in history], dtype=float)


def _network_owner(estimator):
    """The estimator inside ``estimator`` that trained a skorch net."""
    while not hasattr(estimator, "net_"):
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
            continue
        check_is_fitted(estimator)
        for attribute in ("best_estimator_", "regressor_"):
            inner = getattr(estimator, attribute, None)
            if inner is not None:
                estimator = inner
                break
        else:
            return estimator
    return estimator


class TrainingHistoryDisplay:
    """Training curve: the losses and scores of each epoch of a fit.

    It is recommended to use :meth:`from_estimator` to create one from a
    fitted :class:`RNNClassifier` or :class:`RNNRegressor`. All parameters are
    stored as attributes. Losses are drawn on the left y axis, scores (on
    another scale) on a right one; epochs are counted from 1, as in skorch's
    history.

    Parameters
    ----------
    train_loss : array-like of shape (n_epochs,)
        Training loss of each epoch.
    valid_loss : array-like of shape (n_epochs,), default=None
        Loss of each epoch on held-out data; NaN where an epoch has none.
        None draws no validation curve.
    scores : dict of str to array-like of shape (n_epochs,), default=None
        Further metrics of each epoch, by name, drawn on a second y axis.
    best_epoch : int, default=None
        The epoch whose weights the model keeps, chosen by early stopping on
        held-out data; marked with a dashed vertical line.
    stopped_epoch : int, default=None
        The last epoch, when training stopped early because the monitored loss
        stopped improving; marked with a dotted vertical line. None when
        training ran all its epochs.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        The curves, by name: ``"train_loss"``, ``"valid_loss"`` (with
        ``valid_loss``) and the names of ``scores``.
    best_epoch_line_ : matplotlib Line2D or None
        The marker of ``best_epoch``; None without one.
    stopped_epoch_line_ : matplotlib Line2D or None
        The marker of ``stopped_epoch``; None without one.
    ax_ : matplotlib Axes
        Axes of the losses.
    score_ax_ : matplotlib Axes or None
        Axes of the scores, sharing the x axis of ``ax_``; None without
        scores.
    figure_ : matplotlib Figure
        Figure of the plot.

    See Also
    --------
    TrainingHistoryDisplay.from_estimator : Plot the history of a fitted
        estimator.

    Examples
    --------
    >>> from sklearn_rnn import TrainingHistoryDisplay
    >>> disp = TrainingHistoryDisplay(
    ...     train_loss=[1.0, 0.6, 0.5, 0.45],
    ...     valid_loss=[1.1, 0.8, 0.85, 0.9],
    ...     best_epoch=2,
    ...     stopped_epoch=4,
    ... ).plot()
    >>> sorted(disp.lines_)
    ['train_loss', 'valid_loss']
    >>> disp.best_epoch_line_.get_xdata()
    [2, 2]
    """

    def __init__(
        self,
        *,
        train_loss,
        valid_loss=None,
        scores=None,
        best_epoch=None,
        stopped_epoch=None,
    ):
        self.train_loss = train_loss
        self.valid_loss = valid_loss
        self.scores = scores
        self.best_epoch = best_epoch
        self.stopped_epoch = stopped_epoch

    def _curves(self):
        """The curves to draw, by name, each checked to have an epoch's value."""
        curves = {"train_loss": np.asarray(self.train_loss, dtype=float)}
        if self.valid_loss is not None:
            curves["valid_loss"] = np.asarray(self.valid_loss, dtype=float)
        for name, values in (self.scores or {}).items():
            curves[name] = np.asarray(values, dtype=float)
        n_epochs = len(curves["train_loss"])
        for name, values in curves.items():
            if values.shape != (n_epochs,):
                raise ValueError(
                    f"{name} must hold one value per epoch, {n_epochs} as "
                    f"train_loss, got shape {values.shape}."
                )
        for name in ("best_epoch", "stopped_epoch"):
            epoch = getattr(self, name)
            if epoch is not None and not 1 <= epoch <= n_epochs:
                raise ValueError(
                    f"{name}={epoch} is not an epoch of the history; epochs are "
                    f"counted from 1 to {n_epochs}."
                )
        return curves

    def plot(self, ax=None):
        """Plot the training curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot the losses on; the scores get a twin of it. None
            creates a figure and axes.

        Returns
        -------
        display : TrainingHistoryDisplay
            The display, with the artists as attributes.
        """
        _check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        curves = self._curves()
        if ax is None:
            _, ax = plt.subplots()
        epochs = np.arange(1, len(curves["train_loss"]) + 1)
        score_ax = ax.twinx() if self.scores else None
        self.lines_ = {}
        # Explicit colors: a twin axes would restart the color cycle.
        for i, (name, values) in enumerate(curves.items()):
            on = ax if name in ("train_loss", "valid_loss") else score_ax
            (self.lines_[name],) = on.plot(epochs, values, color=f"C{i}", label=name)
        self.best_epoch_line_ = self.stopped_epoch_line_ = None
        if self.best_epoch is not None:
            self.best_epoch_line_ = ax.axvline(
                self.best_epoch,
                color="0.3",
                linestyle="--",
                label=f"best epoch ({self.best_epoch}), weights kept",
            )
        if self.stopped_epoch is not None:
            self.stopped_epoch_line_ = ax.axvline(
                self.stopped_epoch,
                color="0.3",
                linestyle=":",
                label=f"stopped early ({self.stopped_epoch})",
            )
        ax.set(xlabel="epoch", ylabel="loss")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if score_ax is not None:
            score_ax.set_ylabel(
                next(iter(self.scores)) if len(self.scores) == 1 else "score"
            )
        markers = [self.best_epoch_line_, self.stopped_epoch_line_]
        handles = [
            *self.lines_.values(),
            *(line for line in markers if line is not None),
        ]
        # The legend on the top axes, so that no curve is drawn over it.
        (ax if score_ax is None else score_ax).legend(handles=handles)
        self.ax_, self.score_ax_, self.figure_ = ax, score_ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, scores=None, ax=None):
        """Plot the training history of a fitted estimator.

        Reads the skorch history of the estimator's network (``net_``): the
        training loss, the validation loss when early stopping held out data,
        the scores of scoring callbacks, and what early stopping did.

        Parameters
        ----------
        estimator : RNNClassifier, RNNRegressor or an estimator holding one
            A fitted estimator (any that keeps its fitted skorch net as
            ``net_``), or one that holds such an estimator: a Pipeline ending
            in one, a fitted search (its ``best_estimator_``), or a
            meta-estimator with a ``regressor_`` (:class:`RNNForecaster`,
            ``TransformedTargetRegressor``).
        scores : str or list of str, default=None
            Keys of the history to plot as scores, e.g. ``["event_lr"]`` for
            the learning rate of an ``LRScheduler`` callback. None plots those
            of the net's scoring callbacks (skorch's ``EpochScoring`` and
            ``BatchScoring``, given in ``callbacks``).
        ax : matplotlib Axes, default=None
            Axes to plot the losses on; None creates a figure and axes.

        Returns
        -------
        display : TrainingHistoryDisplay
            The display, plotted.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_rnn import RNNRegressor, TrainingHistoryDisplay
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(40, 10, 1))
        >>> y = X.sum(axis=(1, 2))
        >>> reg = RNNRegressor(hidden_size=8, conv_channels=None, max_epochs=5,
        ...                    random_state=0).fit(X, y)
        >>> disp = TrainingHistoryDisplay.from_estimator(reg)
        >>> sorted(disp.lines_)  # early stopping held out a validation split
        ['train_loss', 'valid_loss']
        >>> disp.lines_["train_loss"].get_xdata()
        array([1, 2, 3, 4, 5])
        """
        _check_matplotlib_support(f"{cls.__name__}.from_estimator")
        estimator = _network_owner(estimator)
        check_is_fitted(estimator)
        if not hasattr(estimator, "net_"):
            raise TypeError(
                f"{cls.__name__} plots the training history of an estimator that "
                "trains a skorch net, such as RNNClassifier or RNNRegressor (or a "
                f"Pipeline ending in one), got {type(estimator).__name__}."
            )
        net = estimator.net_
        history = net.history
        callbacks = dict(net.callbacks_)
        if scores is None:
            scores = [
                callback.name_
                for callback in callbacks.values()
                if isinstance(callback, (EpochScoring, BatchScoring))
            ]
            # A score of held-out data is not recorded without held-out data.
            scores = [name for name in scores if any(name in ep for ep in history)]
        else:
            scores = [scores] if isinstance(scores, str) else list(scores)
            recorded = set().union(*history)
            for name in scores:
                if name not in recorded:
                    raise ValueError(
                        f"{name!r} is not recorded in the training history; its "
                        f"keys are {sorted(recorded)}."
                    )
        valid_loss = None
        if any("valid_loss" in epoch for epoch in history):
            valid_loss = _history_column(history, "valid_loss")
        best_epoch = stopped_epoch = None
        # The estimators' EarlyStopping callback of the last fit; it records
        # nothing in the history, so its state says what it did.
        early_stopping = callbacks.get("early_stopping")
        if early_stopping is not None:
            if early_stopping.load_best:
                best_epoch = early_stopping.best_epoch_
            # It ends training by interrupting it when the misses reach patience.
            if early_stopping.misses_ == early_stopping.patience:
                stopped_epoch = history[-1, "epoch"]
        return cls(
            train_loss=_history_column(history, "train_loss"),
            valid_loss=valid_loss,
            scores={name: _history_column(history, name) for name in scores},
            best_epoch=best_epoch,
            stopped_epoch=stopped_epoch,
        ).plot(ax=ax)
