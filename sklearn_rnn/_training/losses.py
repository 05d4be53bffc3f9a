"""Training losses that take class weights and per-sequence sample weights.

With weights, a batch's loss is the weighted mean of its sequences' losses,
``sum(w_i * loss_i) / sum(w_i)``, where ``w_i`` is the sequence's sample weight
times the weight of its class: with unit sample weights this is exactly torch's
class-weighted cross-entropy.
"""

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "IGNORED_CLASS",
    "MemberLoss",
    "PerStepLoss",
    "WeightedCrossEntropy",
    "WeightedMSE",
]

# The encoded class of a padded step, which no loss reads.
IGNORED_CLASS = -100


def _weighted_mean(losses, weights):
    # A batch whose weights are all zero contributes nothing, not NaN.
    return (losses * weights).sum() / weights.sum().clamp_min(1e-12)


class WeightedCrossEntropy(nn.Module):
    """Cross-entropy of class scores, with optional class and sample weights.

    Parameters
    ----------
    class_weight : tensor of shape (n_classes,) or None, default=None
        Weight of each class.
    """

    def __init__(self, class_weight=None):
        super().__init__()
        if class_weight is not None:
            class_weight = torch.as_tensor(class_weight, dtype=torch.float32)
        self.register_buffer("class_weight", class_weight)

    def constant_loss(self, y, sample_weight=None):
        """The loss of the best constant prediction: the (weighted) class
        frequencies of ``y``, whose cross-entropy is their entropy."""
        weights = torch.ones(len(y)) if sample_weight is None else sample_weight
        weights = weights.to(torch.float64)
        if self.class_weight is not None:
            weights = weights * self.class_weight.to(torch.float64)[y]
        mass = torch.zeros(int(y.max()) + 1, dtype=torch.float64)
        mass.index_add_(0, y, weights)
        frequencies = mass[mass > 0] / mass.sum().clamp_min(1e-300)
        return float(-(frequencies * frequencies.log()).sum())

    def forward(self, logits, y, sample_weight=None):
        if sample_weight is None and self.class_weight is None:
            return F.cross_entropy(logits, y)
        # Not torch's weighted mean: a batch whose classes all weigh zero
        # would divide by zero.
        losses = F.cross_entropy(logits, y, reduction="none")
        weights = torch.ones_like(losses) if sample_weight is None else sample_weight
        weights = weights.to(losses.dtype)
        if self.class_weight is not None:
            weights = weights * self.class_weight[y]
        return _weighted_mean(losses, weights)


class WeightedMSE(nn.Module):
    """Mean squared error over targets, with optional sample weights."""

    def constant_loss(self, y, sample_weight=None):
        """The loss of the best constant prediction: the (weighted) variance
        of ``y`` about its mean, averaged over targets."""
        y = y.to(torch.float64).reshape(len(y), -1)
        weights = torch.ones(len(y)) if sample_weight is None else sample_weight
        weights = weights.to(torch.float64)[:, None]
        total = weights.sum().clamp_min(1e-300)
        mean = (weights * y).sum(dim=0) / total
        return float(((weights * (y - mean) ** 2).sum(dim=0) / total).mean())

    def forward(self, prediction, y, sample_weight=None):
        if sample_weight is None:
            return F.mse_loss(prediction, y)
        losses = (prediction - y).square().mean(dim=1)
        return _weighted_mean(losses, sample_weight.to(losses.dtype))


class MemberLoss(nn.Module):
    """A loss averaged over the members of an ensemble, whose predictions
    are stacked along a first axis; each member is scored as if alone.

    Parameters
    ----------
    loss : nn.Module
        The loss of one member's predictions.
    """

    def __init__(self, loss):
        super().__init__()
        self.loss = loss

    def constant_loss(self, y, sample_weight=None):
        """The loss of the best constant prediction, as for one member."""
        return self.loss.constant_loss(y, sample_weight)

    def forward(self, predictions, y, sample_weight=None):
        return torch.stack(
            [self.loss(prediction, y, sample_weight) for prediction in predictions]
        ).mean()


class PerStepLoss(nn.Module):
    """A loss of per-sequence outputs applied to every valid step.

    Predictions have shape ``(batch, time, n_outputs)``; a padded step has
    the target ``IGNORED_CLASS`` (classes) or NaN (values) and counts for
    nothing. A sequence's sample weight weighs each of its steps, so the loss
    is the mean over all valid steps of the batch.

    Parameters
    ----------
    loss : nn.Module
        ``WeightedCrossEntropy`` or ``WeightedMSE``.
    """

    def __init__(self, loss):
        super().__init__()
        self.loss = loss

    @staticmethod
    def _valid_steps(y, sample_weight):
        """The targets of the valid steps and their weights (or None)."""
        if y.dtype == torch.int64:
            valid = y != IGNORED_CLASS
        else:
            valid = ~torch.isnan(y.reshape(*y.shape[:2], -1)[:, :, 0])
        if sample_weight is not None:
            sample_weight = sample_weight[:, None].expand(valid.shape)[valid]
        return valid, y[valid], sample_weight

    def constant_loss(self, y, sample_weight=None):
        """The loss of the best constant prediction for every valid step."""
        _, y, sample_weight = self._valid_steps(y, sample_weight)
        return self.loss.constant_loss(y, sample_weight)

    def forward(self, prediction, y, sample_weight=None):
        valid, y, sample_weight = self._valid_steps(y, sample_weight)
        return self.loss(prediction[valid], y, sample_weight)
