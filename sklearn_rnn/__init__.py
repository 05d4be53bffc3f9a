"""Recurrent neural networks as scikit-learn estimators, trained with PyTorch."""

from ._batching import LengthBucketSampler, SequenceDataset, SequenceLoader
from ._classifier import RNNClassifier
from ._forecasting import RNNForecaster, backtest
from ._generation import generate
from ._imputing import SequenceImputer
from ._long_format import from_long_format
from ._nn import RecurrentNetwork
from ._onnx import export_onnx
from ._padding import SequencePadder
from ._plotting import TrainingHistoryDisplay
from ._regressor import RNNRegressor
from ._scaling import SequenceScaler
from ._text import TokenSequencer
from ._validation import check_sequences, check_token_ids, sequence_lengths
from ._windows import make_windows, predict_in_windows

__all__ = [
    "LengthBucketSampler",
    "RNNClassifier",
    "RNNForecaster",
    "RNNRegressor",
    "RecurrentNetwork",
    "SequenceDataset",
    "SequenceImputer",
    "SequenceLoader",
    "SequencePadder",
    "SequenceScaler",
    "TokenSequencer",
    "TrainingHistoryDisplay",
    "backtest",
    "check_sequences",
    "check_token_ids",
    "export_onnx",
    "from_long_format",
    "generate",
    "make_windows",
    "predict_in_windows",
    "sequence_lengths",
]

__version__ = "0.1.0"
