"""Overhead of masking and of RNNClassifier.fit over a hand-written loop.

Fixed-length data 4000 x 30 x 8, LSTM hidden 64, batch 32, Adam (lr 1e-3), 3
epochs, the same number of torch threads everywhere (``--threads``, default 1,
as the estimators). Three fits of the same data, epochs and optimizer:

* a hand-written loop over a plain ``nn.LSTM`` + ``nn.Linear`` module;
* the same loop over this library's masked module (on batches without padding
  it skips all masking work);
* ``RNNClassifier.fit`` with the same architecture and training settings.

Each round times all three in rotating order, and the figures are the medians
of the rounds' paired ratios: this machine's speed drifts by up to 10% between
seconds, and a paired ratio cancels what hits a whole round. Target: fit
within 1.06x of the plain loop.

Run: python -m benchmarks.speed.overhead [--threads N]
"""

import argparse
import statistics
import time

import numpy as np
import torch

from benchmarks.common import PlainLSTM, make_module, train_epochs
from sklearn_rnn import RNNClassifier

N, T, C = 4000, 30, 8
EPOCHS = 3
ROUNDS = 15


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    threads = parser.parse_args().threads
    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, T, C)).astype(np.float32)
    y = (X[:, :, 0].mean(axis=1) > 0).astype(np.int64)
    X_t, y_t = torch.as_tensor(X), torch.as_tensor(y)
    lengths = torch.full((N,), T)

    def fit_library(seed):
        RNNClassifier(
            cell="lstm",
            hidden_size=64,
            bidirectional=False,
            pooling="last",
            input_scaling=None,
            conv_channels=None,
            lr=1e-3,
            lr_schedule="constant",
            batch_size=32,
            max_epochs=EPOCHS,
            n_iter_no_change=None,
            n_threads=threads,
            random_state=seed,
        ).fit(X, y)

    def loop_over(make):
        def fit(seed):
            # The plain loop for fixed-length data: no per-batch cut to a length.
            train_epochs(
                make(seed),
                X_t,
                lengths,
                y_t,
                batch_size=32,
                epochs=EPOCHS,
                seed=seed,
                cut_batches=False,
            )

        return fit

    def make_plain(seed):
        torch.manual_seed(seed)
        return PlainLSTM(C, 2, hidden_size=64)

    fits = {
        "plain": loop_over(make_plain),
        "masked": loop_over(
            lambda seed: make_module(C, 2, seed=seed, cell="lstm", hidden_size=64)
        ),
        "fit": fit_library,
    }
    for fit in fits.values():  # warm-up: the first calls load and compile kernels
        fit(0)
    durations = {name: [] for name in fits}
    masked_ratios, fit_ratios = [], []
    order = list(fits)
    for round_ in range(ROUNDS):
        for name in order[round_ % 3 :] + order[: round_ % 3]:
            start = time.perf_counter()
            fits[name](round_)
            durations[name].append(time.perf_counter() - start)
        masked_ratios.append(durations["masked"][-1] / durations["plain"][-1])
        fit_ratios.append(durations["fit"][-1] / durations["plain"][-1])
    medians = {name: statistics.median(times) for name, times in durations.items()}
    print(f"{N} x {T} x {C}, LSTM 64, batch 32, {EPOCHS} epochs, {threads} thread(s),")
    print(f"{ROUNDS} rounds (medians)")
    print(f"loop, plain nn.LSTM + nn.Linear: {medians['plain']:.2f} s")
    print(f"loop, this library's module:     {medians['masked']:.2f} s")
    print(f"RNNClassifier.fit:               {medians['fit']:.2f} s")
    print(
        f"masked module / plain: {statistics.median(masked_ratios):.3f}x "
        f"(rounds {min(masked_ratios):.3f}-{max(masked_ratios):.3f})"
    )
    print(
        f"fit / plain loop:      {statistics.median(fit_ratios):.3f}x "
        f"(target <= 1.06x; rounds {min(fit_ratios):.3f}-{max(fit_ratios):.3f})"
    )


if __name__ == "__main__":
    main()
