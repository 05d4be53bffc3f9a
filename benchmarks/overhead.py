"""Overhead of RNNClassifier.fit over a hand-written PyTorch training loop.

Fixed-length data 4000 x 30 x 8, LSTM hidden 64, batch 32, the same module,
optimizer (Adam, lr 1e-3), epochs and data. Each round times both, in
alternating order, and the figure is the median of the rounds' ratios: this
machine's speed drifts by up to 10% between seconds, and a paired ratio cancels
what hits both runs of a round. Target: fit time <= 1.05x the loop's.

Run: python benchmarks/overhead.py
"""

import statistics
import time

import numpy as np
import torch
from _common import make_module, train_epochs

from sklearn_rnn import RNNClassifier

N, T, C = 4000, 30, 8
EPOCHS = 3
ROUNDS = 21


def main():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, T, C)).astype(np.float32)
    y = (X[:, :, 0].mean(axis=1) > 0).astype(np.int64)
    X_t, y_t = torch.as_tensor(X), torch.as_tensor(y)
    lengths = torch.full((N,), T)
    library, loop, ratios = [], [], []
    for round_ in range(ROUNDS):

        def fit_library(seed=round_):
            RNNClassifier(
                hidden_size=64, batch_size=32, max_epochs=EPOCHS, random_state=seed
            ).fit(X, y)

        def fit_loop(seed=round_):
            module = make_module(C, 2, seed=seed, hidden_size=64)
            # The plain loop for fixed-length data: no per-batch cut to a length.
            train_epochs(
                module,
                X_t,
                lengths,
                y_t,
                batch_size=32,
                epochs=EPOCHS,
                seed=seed,
                cut_batches=False,
            )

        if round_ == 0:  # warm-up: the first calls load and compile kernels
            fit_library()
            fit_loop()
        runs = [(fit_library, library), (fit_loop, loop)]
        for fit, durations in runs if round_ % 2 else runs[::-1]:
            start = time.perf_counter()
            fit()
            durations.append(time.perf_counter() - start)
        ratios.append(library[-1] / loop[-1])
    print(
        f"{N} x {T} x {C}, LSTM 64, batch 32, {EPOCHS} epochs, {ROUNDS} rounds "
        "(medians)"
    )
    print(f"RNNClassifier.fit:     {statistics.median(library):.2f} s")
    print(f"hand-written loop:     {statistics.median(loop):.2f} s")
    print(
        f"ratio: {statistics.median(ratios):.3f}x (target <= 1.05x; rounds "
        f"{min(ratios):.3f}-{max(ratios):.3f})"
    )


if __name__ == "__main__":
    main()
