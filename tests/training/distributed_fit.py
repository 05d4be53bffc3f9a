"""Run by tests/training/test_distributed.py under torchrun: each process fits the same
estimators on the same data; rank 0 reports what the processes hold."""

import json
import sys

import numpy as np
import torch
import torch.distributed as dist

from sklearn_rnn import RNNClassifier, RNNRegressor


def gathered(value):
    values = [None] * dist.get_world_size()
    dist.all_gather_object(values, value)
    return values


def main():
    dist.init_process_group("gloo")
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in rng.integers(3, 20, 120)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    target = np.array([x[:, 0].sum() for x in X])
    report = {}
    # random_state=None: the processes still agree on rank 0's seed.
    # Trained on all data: the regressor below checks the hold-out.
    params = {"hidden_size": 8, "max_epochs": 20, "early_stopping": False}
    clf = RNNClassifier(**params, random_state=None).fit(X, y)
    weights = torch.cat([p.detach().flatten() for p in clf.net_.module_.parameters()])
    report["classifier_weights_equal"] = len(set(gathered(weights.sum().item()))) == 1
    # A seeded fit learns (random_state=None above makes a different one
    # each run).
    seeded = RNNClassifier(**params, random_state=0).fit(X, y)
    report["classifier_accuracy"] = seeded.score(X, y)
    report["classifier_history_equal"] = (
        len({tuple(losses) for losses in gathered(clf.history_[:, "train_loss"])}) == 1
    )
    # A hold-out, early stopping and shrinkage: every process decides alike.
    reg = RNNRegressor(hidden_size=8, max_epochs=30, n_iter_no_change=3, tol=0.05)
    reg.set_params(random_state=0).fit(X, target)
    report["regressor_epochs"] = gathered(reg.n_iter_)
    report["regressor_shrinkage"] = gathered(reg.output_shrinkage_.tolist())
    try:
        RNNClassifier(batch_size=200, max_epochs=1).fit(X, y)
    except ValueError as error:
        report["too_few_batches"] = str(error)
    if dist.get_rank() == 0:
        json.dump(report, sys.stdout)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
