"""What one fit trains on, once validated and encoded."""

from dataclasses import dataclass

import numpy as np
import torch

__all__ = ["TrainingData"]


@dataclass
class TrainingData:
    """What ``fit`` trains on: the sequences of ``X`` (the first ``n_given``)
    followed by any given validation data, the encoded targets and their
    criterion, and the fitted attributes of the input and targets."""

    X: np.ndarray
    lengths: np.ndarray
    y: torch.Tensor
    sample_weight: torch.Tensor | None
    labels: np.ndarray | None  # the hold-out's stratification
    n_given: int
    criterion: torch.nn.Module
    n_outputs: int
    target_state: dict
    fitted_input: dict

    def given(self):
        """The padded sequences of ``X`` and their lengths."""
        return self.X[: self.n_given], self.lengths[: self.n_given]

    def validation_indices(self):
        """The positions of the given validation data, or None."""
        if self.n_given == len(self.lengths):
            return None
        return np.arange(self.n_given, len(self.lengths))
