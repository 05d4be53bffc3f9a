"""Forecasting real series beside simple and classical baselines, in one run.

1. Airline (sktime's shipped file: 144 months of passengers). The last 24
   months are the test period; everything is fitted on the 120 before. Mean
   absolute error (MAE) of two evaluations:

   * fixed origin: forecast the 24 months from the end of the training data;
   * one step ahead: each test month forecast from the true history before it,
     with the same fitted models (no refit).

   Baselines: seasonal naive (the value 12 months earlier), seasonal naive
   times the year-on-year growth (of the last 12 months, compounded per year
   ahead, from a fixed origin; of the latest month, one step ahead), a
   linear autoregression on the last 24 log-differences (least squares)
   applied recursively; statsmodels' ETS (damped additive trend,
   multiplicative season) and a seasonal
   ARIMA(1,1,0)(0,1,1)12 on the logarithms, where statsmodels is installed.
   The library: ``RNNForecaster(transform="log", linear_autoregression=True)``
   (the setting docs/forecasting.md recommends, chosen by backtests inside the
   training months: ``--search``) and the same with a 5-seed vote of
   regressors, over 6 seeds (3 for the panel below).

2. A panel: the eight positive US macroeconomic series of sktime's
   ``load_macroeconomic`` (quarterly 1959-2009: real GDP, consumption,
   investment, government spending, disposable income, CPI, M1, population).
   The last 12 quarters are the test period, forecast from a fixed origin.
   Mean absolute percentage error over the series: a random walk with drift
   and the log-difference autoregression (4 lags) per series, then one global
   ``RNNForecaster`` (the recommended setting) trained on all eight series at
   once and, for comparison, one model per series.

Run: python -m benchmarks.accuracy.forecasting [--search]  (datasets extra; statsmodels
     optional)
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.ensemble import VotingRegressor
from sklearn.linear_model import LinearRegression
from sktime.datasets import load_macroeconomic

from benchmarks.common import mean_and_range
from sklearn_rnn import RNNForecaster, RNNRegressor, backtest
from sklearn_rnn.datasets import load_airline

SEEDS = (0, 1, 2)
# On Airline's test period a single model's error depends much on its seed:
# six seeds say more than three.
AIRLINE_SEEDS = (0, 1, 2, 3, 4, 5)


def five_seed_vote():
    """Five default regressors of the forecaster, averaged; RNNForecaster's
    random_state gives each its own seed."""
    return VotingRegressor(
        [(f"seed{i}", RNNRegressor(input_scaling=None)) for i in range(5)]
    )


# --search: 24-month forecasts from these origins inside the 120 training
# months (every 6 months from the 60th), as docs/forecasting.md describes.
SEARCH_ORIGINS = tuple(range(60, 97, 6))
SEARCH_CANDIDATES = {
    'transform="log"': {"transform": "log"},
    'transform="log", linear_autoregression=True': {
        "transform": "log",
        "linear_autoregression": True,
    },
    'transform="log", difference=1, window_normalization=None, '
    "linear_autoregression=True": {
        "transform": "log",
        "difference": 1,
        "window_normalization": None,
        "linear_autoregression": True,
    },
    'transform="log", linear_autoregression=True, a 5-seed vote': {
        "regressor": five_seed_vote(),
        "transform": "log",
        "linear_autoregression": True,
    },
}
MACRO = ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1", "pop"]


def recommended_forecaster(random_state):
    """The setting docs/forecasting.md recommends for positive trending series."""
    return RNNForecaster(
        transform="log", linear_autoregression=True, random_state=random_state
    )


def recommended_vote(random_state):
    """The recommended setting with a 5-seed vote as its regressor."""
    return recommended_forecaster(random_state).set_params(regressor=five_seed_vote())


def mae(y_true, y_pred):
    return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))


def mape(y_true, y_pred):
    y_true = np.asarray(y_true)
    return float(100 * np.mean(np.abs(y_true - np.asarray(y_pred)) / y_true))


def seasonal_naive(history, n, season=12, growth=False):
    """The last season repeated; with growth, times the last season's growth
    over the one before, compounded for each season ahead."""
    history = np.asarray(history)
    factor = history[-season:].sum() / history[-2 * season : -season].sum()
    return np.array(
        [
            history[len(history) - season + i % season]
            * (factor ** (i // season + 1) if growth else 1)
            for i in range(n)
        ]
    )


def seasonal_naive_step(history, season=12, growth=False):
    """One step ahead: the value a season ago; with growth, times the latest
    value's growth over the value a season before it."""
    history = np.asarray(history)
    factor = history[-1] / history[-1 - season] if growth else 1
    return history[-season] * factor


def drift(history, n):
    """Random walk with drift: the last value plus the mean change, per step."""
    history = np.asarray(history)
    slope = (history[-1] - history[0]) / (len(history) - 1)
    return history[-1] + slope * np.arange(1, n + 1)


class LogDifferenceAR:
    """Least squares on the last ``lags`` log-differences, applied recursively."""

    def __init__(self, lags):
        self.lags = lags

    def fit(self, history):
        diffs = np.diff(np.log(history))
        rows = np.lib.stride_tricks.sliding_window_view(diffs[:-1], self.lags)
        self.model_ = LinearRegression().fit(rows, diffs[self.lags :])
        return self

    def forecast(self, history, n):
        log_values = list(np.log(history))
        for _ in range(n):
            lags = np.diff(log_values[-self.lags - 1 :])
            log_values.append(log_values[-1] + self.model_.predict(lags[None])[0])
        return np.exp(log_values[-n:])


def statsmodels_forecasts(train, full, n_test):
    """ETS and seasonal ARIMA: {name: (fixed origin, one step ahead or None)}."""
    try:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing
        from statsmodels.tsa.statespace.sarimax import SARIMAX
    except ImportError:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ets = ExponentialSmoothing(
            train, trend="add", seasonal="mul", seasonal_periods=12, damped_trend=True
        ).fit()
        arima = SARIMAX(
            np.log(train), order=(1, 1, 0), seasonal_order=(0, 1, 1, 12)
        ).fit(disp=False)
        # The fitted parameters filtered over the whole series: one step ahead.
        arima_steps = np.exp(arima.apply(np.log(full)).fittedvalues[-n_test:])
    return {
        # Holt-Winters results cannot be refiltered here: fixed origin only.
        "statsmodels ETS": (ets.forecast(n_test), None),
        "statsmodels seasonal ARIMA on logs": (
            np.exp(arima.forecast(n_test)),
            arima_steps,
        ),
    }


def airline():
    y = load_airline()
    n_test = 24
    full = y.to_numpy()
    train, truth = full[:-n_test], full[-n_test:]
    origins = range(len(full) - n_test, len(full))
    print(f"Airline: {len(train)} training months, MAE on the last {n_test}")
    print(f"  {'':44s} {'fixed origin':>18s} {'one step ahead':>18s}")

    def line(name, fixed, stepwise):
        print(f"  {name:44s} {fixed:>18s} {stepwise:>18s}", flush=True)

    for name, growth in (("seasonal naive", False), ("seasonal naive x growth", True)):
        steps = [seasonal_naive_step(full[:t], growth=growth) for t in origins]
        fixed = seasonal_naive(train, n_test, growth=growth)
        line(name, f"{mae(truth, fixed):.1f}", f"{mae(truth, steps):.1f}")
    ar = LogDifferenceAR(lags=24).fit(train)
    steps = [ar.forecast(full[:t], 1)[0] for t in origins]
    line(
        "linear AR on 24 log-differences",
        f"{mae(truth, ar.forecast(train, n_test)):.1f}",
        f"{mae(truth, steps):.1f}",
    )
    for name, (fixed, steps) in statsmodels_forecasts(train, full, n_test).items():
        line(
            name,
            f"{mae(truth, fixed):.1f}",
            "-" if steps is None else f"{mae(truth, steps):.1f}",
        )
    for name, make in (
        ("RNNForecaster, recommended setting", recommended_forecaster),
        ("the same, a 5-seed vote", recommended_vote),
    ):
        fixed, stepwise, seconds = [], [], []
        for seed in AIRLINE_SEEDS:
            start = time.perf_counter()
            forecaster = make(seed).fit(y.iloc[:-n_test])
            seconds.append(time.perf_counter() - start)
            fixed.append(mae(truth, forecaster.forecast(n_test)))
            steps = [forecaster.forecast(1, y=full[:t])[0] for t in origins]
            stepwise.append(mae(truth, steps))
        line(
            f"{name}, {len(AIRLINE_SEEDS)} seeds",
            mean_and_range(fixed, 1),
            mean_and_range(stepwise, 1),
        )
        print(f"  ({np.mean(seconds):.1f} s per fit)", flush=True)


def macroeconomic_panel():
    frame = load_macroeconomic()[MACRO]
    n_test = 12
    train, test = frame.iloc[:-n_test], frame.iloc[-n_test:]
    print(
        f"\nMacroeconomic panel: {len(MACRO)} quarterly series, {len(train)} "
        f"training quarters, MAPE (%) on the last {n_test}, mean over the series"
    )

    def score(forecasts):
        return np.mean([mape(test[c], forecasts[c]) for c in MACRO])

    baselines = {
        "random walk with drift": {c: drift(train[c], n_test) for c in MACRO},
        "linear AR on 4 log-differences": {
            c: LogDifferenceAR(lags=4).fit(train[c]).forecast(train[c], n_test)
            for c in MACRO
        },
    }
    for name, forecasts in baselines.items():
        print(f"  {name:44s} {score(forecasts):.2f}", flush=True)
    global_scores, local_scores, seconds = [], [], []
    for seed in SEEDS:
        start = time.perf_counter()
        forecaster = recommended_forecaster(seed).fit(train)
        seconds.append(time.perf_counter() - start)
        global_scores.append(score(forecaster.forecast(n_test)))
        local = {
            c: recommended_forecaster(seed).fit(train[c]).forecast(n_test)
            for c in MACRO
        }
        local_scores.append(score(local))
    for name, scores in (
        ("one global RNNForecaster, 3 seeds", global_scores),
        ("one RNNForecaster per series, 3 seeds", local_scores),
    ):
        print(f"  {name:44s} {mean_and_range(scores, 2)}")
    print(f"  ({np.mean(seconds):.1f} s per global fit)", flush=True)


def search():
    """Backtests inside Airline's training months; the test months are not read."""
    train = load_airline().to_numpy()[:-24]
    splits = [(np.arange(o), np.arange(o, o + 24)) for o in SEARCH_ORIGINS]
    print(f"Backtests: 24 months from origins {SEARCH_ORIGINS}, seeds {SEEDS}")
    ar = LogDifferenceAR(lags=24)
    errors = [mae(train[t], ar.fit(train[p]).forecast(train[p], 24)) for p, t in splits]
    print(f"  {'linear AR on 24 log-differences':90s} {np.mean(errors):.1f}")
    for name, params in SEARCH_CANDIDATES.items():
        errors = []
        for seed in SEEDS:
            results = backtest(
                RNNForecaster(**params, random_state=seed), train, cv=splits
            )
            errors.extend(
                results.groupby("origin")
                .apply(lambda r: mae(r["y_true"], r["y_pred"]), include_groups=False)
                .tolist()
            )
        print(
            f"  {name:90s} {np.mean(errors):.1f} (worst {max(errors):.1f})",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--search",
        action="store_true",
        help="run the backtests inside the training months that chose the setting",
    )
    if parser.parse_args().search:
        search()
    else:
        airline()
        macroeconomic_panel()
