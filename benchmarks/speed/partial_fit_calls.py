"""The cost of a partial_fit call, early and late in a long run of them.

Each call trains one epoch; what it carries over from the calls before
(the network, the optimizer's state, the history) must not make later calls
slower. Prints the median seconds of calls 1-20 and of the last 20 of
``--calls`` (default 200), and their ratio.

Run: python -m benchmarks.speed.partial_fit_calls [--calls 200]
"""

import argparse
import time

import numpy as np
import torch

from sklearn_rnn import RNNClassifier


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 10, 2)).astype(np.float32)
    y = (X[:, :, 0].sum(axis=1) > 0).astype(int)
    model = RNNClassifier(hidden_size=8, conv_channels=None, random_state=0)
    seconds = []
    for _ in range(args.calls):
        start = time.perf_counter()
        model.partial_fit(X, y, classes=[0, 1])
        seconds.append(time.perf_counter() - start)
    first, last = np.median(seconds[:20]), np.median(seconds[-20:])
    print(f"{args.calls} partial_fit calls of one epoch (32 sequences, 1 batch)")
    print(f"median s/call, calls 1-20: {first:.4f}")
    print(f"median s/call, last 20:    {last:.4f}")
    print(f"last / first: {last / first:.2f}")
    print(f"total: {sum(seconds):.1f} s")


if __name__ == "__main__":
    main()
