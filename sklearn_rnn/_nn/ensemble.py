"""Several networks of one architecture, each initialized from its own draws,
trained side by side on the same batches."""

import torch
from torch import nn

from .network import RecurrentNetwork

__all__ = ["NetworkEnsemble"]


class NetworkEnsemble(nn.Module):
    """``n_members`` :class:`RecurrentNetwork` of the same arguments.

    The members draw their initial weights one after another from torch's
    random stream, so they differ, and a seed gives the same members. The
    forward pass stacks their outputs along a first axis, for a loss that
    averages over members (each learns as if alone, on the same batches);
    :meth:`combine` averages their outputs after the output nonlinearity,
    which is the ensemble's prediction (the mean of the members'
    probabilities for a classifier).

    Parameters
    ----------
    n_members : int
        The number of networks.
    **network_arguments
        The arguments of each :class:`RecurrentNetwork`.
    """

    def __init__(self, n_members, **network_arguments):
        super().__init__()
        self.members = nn.ModuleList(
            RecurrentNetwork(**network_arguments) for _ in range(n_members)
        )

    @property
    def reads_token_ids(self):
        """Whether the input is token ids rather than numeric channels."""
        return self.members[0].reads_token_ids

    @property
    def onnx_exportable(self):
        """Whether torch's ONNX exporter can trace the members."""
        return self.members[0].onnx_exportable

    @property
    def per_step(self):
        """Whether the members give an output per step."""
        return self.members[0].per_step

    @property
    def n_outputs(self):
        """The number of outputs of each member (per sequence, or per step)."""
        return self.members[0].n_outputs

    def set_dropout(self, p, embedding_p=None):
        """Set every member's dropout rates."""
        for member in self.members:
            member.set_dropout(p, embedding_p)

    def rescale_outputs(self, scale, shift):
        """Change every member's output layer to give ``scale * output + shift``."""
        for member in self.members:
            member.rescale_outputs(scale, shift)

    def forward(self, X, lengths, *, always_mask=False):
        """The members' outputs, stacked: ``(n_members, *output_shape)``."""
        return torch.stack(
            [member(X, lengths, always_mask=always_mask) for member in self.members]
        )

    @staticmethod
    def combine(outputs, nonlinearity=None):
        """The ensemble's output: the mean over members of the stacked
        ``outputs`` after ``nonlinearity``."""
        if nonlinearity is not None:
            outputs = nonlinearity(outputs)
        return outputs.mean(dim=0)

    def embed(self, X, lengths, *, always_mask=False):
        """The members' pooled representations, side by side."""
        return torch.cat(
            [
                member.embed(X, lengths, always_mask=always_mask)
                for member in self.members
            ],
            dim=-1,
        )
