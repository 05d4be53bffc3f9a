"""The forecaster's series forms on their own: reading and giving back."""

import pickle

import numpy as np
import pandas as pd
import pytest

from sklearn_rnn._forecasting.series import SERIES_FORMS, SeriesPanel, series_form

MONTHS = pd.period_range("2020-01", periods=4, freq="M")


@pytest.mark.parametrize(
    ("y", "form"),
    [
        (np.arange(4.0), "array"),
        (np.arange(4.0)[:, None], "array"),
        (pd.Series(np.arange(4.0), index=MONTHS), "series"),
        (pd.DataFrame({"a": np.arange(4.0)}, index=MONTHS), "frame"),
        ([np.arange(4.0), np.arange(3.0)], "list"),
    ],
)
def test_each_input_has_its_form(y, form):
    assert series_form(y) is SERIES_FORMS[form]
    assert SeriesPanel(y).form.name == form


def test_forecasts_come_back_in_the_form_of_the_input():
    array = SeriesPanel(np.arange(4.0))
    assert isinstance(array.output([np.ones(2)], 2), np.ndarray)
    series = SeriesPanel(pd.Series(np.arange(4.0), index=MONTHS, name="sales"))
    out = series.output([np.ones(2)], 2)
    assert out.name == "sales"
    assert list(out.index.astype(str)) == ["2020-05", "2020-06"]
    listed = SeriesPanel([np.arange(4.0), pd.Series(np.arange(3.0))])
    out = listed.output([np.ones(2), np.zeros(2)], 2)
    assert isinstance(out[0], np.ndarray) and out[1].index.tolist() == [3, 4]


def test_a_frame_forecasts_each_series_from_its_own_end():
    frame = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 2.0, 3.0, np.nan]}, index=MONTHS
    )
    panel = SeriesPanel(frame)
    assert panel.ends == [3, 2]
    out = panel.output([np.array([5.0, 6.0]), np.array([4.0, 5.0])], 2)
    assert list(out.index.astype(str)) == ["2020-04", "2020-05", "2020-06"]
    np.testing.assert_array_equal(out["b"], [4.0, 5.0, np.nan])
    np.testing.assert_array_equal(out["a"], [np.nan, 5.0, 6.0])


def test_errors_name_the_series_in_the_inputs_own_terms():
    with pytest.raises(ValueError, match=r"y\['b'\] has a missing value at row 1"):
        SeriesPanel(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, np.nan, 3.0]}))
    with pytest.raises(ValueError, match=r"^y holds an infinite value"):
        SeriesPanel(np.array([1.0, np.inf, 2.0]))


def test_a_panel_pickled_with_the_kind_string_loads_with_its_form():
    panel = SeriesPanel([np.arange(4.0)])
    state = dict(vars(panel))
    del state["form"]
    state["kind"] = "list"  # as the flat layout pickled it
    old = SeriesPanel.__new__(SeriesPanel)
    old.__setstate__(state)
    assert old.form is SERIES_FORMS["list"]
    assert pickle.loads(pickle.dumps(old)).where(0) == "y[0]"
