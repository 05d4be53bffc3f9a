"""Series cut into supervised windows: the past ``window_length`` steps ->
the next ``horizon`` values."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validation import as_float, check_positive_int

__all__ = ["make_windows", "window_ends"]


def _as_series_array(values, name):
    array = as_float(values, name)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one series (a 1-D array or a pandas Series), got an "
            f"array of shape {array.shape}; pass many series as a list of them."
        )
    return array


def _channels(values, extra, where):
    """The series ``values`` as a float array, and as the channels of its
    windows: the series first, then its exogenous variables ``extra``."""
    values = _as_series_array(values, where)
    if not np.isfinite(values).all():
        raise ValueError(
            f"{where} holds missing or infinite values; windows need every value."
        )
    if extra is None:
        return values, values[:, None]
    extra = as_float(extra, f"The exogenous variables of {where}")
    extra = extra[:, None] if extra.ndim == 1 else extra
    if extra.ndim != 2 or len(extra) != len(values):
        raise ValueError(
            f"The exogenous variables of {where} have shape {extra.shape}; "
            f"expected ({len(values)}, n_exog), one row per step."
        )
    if not np.isfinite(extra).all():
        raise ValueError(
            f"The exogenous variables of {where} hold missing or infinite "
            "values; windows need every value."
        )
    return values, np.hstack([values[:, None], extra])


def window_ends(n_steps, window_length, horizon, step):
    """Last input step of each window, counted back from the newest window."""
    newest = n_steps - horizon - 1
    return np.arange(newest, window_length - 2, -step)[::-1]


def make_windows(y, window_length, horizon=1, *, step=1, X=None):
    """Cut series into supervised windows: past values -> the next ``horizon``.

    Each window holds ``window_length`` consecutive steps of a series (plus the
    same steps of its exogenous variables as extra channels) and its target the
    ``horizon`` values that follow. Windows are taken every ``step`` steps,
    counted back from the end, so the most recent window is always included.
    Nothing is scaled or shuffled: windows come in time order, series after
    series.

    Parameters
    ----------
    y : array-like of shape (n_steps,) or list of such
        One series, or many series (of any lengths) as a list.
    window_length : int
        Number of past steps a window holds.
    horizon : int, default=1
        Number of following values a window's target holds.
    step : int, default=1
        Distance between the ends of consecutive windows.
    X : array-like of shape (n_steps, n_exog) or list of such, default=None
        Exogenous variables aligned with ``y`` (a list aligned with a list of
        series); they become channels 1, 2, ... of the windows.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, 1 + n_exog)
        Channel 0 is the series itself.
    targets : ndarray of shape (n_windows, horizon)
        The values that follow each window.

    Notes
    -----
    Consecutive windows overlap. To split windows of one series for
    validation without leaking targets into training, keep time order and
    leave a gap of ``horizon - 1`` windows (``step=1``), for example
    ``TimeSeriesSplit(gap=horizon - 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import make_windows
    >>> windows, targets = make_windows(np.arange(6.0), window_length=3, horizon=2)
    >>> windows[:, :, 0]
    array([[0., 1., 2.],
           [1., 2., 3.]])
    >>> targets
    array([[3., 4.],
           [4., 5.]])
    """
    check_positive_int(window_length, "window_length")
    check_positive_int(horizon, "horizon")
    check_positive_int(step, "step")
    many = isinstance(y, (list, tuple))
    series = list(y) if many else [y]
    if not series:
        raise ValueError("y is an empty list: no series to cut into windows.")
    if X is None:
        exog = [None] * len(series)
    else:
        exog = list(X) if many else [X]
        if len(exog) != len(series):
            raise ValueError(
                f"X holds exogenous variables for {len(exog)} series, y holds "
                f"{len(series)}."
            )
    windows, targets = [], []
    for i, (values, extra) in enumerate(zip(series, exog, strict=True)):
        values, channels = _channels(values, extra, f"series {i}" if many else "y")
        if len(values) < window_length + horizon:
            continue  # too short for a window
        ends = window_ends(len(values), window_length, horizon, step)
        # sliding_window_view: (n_steps - w + 1, n_channels, w), a view.
        past = sliding_window_view(channels, window_length, axis=0)
        windows.append(past[ends - window_length + 1].transpose(0, 2, 1))
        future = sliding_window_view(values, horizon)
        targets.append(future[ends + 1])
    if not windows:
        raise ValueError(
            f"No window fits: a window needs window_length + horizon = "
            f"{window_length + horizon} steps, the longest series has "
            f"{max(len(_as_series_array(s, 'y')) for s in series)}."
        )
    if len({w.shape[2] for w in windows}) > 1:
        raise ValueError(
            "Every series needs the same number of exogenous variables; got "
            f"{sorted({w.shape[2] - 1 for w in windows})}."
        )
    return np.concatenate(windows), np.concatenate(targets)
