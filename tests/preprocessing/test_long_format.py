"""from_long_format: long rows to ragged sequences, with y aligned by id."""

import warnings

import numpy as np
import pandas as pd
import pytest

from sklearn_rnn import RNNClassifier, from_long_format
from sklearn_rnn.exceptions import IrregularTimeWarning


@pytest.fixture
def events():
    return pd.DataFrame(
        {
            "id": ["b", "a", "a", "b", "a", "c"],
            "t": [2, 3, 1, 1, 2, 1],
            "x": [4.0, 3.0, 1.0, 3.5, 2.0, 9.0],
            "z": [0, 1, 0, 1, 0, 1],
        }
    )


def test_rows_become_sequences_ordered_by_id_and_time(events):
    y = pd.Series({"c": 1, "a": 0, "b": 1})
    X, y_aligned, ids = from_long_format(events, id_column="id", time_column="t", y=y)
    assert list(ids) == ["a", "b", "c"]
    assert [x["x"].tolist() for x in X] == [[1.0, 2.0, 3.0], [3.5, 4.0], [9.0]]
    assert list(X[0].columns) == ["x", "z"]
    assert list(y_aligned) == [0, 1, 1]
    # Straight into an estimator.
    clf = RNNClassifier(hidden_size=4, max_epochs=2, random_state=0).fit(X, y_aligned)
    assert list(clf.feature_names_in_) == ["x", "z"]


def test_multiindex_like_sktime(events):
    frame = events.set_index(["id", "t"])
    X, y, ids = from_long_format(frame, value_columns=["x"])
    assert y is None
    assert list(ids) == ["a", "b", "c"]
    assert [x["x"].tolist() for x in X] == [[1.0, 2.0, 3.0], [3.5, 4.0], [9.0]]


def test_errors_name_what_is_wrong(events):
    duplicated = pd.concat([events, events.iloc[[0]]])
    with pytest.raises(ValueError, match="Duplicate rows for id='b', t=2"):
        from_long_format(duplicated, id_column="id", time_column="t")
    text = events.assign(label=["u"] * 6)
    with pytest.raises(ValueError, match=r"\['label'\] are not numeric"):
        from_long_format(text, id_column="id", time_column="t")
    with pytest.raises(ValueError, match=r"no target for ids \['c'\]"):
        from_long_format(
            events, id_column="id", time_column="t", y=pd.Series({"a": 0, "b": 1})
        )
    with pytest.raises(ValueError, match="time_column='when' is neither a column nor"):
        from_long_format(events, id_column="id", time_column="when")
    with pytest.raises(ValueError, match="MultiIndex"):
        from_long_format(events)
    with pytest.raises(ValueError, match="Name both id_column and time_column"):
        from_long_format(events, id_column="id")
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        from_long_format(np.ones((3, 3)), id_column=0, time_column=1)


def test_targets_are_never_guessed(events):
    kwargs = {"id_column": "id", "time_column": "t"}
    # A NumPy y has no ids: refused, even when ids happen to be 0..n-1.
    numbered = events.assign(id=events["id"].map({"a": 0, "b": 1, "c": 2}))
    with pytest.raises(TypeError, match="must be a pandas Series indexed by id"):
        from_long_format(numbered, y=np.array([0, 1, 1]), **kwargs)
    # One value per row of the long frame is not one per id.
    per_row = pd.Series(np.arange(6) % 2)
    with pytest.raises(ValueError, match="one value per row"):
        from_long_format(numbered, y=per_row, **kwargs)
    with pytest.raises(ValueError, match=r"several targets for ids \['a'\]"):
        from_long_format(
            events, y=pd.Series([0, 1, 1, 0], index=["a", "a", "b", "c"]), **kwargs
        )
    # Extra ids in y are fine; the targets follow the sequences' order.
    y = pd.Series({"z": 5, "c": 2, "b": 1, "a": 0})
    _, aligned, ids = from_long_format(events, y=y, **kwargs)
    assert list(aligned) == [0, 1, 2] and list(ids) == ["a", "b", "c"]


def test_rows_without_an_id_or_time_are_an_error(events):
    events.loc[2, "id"] = None
    with pytest.raises(ValueError, match="1 rows have no 'id'"):
        from_long_format(events, id_column="id", time_column="t")


def test_nullable_values_and_datetime_times():
    frame = pd.DataFrame(
        {
            "id": [1, 1, 2],
            "when": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-01"]),
            "count": pd.array([3, None, 5], dtype="Int64"),
        }
    )
    X, _, _ = from_long_format(frame, id_column="id", time_column="when")
    np.testing.assert_array_equal(X[0]["count"], [np.nan, 3.0])


def test_arrays_instead_of_frames(events):
    frames, _, _ = from_long_format(events, id_column="id", time_column="t")
    arrays, _, _ = from_long_format(
        events, id_column="id", time_column="t", as_frame=False
    )
    assert all(isinstance(x, np.ndarray) for x in arrays)
    for frame, array in zip(frames, arrays, strict=True):
        np.testing.assert_array_equal(frame.to_numpy(), array)


def test_index_levels_are_never_channels(events):
    # An unnamed (id, time) MultiIndex is read by position.
    unnamed = events.set_index(["id", "t"]).rename_axis([None, None])
    X, _, ids = from_long_format(unnamed)
    assert list(ids) == ["a", "b", "c"]
    assert [list(x.columns) for x in X] == [["x", "z"]] * 3
    # Index levels can be named as id_column and time_column, like columns.
    X, _, _ = from_long_format(
        events.set_index(["t", "id"]), id_column="id", time_column="t"
    )
    assert [x["x"].tolist() for x in X] == [[1.0, 2.0, 3.0], [3.5, 4.0], [9.0]]
    X, _, ids = from_long_format(
        events.set_index("id"), id_column="id", time_column="t"
    )
    assert list(ids) == ["a", "b", "c"] and list(X[0].columns) == ["x", "z"]
    # Any other plain index holds row labels: neither a channel nor an error.
    relabeled = events.set_index(pd.Index(list("uvwxyz"), name="row"))
    X, _, _ = from_long_format(relabeled, id_column="id", time_column="t")
    assert list(X[0].columns) == ["x", "z"]


def test_other_multiindex_levels_are_refused_with_what_to_do(events):
    # id and time as columns beside a MultiIndex: its levels are not dropped
    # silently, nor read as channels.
    numbered = events.set_index([pd.RangeIndex(6), pd.RangeIndex(6)])
    with pytest.raises(
        ValueError,
        match=r"levels \[0, 1\] of data are neither.*level=\[0, 1\], drop=True",
    ):
        from_long_format(numbered, id_column="id", time_column="t")
    grouped = events.assign(g=1).set_index(["g", "id", "t"])
    with pytest.raises(ValueError, match=r"MultiIndex of 3 levels \['g', 'id', 't'\]"):
        from_long_format(grouped)
    with pytest.raises(ValueError, match=r"levels \['g'\] of data are neither"):
        from_long_format(grouped, id_column="id", time_column="t")
    # Moved into a column, as the message says, the level is a channel.
    X, _, _ = from_long_format(
        grouped.reset_index(level=["g"]), id_column="id", time_column="t"
    )
    assert list(X[0].columns) == ["g", "x", "z"]
    with pytest.raises(ValueError, match="'id' is both a column and an index level"):
        from_long_format(events.set_index(["id", "t"], drop=False))
    with pytest.raises(ValueError, match=r"value_columns \['t'\] are not columns"):
        from_long_format(events.set_index(["id", "t"]), value_columns=["t"])


def test_no_rows_or_no_channels_are_refused(events):
    with pytest.raises(ValueError, match="data has no rows"):
        from_long_format(events.iloc[:0], id_column="id", time_column="t")
    with pytest.raises(ValueError, match="no value columns"):
        from_long_format(events[["id", "t"]], id_column="id", time_column="t")


@pytest.mark.parametrize("missing", [None, np.nan])
def test_ids_without_a_target_are_named(events, missing):
    # Before, None reached the estimator, which could not sort the labels,
    # and NaN became a target silently.
    y = pd.Series(["yes", missing, "no", None], index=["a", "b", "c", "z"])
    with pytest.raises(ValueError, match=r"no target \(None or NaN\) for ids \['b'\]"):
        from_long_format(events, id_column="id", time_column="t", y=y)


def test_arguments_of_the_wrong_kind_are_named(events):
    # A list as a column name failed in pandas (unhashable); a str as
    # value_columns was read as its characters; as_frame="no" was true.
    keys = {"id_column": "id", "time_column": "t"}
    with pytest.raises(TypeError, match="id_column must be the name of a column"):
        from_long_format(events, id_column=["id"], time_column="t")
    with pytest.raises(TypeError, match=r"pass \['x'\] for one column"):
        from_long_format(events, value_columns="x", **keys)
    with pytest.raises(TypeError, match="as_frame must be True or False"):
        from_long_format(events, as_frame="no", **keys)
    # The same column for both read every row as a duplicate of itself.
    with pytest.raises(ValueError, match="id_column and time_column are both 'id'"):
        from_long_format(events, id_column="id", time_column="id")


def test_repeated_columns_unorderable_times_and_infinity_are_refused(events):
    keys = {"id_column": "id", "time_column": "t"}
    # Repeated names failed in pandas, or were called "not numeric".
    for repeated in ("x", "id"):
        frame = events.rename(columns={"z": repeated})
        with pytest.raises(ValueError, match=f"several columns named '{repeated}'"):
            from_long_format(frame, **keys)
    # Times of mixed types made numpy's sort fail.
    mixed = events.astype({"t": object})
    mixed.loc[0, "t"] = "late"
    with pytest.raises(TypeError, match="The times of 't' cannot be put in order"):
        from_long_format(mixed, **keys)
    # Infinity came out as a value of the sequences.
    infinite = events.assign(x=[4.0, 3.0, 1.0, np.inf, 2.0, 9.0])
    with pytest.raises(ValueError, match="'x' holds inf at id='b', t=1"):
        from_long_format(infinite, **keys)


def test_irregular_times_are_named_in_a_warning():
    # t = 0, 1, 5, 9 became four consecutive steps without a word.
    events = pd.DataFrame(
        {
            "id": [1, 1, 1, 1, 2, 2, 2],
            "t": [0, 1, 5, 9, 0, 1, 2],
            "value": np.arange(7.0),
        }
    )
    with pytest.warns(IrregularTimeWarning, match=r"within ids \[1\].*from 1 to 5"):
        X, _, _ = from_long_format(events, id_column="id", time_column="t")
    assert [len(x) for x in X] == [4, 3]


@pytest.mark.parametrize(
    "times",
    [
        [0, 1, 2, 0, 1],
        pd.to_datetime(
            ["2026-01-01", "2026-02-01", "2026-03-01"] * 1
            + ["2026-01-01", "2026-02-01"]
        ),
        pd.PeriodIndex(["2026Q1", "2026Q2", "2026Q3", "2026Q1", "2026Q2"], freq="Q"),
        ["a", "b", "c", "a", "b"],  # text has an order but no distances
    ],
)
def test_evenly_spaced_times_give_no_warning(times):
    # Calendar months (28-31 days) are evenly spaced.
    events = pd.DataFrame({"id": [1, 1, 1, 2, 2], "t": times, "value": np.arange(5.0)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_long_format(events, id_column="id", time_column="t")
