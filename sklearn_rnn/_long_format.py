"""Long-format (one row per time step) DataFrames to ragged sequences."""

import numpy as np
import pandas as pd

__all__ = ["from_long_format"]


def from_long_format(
    data, *, id_column=None, time_column=None, value_columns=None, y=None
):
    """Turn a long-format DataFrame into one sequence per id, aligning ``y``.

    Long format has one row per time step of an entity: an id column, a time
    column and value columns, or a ``(id, time)`` MultiIndex as sktime's
    ``pd-multiindex``. Rows cannot be split into samples by cross-validation;
    the sequences this returns can.

    Parameters
    ----------
    data : DataFrame
        The rows. With a two-level MultiIndex, ``id_column`` and
        ``time_column`` may be left out: its levels are the id and the time.
    id_column, time_column : str or None, default=None
        Columns (or index levels) of the entity id and the time order.
    value_columns : list of str or None, default=None
        Channels of the sequences; None takes every other column.
    y : Series or None, default=None
        One target per id (indexed by id), or None.

    Returns
    -------
    X : list of DataFrame of shape (length, n_channels)
        One sequence per id, ordered by id, its rows ordered by time.
    y : ndarray of shape (n_ids,) or None
        The targets of the ids of ``X``, in the same order; None without ``y``.
    ids : ndarray of shape (n_ids,)
        The id of each sequence.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_rnn import from_long_format
    >>> events = pd.DataFrame({"user": [2, 1, 1, 2, 1],
    ...                        "day": [1, 2, 1, 2, 3],
    ...                        "spend": [5.0, 3.0, 1.0, 6.0, 4.0]})
    >>> churned = pd.Series({1: "no", 2: "yes"})
    >>> X, y, ids = from_long_format(events, id_column="user", time_column="day",
    ...                              y=churned)
    >>> [x["spend"].tolist() for x in X], y.tolist(), ids.tolist()
    ([[1.0, 3.0, 4.0], [5.0, 6.0]], ['no', 'yes'], [1, 2])
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    if (id_column is None) != (time_column is None):
        raise ValueError("Name both id_column and time_column, or neither.")
    if id_column is None:
        if data.index.nlevels != 2:
            raise ValueError(
                "Name id_column and time_column, or pass a DataFrame with an "
                "(id, time) MultiIndex."
            )
        id_column, time_column = (
            name or default
            for name, default in zip(data.index.names, ("id", "time"), strict=True)
        )
        frame = data.reset_index(names=[id_column, time_column])
    else:
        frame = data.reset_index() if isinstance(data.index, pd.MultiIndex) else data
    for name in (id_column, time_column):
        if name not in frame.columns:
            raise ValueError(
                f"Column {name!r} is not in the DataFrame; it has "
                f"{list(frame.columns)}."
            )
    if value_columns is None:
        value_columns = [c for c in frame.columns if c not in (id_column, time_column)]
    value_columns = list(value_columns)
    non_numeric = [
        c for c in value_columns if not pd.api.types.is_numeric_dtype(frame[c])
    ]
    if non_numeric:
        raise ValueError(
            f"Value columns {non_numeric} are not numeric; encode them (for example "
            "one-hot) or leave them out with value_columns."
        )
    duplicated = frame.duplicated([id_column, time_column])
    if duplicated.any():
        # to_dict gives Python scalars, which print plainly.
        row = (
            frame.loc[duplicated, [id_column, time_column]]
            .head(1)
            .to_dict("records")[0]
        )
        raise ValueError(
            f"Duplicate rows for {id_column}={row[id_column]!r}, "
            f"{time_column}={row[time_column]!r}; each (id, time) pair must "
            "appear once."
        )
    ordered = frame.sort_values([id_column, time_column], kind="stable")
    groups = ordered.groupby(id_column, sort=False)
    ids = np.asarray(list(groups.groups))
    X = [group[value_columns].reset_index(drop=True) for _, group in groups]
    if y is None:
        return X, None, ids
    y = pd.Series(y)
    missing = pd.Index(ids).difference(y.index)
    if len(missing):
        raise ValueError(
            f"y has no target for ids {list(missing[:5])}"
            f"{' and more' if len(missing) > 5 else ''}; it must be indexed by id."
        )
    return X, y.loc[ids].to_numpy(), ids
