"""Overhead of RNNClassifier.fit over a hand-written PyTorch training loop.

Fixed-length data 4000 x 30 x 8, LSTM hidden 64, batch 32, the same module,
optimizer (Adam, lr 1e-3), epochs and data; rounds alternate the two so that
machine noise hits both alike. Target: fit time <= 1.05x the loop's.

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
ROUNDS = 5


def main():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, T, C)).astype(np.float32)
    y = (X[:, :, 0].mean(axis=1) > 0).astype(np.int64)
    X_t, y_t = torch.as_tensor(X), torch.as_tensor(y)
    lengths = torch.full((N,), T)
    library, loop = [], []
    for round_ in range(ROUNDS):
        start = time.perf_counter()
        RNNClassifier(
            hidden_size=64, batch_size=32, max_epochs=EPOCHS, random_state=round_
        ).fit(X, y)
        library.append(time.perf_counter() - start)
        module = make_module(C, 2, hidden_size=64)
        start = time.perf_counter()
        # The plain loop for fixed-length data: no per-batch cut to a length.
        train_epochs(
            module, X_t, lengths, y_t, batch_size=32, epochs=EPOCHS, cut_batches=False
        )
        loop.append(time.perf_counter() - start)
    lib, hand = statistics.median(library), statistics.median(loop)
    print(
        f"{N} x {T} x {C}, LSTM 64, batch 32, {EPOCHS} epochs, median of "
        f"{ROUNDS} rounds"
    )
    print(f"RNNClassifier.fit:     {lib:.2f} s")
    print(f"hand-written loop:     {hand:.2f} s")
    print(f"ratio: {lib / hand:.3f}x (target <= 1.05x)")


if __name__ == "__main__":
    main()
