"""Recurrent neural networks as scikit-learn estimators, trained with PyTorch."""

from ._batching import LengthBucketSampler, SequenceDataset
from ._estimators import RNNClassifier, RNNRegressor
from ._network import RecurrentNetwork
from ._padding import SequencePadder
from ._validation import check_sequences, sequence_lengths

__all__ = [
    "LengthBucketSampler",
    "RNNClassifier",
    "RNNRegressor",
    "RecurrentNetwork",
    "SequenceDataset",
    "SequencePadder",
    "check_sequences",
    "sequence_lengths",
]

__version__ = "0.1.0"
