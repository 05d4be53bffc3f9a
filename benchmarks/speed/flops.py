"""Where a default fit's time goes: FLOPs and seconds, per part of the network.

Per dataset: the seconds and epochs of a fit; the floating-point operations
of one training epoch (the network's forward and backward pass on every
batch, counted by torch's ``FlopCounterMode``) times the epochs, split by
part of the network (front-end, recurrent layers, convolutional branch,
head); the share of the forward pass's seconds each part takes (timed with
forward hooks over one epoch); and the seconds the same operations would take
at the training throughput a recurrent cell reaches on this CPU at a large
batch (a bidirectional GRU of 64 units, forward and backward, batches of 256
sequences of 100 steps). The ratio of the fit's seconds to those is how much
of a fit is per-batch overhead and small-batch inefficiency rather than
arithmetic.

Run::

    python -m benchmarks.speed.flops [--datasets NAME ...]   # the first suite
    python -m benchmarks.speed.flops --ucr [NAME ...] [--params JSON]

(the benchmarks extra; ``--ucr`` reads the UCR suite of
``benchmarks.accuracy.ucr_suite``, all of it without names).
"""

import argparse
import json
import time
from collections import defaultdict

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from benchmarks.common import DATASETS
from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator.inputs import input_kind
from sklearn_rnn._training.batching import SequenceDataset, SequenceLoader

PARTS = ("front_end", "sequence_model", "branch", "head")


def _part(module_name):
    """The part of the network a FlopCounterMode module name belongs to."""
    names = module_name.split(".")
    return names[1] if len(names) > 1 and names[1] in PARTS else None


def epoch_profile(module, dataset, batch_size):
    """FLOPs of one training epoch per part, and seconds of the forward pass
    per part, of ``module`` over the batches of ``dataset``."""
    flops, seconds, started = defaultdict(float), defaultdict(float), {}
    hooks = []
    for part in PARTS:
        child = getattr(module, part, None)
        if child is None:
            continue
        hooks.append(
            child.register_forward_pre_hook(
                lambda *_, part=part: started.__setitem__(part, time.perf_counter())
            )
        )
        hooks.append(
            child.register_forward_hook(
                lambda *_, part=part: seconds.__setitem__(
                    part, seconds[part] + time.perf_counter() - started[part]
                )
            )
        )
    module.train()
    for batch, _ in SequenceLoader(dataset, batch_size):
        counter = FlopCounterMode(display=False)
        with counter:
            module(batch["X"], batch["lengths"]).sum().backward()
        module.zero_grad()
        for name, counts in counter.get_flop_counts().items():
            if _part(name) and name.count(".") == 1:
                flops[_part(name)] += sum(counts.values())
    for hook in hooks:
        hook.remove()
    return flops, seconds


def fit_profile(model, X, y):
    """A fit of ``model`` on ``(X, y)``: its seconds, and the FLOPs of all
    its epochs and forward seconds of one, per part."""
    torch.set_num_threads(1)
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    net = model.net_
    X_padded, lengths, _ = input_kind(model).validate(model, X, reset=False)
    # The epochs ran over the sequences left after the hold-out: counted as
    # that share of X.
    n_train = len(lengths)
    if model.fit_settings_.early_stopping:
        n_train -= int(np.ceil(model.fit_settings_.validation_fraction * n_train))
    order = np.random.default_rng(0).permutation(len(lengths))[:n_train]
    dataset = SequenceDataset(X_padded[order], lengths[order])
    flops, forward_seconds = epoch_profile(net.module_, dataset, net.batch_size)
    return (
        seconds,
        {part: value * model.n_iter_ for part, value in flops.items()},
        (forward_seconds),
    )


def cell_throughput(repeats=5):
    """Training FLOP/s of a bidirectional GRU of 64 units at a large batch."""
    torch.set_num_threads(1)
    gru = torch.nn.GRU(32, 64, batch_first=True, bidirectional=True)
    X = torch.randn(256, 100, 32)
    counter = FlopCounterMode(display=False)
    with counter:
        gru(X)[0].sum().backward()
    flops = counter.get_total_flops()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        gru(X)[0].sum().backward()
        times.append(time.perf_counter() - start)
    return flops / np.median(times)


def _shares(values):
    total = sum(values.values()) or 1.0
    return " / ".join(f"{100 * values.get(part, 0) / total:.0f}" for part in PARTS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--ucr", nargs="*", default=None)
    parser.add_argument("--params", default="{}", help="estimator parameters, JSON")
    args = parser.parse_args()
    params = json.loads(args.params)
    if args.ucr is not None:
        from benchmarks.accuracy.ucr_suite import SUITE, load

        jobs = [
            (name, lambda name=name: load(name, "train"), False)
            for name in (args.ucr or SUITE)
        ]
    else:
        jobs = [
            (
                name,
                lambda name=name: DATASETS[name].load("train"),
                DATASETS[name].task == "regression",
            )
            for name in args.datasets
        ]
    throughput = cell_throughput()
    print(
        "GRU 64, bidirectional, batches of 256 x 100 steps, forward and backward: "
        f"{throughput / 1e9:.1f} GFLOP/s (one thread)\n"
    )
    print(
        "| dataset | epochs | s/fit | GFLOP | s at the cell's rate | ratio "
        "| GFLOP % front-end / recurrent / branch / head "
        "| forward s % front-end / recurrent / branch / head |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, load_train, regression in jobs:
        X, y = load_train()
        estimator = RNNRegressor if regression else RNNClassifier
        model = estimator(random_state=0, **params)
        seconds, flops, forward_seconds = fit_profile(model, X, y)
        total = sum(flops.values())
        ideal = total / throughput
        print(
            f"| {name} | {model.n_iter_} | {seconds:.1f} | {total / 1e9:.0f} | "
            f"{ideal:.1f} | {seconds / ideal:.1f}x | {_shares(flops)} | "
            f"{_shares(forward_seconds)} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
