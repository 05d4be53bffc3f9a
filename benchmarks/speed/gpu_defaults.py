"""The default classifier on CUDA: test accuracy and fit time on real datasets.

On one CUDA device this prints, for ``RNNClassifier()`` with
``device="cuda"`` on JapaneseVowels and PLAID (seed 0), the test accuracy and
fit time, next to the CPU figures in docs/defaults.md. That CUDA models fit,
predict, survive pickle and ONNX export and load on a CPU is tested by
``python -m pytest tests/test_cuda.py`` (the exactness tests of
tests/nn/ run on CUDA too).

Run: python -m benchmarks.speed.gpu_defaults [--data export.npz]
"""

import argparse

import torch

from benchmarks.common import load, timed_fit
from sklearn_rnn import RNNClassifier


def fit_on_cuda(name, data_path):
    X, y = load(name, "train", data_path)
    X_test, y_test = load(name, "test", data_path)
    model = RNNClassifier(device="cuda", random_state=0)
    _, fit_time = timed_fit(model, X, y)
    print(
        f"{name} on CUDA, defaults: test accuracy {model.score(X_test, y_test):.3f}, "
        f"fit {fit_time:.1f} s ({model.n_iter_} epochs)",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="npz export of the datasets (no sktime)")
    args = parser.parse_args()
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    for name in ("japanese_vowels", "plaid"):
        fit_on_cuda(name, args.data)


if __name__ == "__main__":
    main()
