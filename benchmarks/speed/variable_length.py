"""Variable-length training speed on PLAID: the library vs padding vs the ideal.

PLAID train (537 series of 100 to 1344 steps), LSTM hidden 64, batch 32. One
training epoch (median over rounds, measured side by side in one run) of:

- the library: RNNClassifier, length-bucketed batches each cut to its longest
  sequence (skorch's own epoch timer);
- (a) padding every batch to the longest sequence of the dataset, random batches;
- (b) the ideal: the dataset's total number of real time steps at fixed-length
  speed (the same number of sequences, all of the mean length).

(a) and (b) run the same module in a hand-written PyTorch loop, all three
with denormals flushed to zero.
Targets: library >= 3x faster than (a), <= 1.3x the ideal (b).

Run: python -m benchmarks.speed.variable_length  (needs the datasets extra)
"""

import statistics

import numpy as np
import torch

from benchmarks.common import make_module, train_epochs
from sklearn_rnn import RNNClassifier, check_sequences
from sklearn_rnn.datasets import load_plaid

ROUNDS = 3
SETTINGS = {"hidden_size": 64}
# The estimator with the hand-written loops' module (an LSTM reading every
# step, last-step pooling) and their threads, not the defaults.
LIBRARY = {
    "cell": "lstm",
    "bidirectional": False,
    "pooling": "last",
    "input_scaling": None,
    "conv_channels": None,
    "n_iter_no_change": None,
    "n_threads": None,
}


def main():
    # The same numerics for all three: the library flushes denormals while it
    # trains (see docs/speed.md); the hand-written loops get it here, before
    # torch starts its threads, which inherit it.
    torch.set_flush_denormal(True)
    X, y = load_plaid("train")
    padded, lengths, _ = check_sequences(X)
    classes, y_encoded = np.unique(y, return_inverse=True)
    X_pad = torch.as_tensor(padded)
    lengths_t = torch.as_tensor(lengths)
    y_t = torch.as_tensor(y_encoded)
    mean_length = round(lengths.mean())
    X_ideal = torch.randn(len(X), mean_length, 1)
    lengths_ideal = torch.full((len(X),), mean_length)
    print(
        f"PLAID train: {len(X)} sequences, lengths {lengths.min()}-{lengths.max()}, "
        f"{lengths.sum()} real steps (mean {lengths.mean():.0f}); padded to the "
        f"longest: {lengths.max() * len(X)} steps"
    )
    library, padded_times, ideal = [], [], []
    for round_ in range(ROUNDS):
        clf = RNNClassifier(
            batch_size=32, max_epochs=3, random_state=round_, **SETTINGS, **LIBRARY
        ).fit(X, y)
        # Skip the first epoch, which warms up the allocator.
        library.append(statistics.median(clf.history_[1:, "dur"]))
        module = make_module(1, len(classes), **SETTINGS)
        padded_times += train_epochs(
            module, X_pad, lengths_t, y_t, batch_size=32, epochs=1, cut_batches=False
        )
        module = make_module(1, len(classes), **SETTINGS)
        ideal += train_epochs(
            module, X_ideal, lengths_ideal, y_t, batch_size=32, epochs=2
        )[1:]
    lib, pad, best = (statistics.median(t) for t in (library, padded_times, ideal))
    print(f"library (bucketed, masked):   {lib:.2f} s/epoch")
    print(f"(a) padded to the longest:    {pad:.2f} s/epoch")
    print(f"(b) ideal (real steps only):  {best:.2f} s/epoch")
    print(f"speed-up over (a): {pad / lib:.2f}x (target >= 3x)")
    print(f"ratio to ideal (b): {lib / best:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
