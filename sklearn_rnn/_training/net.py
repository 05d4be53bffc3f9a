"""The skorch net: its class, the optimizer, and its construction."""

import inspect

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring, PrintLog
from skorch.helper import predefined_split

from .batching import SequenceLoader
from .callbacks import training_callbacks

__all__ = [
    "OPTIMIZERS",
    "SequenceNet",
    "batch_outputs",
    "build_net",
    "draw_seed",
    "softmax",
    "training_parameters",
]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
    "lbfgs": torch.optim.LBFGS,
}


class SequenceNet(NeuralNet):
    """skorch's NeuralNet, for batches that are tensors already.

    skorch's generic ``infer`` and ``get_loss`` convert and merge whatever a
    batch holds; here they only move tensors to the device. That saves ~30 us
    per batch, ~1% of a fit of an LSTM with 64 units on batches of 32.
    """

    def infer(self, x, **fit_params):
        return self.module_(
            x["X"].to(self.device), x["lengths"].to(self.device), **fit_params
        )

    def get_loss(self, y_pred, y_true, X=None, training=False):
        sample_weight = None if X is None else X.get("sample_weight")
        if sample_weight is not None:
            sample_weight = sample_weight.to(self.device)
        return self.criterion_(y_pred, y_true.to(self.device), sample_weight)


def batch_outputs(net, dataset, *, method="forward", nonlinearity=None):
    """The network's outputs on ``dataset``, batch by batch, in its order.

    The one inference loop of the estimators: ``method`` is the network's
    ``forward`` or ``embed``, run in evaluation mode without gradients on the
    batches skorch's ``forward_iter`` reads (``iterator_valid``); the
    network's ``combine`` makes the forward outputs predictions (after
    ``nonlinearity``; an ensemble averages its members'), which come back on
    the CPU with the batch's lengths.
    """
    module, device = net.module_, net.device
    module.eval()
    with torch.no_grad():
        for batch, _ in net.get_iterator(dataset, training=False):
            lengths = batch["lengths"]
            X = batch["X"].to(device)
            if method == "forward":
                # Called, not .forward: the network's hooks run as in training.
                out = module.combine(module(X, lengths), nonlinearity)
            else:
                out = getattr(module, method)(X, lengths)
            yield out.cpu(), lengths


def softmax(logits):
    """Class probabilities of a classifier's outputs."""
    return torch.softmax(logits, dim=-1)


def draw_seed(random_source):
    """A seed for torch: from a NumPy ``RandomState`` or a torch ``Generator``."""
    high = np.iinfo(np.int32).max
    if isinstance(random_source, torch.Generator):
        return int(torch.randint(high, (1,), generator=random_source))
    return int(random_source.randint(high))


def _optimizer_class(optimizer):
    optimizer = OPTIMIZERS.get(optimizer, optimizer)
    if not issubclass(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be one of {sorted(OPTIMIZERS)} or a subclass of "
            f"torch.optim.Optimizer, got {optimizer!r}."
        )
    return optimizer


def _optimizer_keywords(optimizer, optimizer_kwargs, lr, weight_decay):
    """``optimizer_kwargs`` with ``weight_decay``, checked against ``optimizer``."""
    keywords = dict(optimizer_kwargs or {})
    if "weight_decay" in inspect.signature(optimizer).parameters:
        keywords.setdefault("weight_decay", weight_decay)
    elif weight_decay:
        raise ValueError(
            f"{optimizer.__name__} takes no weight_decay; set weight_decay=0."
        )
    try:
        inspect.signature(optimizer).bind(None, lr=lr, **keywords)
    except TypeError as exc:
        raise TypeError(
            f"optimizer_kwargs={optimizer_kwargs!r} do not fit "
            f"{optimizer.__name__}: {exc}."
        ) from None
    try:  # values the optimizer refuses (SGD's nesterov without momentum)
        optimizer([torch.zeros(1, requires_grad=True)], lr=lr, **keywords)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"optimizer_kwargs={optimizer_kwargs!r} (with lr={lr}) do not fit "
            f"{optimizer.__name__}: {exc}"
        ) from None
    return keywords


def training_parameters(
    *,
    optimizer,
    optimizer_kwargs,
    lr,
    weight_decay,
    batch_size,
    max_epochs,
    verbose,
    holds_out,
    process_group,
    **callback_parameters,
):
    """What the skorch net takes from the training parameters.

    The values are resolved (no "auto"); the remaining keywords go to
    :func:`training_callbacks`. In a ``process_group`` (data-parallel
    training), each process trains on its share of the batches.
    """
    optimizer = _optimizer_class(optimizer)
    keywords = _optimizer_keywords(optimizer, optimizer_kwargs, lr, weight_decay)
    return {
        "optimizer": optimizer,
        "lr": lr,
        **{f"optimizer__{key}": value for key, value in keywords.items()},
        "batch_size": batch_size,
        "max_epochs": max_epochs,
        "iterator_train__process_group": process_group,
        "callbacks": training_callbacks(
            holds_out=holds_out,
            process_group=process_group,
            lr=lr,
            max_epochs=max_epochs,
            verbose=verbose,
            **callback_parameters,
        ),
        # Default callbacks with nothing to do still cost a call per batch.
        "callbacks__print_log": PrintLog() if verbose else None,
        "callbacks__valid_loss": (
            PassthroughScoring("valid_loss") if holds_out else None
        ),
        "verbose": verbose,
    }


def build_net(
    module, *, criterion, predict_nonlinearity, generator, device, training, valid
):
    """A skorch net over length-bucketed batches, not yet initialized.

    Parameters
    ----------
    module : dict
        ``module`` and ``module__*`` arguments of skorch: the network class
        with its keyword arguments, or a built network.
    criterion : nn.Module
        The loss.
    predict_nonlinearity : callable or None
        Applied to the outputs by ``predict_proba``.
    generator : torch.Generator
        The batches' random stream.
    device : str
        Where to train.
    training : dict
        From :func:`training_parameters`.
    valid : Dataset or None
        Held-out data for early stopping.
    """
    return SequenceNet(
        **module,
        criterion=criterion,
        predict_nonlinearity=predict_nonlinearity,
        iterator_train=SequenceLoader,
        iterator_train__shuffle=True,
        iterator_train__generator=generator,
        iterator_valid=SequenceLoader,
        train_split=None if valid is None else predefined_split(valid),
        device=device,
        **training,
    )
