"""The torch modules, knowing nothing of scikit-learn: masking, encoders,
convolutions, sequence models and poolings, assembled by RecurrentNetwork.

A variable part is one class and one row of its table: ``SEQUENCE_MODELS``,
``POOLINGS``, ``INPUT_SCALINGS``, ``INITS``.
"""

from .convolutions import ConvBranch, ConvFrontEnd, MaskedBatchNorm1d
from .encoders import INPUT_SCALINGS, InputScaling, TokenEmbedding
from .ensemble import NetworkEnsemble
from .masking import length_mask, masked, reverse_within_length
from .network import RecurrentNetwork
from .poolings import POOLINGS
from .sequence_models import INITS, SEQUENCE_MODELS, MaskedTransformer, RecurrentStack

__all__ = [
    "INITS",
    "INPUT_SCALINGS",
    "POOLINGS",
    "SEQUENCE_MODELS",
    "ConvBranch",
    "ConvFrontEnd",
    "InputScaling",
    "MaskedBatchNorm1d",
    "MaskedTransformer",
    "NetworkEnsemble",
    "RecurrentNetwork",
    "RecurrentStack",
    "TokenEmbedding",
    "length_mask",
    "masked",
    "reverse_within_length",
]
