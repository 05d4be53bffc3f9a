"""Where version 0.1.0 defined the estimators and their skorch net.

Models pickled by that version refer to these names; they now live in
``_classifier``, ``_regressor`` and ``_training``.
"""

from ._estimator.classifier import RNNClassifier
from ._estimator.regressor import RNNRegressor
from ._training import RaiseOnNonFiniteLoss as _RaiseOnNonFiniteLoss
from ._training import SequenceNet as _SequenceNet
from ._training import softmax as _softmax

__all__ = [
    "RNNClassifier",
    "RNNRegressor",
    "_RaiseOnNonFiniteLoss",
    "_SequenceNet",
    "_softmax",
]
