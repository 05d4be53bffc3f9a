"""Forecast monthly airline passengers: backtest, test period, then the future.

``RNNForecaster`` reads the last 24 months (logarithms, each window relative to
its mean) and predicts the next month: a linear autoregression on the window,
plus the network's correction of it; 24 months ahead are 24 steps fed back.
A backtest inside the training months says what to expect; the last 24 months,
held out, say what happened.

Run: python examples/forecasting.py  (needs the datasets extra)
"""

from sklearn.model_selection import TimeSeriesSplit

from sklearn_rnn import RNNForecaster, backtest
from sklearn_rnn.datasets import load_airline

y = load_airline()
train, test = y.iloc[:-24], y.iloc[-24:]
forecaster = RNNForecaster(transform="log", linear_autoregression=True, random_state=0)

# Two origins inside the training months, 24 months each, refitted on the past.
results = backtest(forecaster, train, cv=TimeSeriesSplit(n_splits=2, test_size=24))
results["error"] = (results["y_true"] - results["y_pred"]).abs()
print("backtest MAE by origin:", results.groupby("origin")["error"].mean().round(1))

forecast = forecaster.fit(train).forecast(24)
test_mae = (forecast - test).abs().mean()
print(f"test MAE, 24 months from {train.index[-1]}: {test_mae:.1f}")
print((forecast.to_frame("forecast").join(test.rename("actual"))).head(6).round(0))

# The same setting on all 144 months forecasts the two years after the data.
future = forecaster.fit(y).forecast(24)
print(f"forecast for {future.index[0]} to {future.index[-1]}:")
print(future.round(0).to_string())
