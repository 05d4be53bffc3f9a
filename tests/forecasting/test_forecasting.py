import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import VotingRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_rnn import RNNForecaster, RNNRegressor, backtest


def persistence(horizon):
    """A regressor predicting 'no change from the window's reference'."""
    constant = 0.0 if horizon == 1 else np.zeros(horizon)
    return DummyRegressor(strategy="constant", constant=constant)


def flatten(windows):
    return windows.reshape(len(windows), -1)


def persistent(horizon=1, **kwargs):
    """A forecaster that repeats each series' last value."""
    return RNNForecaster(
        persistence(horizon), horizon=horizon, window_normalization="last", **kwargs
    )


def tiny_rnn(**kwargs):
    return RNNRegressor(
        hidden_size=4, conv_channels=(), max_epochs=3, random_state=0, **kwargs
    )


def monthly(values, start="2000-01"):
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(values, index=index, name="sales")


@pytest.mark.parametrize("horizon", [1, 3])
@pytest.mark.parametrize("transform", [None, "log"])
def test_zero_change_forecasts_the_last_value_after_undoing_everything(
    horizon, transform
):
    y = 50 + np.random.default_rng(0).gamma(2.0, 10.0, size=40)
    forecaster = RNNForecaster(
        persistence(horizon),
        window_length=6,
        horizon=horizon,
        transform=transform,
        window_normalization="last",
    ).fit(y)
    np.testing.assert_allclose(forecaster.forecast(7), np.full(7, y[-1]))


def test_mean_normalization_reverts_to_the_window_mean():
    y = np.random.default_rng(1).normal(size=30) + 5
    forecaster = RNNForecaster(
        persistence(1), window_length=4, window_normalization="mean"
    ).fit(y)
    np.testing.assert_allclose(forecaster.forecast(1), [y[-4:].mean()])


def test_differences_continue_the_window_trend():
    # Differenced, a zero output relative to the window's mean change is
    # that change again: a line continues exactly, also when fed back.
    y = 3.0 + 0.5 * np.arange(30)
    forecaster = RNNForecaster(
        persistence(2), window_length=5, horizon=2, difference=1
    ).fit(y)
    np.testing.assert_allclose(forecaster.forecast(5), 3.0 + 0.5 * np.arange(30, 35))
    # Relative to nothing, a zero difference repeats the last value.
    forecaster.set_params(window_normalization=None).fit(y)
    np.testing.assert_allclose(forecaster.forecast(3), np.full(3, y[-1]))


def test_seasonal_differences_repeat_last_season_plus_its_mean_growth():
    season = np.array([1.0, 3.0, 2.0, 5.0])
    y = np.concatenate([season + 10 * year for year in range(6)])
    forecaster = RNNForecaster(
        persistence(1), window_length=4, difference=4, window_normalization=None
    ).fit(y)
    # A zero change over a season repeats the last season.
    np.testing.assert_allclose(forecaster.forecast(6), np.r_[season, season[:2]] + 50)
    # Relative to the window's mean change: each season grows by 10 again.
    forecaster.set_params(window_normalization="mean").fit(y)
    np.testing.assert_allclose(
        forecaster.forecast(6), np.r_[season + 60, season[:2] + 70]
    )


def test_differences_with_exogenous_variables_keep_them_aligned():
    y = np.arange(1.0, 21.0)
    X = 10 * y[:, None]
    forecaster = RNNForecaster(tiny_rnn(), window_length=4, difference=1).fit(y, X)
    assert forecaster.windows_ == 20 - 1 - 4
    assert forecaster.forecast(1).shape == (1,)


def test_exponential_growth_is_extrapolated_exactly_past_the_horizon():
    # In logs, each window's future is the same offsets from its last value,
    # so the mean of the training targets is the exact forecast.
    y = 100 * 1.03 ** np.arange(48)
    forecaster = RNNForecaster(
        DummyRegressor(strategy="mean"), window_length=12, horizon=4, transform="log"
    ).fit(monthly(y))
    forecast = forecaster.forecast(10)
    np.testing.assert_allclose(forecast.to_numpy(), 100 * 1.03 ** np.arange(48, 58))
    assert forecast.name == "sales"


@pytest.mark.parametrize("horizon", [1, 4])
def test_linear_autoregression_forecasts_a_linear_recurrence_exactly(horizon):
    # A trend plus a season of 6 steps is a linear recurrence: the linear
    # part forecasts it, and the regressor, on residuals of zero, adds nothing.
    t = np.arange(60)
    y = 50 + 0.3 * t + 5 * np.sin(t * np.pi / 3)
    forecaster = RNNForecaster(
        persistence(horizon),
        window_length=12,
        horizon=horizon,
        linear_autoregression=True,
    ).fit(y[:48])
    np.testing.assert_allclose(forecaster.forecast(12), y[48:], rtol=1e-6)
    assert forecaster.linear_.coef_.shape == (horizon, 12)
    # Without it, the same regressor only repeats each window's mean.
    forecaster.set_params(linear_autoregression=False).fit(y[:48])
    assert forecaster.linear_ is None
    assert np.abs(forecaster.forecast(12) - y[48:]).max() > 1


def test_linear_autoregression_keeps_float64_precision_at_a_high_level():
    # A large level beside small changes: windows rounded to float32 would
    # lose the changes (an error of ~1e-2 here).
    t = np.arange(60.0)
    y = 1e6 + 0.01 * t + 0.05 * np.sin(t * np.pi / 3)
    truth = (
        1e6 + 0.01 * np.arange(60, 66) + 0.05 * np.sin(np.arange(60, 66) * np.pi / 3)
    )
    forecaster = RNNForecaster(
        persistence(1),
        window_length=12,
        window_normalization=None,
        linear_autoregression=True,
    ).fit(y)
    np.testing.assert_allclose(forecaster.forecast(6), truth, rtol=0, atol=1e-6)


def test_linear_autoregression_refuses_fewer_windows_than_features():
    y = 10 + np.random.default_rng(0).normal(size=20)
    forecaster = RNNForecaster(
        persistence(1), window_length=12, linear_autoregression=True
    )
    with pytest.raises(ValueError, match="8 windows of 12 values"):
        forecaster.fit(y)


def test_a_failed_refit_leaves_the_fitted_forecaster_whole():
    y = 50 + np.arange(40.0) + 5 * np.sin(np.arange(40))
    forecaster = RNNForecaster(
        tiny_rnn(), window_length=8, linear_autoregression=True, random_state=0
    ).fit(y)
    expected = forecaster.forecast(3)
    forecaster.set_params(linear_autoregression=False, regressor__hidden_size=-1)
    with pytest.raises(ValueError, match="hidden_size"):
        forecaster.fit(y)
    np.testing.assert_array_equal(forecaster.forecast(3), expected)


def test_linear_autoregression_leaves_the_residuals_to_the_regressor():
    t = np.arange(80)
    y = 20 + np.sin(t * np.pi / 4) + np.random.default_rng(0).normal(0, 0.1, 80)
    forecaster = RNNForecaster(
        tiny_rnn(), window_length=8, linear_autoregression=True, random_state=0
    ).fit(y)
    # The network learned from what the linear model left over, which
    # varies far less than the targets themselves.
    residual_spread = forecaster.regressor_.target_scaler_.scale_[0]
    target_spread = (
        clone(forecaster)
        .set_params(linear_autoregression=False)
        .fit(y)
        .regressor_.target_scaler_.scale_[0]
    )
    assert residual_spread < 0.2 * target_spread
    first = forecaster.forecast(5)
    restored = pickle.loads(pickle.dumps(forecaster))
    np.testing.assert_array_equal(restored.forecast(5), first)


def test_forecasts_are_indexed_by_the_future_periods():
    y = monthly(np.arange(1.0, 31.0), start="2019-03")
    forecast = persistent(2, window_length=5).fit(y)
    expected = pd.period_range("2021-09", periods=5, freq="M")
    pd.testing.assert_index_equal(forecast.forecast(5).index, expected)


def test_datetime_and_range_indexes():
    values = np.arange(1.0, 21.0)
    dated = pd.Series(values, index=pd.date_range("2024-01-01", periods=20, freq="D"))
    forecaster = persistent(1, window_length=5).fit(dated)
    assert list(forecaster.forecast(2).index) == list(
        pd.date_range("2024-01-21", periods=2, freq="D")
    )
    # A DatetimeIndex without a set frequency: inferred.
    forecaster.fit(pd.Series(values, index=pd.DatetimeIndex(dated.index.to_list())))
    assert forecaster.forecast(1).index[0] == pd.Timestamp("2024-01-21")
    ranged = pd.Series(values, index=pd.RangeIndex(100, 140, 2))
    forecaster.fit(ranged)
    assert list(forecaster.forecast(2).index) == [140, 142]


def test_an_index_without_frequency_is_refused_before_training():
    index = pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-09"])
    y = pd.Series(
        np.arange(20.0), index=index.append(pd.date_range("2024-02-01", periods=16))
    )
    forecaster = persistent(1, window_length=3)
    with pytest.raises(ValueError, match=r"no frequency.*asfreq"):
        forecaster.fit(y)
    assert not hasattr(forecaster, "regressor_")
    # Floats cannot be continued either; evenly spaced integers can.
    with pytest.raises(ValueError, match="evenly spaced integers"):
        forecaster.fit(pd.Series(np.arange(20.0), index=np.arange(20) / 2))
    years = pd.Series(np.arange(1.0, 21.0), index=pd.Index(range(1990, 2030, 2)))
    assert list(forecaster.fit(years).forecast(2).index) == [2030, 2032]


def test_a_series_ending_early_is_forecast_from_its_own_end():
    y = pd.Series(3 + 2 * np.arange(30.0))
    y.iloc[28:] = np.nan
    linear = RNNForecaster(
        make_pipeline(FunctionTransformer(flatten), LinearRegression()),
        window_length=5,
        window_normalization=None,
    )
    forecast = linear.fit(y).forecast(3)
    assert list(forecast.index) == [28, 29, 30]
    np.testing.assert_allclose(forecast, 3 + 2 * np.arange(28.0, 31.0))
    # Exogenous rows given for every row of y, its missing ends included.
    X = np.arange(30.0)[:, None]
    assert linear.fit(y, X).windows_ == 28 - 5


def test_recursive_forecasts_are_one_step_predictions_fed_back():
    # With horizon=1, forecast(n) is the one-step model applied n times, each
    # forecast appended to the window; forecast(1) is its direct prediction.
    rng = np.random.default_rng(0)
    y = 20 + np.sin(np.arange(60) * np.pi / 5) + rng.normal(0, 0.1, 60)
    forecaster = RNNForecaster(
        make_pipeline(FunctionTransformer(flatten), LinearRegression()),
        window_length=6,
        window_normalization=None,
    ).fit(y)
    scale = np.abs(np.diff(y)).mean()
    history = list(y / scale)
    for _ in range(5):
        # The regressor reads float32 windows.
        window = np.array(history[-6:], dtype=np.float32)[None, :, None]
        history.append(forecaster.regressor_.predict(window)[0])
    expected = np.array(history[-5:]) * scale
    np.testing.assert_allclose(forecaster.forecast(5), expected, rtol=1e-10)
    np.testing.assert_allclose(forecaster.forecast(1), expected[:1], rtol=1e-10)


def test_a_list_of_series_gives_a_list_of_series_on_their_own_indexes():
    first = pd.Series(
        np.arange(1.0, 13.0), index=pd.period_range("2020-01", periods=12, freq="M")
    )
    second = pd.Series(
        np.arange(1.0, 9.0), index=pd.period_range("2001", periods=8, freq="Y")
    )
    forecasts = persistent(1, window_length=3).fit([first, second]).forecast(2)
    assert str(forecasts[0].index[0]) == "2021-01"
    assert str(forecasts[1].index[0]) == "2009"


def test_a_constant_series_is_forecast_flat_in_a_global_model():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"moving": 1000 + 100 * rng.random(40), "flat": 0.001})
    forecaster = RNNForecaster(tiny_rnn(), window_length=5, transform="log").fit(frame)
    np.testing.assert_allclose(forecaster.forecast(3)["flat"], 0.001, rtol=1e-9)


def test_exogenous_pandas_must_share_the_index_of_y():
    y = pd.Series(np.arange(1.0, 31.0), index=pd.RangeIndex(30))
    X = pd.DataFrame({"x": np.arange(30.0)}, index=pd.RangeIndex(100, 130))
    with pytest.raises(ValueError, match="does not match the index of y"):
        persistent(1, window_length=3).fit(y, X)


def test_unclear_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="a list is read as many series"):
        persistent(1, window_length=3).fit([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"y\['b'\] must hold numbers"):
        persistent(1, window_length=3).fit(
            pd.DataFrame({"a": [1.0] * 6, "b": list("abcdef")})
        )
    with pytest.raises(ValueError, match="every series needs the same"):
        persistent(1, window_length=3).fit(
            [np.arange(1.0, 9.0), np.arange(1.0, 9.0)],
            [np.ones((8, 2)), np.ones((8, 1))],
        )
    # A column vector is one series.
    column = np.arange(1.0, 11.0)[:, None]
    assert persistent(1, window_length=3).fit(column).forecast(1).shape == (1,)


def test_global_model_on_a_frame_of_series_of_other_scales_and_ends():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "small": 1 + rng.random(30),
            "large": 1000 + 100 * rng.random(30),
        },
        index=pd.period_range("2020-01", periods=30, freq="M"),
    )
    frame.iloc[:5, 0] = np.nan  # starts late
    frame.iloc[-2:, 1] = np.nan  # ended two months ago
    forecaster = persistent(3, window_length=6).fit(frame)
    assert forecaster.n_series_ == 2
    forecast = forecaster.forecast(3)
    assert list(forecast.columns) == ["small", "large"]
    # "large" is forecast from its own end: its rows start two months earlier.
    assert forecast.index[0] == pd.Period("2022-05", freq="M")
    np.testing.assert_allclose(
        forecast["large"].dropna(), np.full(3, frame.iloc[-3, 1])
    )
    assert forecast["large"].notna().tolist() == [True, True, True, False, False]
    np.testing.assert_allclose(
        forecast["small"].dropna(), np.full(3, frame.iloc[-1, 0])
    )


def test_long_format_becomes_wide_with_pivot():
    long = pd.DataFrame(
        {
            "store": np.repeat(["a", "b"], 20),
            "month": np.tile(pd.period_range("2020-01", periods=20, freq="M"), 2),
            "sales": np.r_[np.arange(1.0, 21.0), 10 * np.arange(1.0, 21.0)],
        }
    )
    wide = long.pivot(index="month", columns="store", values="sales")
    forecast = persistent(1, window_length=4).fit(wide).forecast(1)
    assert forecast.loc[pd.Period("2021-09", freq="M")].tolist() == [20.0, 200.0]


def test_list_of_series_gives_a_list_and_new_series_can_be_forecast():
    forecaster = persistent(1, window_length=3).fit(
        [np.arange(1.0, 10.0), np.arange(5.0, 30.0)]
    )
    forecasts = forecaster.forecast(2)
    assert isinstance(forecasts, list)
    np.testing.assert_allclose(forecasts[1], [29.0, 29.0])
    # A series never seen in fit: forecast from its own history.
    np.testing.assert_allclose(
        forecaster.forecast(1, y=np.array([3.0, 4.0, 7.0])), [7.0]
    )


def test_exogenous_variables_are_channels_and_limit_the_reach():
    rng = np.random.default_rng(0)
    y = rng.normal(size=40).cumsum() + 50
    X = rng.normal(size=(40, 2))
    forecaster = RNNForecaster(tiny_rnn(), window_length=5, horizon=2).fit(y, X)
    assert forecaster.n_exog_ == 2
    assert forecaster.regressor_.n_features_in_ == 3
    assert forecaster.forecast(2).shape == (2,)
    assert forecaster.forecast(2, y=y[:30], X=X[:30]).shape == (2,)
    with pytest.raises(ValueError, match="at most horizon=2 steps"):
        forecaster.forecast(3)
    with pytest.raises(ValueError, match=r"fitted with 2 exogenous.*X is missing"):
        forecaster.forecast(1, y=y)
    with pytest.raises(ValueError, match="X has 1 exogenous variable"):
        forecaster.forecast(1, y=y, X=X[:, :1])
    with pytest.raises(ValueError, match="one row per step of y"):
        persistent(1, window_length=5).fit(y, X[:-1])


@pytest.mark.parametrize(
    "y, kwargs, message",
    [
        (np.array([1.0, 2.0, 0.0, 3.0, 4.0]), {"transform": "log"}, "positive"),
        (np.r_[1.0, np.nan, 2.0, 3.0, 4.0, 5.0], {}, "missing value at row 1"),
        (np.ones((10, 2)), {}, "1-D series"),
        (pd.Series(np.arange(10.0), index=np.arange(10)[::-1]), {}, "not sorted"),
        ([], {}, "empty list"),
        (np.array([np.nan, np.nan]), {}, "no observed value"),
    ],
)
def test_bad_series_are_refused_with_what_and_where(y, kwargs, message):
    with pytest.raises(ValueError, match=message):
        persistent(1, window_length=2, **kwargs).fit(y)


def test_frame_errors_name_the_column():
    frame = pd.DataFrame(
        {"north": [1.0, 2.0, 3.0, 4.0], "south": [1.0, np.nan, 2.0, 3.0]}
    )
    with pytest.raises(ValueError, match="y\\['south'\\] has a missing value at row 1"):
        persistent(1, window_length=2).fit(frame)


def test_forecast_arguments_are_checked():
    forecaster = persistent(1, window_length=5).fit(np.arange(1.0, 20.0))
    with pytest.raises(ValueError, match="n_periods must be a positive integer"):
        forecaster.forecast(0)
    with pytest.raises(
        ValueError, match=r"y has 3 steps; forecasting needs at least 5"
    ):
        forecaster.forecast(1, y=np.arange(3.0))
    with pytest.raises(ValueError, match="X is given without y"):
        forecaster.forecast(1, X=np.ones((19, 1)))
    with pytest.raises(ValueError, match="window_length"):
        RNNForecaster(window_length=0).fit(np.arange(10.0))


def test_unfitted_forecaster_raises_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        RNNForecaster().forecast(1)


def test_rnn_forecaster_is_reproducible_and_survives_pickle_and_clone():
    y = monthly(100 + 10 * np.sin(np.arange(60) * np.pi / 6) + np.arange(60))
    forecaster = RNNForecaster(tiny_rnn(), window_length=12, horizon=3, transform="log")
    first = forecaster.fit(y).forecast(6)
    second = clone(forecaster).fit(y).forecast(6)
    pd.testing.assert_series_equal(first, second)
    restored = pickle.loads(pickle.dumps(forecaster))
    pd.testing.assert_series_equal(restored.forecast(6), first)
    assert np.isfinite(first).all()
    assert forecaster.windows_ == 60 - 12 - 3 + 1


def test_backtest_fits_on_the_past_of_each_origin_only():
    y = monthly(np.arange(1.0, 49.0))
    forecaster = persistent(4, window_length=6)
    results = backtest(forecaster, y, cv=3)
    assert results.groupby("origin").size().tolist() == [4, 4, 4]
    assert results["step"].tolist() == [1, 2, 3, 4] * 3
    # Persistence repeats the last value each fit saw: the one before the test.
    for _, rows in results.groupby("origin"):
        assert (rows["y_pred"] == rows["y_true"].iloc[0] - 1).all()
    assert results["time"].iloc[-1] == y.index[-1]


def test_backtest_with_a_gap_forecasts_across_it():
    y = np.arange(1.0, 41.0)
    cv = TimeSeriesSplit(n_splits=2, test_size=3, gap=2)
    results = backtest(persistent(5, window_length=4), y, cv=cv)
    assert results["step"].tolist() == [3, 4, 5] * 2
    assert results["y_pred"].tolist() == [32.0] * 3 + [35.0] * 3


def test_backtest_refuses_shuffled_splits():
    from sklearn.model_selection import KFold

    with pytest.raises(ValueError, match="consecutive and come before"):
        backtest(persistent(1, window_length=3), np.arange(30.0), cv=KFold(3))


@pytest.mark.parametrize(
    "cv, error, message",
    [
        ("x", TypeError, "cv must be an int, a splitter"),
        (True, TypeError, "cv must be an int, a splitter"),
        ([], ValueError, "cv gave no split"),
        ([([], [5])], ValueError, "has 0 training and 1 test rows"),
        ([(np.arange(5), [])], ValueError, "has 5 training and 0 test rows"),
        ([(np.arange(5.0), [5.0])], TypeError, "rows of dtype float64"),
    ],
)
def test_backtest_refuses_splits_that_are_not_splits(cv, error, message):
    # A str's split method ran, True was one split, and empty or float rows
    # failed in numpy or pandas.
    with pytest.raises(error, match=message):
        backtest(persistent(1, window_length=3), np.arange(30.0), cv=cv)


def test_backtest_of_many_series_reports_each():
    frame = pd.DataFrame({"a": np.arange(1.0, 31.0), "b": np.arange(31.0, 61.0)})
    results = backtest(persistent(2, window_length=4), frame, cv=2)
    assert set(results["series"]) == {"a", "b"}
    assert len(results) == 2 * 2 * 2


@pytest.mark.slow
def test_default_regressor_reads_the_scaled_windows_with_the_seed():
    y = 10 + np.sin(np.arange(24.0))
    forecaster = RNNForecaster(window_length=4, random_state=3).fit(y)
    assert forecaster.regressor_.input_scaling is None
    seed = forecaster.regressor_.random_state
    assert isinstance(seed, int)
    assert forecaster.regressor is None  # the parameter is left as given
    again = RNNForecaster(window_length=4, random_state=3).fit(y)
    assert again.regressor_.random_state == seed
    assert (
        RNNForecaster(window_length=4, random_state=4).fit(y).regressor_.random_state
        != seed
    )


def test_members_of_an_ensemble_regressor_get_their_own_seeds():
    y = 10 + np.sin(np.arange(24.0))
    vote = VotingRegressor([("a", tiny_rnn()), ("b", tiny_rnn())])
    forecaster = RNNForecaster(vote, window_length=4, random_state=0).fit(y)
    a, b = forecaster.regressor_.estimators_
    assert a.random_state != b.random_state
    assert not np.allclose(a.predict(np.ones((1, 4, 1))), b.predict(np.ones((1, 4, 1))))


def test_backtest_picks_forecasts_by_step_and_fits_where_series_are_observed():
    y = 3 + 2 * np.arange(40.0)
    linear = RNNForecaster(
        make_pipeline(FunctionTransformer(flatten), LinearRegression()),
        window_length=5,
        window_normalization=None,
    )
    results = backtest(linear, y, cv=[(np.arange(30), np.array([30, 32, 35]))])
    np.testing.assert_allclose(results["y_pred"], results["y_true"], rtol=1e-6)
    assert results["step"].tolist() == [1, 3, 6]
    frame = pd.DataFrame({"early": y, "late": y + 1000, "gone": y - 1})
    frame.iloc[:25, 1] = np.nan  # starts after the first origin
    frame.iloc[28:, 2] = np.nan  # ends before the origins
    X = [np.arange(40.0)] * 3
    origins = [(np.arange(20), np.array([20])), (np.arange(30), np.array([30]))]
    results = backtest(linear, frame, X, cv=origins)
    assert results.groupby("origin")["series"].apply(set).tolist() == [
        {"early", "gone"},
        {"early", "late"},
    ]


def test_backtest_keeps_the_series_name_and_refuses_lists():
    y = pd.Series(np.arange(1.0, 31.0), name="sales")
    results = backtest(persistent(2, window_length=4), y, cv=2)
    assert set(results["series"]) == {"sales"}
    with pytest.raises(TypeError, match="no common rows"):
        backtest(persistent(2, window_length=4), [y, y])
    with pytest.raises(TypeError, match="evaluates a forecaster"):
        backtest(RNNRegressor(), y)


def test_backtest_leaves_out_rows_after_the_last_observed_value():
    # As fit does: trailing NaN are not part of the series. Before, the last
    # origins fell on them and pandas raised an IndexError.
    y = pd.Series(np.r_[np.arange(1.0, 31.0), np.nan, np.nan])
    results = backtest(persistent(2, window_length=4), y, cv=2)
    assert results["time"].tolist() == [26, 27, 28, 29]
    assert results["y_true"].tolist() == [27.0, 28.0, 29.0, 30.0]
    assert results["y_pred"].tolist() == [26.0, 26.0, 28.0, 28.0]
    late = np.r_[np.full(10, np.nan), np.arange(1.0, 21.0)]
    with pytest.raises(ValueError, match=r"origin 0 .*row 4.* nothing to forecast"):
        backtest(persistent(1, window_length=3), late, cv=[(np.arange(5), [5])])
    with pytest.raises(ValueError, match=r"row 31.*y has 30 rows"):
        backtest(persistent(1, window_length=3), y, cv=[(np.arange(30), [31])])


def test_repeated_time_labels_are_refused_wherever_a_series_enters():
    index = pd.period_range("2020-01", periods=20, freq="M")
    index = index.insert(6, index[5])
    y = pd.Series(np.arange(1.0, 22.0), index=index)
    forecaster = persistent(1, window_length=3)
    message = r"The index of y repeats the time labels \['2020-06'\]"
    with pytest.raises(ValueError, match=message):
        forecaster.fit(y)
    with pytest.raises(ValueError, match=message):
        forecaster.fit(y.to_frame())
    with pytest.raises(ValueError, match=message):
        backtest(forecaster, y, cv=2)
    with pytest.raises(ValueError, match=r"index of y\[1\] repeats"):
        forecaster.fit([y.iloc[:5].reset_index(drop=True), y])
    # Exogenous variables with their own index, beside an array y.
    values = np.arange(1.0, 22.0)
    X = pd.DataFrame({"x": values}, index=index)
    with pytest.raises(ValueError, match=r"The index of X repeats"):
        RNNForecaster(persistence(1), window_length=3).fit(values, X)
    fitted = RNNForecaster(persistence(1), window_length=3).fit(values, X.to_numpy())
    with pytest.raises(ValueError, match=r"The index of X repeats"):
        fitted.forecast(1, y=values, X=X)


@pytest.mark.parametrize("magnitude", [1e155, 1e300, 1e-300])
def test_exogenous_variables_of_any_magnitude_are_standardized_exactly(magnitude):
    # Before, the squares in their standard deviation overflowed above ~1e154
    # and the column became zeros.
    y = np.arange(1.0, 21.0)
    X = np.c_[np.r_[np.zeros(10), np.ones(10)], np.arange(20.0)]
    forecaster = RNNForecaster(persistence(1), window_length=3)
    expected = forecaster.fit(y, X).exog_[0]
    np.testing.assert_allclose(forecaster.fit(y, X * magnitude).exog_[0], expected)
    assert np.abs(expected).max() > 1


def test_nested_lists_and_repeated_column_names_are_refused():
    # np.ndim of a nested list raised numpy's error; a repeated column name
    # was called a series of two dimensions.
    forecaster = persistent(1, window_length=2)
    with pytest.raises(ValueError, match=r"y\[0\] is not an array of numbers"):
        forecaster.fit([[1.0, 2.0, 3.0, [4.0]]])
    frame = pd.DataFrame(np.ones((6, 2)), columns=["a", "a"])
    with pytest.raises(ValueError, match="several columns named 'a'"):
        forecaster.fit(frame)


@pytest.mark.parametrize(
    "jump, n_periods, message",
    [
        (1e300, 1, "they pass 1.8e\\+308 in the series' units"),
        (1e20, 3, "they pass 3.4e\\+38 in units of the scale"),
    ],
)
def test_diverging_forecasts_are_refused(jump, n_periods, message):
    # A flat series with one jump: the linear part extrapolates it, and the
    # forecasts overflowed to infinity (numpy warned) or were fed back to
    # the network beyond float32.
    y = np.r_[np.zeros(8), 1.0, jump]
    forecaster = RNNForecaster(
        persistence(1), window_length=2, linear_autoregression=True
    ).fit(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match="The forecasts of y diverge: " + message):
            forecaster.forecast(n_periods)


def test_a_linear_part_beyond_float64_is_refused():
    y = np.r_[np.zeros(7), 0.25, 0.0, 1.7e308]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match="fits coefficients beyond float64"):
            RNNForecaster(
                persistence(1), window_length=2, linear_autoregression=True
            ).fit(y)


def test_changes_beyond_float64_are_refused():
    with pytest.raises(ValueError, match="changes of y overflow float64"):
        persistent(1, window_length=3).fit(np.tile([-1e308, 1e308], 10))


@pytest.mark.parametrize("n_periods", [True, np.ones((3, 1)), 2.0])
def test_forecast_refuses_what_is_not_a_number_of_steps(n_periods):
    forecaster = persistent(1, window_length=5).fit(np.arange(1.0, 20.0))
    with pytest.raises(TypeError, match=r"n_periods must be an int.*y=\.\.\., X="):
        forecaster.forecast(n_periods)
    with pytest.raises(TypeError, match="n_periods must be an int"):
        backtest(forecaster, np.arange(1.0, 20.0), n_periods=n_periods)


def test_a_difference_too_large_says_the_largest_usable_one():
    y = np.arange(1.0, 21.0)
    with pytest.raises(ValueError, match=r"y has 20 steps.* at most 16"):
        persistent(1, window_length=3, difference=50).fit(y)
    persistent(1, window_length=3, difference=16).fit(y)
    with pytest.raises(ValueError, match=r"no difference fits.*window_length"):
        persistent(1, window_length=19, difference=1).fit(y)


class RecordingRegressor(RNNRegressor):
    """An RNNRegressor that keeps the windows its fit got."""

    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None):
        self.seen_ = X, X_val
        return super().fit(X, y, sample_weight, X_val=X_val, y_val=y_val)


@pytest.mark.parametrize("horizon, step", [(1, 1), (4, 1), (3, 2)])
def test_early_stopping_holds_out_the_last_windows_with_a_gap(horizon, step):
    # A random fifth of overlapping windows was held out: validation windows
    # shared all but one step with training ones, and recent windows were
    # left out of training at random.
    series = [np.arange(120.0), 1000 + np.arange(90.0)]  # each value once
    forecaster = RNNForecaster(
        RecordingRegressor(hidden_size=4, max_epochs=2, input_scaling=None),
        window_length=12,
        horizon=horizon,
        step=step,
        window_normalization=None,
        random_state=0,
    ).fit(series)
    train, valid = forecaster.regressor_.seen_
    assert valid is not None and len(valid) == len(forecaster.validation_windows_)
    # The windows' first values (series / scale, scale 1 here) say where
    # they start; each window spans window_length + horizon steps.
    span = 12 + horizon
    for offset in (0, 1000):
        train_starts = train[:, 0, 0][(train[:, 0, 0] >= offset)]
        train_starts = train_starts[train_starts < offset + 500]
        valid_starts = valid[:, 0, 0][(valid[:, 0, 0] >= offset)]
        valid_starts = valid_starts[valid_starts < offset + 500]
        assert len(train_starts) and len(valid_starts)
        # No validation window shares a step with a training window.
        assert train_starts.max() + span <= valid_starts.min()
        # The validation windows are the newest ones.
        last = 120 if offset == 0 else 90
        assert valid_starts.max() == offset + last - span


def test_too_few_windows_train_on_all_without_a_random_hold_out():
    forecaster = RNNForecaster(
        RecordingRegressor(hidden_size=4, max_epochs=2), window_length=12
    ).fit(np.arange(40.0))
    assert forecaster.regressor_.seen_[1] is None
    assert forecaster.regressor_.early_stopping is False
    assert forecaster.validation_windows_ is None
    with pytest.raises(ValueError, match="early_stopping=True holds out the last"):
        RNNForecaster(
            RNNRegressor(hidden_size=4, max_epochs=2, early_stopping=True),
            window_length=12,
        ).fit(np.arange(40.0))


def test_gaps_and_missing_exogenous_values_are_named_by_date_and_column():
    index = pd.period_range("2020-01", periods=40, freq="M")
    y = pd.Series(np.arange(40.0), index=index)
    gap = y.copy()
    gap.iloc[3] = np.nan
    with pytest.raises(ValueError, match=r"missing value at row 3 \(2020-04\)"):
        persistent(window_length=3).fit(gap)
    X = pd.DataFrame({"temp": np.ones(40), "rain": np.ones(40)}, index=index)
    X.iloc[5, 1] = np.nan
    with pytest.raises(ValueError, match=r"row 5 \(2020-06\), column 'rain'"):
        persistent(window_length=3).fit(y, X)
    with pytest.raises(ValueError, match=r"infinite value at row 5, column 1"):
        persistent(window_length=3).fit(y.to_numpy(), X.fillna(np.inf).to_numpy())
