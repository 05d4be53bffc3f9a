"""TokenSequencer: texts to 0-padded token ids, and back."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks

from sklearn_rnn import TokenSequencer

TEXTS = ["The cat sat on the mat.", "The dog sat.", "A cat and a dog!"]


def test_vocabulary_by_decreasing_frequency_then_alphabetical():
    # the: 3, cat/dog/sat: 2, and/mat/on: 1 ("a" is one letter: not a token).
    sequencer = TokenSequencer().fit(TEXTS)
    assert sequencer.vocabulary_ == {
        "the": 2,
        "cat": 3,
        "dog": 4,
        "sat": 5,
        "and": 6,
        "mat": 7,
        "on": 8,
    }
    vocabulary = sequencer.get_vocabulary()
    assert vocabulary.dtype == object
    assert vocabulary.tolist() == [
        "<pad>",
        "<unk>",
        *sorted(sequencer.vocabulary_, key=sequencer.vocabulary_.get),
    ]


def test_transform_pads_with_zero_and_maps_unknown_tokens_to_one():
    ids = TokenSequencer().fit(TEXTS).transform(["the bird sat", "cat"])
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [[2, 1, 5], [3, 0, 0]])


def test_fit_transform_equals_fit_then_transform():
    sequencer = TokenSequencer(max_tokens=5)
    np.testing.assert_array_equal(
        sequencer.fit_transform(TEXTS), clone(sequencer).fit(TEXTS).transform(TEXTS)
    )


def test_min_frequency_leaves_rare_tokens_unknown():
    sequencer = TokenSequencer(min_frequency=2).fit(TEXTS)
    assert list(sequencer.vocabulary_) == ["the", "cat", "dog", "sat"]
    np.testing.assert_array_equal(sequencer.transform(["the mat"]), [[2, 1]])


@pytest.mark.parametrize("max_tokens", [3, 4, 6, 9, 100])
def test_max_tokens_counts_the_reserved_ids(max_tokens):
    sequencer = TokenSequencer(max_tokens=max_tokens).fit(TEXTS)
    # 7 distinct tokens plus the 2 reserved ids: at most 9 ids.
    assert len(sequencer.get_vocabulary()) == min(max_tokens, 9)
    assert sequencer.transform(TEXTS).max() < max_tokens
    # The most frequent tokens are the ones kept.
    kept = ["the", "cat", "dog", "sat", "and", "mat", "on"][: max_tokens - 2]
    assert list(sequencer.vocabulary_) == kept


def test_lowercase():
    assert list(TokenSequencer().fit(["Cat cat CAT"]).vocabulary_) == ["cat"]
    sequencer = TokenSequencer(lowercase=False).fit(["Cat cat CAT cat"])
    assert sequencer.vocabulary_ == {"cat": 2, "CAT": 3, "Cat": 4}


def test_token_pattern():
    sequencer = TokenSequencer(token_pattern=r"\S+").fit(["a cat, a dog."])
    assert sequencer.get_vocabulary().tolist() == [
        "<pad>",
        "<unk>",
        "a",
        "cat,",
        "dog.",
    ]
    # A capturing group's content is the token, as in CountVectorizer.
    sequencer = TokenSequencer(token_pattern=r"#(\w+)").fit(["#cat and #dog"])
    assert list(sequencer.vocabulary_) == ["cat", "dog"]


def test_char_analyzer_keeps_order_and_normalizes_whitespace_runs():
    sequencer = TokenSequencer(analyzer="char").fit(["Ab  a\tb\n"])
    # Two spaces become one; a single tab or newline stays as it is.
    assert sequencer.inverse_transform(sequencer.transform(["Ab  a\tb\n"])) == [
        ["a", "b", " ", "a", "\t", "b", "\n"]
    ]
    assert list(sequencer.vocabulary_) == ["a", "b", "\t", "\n", " "]


def test_pre_tokenized_input_is_used_as_given():
    tokens = [["The", "cat", "!"], ("the", "<unk>", "<pad>")]
    sequencer = TokenSequencer().fit(tokens)
    assert list(sequencer.vocabulary_) == ["!", "<pad>", "<unk>", "The", "cat", "the"]
    ids = sequencer.transform(tokens)
    np.testing.assert_array_equal(ids, [[5, 6, 2], [7, 4, 3]])
    # A token equal to a reserved name keeps its own id.
    assert sequencer.get_vocabulary()[:2].tolist() == ["<pad>", "<unk>"]
    assert sequencer.inverse_transform(ids) == [list(tokens[0]), list(tokens[1])]


def test_texts_and_token_lists_share_a_vocabulary():
    sequencer = TokenSequencer().fit(TEXTS)
    np.testing.assert_array_equal(
        sequencer.transform(["the cat sat"]),
        sequencer.transform([["the", "cat", "sat"]]),
    )


def test_max_length_keeps_the_first_tokens_and_sets_the_width():
    sequencer = TokenSequencer(max_length=2).fit(TEXTS)
    np.testing.assert_array_equal(
        sequencer.transform(["the cat sat", "dog"]), [[2, 3], [4, 0]]
    )
    sequencer.set_params(max_length=4)
    assert sequencer.transform(["the cat"]).shape == (1, 4)


def test_a_text_without_tokens_is_one_unknown_token():
    sequencer = TokenSequencer().fit(TEXTS)
    ids = sequencer.transform(["", "!?", "a"])
    np.testing.assert_array_equal(ids, [[1], [1], [1]])
    assert sequencer.inverse_transform(ids) == [["<unk>"]] * 3
    np.testing.assert_array_equal(sequencer.transform([[], ["cat"]]), [[1], [3]])


def test_inverse_transform_round_trip_up_to_unknown_tokens():
    sequencer = TokenSequencer(min_frequency=2).fit(TEXTS)
    ids = sequencer.transform(TEXTS)
    tokens = sequencer.inverse_transform(ids)
    assert tokens[0] == ["the", "cat", "sat", "<unk>", "the", "<unk>"]
    np.testing.assert_array_equal(sequencer.transform(tokens), ids)
    # A list of unpadded rows works too.
    assert sequencer.inverse_transform([row[row > 0] for row in ids]) == tokens


@pytest.mark.parametrize(
    "ids, message",
    [
        (
            [[2, 9]],
            "X[0][1] = 9 is not a token id of the vocabulary: ids go from 0 to 8",
        ),
        ([[2], [3, -1]], "Sequence 1 holds a negative token id"),
        (np.array([2, 3]), "must be 2-D"),
        ([[2.5]], "must hold integer token ids"),
    ],
)
def test_inverse_transform_refuses_what_is_not_token_ids(ids, message):
    sequencer = TokenSequencer().fit(TEXTS)
    with pytest.raises(ValueError, match=re.escape(message)):
        sequencer.inverse_transform(ids)


@pytest.mark.parametrize(
    "X, error, message",
    [
        ("the cat", ValueError, "X is a single string"),
        (pd.DataFrame({"text": TEXTS}), ValueError, "pass its text column"),
        (np.array([TEXTS]), ValueError, "X is an array of shape (1, 3)"),
        (3, TypeError, "X is of type int"),
        (["the cat", None], ValueError, "Item 1 of X is None, a missing value"),
        (["a", "b", np.nan], ValueError, "Item 2 of X is nan, a missing value"),
        (
            pd.Series(["a", pd.NA], dtype=object),
            ValueError,
            "Item 1 of X is <NA>, a missing value",
        ),
        (["the cat", 3], ValueError, "Item 1 of X is of type int"),
        (
            ["the cat", ["the", "cat"]],
            ValueError,
            "item 0 is a text but item 1 is of type list",
        ),
        (
            [["the"], ("cat",), "dog"],
            ValueError,
            "item 0 is a list of tokens but item 2 is of type str",
        ),
        ([["the", "cat"], ["dog", 1]], ValueError, "Token 1 of item 1 of X"),
    ],
)
@pytest.mark.parametrize("method", ["fit", "transform"])
def test_bad_input_gets_an_error_saying_where(X, error, message, method):
    sequencer = TokenSequencer()
    if method == "transform":
        sequencer.fit(TEXTS)
    with pytest.raises(error, match=re.escape(message)):
        getattr(sequencer, method)(X)


@pytest.mark.parametrize(
    "params, X, message",
    [
        ({}, [], "X holds no text"),
        ({}, ["!", "a"], "no training text holds a token"),
        ({"min_frequency": 3}, ["cat cat dog"], "the most frequent, 'cat', is seen 2"),
    ],
)
def test_empty_vocabulary_is_an_error(params, X, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        TokenSequencer(**params).fit(X)


def test_parameters_are_validated():
    with pytest.raises(ValueError, match="max_tokens"):
        TokenSequencer(max_tokens=2).fit(TEXTS)
    with pytest.raises(ValueError, match="analyzer"):
        TokenSequencer(analyzer="char_wb").fit(TEXTS)
    # re.error, not a ValueError, came out of the regular expression's parser.
    with pytest.raises(ValueError, match="token_pattern='\\(' is not a valid"):
        TokenSequencer(token_pattern="(").fit(TEXTS)


def test_pandas_series_and_arrays_of_str():
    sequencer = TokenSequencer().fit(TEXTS)
    expected = sequencer.transform(TEXTS)
    series = pd.Series(TEXTS, index=[10, 20, 30])
    np.testing.assert_array_equal(sequencer.transform(series), expected)
    np.testing.assert_array_equal(sequencer.transform(np.array(TEXTS)), expected)
    assert TokenSequencer().fit(series).vocabulary_ == sequencer.vocabulary_


def test_deterministic_whatever_the_order_of_the_texts():
    forward = TokenSequencer().fit(TEXTS)
    backward = TokenSequencer().fit(TEXTS[::-1])
    assert list(forward.vocabulary_.items()) == list(backward.vocabulary_.items())


def test_pickle_and_clone():
    sequencer = TokenSequencer(max_tokens=6, max_length=3).fit(TEXTS)
    restored = pickle.loads(pickle.dumps(sequencer))
    np.testing.assert_array_equal(restored.transform(TEXTS), sequencer.transform(TEXTS))
    cloned = clone(sequencer)
    assert cloned.get_params() == sequencer.get_params()
    assert not hasattr(cloned, "vocabulary_")


def test_unfitted_transform_raises_not_fitted():
    with pytest.raises(ValueError, match="not fitted"):
        TokenSequencer().transform(TEXTS)


def test_pandas_output_configuration_leaves_the_ids_an_array():
    pipeline = make_pipeline(TokenSequencer()).set_output(transform="pandas")
    assert isinstance(pipeline.fit_transform(TEXTS), np.ndarray)
    with config_context(transform_output="pandas"):
        ids = TokenSequencer().fit(TEXTS).transform(TEXTS)
    assert isinstance(ids, np.ndarray)
    assert ids.dtype == np.int64


# Text input makes parametrize_with_checks skip every check but cloning (as for
# CountVectorizer); these are the ones that need no data.
@pytest.mark.parametrize(
    "check",
    [
        estimator_checks.check_do_not_raise_errors_in_init_or_set_params,
        estimator_checks.check_estimator_repr,
        estimator_checks.check_get_params_invariance,
        estimator_checks.check_mixin_order,
        estimator_checks.check_no_attributes_set_in_init,
        estimator_checks.check_parameters_default_constructible,
        estimator_checks.check_set_params,
        estimator_checks.check_valid_tag_types,
    ],
    ids=lambda check: check.__name__,
)
def test_scikit_learn_api_checks(check):
    check("TokenSequencer", TokenSequencer())
