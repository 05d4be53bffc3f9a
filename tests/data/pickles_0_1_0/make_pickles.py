"""Pickle small fitted models, to check that later versions still load them.

The pickles beside this file were made with sklearn_rnn 0.1.0 as released
before its modules were regrouped (torch 2.13.0, skorch 1.4.0,
scikit-learn 1.9.1):

    python tests/data/pickles_0_1_0/make_pickles.py tests/data/pickles_0_1_0
"""

import pickle
import sys
import warnings
from pathlib import Path

import numpy as np

from sklearn_rnn import RNNClassifier, RNNRegressor


def main():
    warnings.filterwarnings("ignore")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    X = [rng.normal(size=(n, 2)).astype(np.float32) for n in rng.integers(3, 12, 20)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    tokens = [rng.integers(2, 20, size=n) for n in rng.integers(3, 12, 20)]
    base = dict(hidden_size=4, max_epochs=2, random_state=0, conv_channels=(4,))
    models = {
        "gru_bidirectional_max": RNNClassifier(**base),
        "lstm_attention_branch": RNNClassifier(
            cell="lstm",
            bidirectional=False,
            pooling="attention",
            branch_channels=(3,),
            branch_kernel_sizes=(3,),
            **base,
        ),
        "rnn_last_two_layers": RNNClassifier(
            cell="rnn", num_layers=2, pooling="last", input_scaling="channel", **base
        ),
        "transformer_mean": RNNClassifier(cell="transformer", pooling="mean", **base),
        "tokens_per_step": RNNClassifier(
            embedding_dim=3,
            per_step=True,
            bidirectional=False,
            hidden_size=4,
            max_epochs=2,
            random_state=0,
        ),
        "regressor": RNNRegressor(**base),
    }
    expected = {}
    for name, model in models.items():
        if name == "tokens_per_step":
            model.fit(tokens, [t % 2 for t in tokens])
            expected[name] = np.concatenate(model.predict_proba(tokens))
        else:
            model.fit(X, y)
            predict = getattr(model, "predict_proba", model.predict)
            expected[name] = predict(X)
        (out / f"{name}.pkl").write_bytes(pickle.dumps(model))
        # The weights alone too, as skorch saves them.
        model.net_.save_params(f_params=out / f"{name}.params.pt")
    np.savez(out / "expected.npz", **expected)
    padded = np.full((len(X), max(map(len, X)), 2), np.nan, dtype=np.float32)
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    ids = np.zeros((len(tokens), max(map(len, tokens))), dtype=np.int64)
    for i, t in enumerate(tokens):
        ids[i, : len(t)] = t
    np.savez(out / "inputs.npz", X=padded, tokens=ids)
    print("saved", sorted(expected))


if __name__ == "__main__":
    main()
