"""Forecasting with a sequence regressor trained on windows of the past."""

import inspect
import math
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.ensemble._base import _set_random_states
from sklearn.linear_model import LinearRegression
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._estimator.fit_settings import auto_validation_fraction, early_stopping_from
from .._estimator.regressor import RNNRegressor
from .exogenous import exogenous_blocks
from .series import SeriesPanel, check_n_periods
from .windows import make_windows, window_ends

__all__ = ["RNNForecaster"]


def _check_bounded(forecasts, panel, dtype, units):
    """Refuse forecasts that are NaN or beyond ``dtype``, naming the series."""
    largest = np.finfo(dtype).max
    for values, label in zip(forecasts, panel.names, strict=True):
        if not (np.abs(values) <= largest).all():
            raise ValueError(
                f"The forecasts of {panel.where(label)} diverge: they pass "
                f"{largest:.3g} {units}, beyond {np.dtype(dtype).name}. Forecast "
                "fewer steps, or set linear_autoregression=False if it is on."
            )


def _flat(windows):
    """Windows as rows of features, for the linear autoregression."""
    return windows.reshape(len(windows), -1)


class RNNForecaster(BaseEstimator):
    """Forecast one or many series with a sequence regressor on past windows.

    The regressor (by default :class:`RNNRegressor`) learns to map the last
    ``window_length`` values of a series to its next ``horizon`` values
    (direct multi-output forecasting). Forecasts further ahead than
    ``horizon`` feed the forecasts back as inputs (``horizon=1`` is the
    classic recursive strategy). Level and trend are taken out inside:

    1. ``transform="log"`` takes logarithms (a multiplicative seasonality
       becomes additive);
    2. each series is divided by its scale, the mean absolute change between
       consecutive steps of its (transformed) history, so that one model can
       learn from series of different units (a *global* model);
    3. each window is expressed relative to its mean
       (``window_normalization="mean"``) or its last value (``"last"``), so
       the network sees shapes and changes, not levels it has never seen.

    Each step is undone on the forecasts. Exogenous variables are
    standardized with each series' own history. With
    ``linear_autoregression=True``, a least-squares linear model of the
    windows predicts first and the regressor learns what it leaves over (a
    hybrid of a classical and a neural forecaster).

    Parameters
    ----------
    regressor : estimator, default=None
        A multi-output regressor of sequences, fitted on windows of shape
        ``(n_windows, window_length, 1 + n_exog)``; ``None`` means
        ``RNNRegressor(input_scaling=None, linear_path=False)`` (the windows
        come scaled: the network's per-sequence scaling would hide each
        window's amplitude; the forecaster's linear model of the windows is
        ``linear_autoregression``).
        Cloned in ``fit``. A regressor whose ``fit`` takes ``X_val`` (as
        :class:`RNNRegressor` does) and that stops early is given the last
        windows in time of each series as validation data, never a random
        share: overlapping windows would leak, and the newest windows would
        be missing from training at random.
    window_length : int, default=24
        Number of past steps the regressor reads.
    horizon : int, default=1
        Number of steps the regressor predicts at once.
    step : int, default=1
        Distance between the ends of consecutive training windows.
    transform : {"log"} or None, default=None
        ``"log"`` for positive series whose variation grows with their level.
    difference : int or None, default=None
        The network reads and predicts changes of the (transformed) series
        over this many steps instead of its values: 1 for consecutive steps,
        the season's length (12 for months) for year-on-year changes.
        Forecasts are added back onto the values they change from. At most
        the length of the longest series minus ``window_length + horizon``.
    window_normalization : {"mean", "last"} or None, default="mean"
        What each window (and its targets) is expressed relative to: its mean
        or its last value.
    linear_autoregression : bool, default=False
        Whether a linear regression of the targets on the windows
        (:class:`~sklearn.linear_model.LinearRegression`, all steps and
        channels of a window as features) forecasts first, with the regressor
        trained on its residuals. The linear model carries what it can
        extrapolate (level, trend, a regular season); the network learns the
        rest. With ``difference=1`` and ``window_normalization=None`` the
        linear part is the classic autoregression on differences.
    random_state : int, RandomState instance or None, default=None
        When not None, seeds every ``random_state`` of the regressor (of the
        steps of a Pipeline, of the members of an ensemble), each with its own
        integer drawn from it, for reproducible forecasts.

    Attributes
    ----------
    regressor_ : estimator
        The fitted regressor.
    linear_ : LinearRegression or None
        The linear autoregression, with ``linear_autoregression=True``.
    n_series_ : int
        Number of series seen in ``fit``.
    n_exog_ : int
        Number of exogenous variables seen in ``fit``.
    windows_ : int
        Number of windows the series gave.
    validation_windows_ : ndarray of int or None
        The windows (indices into all of them, series after series, in time
        order) that the regressor's early stopping read instead of training
        on: the last of each series, with the windows that share a step with
        them left out. None when nothing was held out.

    See Also
    --------
    make_windows : The windows, for use with any sequence regressor.
    backtest : Evaluation over several forecast origins.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn_rnn import RNNForecaster, RNNRegressor
    >>> index = pd.period_range("2020-01", periods=48, freq="M")
    >>> y = pd.Series(100 + 10 * np.sin(np.arange(48) * np.pi / 6), index=index)
    >>> forecaster = RNNForecaster(
    ...     RNNRegressor(hidden_size=8, input_scaling=None, max_epochs=5),
    ...     window_length=12,
    ...     horizon=3,
    ...     random_state=0,
    ... ).fit(y)
    >>> forecaster.forecast().index
    PeriodIndex(['2024-01', '2024-02', '2024-03'], dtype='period[M]')
    """

    _parameter_constraints: dict = {
        "regressor": [None, HasMethods(["fit", "predict"])],
        "window_length": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left")],
        "transform": [None, StrOptions({"log"})],
        "difference": [None, Interval(Integral, 1, None, closed="left")],
        "window_normalization": [None, StrOptions({"last", "mean"})],
        "linear_autoregression": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        regressor=None,
        *,
        window_length=24,
        horizon=1,
        step=1,
        transform=None,
        difference=None,
        window_normalization="mean",
        linear_autoregression=False,
        random_state=None,
    ):
        self.regressor = regressor
        self.window_length = window_length
        self.horizon = horizon
        self.step = step
        self.transform = transform
        self.difference = difference
        self.window_normalization = window_normalization
        self.linear_autoregression = linear_autoregression
        self.random_state = random_state

    def _transformed(self, panel, name):
        """Each series transformed, differenced if asked, divided by its scale.

        Also returns each series' scale and last ``difference`` transformed
        values (none without differencing), which undo it.
        """
        lag = self.difference or 0
        series, scales, lasts = [], [], []
        for label, values in zip(panel.names, panel.values, strict=True):
            if self.transform == "log":
                if (values <= 0).any():
                    where = name if label is None else f"{name}[{label!r}]"
                    raise ValueError(
                        f"transform='log' needs positive values; {where} holds "
                        f"{values.min():g}."
                    )
                values = np.log(values)
            with np.errstate(over="ignore"):  # an overflow is refused below
                changes = np.diff(values)
                scale = np.abs(changes).mean() if len(changes) else 0.0
            if not np.isfinite(scale):
                where = name if label is None else f"{name}[{label!r}]"
                raise ValueError(
                    f"The changes of {where} overflow float64 (its values reach "
                    f"{np.abs(values).max():g}); divide it by a constant first."
                )
            if scale == 0:
                # A constant series: a scale at the limit of precision keeps
                # any network output from moving its forecasts.
                scale = np.finfo(np.float64).eps * max(1.0, np.abs(values).max())
            lasts.append(values[len(values) - lag :])
            if lag:
                values = values[lag:] - values[:-lag]
            series.append(values / scale)
            scales.append(scale)
        return series, scales, lasts

    def _check_difference(self, panel):
        """Refuse a difference that leaves no series long enough for a window."""
        longest = max(len(values) for values in panel.values)
        largest = longest - self.window_length - self.horizon
        if self.difference > largest:
            what = "y" if len(panel.values) == 1 else "The longest series of y"
            usable = (
                f"difference can be at most {largest}"
                if largest >= 1
                else "no difference fits; shorten window_length or horizon"
            )
            raise ValueError(
                f"difference={self.difference} leaves no training window: a "
                "differenced series is difference steps shorter, and a window "
                f"needs window_length + horizon = "
                f"{self.window_length + self.horizon} steps. {what} has "
                f"{longest} steps, so {usable}."
            )

    def _references(self, windows):
        """What each window is relative to, shape (n_windows,)."""
        if self.window_normalization == "last":
            return windows[:, -1, 0]
        if self.window_normalization == "mean":
            return windows[:, :, 0].mean(axis=1)
        return np.zeros(len(windows))

    def _relative(self, windows):
        """Windows relative to their references, in float64 (the regressor
        gets float32), and the references."""
        references = self._references(windows)
        windows = windows.astype(np.float64)
        windows[:, :, 0] -= references[:, None]
        return windows, references

    def _held_out_windows(self, regressor, series):
        """The windows early stopping trains on and those it reads, as index
        arrays into the windows of ``series``; None when the regressor holds
        nothing out (set so when its ``early_stopping="auto"`` finds too few).

        Each series holds out its last windows in time; the windows before
        them that share a step with them (``window_length + horizon - 1`` at
        ``step=1``) are left out, so that no validation value was seen in
        training. A regressor that takes no ``X_val`` in ``fit`` (a Pipeline)
        or stops on nothing held out is left to itself.
        """
        if "X_val" not in inspect.signature(regressor.fit).parameters or not (
            getattr(regressor, "early_stopping", False)
        ):
            return None
        estimator_type = regressor.__sklearn_tags__().estimator_type
        fraction = regressor.validation_fraction
        if fraction == "auto":
            fraction = auto_validation_fraction(estimator_type)
        span = self.window_length + self.horizon
        train, valid, offset = [], [], 0
        for values in series:
            n_windows = (
                len(
                    window_ends(
                        len(values), self.window_length, self.horizon, self.step
                    )
                )
                if len(values) >= span
                else 0
            )
            n_valid = math.ceil(fraction * n_windows)
            first_valid = n_windows - n_valid
            # Window j starts j * step steps after the first and spans `span`.
            n_train = max(0, (first_valid * self.step - span) // self.step + 1)
            if n_valid and n_train:
                train.append(offset + np.arange(n_train))
                valid.append(offset + np.arange(first_valid, n_windows))
            else:  # too short to split: all of it trains
                train.append(offset + np.arange(n_windows))
            offset += n_windows
        train = np.concatenate(train)
        valid = np.concatenate(valid) if valid else np.array([], dtype=int)
        minimum = early_stopping_from(estimator_type) or 1
        if len(valid) and len(train) >= minimum:
            return train, valid
        if regressor.early_stopping == "auto":
            regressor.set_params(early_stopping=False)
            return None
        raise ValueError(
            f"The regressor's early_stopping=True holds out the last windows of "
            f"each series with a gap of window_length + horizon - 1 = {span - 1} "
            f"windows, but the series give {offset} windows, too few to leave "
            f"{minimum} to train on. Give longer series, or set "
            "early_stopping='auto' or False on the regressor."
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, y, X=None):
        """Fit the regressor on windows of the series ``y``.

        Parameters
        ----------
        y : array-like of shape (n_steps,), pandas Series, DataFrame or list
            One series (an array or a Series, indexed by a PeriodIndex,
            DatetimeIndex or RangeIndex) or many series: the columns of a
            DataFrame (each may start late or end early: leading and trailing
            NaN are not part of it) or a list of arrays of any lengths. Many
            series train one global model.
        X : array-like of shape (n_steps, n_exog) or list of such, default=None
            Exogenous variables, one row per step of ``y`` (a list with one
            array per series for many series). Their past values become extra
            channels of the windows.

        Returns
        -------
        self : RNNForecaster
            The fitted forecaster.
        """
        panel = SeriesPanel(y)
        panel.check_indexable()
        if self.difference:
            self._check_difference(panel)
        series, _, _ = self._transformed(panel, "y")
        exog = None if X is None else exogenous_blocks(X, panel)
        if exog is not None and self.difference:
            # A difference belongs to the later of its two steps.
            exog = [block[self.difference :] for block in exog]
        windows, targets = make_windows(
            series, self.window_length, self.horizon, step=self.step, X=exog
        )
        windows, references = self._relative(windows)
        targets = targets - references[:, None]
        linear, targets = self._linear_part(windows, targets)
        regressor = self._new_regressor()
        windows = windows.astype(np.float32)
        targets = targets[:, 0] if self.horizon == 1 else targets
        held_out = self._held_out_windows(regressor, series)
        if held_out is None:
            self.regressor_ = regressor.fit(windows, targets)
        else:
            train, valid = held_out
            self.regressor_ = regressor.fit(
                windows[train],
                targets[train],
                X_val=windows[valid],
                y_val=targets[valid],
            )
        # Set only once the regressor has trained: a failed refit leaves the
        # fitted forecaster whole.
        self.linear_ = linear
        self.n_series_ = len(series)
        self.n_exog_ = 0 if exog is None else exog[0].shape[1]
        self.windows_ = len(windows)
        self.validation_windows_ = None if held_out is None else held_out[1]
        self.panel_ = panel
        self.exog_ = exog
        return self

    def _linear_part(self, windows, targets):
        """The linear autoregression on the windows (None unless asked for)
        and the targets it leaves to the network."""
        if not self.linear_autoregression:
            return None, targets
        n_features = windows.shape[1] * windows.shape[2]
        if len(windows) <= n_features:
            raise ValueError(
                f"linear_autoregression=True needs more training windows than "
                f"features per window; the series give {len(windows)} windows "
                f"of {n_features} values, which a linear model fits exactly "
                "and extrapolates wildly. Shorten window_length, give longer "
                "or more series, or set linear_autoregression=False."
            )
        with np.errstate(over="ignore", invalid="ignore"):  # refused below
            linear = LinearRegression().fit(_flat(windows), targets)
            targets = targets - linear.predict(_flat(windows))
        if not np.isfinite(targets).all():
            raise ValueError(
                "linear_autoregression=True fits coefficients beyond float64 "
                "on these windows: they are nearly collinear (a series that "
                "is almost constant but for a jump?). Set "
                "linear_autoregression=False, or give longer series."
            )
        return linear, targets

    def _new_regressor(self):
        """An unfitted copy of the regressor, its random states set."""
        if self.regressor is None:
            # The forecaster scales the windows itself; the network's own
            # per-sequence scaling would hide each window's amplitude.
            regressor = RNNRegressor(input_scaling=None, linear_path=False)
        else:
            regressor = clone(self.regressor)
        if self.random_state is not None:
            # A seed for every random_state inside, each its own, as
            # scikit-learn's ensembles set them: the members of a
            # VotingRegressor must not all draw the same numbers.
            _set_random_states(regressor, self.random_state)
        return regressor

    def forecast(self, n_periods=None, *, y=None, X=None):
        """Forecast the next ``n_periods`` values of each series.

        Parameters
        ----------
        n_periods : int, default=None
            How many steps ahead; ``None`` means ``horizon``. More than
            ``horizon`` steps feed forecasts back as inputs (not possible with
            exogenous variables, whose future values are unknown).
        y : series or many series, default=None
            The history to forecast from, in any form ``fit`` takes: the
            training series extended with newer observations (no refit), or
            other series of the same kind. ``None`` forecasts from the end of
            the training series.
        X : array-like or list of such, default=None
            The exogenous variables of ``y``, one row per step; needed with
            ``y`` when the model was fitted with them.

        Returns
        -------
        forecasts : ndarray, list, pandas Series or DataFrame
            The form of ``y``: a Series or DataFrame indexed by the future
            periods for pandas input; an array for an array; a list for a
            list. For a DataFrame, a series that ended before the last row is
            forecast from its own end.
        """
        check_is_fitted(self)
        if n_periods is None:
            n_periods = self.horizon
        check_n_periods(n_periods)
        panel, exog = self._history(y, X, n_periods)
        series, scales, lasts = self._transformed(panel, "y")
        self._check_history_lengths(panel)
        produced = self._scaled_forecasts(series, exog, n_periods, panel)
        forecasts = [
            self._in_series_units(values, scale, last)
            for values, scale, last in zip(produced, scales, lasts, strict=True)
        ]
        _check_bounded(forecasts, panel, np.float64, "in the series' units")
        return panel.output(forecasts, n_periods)

    def _history(self, y, X, n_periods):
        """The series to forecast from and their exogenous variables (the
        training ones when ``y`` is None), checked against the fit."""
        if y is None:
            if X is not None:
                raise ValueError("X is given without y: pass the history y with it.")
            panel, exog = self.panel_, self.exog_
        else:
            panel = SeriesPanel(y)
            if (X is None) != (self.n_exog_ == 0):
                raise ValueError(
                    f"The forecaster was fitted with {self.n_exog_} exogenous "
                    f"variable(s); X {'is missing' if X is None else 'was given'}."
                )
            exog = None if X is None else exogenous_blocks(X, panel)
        if exog is not None:
            if n_periods > self.horizon:
                raise ValueError(
                    f"With exogenous variables the forecaster predicts at most "
                    f"horizon={self.horizon} steps ahead (their future values are "
                    f"unknown); got n_periods={n_periods}."
                )
            if exog[0].shape[1] != self.n_exog_:
                raise ValueError(
                    f"X has {exog[0].shape[1]} exogenous variable(s); the "
                    f"forecaster was fitted with {self.n_exog_}."
                )
        return panel, exog

    def _check_history_lengths(self, panel):
        """Refuse a series too short for the window it is forecast from."""
        needed = self.window_length + (self.difference or 0)
        for label, values in zip(panel.names, panel.values, strict=True):
            if len(values) < needed:
                raise ValueError(
                    f"{panel.where(label)} has {len(values)} steps; forecasting "
                    f"needs at least {needed} (window_length"
                    f"{' + difference' if self.difference else ''})."
                )

    def _scaled_forecasts(self, series, exog, n_periods, panel):
        """At least ``n_periods`` forecasts of each transformed, scaled series:
        ``horizon`` at a time, each fed back as history for the next."""
        histories = [s[-self.window_length :] for s in series]
        produced = [[] for _ in series]
        while len(produced[0]) < n_periods:
            windows = np.stack(histories)[:, :, None]
            if exog is not None:
                tails = np.stack([e[-self.window_length :] for e in exog])
                windows = np.concatenate([windows, tails], axis=2)
            windows, references = self._relative(windows)
            steps = self.regressor_.predict(windows.astype(np.float32))
            steps = steps.reshape(len(series), -1)
            with np.errstate(over="ignore", invalid="ignore"):  # refused below
                if self.linear_ is not None:
                    steps = steps + self.linear_.predict(_flat(windows))
                steps = steps + references[:, None]
            for i, values in enumerate(steps):
                produced[i].extend(values)
                histories[i] = np.concatenate([histories[i], values])[
                    -self.window_length :
                ]
            if len(produced[0]) < n_periods:
                # Fed back to a regressor that reads float32.
                _check_bounded(steps, panel, np.float32, "in units of the scale")
        return [np.asarray(values[:n_periods]) for values in produced]

    def _in_series_units(self, values, scale, last):
        """Scaled forecasts back in the series' units: the scale, the
        difference (from the ``last`` values before them) and the transform
        undone."""
        with np.errstate(over="ignore"):  # refused by the caller
            values = values * scale
        if self.difference:
            # Each forecast change is added to the value `difference`
            # steps before it, forecasts included.
            levels = list(last)
            for change in values:
                levels.append(levels[-self.difference] + change)
            values = np.asarray(levels[self.difference :])
        with np.errstate(over="ignore"):  # refused by the caller
            return np.exp(values) if self.transform == "log" else values
