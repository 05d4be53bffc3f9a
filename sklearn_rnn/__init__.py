"""Recurrent neural networks as scikit-learn estimators, trained with PyTorch."""

from ._estimator.classifier import RNNClassifier
from ._estimator.regressor import RNNRegressor
from ._forecasting import RNNForecaster, backtest, make_windows
from ._integrations.onnx import export_onnx
from ._integrations.plotting import TrainingHistoryDisplay
from ._nn import RecurrentNetwork
from ._pickle_paths import bind_old_paths
from ._preprocessing.imputing import SequenceImputer
from ._preprocessing.long_format import from_long_format
from ._preprocessing.padding import SequencePadder
from ._preprocessing.scaling import SequenceScaler
from ._text.generation import generate
from ._text.sequencer import TokenSequencer
from ._training.batching import LengthBucketSampler, SequenceDataset, SequenceLoader
from ._validation import check_sequences, check_token_ids, sequence_lengths
from ._windowed_prediction import predict_in_windows

bind_old_paths()

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
