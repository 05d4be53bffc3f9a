"""What X holds: numeric values (and their scaling) or token ids (embedding)."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator import inputs as _inputs

# --- Numeric input: scaling -------------------------------------------------------


@pytest.mark.parametrize("input_scaling", ["channel", "both"])
def test_channel_scaling_makes_units_irrelevant(input_scaling, ragged, fast):
    X, y = ragged
    params = {**fast, "input_scaling": input_scaling, "conv_channels": None}
    clf = RNNClassifier(**params).fit(X, y)
    # The same data in other units (per channel) train the same network.
    rescaled = [x * [1e4, 1e-3] + [50.0, -7.0] for x in X]
    other = RNNClassifier(**params).fit(rescaled, y)
    np.testing.assert_allclose(
        other.predict_proba(rescaled), clf.predict_proba(X), atol=1e-4
    )
    scaling = clf.net_.module_.encoder
    steps = np.concatenate(X)
    np.testing.assert_allclose(scaling.mean.numpy(), steps.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(scaling.scale.numpy(), steps.std(axis=0), rtol=1e-5)


def test_sequence_scaling_ignores_each_sequences_offset_and_gain(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(input_scaling="sequence", **fast).fit(X, y)
    rng = np.random.default_rng(3)
    moved = [x * rng.uniform(0.1, 10) + rng.normal(size=2) * 100 for x in X]
    np.testing.assert_allclose(
        clf.predict_proba(moved), clf.predict_proba(X), atol=1e-4
    )


def test_input_scaling_survives_clone_pickle_and_partial_fit(ragged, fast):
    X, y = ragged
    clf = RNNClassifier(input_scaling="channel", **fast)
    assert clone(clf).input_scaling == "channel"
    clf.partial_fit(X[:20], y[:20], classes=["neg", "pos"])
    first = clf.net_.module_.encoder.mean.clone()
    clf.partial_fit([x * 100 for x in X[20:]], y[20:])
    # Later calls train the same network on the first call's statistics.
    torch.testing.assert_close(clf.net_.module_.encoder.mean, first)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


# --- Token ids: embedding_dim -----------------------------------------------------


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_token_ids_ragged_and_zero_padded_predict_the_same(
    Estimator, tokens, fast_embedding
):
    X, y = tokens
    model = Estimator(**fast_embedding).fit(X, y)
    padded = np.zeros((len(X), 40), dtype=np.int32)
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    np.testing.assert_allclose(model.predict(padded), model.predict(X), atol=1e-6)
    # A DataFrame holds the padded rows too.
    np.testing.assert_allclose(
        model.predict(pd.DataFrame(padded)), model.predict(X), atol=1e-6
    )
    # Fitting on the padded form gives the same model.
    refit = Estimator(**fast_embedding).fit(padded[:, :30], y)
    np.testing.assert_allclose(refit.predict(X), model.predict(X), atol=1e-6)
    assert model.n_tokens_ == max(int(x.max()) for x in X) + 1


def test_token_ids_unseen_at_predict_are_read_as_unknown(tokens, fast_embedding):
    X, y = tokens
    clf = RNNClassifier(**fast_embedding).fit(X, y)
    with pytest.warns(UserWarning, match=r"1 token id\(s\) the model never saw"):
        unseen = clf.predict_proba([np.array([5, 500, 7])])
    np.testing.assert_array_equal(unseen, clf.predict_proba([np.array([5, 1, 7])]))


@pytest.mark.parametrize("empty", [[], np.zeros((0, 5), dtype=np.int64)])
def test_predicting_no_token_ids_is_a_clear_error(empty, tokens, fast_embedding):
    X, y = tokens
    clf = RNNClassifier(**{**fast_embedding, "max_epochs": 1}).fit(X, y)
    with pytest.raises(ValueError, match="X holds no sequences"):
        clf.predict(empty)


def test_pretrained_embedding_frozen_or_fine_tuned(tokens, fast_embedding):
    X, y = tokens
    weights = np.random.default_rng(0).normal(size=(50, 6))
    frozen = RNNClassifier(
        **fast_embedding, embedding_weights=weights, freeze_embedding=True
    ).fit(X, y)
    learned = frozen.net_.module_.encoder.embedding.weight.detach().numpy()
    np.testing.assert_allclose(learned, weights.astype(np.float32))
    assert frozen.n_tokens_ == 50
    tuned = RNNClassifier(**fast_embedding, embedding_weights=weights).fit(X, y)
    changed = tuned.net_.module_.encoder.embedding.weight.detach().numpy()
    assert not np.allclose(changed[2:40], weights[2:40].astype(np.float32))


def test_a_large_sparse_token_id_is_refused_not_allocated(tokens, fast_embedding):
    X, y = tokens
    # One id of 10**9 would size a table of 10**9 rows (tens of GB); refused
    # before anything is allocated, pointing to a dense numbering.
    sparse = [*X[:-1], np.append(X[-1], 10**9)]
    with pytest.raises(ValueError, match=r"(?s)1 GiB.*TokenSequencer.*np\.unique"):
        RNNClassifier(**fast_embedding).fit(sparse, y)
    # At predict time a large id is read as unknown: nothing is sized by it.
    clf = RNNClassifier(**{**fast_embedding, "max_epochs": 1}).fit(X, y)
    with pytest.warns(UserWarning, match="never saw"):
        huge = clf.predict_proba([np.array([5, 10**12, 7])])
    np.testing.assert_array_equal(huge, clf.predict_proba([np.array([5, 1, 7])]))


def test_only_a_large_table_of_mostly_unused_rows_is_refused(
    tokens, fast_embedding, monkeypatch
):
    X, y = tokens
    # A bound of 10 kB: the 40 rows of ids 0 to 39 (6-d, four float32 copies,
    # 3840 bytes) fit; a table of 2000 rows does not.
    monkeypatch.setattr(_inputs, "MAX_SPARSE_TABLE_BYTES", 10_000)
    params = {**fast_embedding, "max_epochs": 1}
    RNNClassifier(**params).fit(X, y)
    # Over the bound but dense (every id used): the user's own vocabulary.
    dense = [np.arange(2, 2000)] * 2
    RNNClassifier(**params).fit(dense, [0, 1])
    sparse = [*X[:-1], np.append(X[-1], 1999)]
    with pytest.raises(ValueError, match="2000 rows of embedding_dim=6"):
        RNNClassifier(**params).fit(sparse, y)
    # embedding_weights chooses the table's size itself.
    weights = np.zeros((2000, 6))
    RNNClassifier(**params, embedding_weights=weights).fit(sparse, y)


@pytest.mark.parametrize(
    "X, params, message",
    [
        ([[3, 0, 4]], {}, "padding id 0 before its last token"),
        ([[0, 0]], {}, "holds no token id"),
        ([np.array([1.5, 2.0])], {}, "must hold integer token ids"),
        (
            pd.DataFrame({"a": [2], "b": [None]}, dtype="Int64"),
            {},
            r"missing values \(NaN\); token ids are padded with 0",
        ),
        ([[3, 4]], {"embedding_weights": np.ones((4, 5))}, "embedding_dim=6"),
        ([[3, 9]], {"embedding_weights": np.ones((5, 6))}, "token id 9"),
    ],
)
def test_token_id_errors_say_what_and_where(X, params, message, fast_embedding):
    with pytest.raises(ValueError, match=message):
        RNNClassifier(**{**fast_embedding, **params}).fit(X, [0])


# --- "auto" values follow the kind of input ---------------------------------------


def test_auto_front_end_and_early_stopping_follow_the_kind_of_input(
    many_tokens, few_ragged, fast, fast_embedding
):
    X, y = many_tokens
    params = {**fast_embedding, "max_epochs": 1}
    tokens = RNNClassifier(**params).fit(X, y)
    assert tokens.conv_channels_ == () and tokens.net_.module_.front_end is None
    assert "valid_loss" in tokens.history_[-1]  # token ids, 1000 sequences
    fewer = RNNClassifier(**params).fit(X[:999], y[:999])
    assert "valid_loss" not in fewer.history_[-1]
    # An explicit front-end is kept for token ids.
    explicit = RNNClassifier(**params, conv_channels=4).fit(X[:50], y[:50])
    assert explicit.conv_channels_ == (4,)
    X, y = few_ragged
    numeric = RNNClassifier(**fast).fit([np.tile(x, (2, 1)) for x in X], y)
    assert numeric.conv_channels_ == (32, 32, 32)
    assert "valid_loss" not in numeric.history_[-1]


@pytest.mark.slow
@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_a_panel_gets_no_front_end_and_early_stopping(Estimator, fast):
    """Several channels over a median of fewer steps than the front-end's
    13-step window: a few periods per entity."""
    rng = np.random.default_rng(0)
    lengths = np.r_[np.full(51, 12), np.full(50, 40)]  # median 12
    X = [rng.normal(size=(length, 2)) for length in lengths]
    y = np.arange(101) % 2
    panel = Estimator(**fast).fit(X, y)
    assert panel.conv_channels_ == () and panel.net_.module_.front_end is None
    assert "valid_loss" in panel.history_[-1]
    # A median of 13 steps is a series, not a panel.
    longer = [np.tile(x, (2, 1))[: max(13, len(x))] for x in X]
    series = Estimator(**fast).fit(longer, y)
    assert series.conv_channels_ == (32, 32, 32)
    # One channel of a few steps is a row of features (a 2-D array): the
    # front-end reads them together.
    row = Estimator(**fast).fit(np.stack([x[:12, 0] for x in X]), y)
    assert row.conv_channels_ == (32, 32, 32)
    # Explicit values are kept.
    explicit = Estimator(**fast, conv_channels=4, early_stopping=False).fit(X, y)
    assert explicit.conv_channels_ == (4,) and "valid_loss" not in explicit.history_[-1]
    assert clone(panel).get_params()["conv_channels"] == "auto"


def test_a_classifier_of_a_small_panel_trains_on_all_of_it(fast):
    """Under 100 entities, a held-out tenth would be a handful of them."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(5, 3)) for _ in range(99)]
    model = RNNClassifier(**fast).fit(X, np.arange(99) % 2)
    assert model.conv_channels_ == () and "valid_loss" not in model.history_[-1]


def test_auto_learning_rate_and_dropout_follow_the_kind_of_input(
    token_task, few_ragged, fast, fast_embedding
):
    def resolved(model):
        module = model.net_.module_
        embedding_p = module.encoder.dropout.p if module.reads_token_ids else None
        return model.net_.lr, module.dropout.p, embedding_p

    X, y = token_task(40)
    tokens = RNNClassifier(**{**fast_embedding, "max_epochs": 1}).fit(X, y)
    assert resolved(tokens) == (3e-3, 0.5, 0.5)
    numeric = RNNClassifier(**fast).fit(*few_ragged)
    assert resolved(numeric) == (3e-3, 0.0, None)
    explicit = RNNClassifier(
        **{**fast_embedding, "max_epochs": 1},
        lr=0.01,
        dropout=0.1,
        embedding_dropout=0.2,
    ).fit(X, y)
    assert resolved(explicit) == (0.01, 0.1, 0.2)
    # A warm start resolves "auto" again: back to the token-id values.
    explicit.set_params(warm_start=True, lr="auto", dropout="auto").fit(X, y)
    assert resolved(explicit) == (3e-3, 0.5, 0.2)
    assert clone(tokens).get_params()["lr"] == "auto"


# --- The input kinds without a fit ----------------------------------------------


def test_each_kind_reads_its_input_unchecked_against_a_model():
    numeric = _inputs.INPUT_KINDS["numeric"]
    padded, lengths, names = numeric.read(
        [pd.DataFrame({"a": [1.0, 2.0]}), pd.DataFrame({"a": [3.0]})]
    )
    assert padded.dtype == np.float64 and lengths.tolist() == [2, 1]
    assert list(names) == ["a"]
    ids, lengths, names = _inputs.INPUT_KINDS["tokens"].read([[2, 3, 4], [5]])
    assert ids.dtype == np.int64 and lengths.tolist() == [3, 1] and names is None


def test_the_kind_follows_embedding_dim():
    assert _inputs.input_kind(RNNClassifier()).name == "numeric"
    assert _inputs.input_kind(RNNClassifier(embedding_dim=4)).name == "tokens"
