"""Dataset loaders over sktime's shipped files."""

import sys

import numpy as np
import pytest

from sklearn_rnn.datasets import load_japanese_vowels, load_plaid


def test_japanese_vowels_is_ragged_multivariate():
    X, y = load_japanese_vowels("test")
    assert len(X) == len(y) == 370
    assert {x.shape[1] for x in X} == {12}
    assert min(len(x) for x in X) >= 7
    assert len(set(y)) == 9
    assert X[0].dtype == np.float64


def test_plaid_is_ragged_univariate():
    X, y = load_plaid("train")
    assert len(X) == 537
    assert {x.shape[1] for x in X} == {1}
    assert len(set(len(x) for x in X)) > 100
    assert len(set(y)) == 11


def test_bad_split_and_missing_sktime_are_clear_errors(monkeypatch):
    with pytest.raises(ValueError, match="split must be"):
        load_plaid("validation")
    monkeypatch.setitem(sys.modules, "sktime", None)
    with pytest.raises(ImportError, match=r"sklearn-rnn\[datasets\]"):
        load_japanese_vowels()
