"""The defaults of this checkout beside those of an earlier commit, in one run.

Per dataset of the suite and per seed, interleaved, one fit of
``RNNClassifier()`` (``RNNRegressor()`` for Covid3Month) of each version, each
in a fresh process with one torch thread, on the archive's training split:
test accuracy (RMSE) and fit seconds, then per dataset the mean over seeds and
the ratio of the mean fit times, and over the suite the geometric mean of the
ratios. 1-NN Euclidean (the mean predictor's RMSE) is shown beside them.

The earlier version is read from a git worktree of the commit, made by this
script (``git worktree add``) unless it exists; each process imports the
package from its version's folder.

Run: python -m benchmarks.speed.speedup [--before 5c5e87b] [--seeds 0 1 2]
     [--datasets NAME ...]   (benchmarks extra)
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parents[2]


def worker(name, seed):
    """Fit the defaults of the importable sklearn_rnn; print JSON."""
    import time

    from sklearn.metrics import root_mean_squared_error

    import sklearn_rnn
    from benchmarks.common import DATASETS

    dataset = DATASETS[name]
    (X, y), (X_test, y_test) = dataset.load("train"), dataset.load("test")
    regression = dataset.task == "regression"
    estimator = sklearn_rnn.RNNRegressor if regression else sklearn_rnn.RNNClassifier
    model = estimator(random_state=seed)
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    if regression:
        score = root_mean_squared_error(y_test, model.predict(X_test))
    else:
        score = model.score(X_test, y_test)
    print(json.dumps({"score": score, "seconds": seconds, "epochs": model.n_iter_}))


def run(package_root, name, seed):
    """One fit in a fresh process that imports sklearn_rnn from ``package_root``."""
    environment = {
        **os.environ,
        # package_root first: its sklearn_rnn, the repository's benchmarks.
        "PYTHONPATH": os.pathsep.join([str(package_root), str(REPOSITORY)]),
        "OMP_NUM_THREADS": "1",
        "PYTHONWARNINGS": "ignore",
    }
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.speed.speedup", "--worker", name, str(seed)],
        # Not the repository: its folder would shadow PYTHONPATH's package.
        cwd=REPOSITORY.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def worktree(commit):
    folder = Path("/tmp") / f"sklearn_rnn-{commit}"
    if not folder.exists():
        subprocess.run(
            [
                "git",
                "-C",
                str(REPOSITORY),
                "worktree",
                "add",
                "-f",
                str(folder),
                commit,
            ],
            check=True,
            capture_output=True,
        )
    return folder


def baseline(name):
    """1-NN Euclidean accuracy, or the mean predictor's RMSE."""
    from sklearn.neighbors import KNeighborsClassifier

    from benchmarks.accuracy.suite import flat
    from benchmarks.common import DATASETS

    dataset = DATASETS[name]
    (X, y), (X_test, y_test) = dataset.load("train"), dataset.load("test")
    if dataset.task == "regression":
        return f"mean {np.sqrt(np.mean((y_test - np.mean(y)) ** 2)):.4f}"
    flat_train, flat_test = flat(X, X_test)
    return f"{KNeighborsClassifier(1).fit(flat_train, y).score(flat_test, y_test):.3f}"


def main():
    from benchmarks.common import DATASETS, mean_and_range

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="5c5e87b")
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    versions = {args.before: worktree(args.before), "this checkout": REPOSITORY}
    print(
        f"| dataset | 1-NN / mean | {args.before}: score | s/fit | epochs "
        "| now: score | s/fit | epochs | speed-up |"
    )
    print("| --- " * 9 + "|")
    ratios = []
    for name in args.datasets:
        results = {version: [] for version in versions}
        for seed in args.seeds:
            for version, root in versions.items():
                results[version].append(run(root, name, seed))
        digits = 4 if DATASETS[name].task == "regression" else 3
        cells = []
        for version in versions:
            fits = results[version]
            cells += [
                mean_and_range([fit["score"] for fit in fits], digits),
                f"{np.mean([fit['seconds'] for fit in fits]):.1f}",
                f"{np.mean([fit['epochs'] for fit in fits]):.0f}",
            ]
        before, now = (
            np.mean([fit["seconds"] for fit in results[version]])
            for version in versions
        )
        ratios.append(before / now)
        print(
            f"| {name} | {baseline(name)} | " + " | ".join(cells) + f" | "
            f"{before / now:.1f}x |",
            flush=True,
        )
    print(f"\nGeometric mean speed-up: {np.exp(np.mean(np.log(ratios))):.1f}x")


if __name__ == "__main__":
    main()
