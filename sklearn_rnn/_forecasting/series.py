"""Series as the forecaster reads them: one form per kind of input.

A :class:`SeriesForm` reads one kind of input (an array, a pandas Series, a
DataFrame of series, a list of series) into float columns and gives forecasts
back in the same form. ``series_form`` chooses; :class:`SeriesPanel` holds
the checked series with what it takes to index their forecasts.
"""

from numbers import Integral

import numpy as np
import pandas as pd

from .._validation import as_float

__all__ = [
    "SERIES_FORMS",
    "SeriesForm",
    "SeriesPanel",
    "check_n_periods",
    "check_time_index",
    "future_index",
    "row_name",
    "series_form",
]


def check_time_index(index, where):
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


def row_name(index, row):
    """How errors name row ``row`` of a series: with its time label if any."""
    if index is None:
        return f"row {row}"
    return f"row {row} ({index[row]})"


def check_n_periods(n_periods):
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


def future_index(index, n_periods):
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


class SeriesForm:
    """How one kind of input holds series, and how forecasts go back in it."""

    # The name of the form in SERIES_FORMS.
    name = None
    # Whether the input holds many series (their exogenous variables come as
    # a list with one array per series).
    many = False

    def read(self, y, name):
        """The series of ``y`` as float arrays, their pandas indexes (None
        for arrays) and their labels."""
        raise NotImplementedError

    def where(self, label, name="y"):
        """How errors name the series ``label``."""
        return f"{name}[{label!r}]" if self.many else name

    def output(self, panel, forecasts, n_periods):
        """``forecasts`` (one array per series of ``panel``) in this form."""
        raise NotImplementedError


def _indexed_forecasts(panel, forecasts, n_periods, *, named):
    """Each series' forecasts as a pandas Series on the labels after its own
    last observed row (an array where the series has no index)."""
    out = []
    for values, index, end, label in zip(
        forecasts, panel.indexes, panel.ends, panel.names, strict=True
    ):
        if index is None:
            out.append(values)
            continue
        labels = index.append(future_index(index, n_periods))
        future = labels[end + 1 : end + 1 + n_periods]
        out.append(pd.Series(values, index=future, name=label if named else None))
    return out


class ArrayForm(SeriesForm):
    """One series as an array (a column vector too)."""

    name = "array"

    def read(self, y, name):
        column = as_float(y, name)
        if column.ndim == 2 and column.shape[1] == 1:
            column = column[:, 0]
        return [column], [None], [None]

    def output(self, panel, forecasts, n_periods):
        return forecasts[0]


class PandasSeriesForm(SeriesForm):
    """One series as a pandas Series, whose index forecasts continue."""

    name = "series"

    def read(self, y, name):
        check_time_index(y.index, name)
        return [as_float(y, name)], [y.index], [y.name]

    def output(self, panel, forecasts, n_periods):
        return _indexed_forecasts(panel, forecasts, n_periods, named=True)[0]


class FrameForm(SeriesForm):
    """Many series as the columns of a DataFrame, on one time index; each may
    start late or end early."""

    name = "frame"
    many = True

    def read(self, y, name):
        if y.shape[1] == 0:
            raise ValueError(f"{name} is a DataFrame without columns.")
        repeated = y.columns[y.columns.duplicated()]
        if len(repeated):
            raise ValueError(
                f"{name} has several columns named {repeated[0]!r}; each "
                "series needs a name of its own."
            )
        check_time_index(y.index, name)
        columns = [as_float(y[c], f"{name}[{c!r}]") for c in y.columns]
        return columns, [y.index] * len(columns), list(y.columns)

    def output(self, panel, forecasts, n_periods):
        """One table on the input's index and the future periods; a series
        that ended early fills the rows after its own end first."""
        index = panel.indexes[0]
        table = np.full((len(index) + n_periods, len(forecasts)), np.nan)
        for j, (end, values) in enumerate(zip(panel.ends, forecasts, strict=True)):
            table[end + 1 : end + 1 + n_periods, j] = values
        first = min(panel.ends) + 1
        labels = index.append(future_index(index, n_periods))[first:]
        return pd.DataFrame(table[first:], index=labels, columns=panel.names)


class ListForm(SeriesForm):
    """Many series as a list of arrays or pandas Series, of any lengths."""

    name = "list"
    many = True

    def read(self, y, name):
        if len(y) == 0:
            raise ValueError(f"{name} is an empty list: no series to forecast.")
        if all(pd.api.types.is_scalar(item) for item in y):
            raise ValueError(
                f"{name} is a list of numbers, but a list is read as many "
                "series; pass one series as a NumPy array or pandas Series."
            )
        for i, item in enumerate(y):
            if isinstance(item, pd.Series):
                check_time_index(item.index, f"{name}[{i}]")
        columns = [as_float(v, f"{name}[{i}]") for i, v in enumerate(y)]
        indexes = [v.index if isinstance(v, pd.Series) else None for v in y]
        return columns, indexes, list(range(len(y)))

    def output(self, panel, forecasts, n_periods):
        return _indexed_forecasts(panel, forecasts, n_periods, named=False)


SERIES_FORMS = {
    form.name: form
    for form in (ArrayForm(), PandasSeriesForm(), FrameForm(), ListForm())
}


def series_form(y):
    """The form of the input ``y``."""
    if isinstance(y, pd.Series):
        return SERIES_FORMS["series"]
    if isinstance(y, pd.DataFrame):
        return SERIES_FORMS["frame"]
    if isinstance(y, (list, tuple)):
        return SERIES_FORMS["list"]
    return SERIES_FORMS["array"]


class SeriesPanel:
    """One or many series as float arrays, with what it takes to index forecasts.

    ``form`` is how the input came (a :class:`SeriesForm`); ``names`` label
    the series; ``starts`` and ``ends`` are each series' first and last
    observed row; ``indexes`` the pandas index of each series (None for
    arrays), whose labels forecasts continue.
    """

    def __init__(self, y, name="y"):
        self.form = series_form(y)
        columns, self.indexes, self.names = self.form.read(y, name)
        self.values, self.starts = [], []
        for column, label, index in zip(columns, self.names, self.indexes, strict=True):
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
                    f"{where} has a missing value at {row_name(index, gap)}, "
                    "inside the series; fill it first (e.g. with "
                    "DataFrame.interpolate)."
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
        return self.form.where(label, name)

    def check_indexable(self):
        """Raise now if forecasts could not be indexed (before any training)."""
        for index in self.indexes:
            if index is not None:
                future_index(index, 1)

    def output(self, forecasts, n_periods):
        """Forecasts, one array per series, in the input's own form.

        A series is forecast from its own last observed row: the forecasts
        of a series that ended early fill the rows after its end first.
        """
        return self.form.output(self, forecasts, n_periods)

    def __setstate__(self, state):
        # Forecasters pickled before the forms were classes named them.
        if "kind" in state:
            state["form"] = SERIES_FORMS[state.pop("kind")]
        self.__dict__.update(state)
