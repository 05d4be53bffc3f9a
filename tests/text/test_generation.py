import copy

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, TokenSequencer, generate

NEXT_TOKEN = {
    "per_step": True,
    "embedding_dim": 4,
    "hidden_size": 8,
    "bidirectional": False,
    "lr": 1e-2,
    "max_epochs": 60,
    "random_state": 0,
}


@pytest.fixture(scope="module")
def char_model():
    """A character model of texts that repeat 'abcd'."""
    texts = ["abcd" * 6] * 10
    sequencer = TokenSequencer(analyzer="char").fit(texts)
    ids = [row[row != 0] for row in sequencer.transform(texts)]
    model = RNNClassifier(**NEXT_TOKEN).fit([s[:-1] for s in ids], [s[1:] for s in ids])
    return make_pipeline(sequencer, model)


def test_greedy_generation_continues_the_pattern_as_text(char_model):
    assert generate(char_model, "ab", n_tokens=6, temperature=0) == "abcdabcd"


def test_the_prompt_comes_back_as_given(char_model):
    # The sequencer lowercases and reads "x" as unknown; the caller's prompt is
    # returned as it was, followed by the new characters.
    out = generate(char_model, "Xy? AB", n_tokens=2, temperature=0)
    assert out == "Xy? ABcd"
    assert generate(char_model, "AB", n_tokens=0) == "AB"


def test_a_word_model_continues_the_prompt_with_spaced_words():
    texts = ["the cat sat on the mat"] * 10
    sequencer = TokenSequencer().fit(texts)
    ids = [row[row != 0] for row in sequencer.transform(texts)]
    model = RNNClassifier(**NEXT_TOKEN).fit([s[:-1] for s in ids], [s[1:] for s in ids])
    pipeline = make_pipeline(sequencer, model)
    assert generate(pipeline, "The CAT", n_tokens=2, temperature=0) == "The CAT sat on"
    # A prompt that ends in a space gets no second one.
    assert generate(pipeline, "The cat ", n_tokens=1, temperature=0) == "The cat sat"


def test_a_prompt_longer_than_max_length_is_continued_whole(char_model):
    sequencer, model = copy.deepcopy(char_model)
    cut = make_pipeline(sequencer.set_params(max_length=4), model)
    out = generate(cut, "abcdabcdab", n_tokens=4, temperature=0)
    assert out == "abcdabcdabcdab"


def test_sampling_is_reproducible_and_temperature_flattens(char_model):
    first = generate(char_model, "a", n_tokens=30, temperature=3.0, random_state=1)
    again = generate(char_model, "a", n_tokens=30, temperature=3.0, random_state=1)
    assert first == again and len(first) == 31
    sharp = generate(char_model, "a", n_tokens=30, temperature=0.1, random_state=1)
    assert sharp == "a" + "bcda" * 7 + "bc"
    assert first != sharp  # a flat distribution leaves the pattern


def test_ids_in_ids_out_and_padding_never_drawn(char_model):
    model = char_model[-1]
    out = generate(model, [2, 3], n_tokens=40, temperature=5.0, random_state=0)
    assert out.dtype.kind == "i" and len(out) == 42
    assert (out != 0).all()
    assert generate(model, [2], n_tokens=0).tolist() == [2]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"per_step": False}, "next-token model"),
        ({"embedding_dim": None}, "next-token"),
        ({"bidirectional": True}, r"reads later steps.*bidirectional=False"),
    ],
)
def test_models_that_do_not_predict_next_tokens_are_refused(params, message):
    X = [np.array([2, 3, 4, 5])] * 4
    y = [np.array([3, 4, 5, 2])] * 4 if params.get("per_step", True) else [0, 1] * 2
    model = RNNClassifier(**{**NEXT_TOKEN, **params, "max_epochs": 1}).fit(X, y)
    with pytest.raises(ValueError, match=message):
        generate(model, [2], n_tokens=3)


def test_bad_arguments_are_named(char_model):
    with pytest.raises(ValueError, match="n_tokens must be"):
        generate(char_model, "a", n_tokens=-1)
    with pytest.raises(ValueError, match="temperature must be"):
        generate(char_model, "a", n_tokens=1, temperature=-1)
    with pytest.raises(ValueError, match="temperature must be"):
        generate(char_model, "a", n_tokens=1, temperature=float("nan"))
    with pytest.raises(TypeError, match="TokenSequencer and an RNNClassifier"):
        generate(make_pipeline(char_model[-1]), "a", n_tokens=1)
    with pytest.raises(TypeError, match="next-token RNNClassifier"):
        generate(object(), [2], n_tokens=1)
    with pytest.raises(TypeError, match=r"prompt must be a text \(str\), got list"):
        generate(char_model, ["a"], n_tokens=1)
    unfitted = make_pipeline(TokenSequencer(analyzer="char"), char_model[-1])
    with pytest.raises(NotFittedError):
        generate(unfitted, "a", n_tokens=1)


@pytest.mark.parametrize(
    "prompt, error, message",
    [
        ("ab", TypeError, "prompt is a text, but the model reads token ids"),
        ([None], ValueError, "prompt must hold integer token ids"),
        ([np.nan], ValueError, "prompt holds missing values"),
        ([2.5], ValueError, "prompt must hold integer token ids"),
        ([1e20], ValueError, "prompt holds token id 1e\\+20, beyond the int64 ids"),
        ([[2, 3], [3, 2]], ValueError, "one sequence of token ids"),
        ([2, 0, 3], ValueError, "padding id 0 at position 1"),
    ],
)
def test_prompts_that_are_not_token_ids_are_named(char_model, prompt, error, message):
    # int() failed inside numpy, an overflow was an OverflowError, 2.5 was cut
    # to 2 and a 2-D prompt flattened, silently.
    with pytest.raises(error, match=message):
        generate(char_model[-1], prompt, n_tokens=1)


def test_n_tokens_and_temperature_of_the_wrong_type(char_model):
    # True was one token; a str or None failed in a comparison.
    with pytest.raises(ValueError, match="n_tokens must be"):
        generate(char_model, "a", n_tokens=True)
    for temperature in ("1", None):
        with pytest.raises(TypeError, match="temperature must be a number"):
            generate(char_model, "a", n_tokens=1, temperature=temperature)


@pytest.mark.parametrize("temperature", [5e-324, 1e300, np.inf])
def test_extreme_temperatures_sample_without_nan(char_model, temperature):
    # log(p) / 5e-324 is -inf for every token: the weights were NaN.
    out = generate(
        char_model[-1], [2], n_tokens=5, temperature=temperature, random_state=0
    )
    assert len(out) == 6 and (out > 0).all()
