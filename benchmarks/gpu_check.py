"""GPU check: training on CUDA, and padding+masking vs packing measured again.

DESIGN.md chose padding with masking over ``PackedSequence`` on a measurement
made on CPU (packing 5-8x slower) and asks to measure again on a GPU. On one
CUDA device this prints:

1. RNNClassifier with ``device="cuda"`` on JapaneseVowels: accuracy, fit time,
   agreement of predictions after a pickle round trip;
2. one PLAID training epoch (LSTM 64, batch 32) of the library's path
   (length-bucketed batches, masking), of ``PackedSequence`` over the same
   bucketed batches, and of padding to the longest sequence, all in one run;
3. PLAID test accuracy of a few settings, with their fit times.

Run: python benchmarks/gpu_check.py [--data export.npz]
(the exactness tests run on CUDA too: python -m pytest tests/test_network.py)
"""

import argparse
import pickle
import statistics
import time

import numpy as np
import torch
from _common import load, make_module, train_epochs
from sklearn.pipeline import make_pipeline
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from sklearn_rnn import (
    LengthBucketSampler,
    RNNClassifier,
    SequenceScaler,
    check_sequences,
)


class PackedLSTM(nn.Module):
    """The packing alternative: nn.LSTM over a PackedSequence, last state."""

    def __init__(self, n_inputs, n_classes, hidden_size):
        super().__init__()
        self.lstm = nn.LSTM(n_inputs, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, X, lengths):
        packed = pack_padded_sequence(
            X, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        return self.head(self.lstm(packed)[1][0][-1])


def bucketed_batches(lengths):
    def batches(n, batch_size, generator):
        return list(
            LengthBucketSampler(lengths, batch_size, shuffle=True, generator=generator)
        )

    return batches


def check_training(data_path):
    X, y = load("japanese_vowels", "train", data_path)
    X_test, y_test = load("japanese_vowels", "test", data_path)
    model = make_pipeline(
        SequenceScaler(), RNNClassifier(device="cuda", random_state=0)
    )
    start = time.perf_counter()
    model.fit(X, y)
    fit_time = time.perf_counter() - start
    restored = pickle.loads(pickle.dumps(model))
    same = np.array_equal(restored.predict(X_test), model.predict(X_test))
    print(
        f"JapaneseVowels on CUDA: test accuracy {model.score(X_test, y_test):.3f}, "
        f"fit {fit_time:.1f} s, pickle round trip identical: {same}"
    )


def compare_padding_and_packing(data_path, rounds=3):
    X, y = load("plaid", "train", data_path)
    padded, lengths, _ = check_sequences(X)
    _, y_encoded = np.unique(y, return_inverse=True)
    device = torch.device("cuda")
    X_t = torch.as_tensor(padded, device=device)
    lengths_t = torch.as_tensor(lengths, device=device)
    y_t = torch.as_tensor(y_encoded, device=device)
    n_classes = int(y_encoded.max()) + 1
    bucketed = bucketed_batches(torch.as_tensor(lengths))
    times = {"library": [], "masked, bucketed": [], "packed, bucketed": []}
    times["padded to the longest"] = []
    for round_ in range(rounds):
        clf = RNNClassifier(
            hidden_size=64, max_epochs=3, device="cuda", random_state=round_
        ).fit(X, y)
        times["library"].append(statistics.median(clf.history_[1:, "dur"]))
        runs = {
            "masked, bucketed": (make_module(1, n_classes, hidden_size=64), True),
            "packed, bucketed": (PackedLSTM(1, n_classes, 64), True),
            "padded to the longest": (make_module(1, n_classes, hidden_size=64), False),
        }
        for name, (module, cut) in runs.items():
            epochs = train_epochs(
                module.to(device),
                X_t,
                lengths_t,
                y_t,
                batch_size=32,
                epochs=2,
                batches=bucketed if cut else None,
                cut_batches=cut,
            )
            times[name].append(epochs[1])
    print("PLAID train, one epoch, LSTM 64, batch 32, on CUDA (median):")
    for name, durations in times.items():
        print(f"  {name:24s} {statistics.median(durations):.3f} s")


def plaid_accuracy(data_path):
    X, y = load("plaid", "train", data_path)
    X_test, y_test = load("plaid", "test", data_path)
    settings = [
        {"cell": "gru", "bidirectional": True, "conv_channels": (32, 32, 32)},
        {"cell": "gru", "bidirectional": True, "conv_channels": (64, 64, 64)},
        {"cell": "lstm", "bidirectional": True, "conv_channels": (64, 64, 64)},
        {
            "cell": "gru",
            "bidirectional": True,
            "conv_channels": (64, 64),
            "pooling": "mean",
        },
        {
            "cell": "gru",
            "bidirectional": True,
            "conv_channels": (64, 64, 64),
            "pooling": "attention",
        },
        {
            "cell": "gru",
            "bidirectional": True,
            "num_layers": 2,
            "conv_channels": (64, 64, 64),
        },
    ]
    for extra in settings:
        for max_epochs, lr in ((60, 3e-3), (150, 3e-3)):
            clf = RNNClassifier(
                max_epochs=max_epochs, lr=lr, device="cuda", random_state=0, **extra
            )
            model = make_pipeline(SequenceScaler(per_sequence=True), clf)
            start = time.perf_counter()
            model.fit(X, y)
            fit_time = time.perf_counter() - start
            accuracy = model.score(X_test, y_test)
            print(
                f"PLAID {extra} epochs={max_epochs} lr={lr}: "
                f"test accuracy {accuracy:.3f}, fit {fit_time:.0f} s",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="npz export of the datasets (no sktime)")
    args = parser.parse_args()
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    check_training(args.data)
    compare_padding_and_packing(args.data)
    plaid_accuracy(args.data)


if __name__ == "__main__":
    main()
