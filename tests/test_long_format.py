"""from_long_format: long rows to ragged sequences, with y aligned by id."""

import numpy as np
import pandas as pd
import pytest

from sklearn_rnn import RNNClassifier, from_long_format


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
    with pytest.raises(ValueError, match="'when' is not in the DataFrame"):
        from_long_format(events, id_column="id", time_column="when")
    with pytest.raises(ValueError, match="MultiIndex"):
        from_long_format(events)
    with pytest.raises(ValueError, match="Name both id_column and time_column"):
        from_long_format(events, id_column="id")
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        from_long_format(np.ones((3, 3)), id_column=0, time_column=1)
