"""Forecasting with a sequence regressor trained on windows of the past."""

# Models pickled before the move name these in sklearn_rnn._forecasting.
from .forecaster import RNNForecaster, _Panel, backtest

__all__ = ["RNNForecaster", "_Panel", "backtest"]
