"""Forecasting with a sequence regressor trained on windows of the past."""

import inspect
import math
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.ensemble._base import _set_random_states
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._estimator.fit_settings import auto_validation_fraction, early_stopping_from
from .._estimator.regressor import RNNRegressor
from .._windows import _window_ends, as_float, make_windows

__all__ = ["RNNForecaster", "backtest"]


def _check_time_index(index, where):
    """Refuse a time index that repeats labels or is not in time order."""
    repeated = index[index.duplicated()].unique()
    if len(repeated):
        raise ValueError(
            f"The index of {where} repeats the time labels "
            f"{[str(label) for label in repeated[:5]]}"
            f"{' and more' if len(repeated) > 5 else ''}; each step must appear "
            "once. Drop or aggregate the repeated rows first, for example with "
            ".groupby(level=0).mean()."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(f"The index of {where} is not sorted in time order.")


def _row(index, row):
    """How errors name row ``row`` of a series: with its time label if any."""
    if index is None:
        return f"row {row}"
    return f"row {row} ({index[row]})"


def _exog_column(block, column):
    """How errors name column ``column`` of exogenous variables ``block``."""
    if isinstance(block, pd.DataFrame):
        return f"column {block.columns[column]!r}"
    if isinstance(block, pd.Series) and block.name is not None:
        return f"column {block.name!r}"
    return f"column {column}"


def _check_n_periods(n_periods):
    """Refuse anything but a positive int of steps ahead.

    A bool is an int to Python, and other forecasting libraries take future
    exogenous data in this place: neither is read as a number of steps.
    """
    if isinstance(n_periods, bool) or not isinstance(n_periods, Integral):
        got = (
            repr(n_periods)
            if np.ndim(n_periods) == 0
            else f"{type(n_periods).__name__} of shape {np.shape(n_periods)}"
        )
        raise TypeError(
            f"n_periods must be an int, the number of steps to forecast; got "
            f"{got}. Exogenous variables are not given for the future: the "
            "forecaster reads their past values, passed with the history as "
            "forecast(n_periods, y=..., X=...)."
        )
    if n_periods < 1:
        raise ValueError(f"n_periods must be a positive integer, got {n_periods!r}.")


def _future_index(index, n_periods):
    """The ``n_periods`` labels that continue ``index`` after its last row."""
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(
            index.stop, index.stop + index.step * n_periods, index.step
        )
    if isinstance(index, (pd.PeriodIndex, pd.DatetimeIndex)):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise ValueError(
                "The index of y has no frequency and none can be inferred; set "
                "one with y.asfreq(...) to index the forecasts."
            )
        if isinstance(index, pd.PeriodIndex):
            return pd.period_range(index[-1] + 1, periods=n_periods, freq=freq)
        return pd.date_range(index[-1], periods=n_periods + 1, freq=freq)[1:]
    if pd.api.types.is_integer_dtype(index) and len(index) >= 2:
        steps = np.diff(index.to_numpy())
        if (steps == steps[0]).all() and steps[0] > 0:
            return pd.Index(index[-1] + steps[0] * np.arange(1, n_periods + 1))
    raise ValueError(
        f"Forecasts cannot be indexed after an index of type "
        f"{type(index).__name__} (dtype {index.dtype}); use a PeriodIndex, a "
        "DatetimeIndex with a frequency, or evenly spaced integers."
    )


class _Panel:
    """One or many series as float arrays, with what it takes to index forecasts.

    ``kind`` is how the input came ("array", "list", "series" or "frame");
    ``starts`` and ``ends`` are each series' first and last observed row;
    ``indexes`` the pandas index of each series (None for arrays), whose
    labels forecasts continue.
    """

    def __init__(self, y, name="y"):
        if isinstance(y, pd.Series):
            _check_time_index(y.index, name)
            self.kind, self.names = "series", [y.name]
            columns, indexes = [as_float(y, name)], [y.index]
        elif isinstance(y, pd.DataFrame):
            if y.shape[1] == 0:
                raise ValueError(f"{name} is a DataFrame without columns.")
            repeated = y.columns[y.columns.duplicated()]
            if len(repeated):
                raise ValueError(
                    f"{name} has several columns named {repeated[0]!r}; each "
                    "series needs a name of its own."
                )
            _check_time_index(y.index, name)
            self.kind, self.names = "frame", list(y.columns)
            columns = [as_float(y[c], f"{name}[{c!r}]") for c in y.columns]
            indexes = [y.index] * len(columns)
        elif isinstance(y, (list, tuple)):
            if len(y) == 0:
                raise ValueError(f"{name} is an empty list: no series to forecast.")
            if all(pd.api.types.is_scalar(item) for item in y):
                raise ValueError(
                    f"{name} is a list of numbers, but a list is read as many "
                    "series; pass one series as a NumPy array or pandas Series."
                )
            self.kind, self.names = "list", list(range(len(y)))
            for i, item in enumerate(y):
                if isinstance(item, pd.Series):
                    _check_time_index(item.index, f"{name}[{i}]")
            columns = [as_float(v, f"{name}[{i}]") for i, v in enumerate(y)]
            indexes = [v.index if isinstance(v, pd.Series) else None for v in y]
        else:
            self.kind, self.names = "array", [None]
            column = as_float(y, name)
            if column.ndim == 2 and column.shape[1] == 1:
                column = column[:, 0]
            columns, indexes = [column], [None]
        self.indexes = indexes
        self.values, self.starts = [], []
        for column, label, index in zip(columns, self.names, indexes, strict=True):
            where = self.where(label, name)
            if column.ndim != 1:
                raise ValueError(
                    f"{where} must be a 1-D series, got shape {column.shape}; pass "
                    "many series as the columns of a DataFrame or as a list."
                )
            observed = np.flatnonzero(~np.isnan(column))
            if len(observed) == 0:
                raise ValueError(f"{where} holds no observed value.")
            # A series may start late or end early; a gap within it has no
            # forecasting meaning here.
            first, last = observed[0], observed[-1]
            inner = column[first : last + 1]
            if np.isnan(inner).any():
                gap = first + np.flatnonzero(np.isnan(inner))[0]
                raise ValueError(
                    f"{where} has a missing value at {_row(index, gap)}, inside the "
                    "series; fill it first (e.g. with DataFrame.interpolate)."
                )
            if not np.isfinite(inner).all():
                raise ValueError(f"{where} holds an infinite value.")
            self.values.append(inner)
            self.starts.append(first)
        self.ends = [
            s + len(v) - 1 for s, v in zip(self.starts, self.values, strict=True)
        ]

    def where(self, label, name="y"):
        """How errors name the series ``label``."""
        return name if self.kind in ("array", "series") else f"{name}[{label!r}]"

    def check_indexable(self):
        """Raise now if forecasts could not be indexed (before any training)."""
        for index in self.indexes:
            if index is not None:
                _future_index(index, 1)

    def output(self, forecasts, n_periods):
        """Forecasts, one array per series, in the input's own form.

        A series is forecast from its own last observed row: the forecasts
        of a series that ended early fill the rows after its end first.
        """
        if self.kind == "array":
            return forecasts[0]
        if self.kind in ("list", "series"):
            out = []
            for values, index, end, label in zip(
                forecasts, self.indexes, self.ends, self.names, strict=True
            ):
                if index is None:
                    out.append(values)
                    continue
                labels = index.append(_future_index(index, n_periods))
                name = label if self.kind == "series" else None
                future = labels[end + 1 : end + 1 + n_periods]
                out.append(pd.Series(values, index=future, name=name))
            return out[0] if self.kind == "series" else out
        index = self.indexes[0]
        n_rows = len(index)
        table = np.full((n_rows + n_periods, len(forecasts)), np.nan)
        for j, (end, values) in enumerate(zip(self.ends, forecasts, strict=True)):
            table[end + 1 : end + 1 + n_periods, j] = values
        first = min(self.ends) + 1
        labels = index.append(_future_index(index, n_periods))[first:]
        return pd.DataFrame(table[first:], index=labels, columns=self.names)


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


def _exog_panel(X, panel):
    """Exogenous variables as one standardized (n_steps, n_exog) array per series.

    ``X`` has one row per step of a series, or one per row of the input when
    the series starts late or ends early within it.
    """
    if isinstance(X, (list, tuple)) and panel.kind in ("list", "frame"):
        blocks = list(X)
    elif panel.kind in ("list", "frame"):
        raise ValueError(
            "With many series, pass their exogenous variables as a list with one "
            "(n_steps, n_exog) array per series of y."
        )
    else:
        blocks = [X]
    if len(blocks) != len(panel.values):
        raise ValueError(
            f"X holds exogenous variables for {len(blocks)} series, y holds "
            f"{len(panel.values)}."
        )
    aligned = []
    for block, label, index, start, values in zip(
        blocks,
        panel.names,
        panel.indexes,
        panel.starts,
        panel.values,
        strict=True,
    ):
        where = "X" if panel.kind in ("array", "series") else f"X[{label!r}]"
        if isinstance(block, (pd.Series, pd.DataFrame)):
            _check_time_index(block.index, where)
        if (
            isinstance(block, (pd.Series, pd.DataFrame))
            and index is not None
            and not block.index.equals(index)
        ):
            raise ValueError(
                f"The index of {where} does not match the index of y; align them "
                "first (e.g. X.reindex(y.index))."
            )
        original = block
        block = as_float(block, where)
        block = block[:, None] if block.ndim == 1 else block
        end = start + len(values)
        if block.ndim == 2 and len(block) >= end:
            block = block[start:end] if len(block) > len(values) else block
        if block.ndim != 2 or len(block) != len(values):
            raise ValueError(
                f"{where} has shape {block.shape}; expected one row per step of "
                f"y ({len(values)} steps, or {end} rows with the missing ones)."
            )
        if aligned and block.shape[1] != aligned[0].shape[1]:
            raise ValueError(
                f"{where} has {block.shape[1]} exogenous variable(s), the first "
                f"series {aligned[0].shape[1]}; every series needs the same."
            )
        bad = np.argwhere(~np.isfinite(block))
        if len(bad):
            row, column = bad[0]
            value = "missing" if np.isnan(block[row, column]) else "infinite"
            raise ValueError(
                f"{where} holds a {value} value at {_row(index, start + row)}, "
                f"{_exog_column(original, column)}; fill it first (e.g. with "
                "DataFrame.interpolate): the windows need every value."
            )
        # Standardized with the series' own history, as the series is scaled.
        # Divided by its largest magnitude first: the squares in a standard
        # deviation overflow above ~1e154 and vanish below ~1e-154.
        magnitude = np.abs(block).max(axis=0)
        block = block / np.where(magnitude > 0, magnitude, 1)
        spread = block.std(axis=0)
        aligned.append((block - block.mean(axis=0)) / np.where(spread > 0, spread, 1))
    return aligned


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
        ``RNNRegressor(input_scaling=None)`` (the windows come scaled: the
        network's per-sequence scaling would hide each window's amplitude).
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
                    _window_ends(
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
        panel = _Panel(y)
        panel.check_indexable()
        if self.difference:
            self._check_difference(panel)
        series, _, _ = self._transformed(panel, "y")
        exog = None if X is None else _exog_panel(X, panel)
        if exog is not None and self.difference:
            # A difference belongs to the later of its two steps.
            exog = [block[self.difference :] for block in exog]
        windows, targets = make_windows(
            series, self.window_length, self.horizon, step=self.step, X=exog
        )
        windows, references = self._relative(windows)
        targets = targets - references[:, None]
        linear = None
        if self.linear_autoregression:
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
        if self.regressor is None:
            # The forecaster scales the windows itself; the network's own
            # per-sequence scaling would hide each window's amplitude.
            regressor = RNNRegressor(input_scaling=None)
        else:
            regressor = clone(self.regressor)
        if self.random_state is not None:
            # A seed for every random_state inside, each its own, as
            # scikit-learn's ensembles set them: the members of a
            # VotingRegressor must not all draw the same numbers.
            _set_random_states(regressor, self.random_state)
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
        _check_n_periods(n_periods)
        if y is None:
            if X is not None:
                raise ValueError("X is given without y: pass the history y with it.")
            panel, exog = self.panel_, self.exog_
        else:
            panel = _Panel(y)
            if (X is None) != (self.n_exog_ == 0):
                raise ValueError(
                    f"The forecaster was fitted with {self.n_exog_} exogenous "
                    f"variable(s); X {'is missing' if X is None else 'was given'}."
                )
            exog = None if X is None else _exog_panel(X, panel)
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
        series, scales, lasts = self._transformed(panel, "y")
        needed = self.window_length + (self.difference or 0)
        for label, values in zip(panel.names, panel.values, strict=True):
            if len(values) < needed:
                raise ValueError(
                    f"{panel.where(label)} has {len(values)} steps; forecasting "
                    f"needs at least {needed} (window_length"
                    f"{' + difference' if self.difference else ''})."
                )
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
        forecasts = []
        for values, scale, last in zip(produced, scales, lasts, strict=True):
            with np.errstate(over="ignore"):  # refused below
                values = np.asarray(values[:n_periods]) * scale
            if self.difference:
                # Each forecast change is added to the value `difference`
                # steps before it, forecasts included.
                levels = list(last)
                for change in values:
                    levels.append(levels[-self.difference] + change)
                values = np.asarray(levels[self.difference :])
            with np.errstate(over="ignore"):  # refused below
                forecasts.append(np.exp(values) if self.transform == "log" else values)
        _check_bounded(forecasts, panel, np.float64, "in the series' units")
        return panel.output(forecasts, n_periods)


def _backtest_splits(cv, table, n_periods):
    """The (train, test) row positions of ``cv`` over ``table``, checked: each
    split's training rows consecutive and before its test rows, within the
    table's rows."""
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        cv = TimeSeriesSplit(n_splits=cv, test_size=n_periods)
    elif isinstance(cv, (str, bool)) or not (
        hasattr(cv, "split") or hasattr(cv, "__iter__")
    ):
        raise TypeError(
            f"cv must be an int, a splitter such as TimeSeriesSplit or an "
            f"iterable of (train, test) row positions; got {cv!r}."
        )
    splits = cv.split(table) if hasattr(cv, "split") else cv
    for origin, (train, test) in enumerate(splits):
        train, test = np.asarray(train), np.asarray(test)
        if not (len(train) and len(test)):
            raise ValueError(
                f"The split of origin {origin} has {len(train)} training and "
                f"{len(test)} test rows; a backtest needs both."
            )
        if train.dtype.kind not in "iu" or test.dtype.kind not in "iu":
            raise TypeError(
                f"The split of origin {origin} holds rows of dtype "
                f"{train.dtype if train.dtype.kind not in 'iu' else test.dtype}; "
                "splits give row positions, integers."
            )
        if train.min() < 0 or train.max() >= test.min() or np.any(np.diff(train) != 1):
            raise ValueError(
                "backtest needs splits whose training rows are consecutive and "
                "come before the test rows, such as TimeSeriesSplit's."
            )
        if test.max() >= len(table):
            raise ValueError(
                f"The test rows of origin {origin} reach row {test.max()}, but y "
                f"has {len(table)} rows up to its last observed value; the rows "
                "after it are part of no series."
            )
        yield train, test


def backtest(forecaster, y, X=None, *, cv=3, n_periods=None):
    """Evaluate a forecaster from several origins, refitting on the past only.

    For each split of ``cv`` (by default :class:`~sklearn.model_selection.
    TimeSeriesSplit`), a clone of the forecaster is fitted on the training
    rows (which must come before the test rows) and forecasts up to the end
    of the test rows; nothing after an origin is seen before it forecasts.

    Parameters
    ----------
    forecaster : RNNForecaster
        The forecaster to evaluate; not modified.
    y : array-like, pandas Series or DataFrame
        The series (the rows of a DataFrame of many series are split together;
        at each origin, the series observed at the origin are forecast). Rows
        after the last observed value of every series are left out, as
        ``fit`` leaves trailing NaN out; the positions of the splits count
        from the first row.
    X : array-like, default=None
        Exogenous variables, one row per row of ``y`` (for a DataFrame, a
        list with one such array per column).
    cv : int, cross-validation splitter or iterable, default=3
        An int is the number of origins of a
        ``TimeSeriesSplit(n_splits=cv, test_size=n_periods)``; a splitter
        (for example ``TimeSeriesSplit(gap=...)``) or an iterable of
        ``(train, test)`` row positions gives its own.
    n_periods : int, default=None
        Steps forecast from each origin when ``cv`` is an int; ``None`` means
        the forecaster's ``horizon``.

    Returns
    -------
    results : pandas DataFrame
        One row per forecast value: ``origin`` (the split's number), ``series``,
        ``step`` (steps ahead of the origin), ``time`` (the row's index label
        or position), ``y_true`` and ``y_pred``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import RNNForecaster, RNNRegressor, backtest
    >>> y = 10 + np.sin(np.arange(60) * np.pi / 6)
    >>> forecaster = RNNForecaster(
    ...     RNNRegressor(hidden_size=8, input_scaling=None, max_epochs=3),
    ...     window_length=12,
    ...     horizon=6,
    ...     random_state=0,
    ... )
    >>> results = backtest(forecaster, y, cv=2)
    >>> results.groupby("origin").size().tolist()
    [6, 6]
    """
    if not hasattr(forecaster, "forecast"):
        raise TypeError(
            f"backtest evaluates a forecaster such as RNNForecaster, got "
            f"{type(forecaster).__name__}."
        )
    if isinstance(y, (list, tuple)):
        raise TypeError(
            "backtest splits the rows of one series, or of a DataFrame whose "
            "columns are series aligned in time; a list of series has no common "
            "rows to split."
        )
    # Checked as fit checks them, once, before any origin is fitted.
    panel = _Panel(y)
    if X is not None:
        _exog_panel(X, panel)
    many = isinstance(y, pd.DataFrame)
    if isinstance(y, (pd.Series, pd.DataFrame)):
        table, times = y.to_frame() if not many else y, y.index
        labels = list(table.columns) if many else [y.name]
    else:
        values = np.asarray(y)
        table = pd.DataFrame(values.reshape(len(values), -1))
        times, labels = np.arange(len(values)), [None]
    # Rows after every series' last value are part of no series, as in fit;
    # cutting them off the end keeps the positions of the others.
    n_rows = max(panel.ends) + 1
    table, times = table.iloc[:n_rows], times[:n_rows]
    if n_periods is None:
        n_periods = forecaster.horizon
    _check_n_periods(n_periods)
    rows = []
    for origin, (train, test) in enumerate(_backtest_splits(cv, table, n_periods)):
        # Positions, not labels, index the forecasts here; and a series not
        # observed at the origin has nothing to forecast from.
        past = table.iloc[train].reset_index(drop=True)
        kept = np.flatnonzero(past.iloc[-1].notna().to_numpy())
        if not len(kept):
            raise ValueError(
                f"No series of y is observed at origin {origin} (row "
                f"{train.max()}, its last training row): there is nothing to "
                "forecast from. Give origins after the first observed values."
            )
        past = past.iloc[:, kept]
        past_exog = None
        if X is not None and many:
            past_exog = [np.asarray(X[j])[train] for j in kept]
        elif X is not None:
            past_exog = as_float(X, "X")[train]
        fitted = clone(forecaster).fit(
            past if many else past.iloc[:, 0].to_numpy(), past_exog
        )
        steps = test - train.max()
        forecast = np.asarray(fitted.forecast(int(steps.max())))
        predicted = forecast.reshape(len(forecast), -1)[steps - 1]
        truth = table.iloc[test, kept].to_numpy(dtype=np.float64)
        for position, j in enumerate(kept):
            rows.append(
                pd.DataFrame(
                    {
                        "origin": origin,
                        "series": labels[j],
                        "step": steps,
                        "time": times[test],
                        "y_true": truth[:, position],
                        "y_pred": predicted[:, position],
                    }
                )
            )
    if not rows:
        raise ValueError("cv gave no split: there is no origin to forecast from.")
    return pd.concat(rows, ignore_index=True)
