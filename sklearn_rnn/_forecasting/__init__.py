"""Forecasting with a sequence regressor trained on windows of the past:
series forms, exogenous variables, windows, the forecaster and backtests."""

from .backtest import backtest
from .forecaster import RNNForecaster
from .series import SeriesPanel
from .windows import make_windows

# Forecasters pickled in the flat layout name their panel here.
_Panel = SeriesPanel

__all__ = ["RNNForecaster", "SeriesPanel", "_Panel", "backtest", "make_windows"]
