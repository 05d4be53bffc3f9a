"""Fit time with one torch thread and with all cores, alone and beside a load.

Typical fits: the main job's model on JapaneseVowels, the same network on
fixed-length data (4000 x 30 x 8), and a wide network (2 layers of 256) on
the same data. Each is timed with ``n_threads=1`` and with ``n_threads`` = all
cores, first on an idle machine, then while other processes keep every core
busy (as a second notebook, a grid search or a build would). The figures
chose the default of ``n_threads``.

Run: python -m benchmarks.speed.threads  (datasets extra)
"""

import multiprocessing
import os

import numpy as np

from benchmarks.common import timed_fit
from sklearn_rnn import RNNClassifier
from sklearn_rnn.datasets import load_japanese_vowels

N_CORES = os.cpu_count()


def busy_loop(stop):
    """Keep one core busy, as another process's work would."""
    while not stop.is_set():
        sum(range(10_000))


def fits():
    vowels = load_japanese_vowels("train")
    rng = np.random.default_rng(0)
    fixed = rng.normal(size=(4000, 30, 8)).astype(np.float32)
    fixed_y = (fixed[:, :, 0].mean(axis=1) > 0).astype(int)
    return {
        "JapaneseVowels, defaults": (RNNClassifier(max_epochs=20), vowels),
        "4000 x 30 x 8, defaults": (RNNClassifier(max_epochs=3), (fixed, fixed_y)),
        "4000 x 30 x 8, 2 x 256 units": (
            RNNClassifier(hidden_size=256, num_layers=2, max_epochs=1),
            (fixed, fixed_y),
        ),
    }


def time_fit(model, data, n_threads):
    model = model.set_params(n_threads=n_threads, random_state=0, n_iter_no_change=None)
    return timed_fit(model, *data)[1]


def main():
    cases = fits()
    for model, data in cases.values():  # warm-up
        time_fit(model, data, 1)
    print(f"{N_CORES} cores; seconds per fit (best of 2)")
    print(f"{'fit':32s} {'load':>8s} {'1 thread':>10s} {f'{N_CORES} threads':>10s}")
    for load in (0, N_CORES):
        stop = multiprocessing.Event()
        workers = [
            multiprocessing.Process(target=busy_loop, args=(stop,), daemon=True)
            for _ in range(load)
        ]
        for worker in workers:
            worker.start()
        try:
            for name, (model, data) in cases.items():
                times = {
                    n: min(time_fit(model, data, n) for _ in range(2))
                    for n in (1, N_CORES)
                }
                print(
                    f"{name:32s} {f'{load} busy':>8s} {times[1]:10.2f} "
                    f"{times[N_CORES]:10.2f}",
                    flush=True,
                )
        finally:
            stop.set()
            for worker in workers:
                worker.join()


if __name__ == "__main__":
    main()
