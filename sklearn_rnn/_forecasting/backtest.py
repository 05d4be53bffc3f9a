"""Backtests: a forecaster refitted at several origins on the past only."""

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit

from .._validation import as_float
from .exogenous import exogenous_blocks
from .series import SeriesPanel, check_n_periods

__all__ = ["backtest"]


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
    table, times, labels = _rows(y, X)
    if n_periods is None:
        n_periods = forecaster.horizon
    check_n_periods(n_periods)
    rows = []
    for origin, (train, test) in enumerate(_backtest_splits(cv, table, n_periods)):
        rows.extend(
            _origin_results(
                forecaster,
                table,
                X,
                origin,
                train,
                test,
                times,
                labels,
                many=isinstance(y, pd.DataFrame),
            )
        )
    if not rows:
        raise ValueError("cv gave no split: there is no origin to forecast from.")
    return pd.concat(rows, ignore_index=True)


def _origin_results(forecaster, table, X, origin, train, test, times, labels, many):
    """One frame per series observed at ``origin``: a clone of the forecaster
    fitted on the ``train`` rows forecasts the ``test`` rows; ``many``: the
    series are the columns of a DataFrame (and ``X`` a list, one per column)."""
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
    return [
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
        for position, j in enumerate(kept)
    ]


def _rows(y, X):
    """The rows of ``y`` as a table (a column per series) up to the last
    observed value of any series, their time labels and the series' labels;
    ``y`` and ``X`` checked as fit checks them, once, before any origin."""
    panel = SeriesPanel(y)
    if X is not None:
        exogenous_blocks(X, panel)
    if isinstance(y, pd.DataFrame):
        table, times, labels = y, y.index, list(y.columns)
    elif isinstance(y, pd.Series):
        table, times, labels = y.to_frame(), y.index, [y.name]
    else:
        values = np.asarray(y)
        table = pd.DataFrame(values.reshape(len(values), -1))
        times, labels = np.arange(len(values)), [None]
    # Rows after every series' last value are part of no series, as in fit;
    # cutting them off the end keeps the positions of the others.
    n_rows = max(panel.ends) + 1
    return table.iloc[:n_rows], times[:n_rows], labels
