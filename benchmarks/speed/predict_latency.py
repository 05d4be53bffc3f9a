"""How long a fitted model's predict takes while another model fits in a thread.

A service that retrains in a background thread must keep serving. A small
classifier (hidden 8) predicts 40 short sequences, ten times alone, then ten
times while a larger model (hidden 32, 40 epochs on 40 sequences of 100-300
steps) fits in a background thread. Printed: the median time alone, the
median and largest time beside the fit, and whether the fit was still running
after the last prediction (if not, the predictions did not all run beside it).

Run: python -m benchmarks.speed.predict_latency
"""

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from sklearn_rnn import RNNClassifier


def timed(function, repeats):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return np.array(seconds) * 1e3


def main():
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in rng.integers(5, 15, size=40)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    served = RNNClassifier(hidden_size=8, max_epochs=2, random_state=0).fit(X, y)
    alone = timed(lambda: served.predict_proba(X), 10)
    long_X = [np.tile(x, (20, 1)) for x in X]
    background = RNNClassifier(hidden_size=32, max_epochs=40, random_state=1)
    with ThreadPoolExecutor(1) as pool:
        fitting = pool.submit(background.fit, long_X, y)
        time.sleep(1)  # the fit is under way
        beside = timed(lambda: served.predict_proba(X), 10)
        still_running = not fitting.done()
        fitting.result()
    print(f"predict alone:      median {np.median(alone):7.1f} ms")
    print(
        f"beside a fit:       median {np.median(beside):7.1f} ms, "
        f"largest {beside.max():7.1f} ms (fit still running after: {still_running})"
    )


if __name__ == "__main__":
    main()
