"""export_onnx: the exported graph predicts what the estimator predicts."""

import itertools

import numpy as np
import onnxruntime
import pytest

from sklearn_rnn import RNNClassifier, RNNRegressor, check_sequences, export_onnx

# Slow: an export and an ONNX Runtime session per case; -m "not slow" leaves it out.
pytestmark = pytest.mark.slow


@pytest.fixture
def ragged(ragged_task):
    """The shared task's sequences, up to 39 steps: ``ragged(n=40, seed=0)``."""
    return lambda n=40, seed=0: ragged_task(n, seed=seed, max_length=40)[0]


def run(path, X):
    padded, lengths, _ = check_sequences(X)
    session = onnxruntime.InferenceSession(path)
    return session.run(None, {"X": padded, "lengths": lengths})[0]


@pytest.mark.parametrize(
    "cell, bidirectional, pooling, front_end",
    list(
        itertools.product(
            ["rnn", "lstm", "gru"],
            [False, True],
            ["last", "mean", "max", "attention"],
            [False, True],
        )
    ),
)
def test_classifier_exports_with_dynamic_batch_and_time(
    ragged, cell, bidirectional, pooling, front_end, tmp_path
):
    X = ragged()
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    clf = RNNClassifier(
        cell=cell,
        bidirectional=bidirectional,
        pooling=pooling,
        num_layers=2,
        hidden_size=8,
        input_scaling="both",
        conv_channels=(4, 4) if front_end else None,
        conv_stride=2,
        branch_channels=(4,) if front_end else None,
        branch_kernel_sizes=(3,),
        max_epochs=2,
        random_state=0,
    ).fit(X, y)
    path = export_onnx(clf, tmp_path / "model.onnx")
    # Other batch sizes and widths than the traced ones, ragged, one alone.
    for batch in (X, X[5:9], X[7:8], ragged(25, seed=1)):
        np.testing.assert_allclose(
            run(path, batch), clf.predict_proba(batch), atol=1e-5
        )


def test_regressor_exports_predictions_in_target_units(ragged, tmp_path):
    X = ragged()
    y = np.column_stack([[1000 + 50 * x[:, 0].sum() for x in X], np.arange(40.0)])
    # The graph is the network's: a linear path is refused (tested with it).
    reg = RNNRegressor(hidden_size=8, max_epochs=3, linear_path=False, random_state=0)
    reg.fit(X, y)
    path = export_onnx(reg, tmp_path / "model.onnx")
    np.testing.assert_allclose(run(path, X), reg.predict(X), rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_per_step_models_export_an_output_per_step(ragged, bidirectional, tmp_path):
    X = ragged()
    labels = [(x[:, 0] > 0).astype(int) for x in X]
    clf = RNNClassifier(
        per_step=True,
        bidirectional=bidirectional,
        hidden_size=8,
        max_epochs=2,
        random_state=0,
    ).fit(X, labels)
    targets = [np.column_stack([x[:, 0], np.cumsum(x[:, 1])]) for x in X]
    reg = RNNRegressor(
        per_step=True, bidirectional=bidirectional, hidden_size=8, max_epochs=2
    ).fit(X, targets)
    for model, expected in [
        (clf, clf.predict_proba(X)),
        (reg, reg.predict(X)),
    ]:
        path = export_onnx(model, tmp_path / "model.onnx")
        out = run(path, X)
        assert out.shape[:2] == (len(X), max(len(x) for x in X))
        for steps, sequence, x in zip(out, expected, X, strict=True):
            np.testing.assert_allclose(steps[: len(x)], sequence, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_ensembles_export_the_mean_of_their_members(ragged, Estimator, tmp_path):
    X = ragged()
    sums = np.array([x[:, 0].sum() for x in X])
    classifier = Estimator is RNNClassifier
    params = {} if classifier else {"linear_path": False}
    model = Estimator(
        hidden_size=6, max_epochs=2, n_estimators=3, random_state=0, **params
    ).fit(X, (sums > 0).astype(int) if classifier else 1000 + 50 * sums)
    path = export_onnx(model, tmp_path / "model.onnx")
    expected = model.predict_proba(X) if classifier else model.predict(X)[:, None]
    np.testing.assert_allclose(run(path, X), expected, rtol=1e-5, atol=1e-3)


def test_unfitted_estimators_cannot_be_exported(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        export_onnx(RNNClassifier(), tmp_path / "model.onnx")


def test_token_id_model_exports_with_int64_ids(tmp_path):
    from sklearn_rnn import check_token_ids

    rng = np.random.default_rng(0)
    X = [rng.integers(1, 30, size=n) for n in rng.integers(2, 20, size=40)]
    y = np.array([int((x > 15).mean() > 0.5) for x in X])
    clf = RNNClassifier(
        embedding_dim=6, hidden_size=8, max_epochs=2, random_state=0
    ).fit(X, y)
    path = export_onnx(clf, tmp_path / "model.onnx")
    padded, lengths = check_token_ids(X)
    session = onnxruntime.InferenceSession(path)
    proba = session.run(None, {"X": padded, "lengths": lengths})[0]
    np.testing.assert_allclose(proba, clf.predict_proba(X), atol=1e-5)
    # Ids the model never saw are read as unknown (1), as predict reads them.
    unseen = [np.array([5, clf.n_tokens_, 7]), np.array([10**12, 3])]
    padded, lengths = check_token_ids(unseen)
    proba = session.run(None, {"X": padded, "lengths": lengths})[0]
    with pytest.warns(UserWarning, match="never saw"):
        expected = clf.predict_proba(unseen)
    np.testing.assert_allclose(proba, expected, atol=1e-5)
    np.testing.assert_allclose(
        proba, clf.predict_proba([np.array([5, 1, 7]), np.array([1, 3])]), atol=1e-5
    )
    # check_token_ids refuses negative ids; the graph cannot refuse, and reads
    # them as unknown rather than as rows counted from the end.
    negative = session.run(None, {"X": -padded, "lengths": lengths})[0]
    unknown = clf.predict_proba([np.array([1, 1, 1]), np.array([1, 1])])
    np.testing.assert_allclose(negative, unknown, atol=1e-5)


def test_transformer_cell_is_refused_clearly(ragged, tmp_path):
    X = ragged()
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    clf = RNNClassifier(cell="transformer", hidden_size=8, max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="cell='transformer'"):
        export_onnx(clf, tmp_path / "model.onnx")


def test_subnormal_inputs_predict_as_the_graph_does(ragged, tmp_path):
    # predict flushes subnormal numbers to zero and onnxruntime does not; a
    # sequence's scaling divided such a value by itself.
    X = ragged(10)
    y = np.arange(10) % 2
    clf = RNNClassifier(
        hidden_size=2, input_scaling="sequence", max_epochs=1, random_state=0
    ).fit(X, y)
    path = export_onnx(clf, tmp_path / "model.onnx")
    subnormal = [np.array([[0.0, 0.0], [0.0, 1e-45]]), np.full((3, 2), 1e-40)]
    np.testing.assert_allclose(
        run(path, subnormal), clf.predict_proba(subnormal), atol=1e-5
    )


def _one_direction_classifier(per_step, input_scaling):
    return RNNClassifier(
        per_step=per_step,
        bidirectional=False,
        input_scaling=input_scaling,
        hidden_size=2,
        max_epochs=1,
        random_state=0,
    )


def test_causal_scaling_of_subnormal_inputs_predicts_as_the_graph_does(
    ragged, tmp_path
):
    X = ragged(10)
    labels = [(x[:, 0] > 0).astype(int) for x in X]
    clf = _one_direction_classifier(True, "sequence").fit(X, labels)
    path = export_onnx(clf, tmp_path / "model.onnx")
    subnormal = [np.array([[0.0, 0.0], [1e-45, 1e-45], [0.0, 3e-45]])]
    np.testing.assert_allclose(
        run(path, subnormal)[0], clf.predict_proba(subnormal)[0], atol=1e-5
    )


@pytest.mark.parametrize("per_step", [False, True])
def test_values_near_the_float32_limit_predict_finite_as_the_graph(
    ragged, per_step, tmp_path
):
    # Of standard deviation 0.1: standardized, -3e38 overflowed to -inf.
    X = [0.1 * x for x in ragged(10)]
    y = [(x[:, 0] > 0).astype(int) for x in X] if per_step else np.arange(10) % 2
    clf = _one_direction_classifier(per_step, "channel").fit(X, y)
    path = export_onnx(clf, tmp_path / "model.onnx")
    huge = [np.zeros((1, 2)), np.full((1, 2), -3e38)]
    proba = clf.predict_proba(huge)
    assert np.isfinite(np.concatenate(proba) if per_step else proba).all()
    graph = run(path, huge)
    assert np.isfinite(graph).all()
    expected = np.stack(proba)[:, 0] if per_step else proba
    np.testing.assert_allclose(graph[:, 0] if per_step else graph, expected, atol=1e-5)
