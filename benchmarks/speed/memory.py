"""Peak memory of fit on ragged input with one very long sequence, and of a
per-step model's predictions on one long stream.

1,000 univariate sequences: one of 20,000 steps, 999 of 5 (0.2 MB of data).
Padded to the longest, as float32, they take 80 MB. Each case runs in a fresh
process; the figure is the growth of the process's peak resident memory over
its level just before ``fit`` (data made, library and torch loaded). Target:
at most 3x the float32 padded size.

Then a per-step tagger (``per_step=True``, one direction, the defaults
otherwise), trained on windows of 100 steps, predicts one stream of 8,000
steps: the growth of peak memory during ``predict``, per cell. Self-attention
holds a (time x time) matrix per head and layer, so the transformer's grows
with the square of the length.

Run: python -m benchmarks.speed.memory
"""

import resource
import subprocess
import sys

import numpy as np
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, SequencePadder

CASES = {
    "RNNClassifier().fit": lambda: RNNClassifier(max_epochs=2, random_state=0),
    "SequencePadder + RNNClassifier": lambda: make_pipeline(
        SequencePadder(), RNNClassifier(max_epochs=2, random_state=0)
    ),
}


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STREAM_STEPS = 8_000
STREAM_CELLS = ("gru", "transformer")


def measure_stream(cell):
    """Peak RSS growth (MB) while a per-step ``cell`` model predicts a stream."""
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(40, 100, 1))
    model = RNNClassifier(
        cell=cell, per_step=True, bidirectional=False, max_epochs=1, random_state=0
    ).fit(windows, (windows[:, :, 0] > 0).astype(int))
    model.predict(windows[:2])  # torch's one-time setup
    before = peak_mb()
    model.predict([rng.normal(size=(STREAM_STEPS, 1))])
    return peak_mb() - before


def measure(case):
    """Peak RSS growth (MB) while fitting ``case`` in this process."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=20_000)] + [rng.normal(size=5) for _ in range(999)]
    y = np.arange(1000) % 2
    model = CASES[case]()
    RNNClassifier(max_epochs=1).fit(X[1:40], y[1:40])  # torch's one-time setup
    before = peak_mb()
    model.fit(X, y)
    return peak_mb() - before


def in_a_fresh_process(case):
    """The peak growth (MB) that measuring ``case`` prints in a child process."""
    result = subprocess.run(
        [sys.executable, __file__, case], capture_output=True, text=True, check=True
    )
    return float(result.stdout.split()[-1])


def main():
    if len(sys.argv) > 1:  # a child process: measure one case
        if sys.argv[1] in STREAM_CELLS:
            print(measure_stream(sys.argv[1]))
        else:
            print(measure(sys.argv[1]))
        return
    padded_mb = 1000 * 20_000 * 4 / 2**20
    print(f"float32 padded size: {padded_mb:.0f} MB")
    for case in CASES:
        growth = in_a_fresh_process(case)
        print(
            f"{case:32s} peak growth {growth:6.0f} MB = "
            f"{growth / padded_mb:.2f}x the padded size (target <= 3x)"
        )
    for cell in STREAM_CELLS:
        growth = in_a_fresh_process(cell)
        print(
            f"per-step {cell} predicting {STREAM_STEPS} steps: peak growth "
            f"{growth:6.0f} MB"
        )


if __name__ == "__main__":
    main()
