"""Where version 0.1.0 defined the network and its layers.

Models pickled by that version refer to these names; they now live in
``_nn``, and :class:`RecurrentNetwork` reads their old layout.
"""

from ._nn import (
    ConvBranch,
    ConvFrontEnd,
    InputScaling,
    MaskedBatchNorm1d,
    MaskedTransformer,
    RecurrentNetwork,
)

__all__ = [
    "ConvBranch",
    "ConvFrontEnd",
    "InputScaling",
    "MaskedBatchNorm1d",
    "MaskedTransformer",
    "RecurrentNetwork",
]
