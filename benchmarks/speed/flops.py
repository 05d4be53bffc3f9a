"""How far a default fit is from what the CPU can do: FLOPs against seconds.

Per dataset of the suite: the floating-point operations of a default fit (the
network's forward and backward pass on every batch of one epoch, counted by
torch's ``FlopCounterMode``, times the epochs the fit trains), the seconds the
fit takes, and the seconds the same operations would take at the training
throughput the recurrent cell reaches on this CPU at a large batch (measured
here: a bidirectional GRU of 64 units, forward and backward, batches of 256
sequences of 100 steps). The ratio of the two is how much of a fit is
per-batch overhead and small-batch inefficiency rather than arithmetic.

Run: python -m benchmarks.speed.flops [--datasets NAME ...]   (benchmarks extra)
"""

import argparse
import time

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from benchmarks.common import DATASETS
from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator.inputs import input_kind
from sklearn_rnn._training.batching import SequenceDataset, SequenceLoader


def training_flops(module, batch):
    """FLOPs of one forward and backward pass of ``module`` on ``batch``."""
    counter = FlopCounterMode(display=False)
    with counter:
        output = module(batch["X"], batch["lengths"])
        output.sum().backward()
    module.zero_grad()
    return counter.get_total_flops()


def fit_flops(model, X, y):
    """FLOPs of a default fit of ``model`` on ``(X, y)``, and its seconds."""
    torch.set_num_threads(1)
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    net = model.net_
    train, _ = net.train_split(None) if net.train_split else (None, None)
    if train is None:  # no hold-out: the fit trained on all of X
        X_padded, lengths, _ = input_kind(model).validate(model, X, reset=False)
        train = SequenceDataset(X_padded, lengths)
    module = net.module_.train()
    per_epoch = sum(
        training_flops(module, batch)
        for batch, _ in SequenceLoader(train, net.batch_size)
    )
    return per_epoch * model.n_iter_, seconds


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    args = parser.parse_args()
    throughput = cell_throughput()
    print(
        "GRU 64, bidirectional, batches of 256 x 100 steps, forward and backward: "
        f"{throughput / 1e9:.1f} GFLOP/s (one thread)\n"
    )
    print(
        "| dataset | epochs | GFLOP of a default fit | s at the cell's rate "
        "| s/fit | ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name in args.datasets:
        dataset = DATASETS[name]
        X, y = dataset.load("train")
        regression = dataset.task == "regression"
        model = (RNNRegressor if regression else RNNClassifier)(random_state=0)
        flops, seconds = fit_flops(model, X, y)
        ideal = flops / throughput
        print(
            f"| {name} | {model.n_iter_} | {flops / 1e9:.0f} | {ideal:.1f} | "
            f"{seconds:.1f} | {seconds / ideal:.1f}x |",
            flush=True,
        )


if __name__ == "__main__":
    main()
