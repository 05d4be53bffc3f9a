"""Recurrent neural networks as scikit-learn estimators, trained with PyTorch."""

from ._batching import LengthBucketSampler, SequenceDataset, SequenceLoader
from ._estimators import RNNClassifier, RNNRegressor
from ._imputing import SequenceImputer
from ._long_format import from_long_format
from ._network import RecurrentNetwork
from ._onnx import export_onnx
from ._padding import SequencePadder
from ._scaling import SequenceScaler
from ._validation import check_sequences, sequence_lengths

__all__ = [
    "LengthBucketSampler",
    "RNNClassifier",
    "RNNRegressor",
    "RecurrentNetwork",
    "SequenceDataset",
    "SequenceImputer",
    "SequenceLoader",
    "SequencePadder",
    "SequenceScaler",
    "check_sequences",
    "export_onnx",
    "from_long_format",
    "sequence_lengths",
]

__version__ = "0.1.0"
