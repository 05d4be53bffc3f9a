"""n_estimators: networks trained side by side, their predictions averaged."""

import pickle

import numpy as np
import pytest
import torch

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator.inputs import input_kind
from sklearn_rnn._nn import NetworkEnsemble, RecurrentNetwork
from sklearn_rnn._training.losses import MemberLoss, WeightedMSE

ENSEMBLE = {"hidden_size": 6, "max_epochs": 4, "n_estimators": 3, "random_state": 0}


@pytest.fixture(scope="module")
def fitted(ragged_task):
    X, y = ragged_task(40)
    return RNNClassifier(**ENSEMBLE).fit(X, y), X, y


def test_probabilities_are_the_mean_of_the_members(fitted):
    model, X, _ = fitted
    network = model.net_.module_
    assert isinstance(network, NetworkEnsemble) and len(network.members) == 3
    padded, lengths, _ = input_kind(model).validate(model, X, reset=False)
    network.eval()
    with torch.no_grad():  # one batch of all, in the caller's order
        members = [
            torch.softmax(
                member(torch.as_tensor(padded), torch.as_tensor(lengths)), dim=-1
            )
            for member in network.members
        ]
    proba = model.predict_proba(X)
    # Exact under padding up to float32 rounding.
    expected = torch.stack(members).mean(dim=0).numpy()
    np.testing.assert_allclose(proba, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    # Members start from their own weights, so they differ.
    assert not torch.allclose(members[0], members[1])


def test_members_are_reproducible_and_pickle(fitted):
    model, X, y = fitted
    again = RNNClassifier(**ENSEMBLE).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_embed_gives_the_members_side_by_side(fitted):
    model, X, _ = fitted
    # Each member: a bidirectional GRU of 6 units, pooled.
    assert model.embed(X).shape == (len(X), 3 * 12)


def test_warm_start_and_partial_fit_continue_every_member(fitted):
    model, X, y = fitted
    model = pickle.loads(pickle.dumps(model))
    before = [p.clone() for p in model.net_.module_.parameters()]
    model.partial_fit(X, y)
    after = list(model.net_.module_.parameters())
    assert all(not torch.equal(a, b) for a, b in zip(before, after, strict=True))
    with pytest.raises(ValueError, match="n_estimators from 3 to 2 changed"):
        model.set_params(n_estimators=2, warm_start=True).fit(X, y)


def test_one_estimator_is_the_plain_network(ragged_task):
    X, y = ragged_task(20)
    model = RNNClassifier(hidden_size=4, max_epochs=2, random_state=0).fit(X, y)
    assert isinstance(model.net_.module_, RecurrentNetwork)


def test_regressor_and_per_step_ensembles_predict_in_shape(ragged_task):
    X, labels = ragged_task(30)
    y = (labels == "pos").astype(float)
    regressor = RNNRegressor(**ENSEMBLE).fit(X, y)
    assert regressor.predict(X).shape == (30,)
    steps = [(x[:, 0] > 0).astype(int) for x in X]
    tagger = RNNClassifier(**ENSEMBLE, per_step=True).fit(X, steps)
    assert [len(p) for p in tagger.predict(X)] == [len(x) for x in X]


def test_the_member_loss_averages_the_members():
    loss = MemberLoss(WeightedMSE())
    y = torch.tensor([[1.0], [3.0]])
    predictions = torch.stack([torch.zeros(2, 1), torch.full((2, 1), 2.0)])
    # Member 0: (1 + 9) / 2 = 5; member 1: (1 + 1) / 2 = 1.
    assert float(loss(predictions, y)) == pytest.approx(3.0)
    assert loss.constant_loss(y) == WeightedMSE().constant_loss(y)


def test_zero_estimators_is_refused():
    with pytest.raises(ValueError, match="n_estimators"):
        RNNClassifier(n_estimators=0).fit([np.ones((3, 1))] * 4, [0, 1, 0, 1])
