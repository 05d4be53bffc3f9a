"""The outputs of a matrix of small fixed-seed fits, saved or compared bit for bit.

A restructuring must not change what any fit computes. Before the first move,
save the outputs; after every commit, compare:

    python -m benchmarks.tools.behaviour_matrix --save /tmp/before.npz
    python -m benchmarks.tools.behaviour_matrix --compare /tmp/before.npz

The matrix covers every cell, both directions, every pooling, the
convolutional front-end and the LSTM-FCN branch, token ids, per-step targets,
the regressor, the forecaster (with and without the linear part, exogenous
variables, many series), texts through TokenSequencer, generation, the
defaults with few epochs, warm starts, partial_fit and given validation
data. Seeded fits are bit-reproducible on one machine only: compare files made
on the same machine. Runs in about a minute on a 2-core CPU, one thread.
"""

import argparse
import sys
import warnings

import numpy as np
import pandas as pd

from sklearn_rnn import (
    RNNClassifier,
    RNNForecaster,
    RNNRegressor,
    TokenSequencer,
    generate,
)

SMALL = {"hidden_size": 6, "max_epochs": 3, "random_state": 0}


def numeric_task(n=48, seed=0):
    rng = np.random.default_rng(seed)
    X = [rng.normal(size=(length, 2)) for length in rng.integers(3, 30, n)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    return X, y


def token_task(n=48, seed=0):
    rng = np.random.default_rng(seed)
    X = [rng.integers(2, 30, size=length) for length in rng.integers(2, 20, n)]
    return X, np.array([int((x < 10).mean() > 0.3) for x in X])


def classifier_outputs(params, X, y, X_test):
    model = RNNClassifier(**{**SMALL, **params}).fit(X, y)
    return {
        "proba": np.asarray(model.predict_proba(X_test), dtype=object)
        if model.per_step
        else model.predict_proba(X_test),
        "loss": np.array(model.history_[:, "train_loss"]),
    }


def cases():
    X, y = numeric_task()
    X_test, _ = numeric_task(12, seed=1)
    T, t = token_task()
    T_test, _ = token_task(12, seed=1)
    for cell in ("rnn", "lstm", "gru", "transformer"):
        for bidirectional in (False, True):
            yield (
                f"{cell}-bi{int(bidirectional)}",
                lambda c=cell, b=bidirectional: classifier_outputs(
                    {"cell": c, "bidirectional": b}, X, y, X_test
                ),
            )
    for pooling in ("last", "mean", "max", "attention"):
        yield (
            f"pooling-{pooling}",
            lambda p=pooling: classifier_outputs({"pooling": p}, X, y, X_test),
        )
    yield (
        "relu-2-layers-dropout",
        lambda: classifier_outputs(
            {"cell": "rnn", "nonlinearity": "relu", "num_layers": 2, "dropout": 0.3},
            X,
            y,
            X_test,
        ),
    )
    yield (
        "no-front-end",
        lambda: classifier_outputs({"conv_channels": None}, X, y, X_test),
    )
    yield (
        "branch",
        lambda: classifier_outputs(
            {"branch_channels": (4, 4), "branch_kernel_sizes": (5, 3)}, X, y, X_test
        ),
    )
    yield (
        "head-and-scaling",
        lambda: classifier_outputs(
            {"head_hidden_sizes": (5,), "input_scaling": "sequence"}, X, y, X_test
        ),
    )
    yield (
        "tokens",
        lambda: classifier_outputs({"embedding_dim": 4}, T, t, T_test),
    )
    yield (
        "per-step",
        lambda: classifier_outputs(
            {"per_step": True},
            X,
            [(x[:, 0] > 0).astype(int) for x in X],
            X_test,
        ),
    )
    yield ("defaults-few-epochs", lambda: defaults_outputs(X, y, X_test))
    yield ("regressor", lambda: regressor_outputs(X, X_test))
    yield ("warm-start", lambda: warm_start_outputs(X, y, X_test))
    yield ("partial-fit", lambda: partial_fit_outputs(X, y, X_test))
    yield ("validation-data", lambda: validation_outputs(X, y, X_test))
    yield ("forecaster", forecaster_outputs)
    yield ("text", text_outputs)
    yield ("generation", generation_outputs)


def defaults_outputs(X, y, X_test):
    model = RNNClassifier(max_epochs=2, random_state=0).fit(X, y)
    return {"proba": model.predict_proba(X_test), "embed": model.embed(X_test)}


def regressor_outputs(X, X_test):
    targets = np.array([[x[:, 0].sum(), len(x)] for x in X])
    model = RNNRegressor(**SMALL).fit(X, targets)
    step = RNNRegressor(**SMALL, per_step=True).fit(X, [x[:, 1] for x in X])
    return {
        "predict": model.predict(X_test),
        "shrinkage": model.output_shrinkage_,
        "per_step": np.concatenate(step.predict(X_test)),
    }


def warm_start_outputs(X, y, X_test):
    model = RNNClassifier(**SMALL, warm_start=True).fit(X, y)
    model.set_params(max_epochs=2, lr=1e-3).fit(X, y)
    return {"proba": model.predict_proba(X_test), "n_iter": np.array(model.n_iter_)}


def partial_fit_outputs(X, y, X_test):
    model = RNNClassifier(**SMALL)
    for _ in range(3):
        model.partial_fit(X, y, classes=[0, 1])
    return {"proba": model.predict_proba(X_test)}


def validation_outputs(X, y, X_test):
    model = RNNClassifier(**SMALL).fit(X[:36], y[:36], X_val=X[36:], y_val=y[36:])
    return {"proba": model.predict_proba(X_test)}


def forecaster_outputs():
    index = pd.period_range("2000-01", periods=96, freq="M")
    season = 10 * np.sin(np.arange(96) * np.pi / 6)
    y = pd.Series(100 + np.arange(96) + season, index=index)
    X = pd.DataFrame({"x": np.cos(np.arange(96))}, index=index)
    regressor = RNNRegressor(hidden_size=4, max_epochs=3, input_scaling=None)
    plain = RNNForecaster(regressor, window_length=12, random_state=0).fit(y)
    linear = RNNForecaster(
        regressor, window_length=12, linear_autoregression=True, random_state=0
    ).fit(y)
    exog = RNNForecaster(regressor, window_length=12, random_state=0).fit(y, X)
    many = RNNForecaster(regressor, window_length=12, horizon=3, random_state=0)
    many.fit(pd.DataFrame({"a": y, "b": y[::-1].to_numpy()}, index=index))
    default = RNNForecaster(random_state=0).fit(y.iloc[:60])
    return {
        "plain": plain.forecast(6).to_numpy(),
        "linear": linear.forecast(6).to_numpy(),
        "exog": exog.forecast(1, y=y, X=X).to_numpy(),
        "many": many.forecast(3).to_numpy(),
        "default": default.forecast(2).to_numpy(),
    }


def text_outputs():
    texts = ["good food", "bad taste", "great value", "awful smell"] * 8
    labels = [1, 0, 1, 0] * 8
    sequencer = TokenSequencer().fit(texts)
    model = RNNClassifier(embedding_dim=4, **SMALL).fit(
        sequencer.transform(texts), labels
    )
    return {"proba": model.predict_proba(sequencer.transform(texts[:4]))}


def generation_outputs():
    T, _ = token_task(30)
    model = RNNClassifier(
        embedding_dim=4, per_step=True, bidirectional=False, **SMALL
    ).fit([x[:-1] for x in T], [x[1:] for x in T])
    return {"tokens": np.asarray(generate(model, T[0][:3], 5, random_state=0))}


def run():
    outputs = {}
    for name, compute in cases():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in compute().items():
                outputs[f"{name}/{key}"] = value
    return outputs


def flat(value):
    if value.dtype == object:
        return np.concatenate([np.asarray(v, dtype=np.float64).ravel() for v in value])
    return np.asarray(value, dtype=np.float64).ravel()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", metavar="FILE", help="write the outputs to FILE")
    group.add_argument("--compare", metavar="FILE", help="compare with FILE")
    args = parser.parse_args()
    outputs = run()
    if args.save:
        np.savez(args.save, **{k: flat(v) for k, v in outputs.items()})
        print(f"{len(outputs)} outputs saved to {args.save}")
        return 0
    saved = np.load(args.compare)
    changed = []
    for key, value in outputs.items():
        if key not in saved.files:
            changed.append(f"{key}: new")
        elif not np.array_equal(flat(value), saved[key], equal_nan=True):
            difference = np.nanmax(np.abs(flat(value) - saved[key]))
            changed.append(f"{key}: differs by up to {difference:.3g}")
    changed += [f"{key}: missing" for key in saved.files if key not in outputs]
    print(f"{len(outputs)} outputs, {len(changed)} changed")
    for line in changed:
        print("  " + line)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
