"""Continuing training (a warm start or ``partial_fit``) as a transaction.

A new net is built as the fitted one was, around a copy of the fitted
network, carrying what continuing needs of the fitted net: the optimizer's
state when the optimizer is the same, the history and the batches' random
stream. The fitted net is not touched, so a continuation that fails leaves the
model as it was, and the caller puts the new net in place only once training
has succeeded.
"""

import copy

import torch
from skorch.history import History

from .net import build_net

__all__ = ["continued_net"]


def _carry_optimizer_state(fitted, net):
    """Load the fitted optimizer's state (moments, step counts) into ``net``'s,
    keeping the hyperparameters ``net``'s optimizer was built with."""
    hyperparameters = [
        {key: value for key, value in group.items() if key != "params"}
        for group in net.optimizer_.param_groups
    ]
    # A copy: torch would train the fitted optimizer's own state tensors.
    net.optimizer_.load_state_dict(copy.deepcopy(fitted.optimizer_.state_dict()))
    for group, values in zip(net.optimizer_.param_groups, hyperparameters, strict=True):
        group.update(values)


def continued_net(
    fitted,
    *,
    prepare_module,
    criterion,
    predict_nonlinearity,
    generator,
    device,
    training,
    valid,
):
    """An initialized net that continues training ``fitted``'s network.

    Parameters
    ----------
    fitted : SequenceNet
        The fitted net; left as it is.
    prepare_module : callable
        Called with the copy of the fitted network before training, to apply
        what changed (dropout rates, target scaling).
    criterion, predict_nonlinearity, generator, device, training, valid
        As in :func:`build_net`, for this call; ``generator`` goes on from the
        fitted net's.

    Returns
    -------
    net : SequenceNet
        The new net, initialized.
    """
    # The network's class and arguments, not an instance: skorch would pickle
    # an instance given as a parameter apart from ``module_``, twice over.
    module = {
        "module": type(fitted.module_),
        **{f"module__{k}": v for k, v in fitted.get_params_for("module").items()},
    }
    net = build_net(
        module,
        criterion=criterion,
        predict_nonlinearity=predict_nonlinearity,
        generator=generator,
        device=device,
        training=training,
        valid=valid,
    )
    # The network skorch builds is replaced by a copy of the fitted one (its
    # weights, hooks, which weights train, and whatever state it holds
    # besides); its random draws leave training's random stream as it was.
    with torch.random.fork_rng(devices=[]):
        net.initialize()
    net.module_ = copy.deepcopy(fitted.module_)
    prepare_module(net.module_)
    net.initialize_optimizer()
    if net.optimizer is fitted.optimizer:
        _carry_optimizer_state(fitted, net)
    # torch's schedulers take their base rate from "initial_lr", which the
    # last call's schedule left: this call's is lr.
    for group in net.optimizer_.param_groups:
        group["initial_lr"] = group["lr"]
    # skorch records into the last row only: into the fitted net's last epoch
    # until this call's first epoch begins, then into the rows it appends. A
    # copy of that one row keeps the fitted history as it was; copying every
    # row made each partial_fit call slower than the one before.
    net.history_ = History([*fitted.history_[:-1], copy.deepcopy(fitted.history_[-1])])
    return net
