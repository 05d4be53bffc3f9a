"""GPU check: the default estimators on CUDA, and a CUDA-fitted model for the CPU.

On one CUDA device this prints:

1. ``RNNClassifier()`` defaults with ``device="cuda"`` on JapaneseVowels and
   PLAID: test accuracy and fit time (seed 0), next to the CPU figures in
   docs/defaults.md;
2. whether the fitted JapaneseVowels model predicts the same after a pickle
   round trip, and after an ONNX export run by onnxruntime;
3. with ``--out DIR``, it saves that model (``model_cuda.pkl``) and its test
   probabilities (``proba_cuda.npy``), for ``--check-on-cpu DIR`` to load the
   model on a machine without a GPU and compare.

Run: python benchmarks/gpu_check.py [--data export.npz] [--out DIR]
     python benchmarks/gpu_check.py --check-on-cpu DIR   (on the CPU machine)
(the exactness tests run on CUDA too: python -m pytest tests/test_network.py)
"""

import argparse
import pickle
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from _common import load

from sklearn_rnn import RNNClassifier, check_sequences, export_onnx


def fit_on_cuda(name, data_path):
    X, y = load(name, "train", data_path)
    X_test, y_test = load(name, "test", data_path)
    model = RNNClassifier(device="cuda", random_state=0)
    start = time.perf_counter()
    model.fit(X, y)
    fit_time = time.perf_counter() - start
    print(
        f"{name} on CUDA, defaults: test accuracy {model.score(X_test, y_test):.3f}, "
        f"fit {fit_time:.1f} s ({model.n_iter_} epochs)",
        flush=True,
    )
    return model, X_test


def check_round_trips(model, X_test):
    proba = model.predict_proba(X_test)
    restored = pickle.loads(pickle.dumps(model))
    same = np.array_equal(restored.predict_proba(X_test), proba)
    print(f"pickle round trip on CUDA identical: {same}")
    try:
        import onnxruntime
    except ImportError:
        print("ONNX: onnxruntime not installed, skipped")
        return proba
    with tempfile.TemporaryDirectory() as folder:
        path = export_onnx(model, Path(folder) / "model.onnx")
        padded, lengths, _ = check_sequences(X_test)
        session = onnxruntime.InferenceSession(path)
        onnx_proba = session.run(None, {"X": padded, "lengths": lengths})[0]
    difference = np.abs(onnx_proba - proba).max()
    print(f"ONNX export of the CUDA model: max |difference| {difference:.1e}")
    return proba


def check_on_cpu(folder, data_path):
    assert not torch.cuda.is_available(), "run this on a machine without a GPU"
    with open(Path(folder) / "model_cuda.pkl", "rb") as file:
        model = pickle.load(file)
    X_test, _ = load("japanese_vowels", "test", data_path)
    expected = np.load(Path(folder) / "proba_cuda.npy")
    difference = np.abs(model.predict_proba(X_test) - expected).max()
    print(
        f"model fitted on CUDA, loaded on CPU ({model.net_.device}): max "
        f"|difference| of test probabilities {difference:.1e}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="npz export of the datasets (no sktime)")
    parser.add_argument("--out", help="folder for the CUDA-fitted model")
    parser.add_argument("--check-on-cpu", help="folder the GPU run saved to")
    args = parser.parse_args()
    if args.check_on_cpu:
        check_on_cpu(args.check_on_cpu, args.data)
        return
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    model, X_test = fit_on_cuda("japanese_vowels", args.data)
    proba = check_round_trips(model, X_test)
    if args.out:
        with open(Path(args.out) / "model_cuda.pkl", "wb") as file:
            pickle.dump(model, file)
        np.save(Path(args.out) / "proba_cuda.npy", proba)
    fit_on_cuda("plaid", args.data)


if __name__ == "__main__":
    main()
