"""Sampling continuations from a next-token model."""

from numbers import Real

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._estimator.classifier import RNNClassifier
from .._estimator.inputs import input_kind
from .._validation import PADDING_ID, _as_token_ids
from .sequencer import TokenSequencer

__all__ = ["generate"]


def _parts(model):
    """The token sequencer (or None) and the next-token classifier of ``model``."""
    sequencer = None
    classifier = model
    if isinstance(model, Pipeline):
        sequencer, classifier = model[0], model[-1]
        if len(model) != 2 or not isinstance(sequencer, TokenSequencer):
            raise TypeError(
                "generate takes a Pipeline of a TokenSequencer and an "
                "RNNClassifier; got steps "
                f"{[type(step).__name__ for _, step in model.steps]}."
            )
    if not isinstance(classifier, RNNClassifier):
        raise TypeError(
            f"generate samples from a next-token RNNClassifier, got "
            f"{type(classifier).__name__}."
        )
    check_is_fitted(classifier)
    if not classifier.per_step or input_kind(classifier).name != "tokens":
        raise ValueError(
            "generate needs a next-token model: an RNNClassifier with "
            "per_step=True and embedding_dim set, trained to predict each next "
            "token id (y[i] is X[i] shifted by one step)."
        )
    if classifier.bidirectional:
        raise ValueError(
            "generate needs a model whose output at a step reads that step and "
            "the ones before it only; a bidirectional=True model reads later "
            "steps too (in training, the very tokens it predicts). Train the "
            "next-token model with bidirectional=False."
        )
    return sequencer, classifier


def generate(model, prompt, n_tokens, *, temperature=1.0, random_state=None):
    """Continue a prompt by sampling one token at a time from a fitted model.

    The model predicts, at every step, the distribution of the next token
    (an :class:`RNNClassifier` with ``per_step=True``, ``embedding_dim`` and
    ``bidirectional=False``, trained with ``y[i]`` the token ids of ``X[i]``
    shifted one step ahead).
    Each new token is drawn from the distribution at the last step, appended,
    and the extended sequence read again.

    Parameters
    ----------
    model : RNNClassifier or Pipeline
        A fitted next-token classifier, or a fitted Pipeline of a
        :class:`TokenSequencer` and one, which turns a text prompt into ids
        and the ids back into text.
    prompt : str or array-like of int
        The text to continue (with a Pipeline), or token ids.
    n_tokens : int
        How many tokens to add.
    temperature : float, default=1.0
        Divides the log-probabilities before sampling: below 1 sharpens the
        distribution, above 1 flattens it, 0 always takes the most likely
        token.
    random_state : int, RandomState instance or None, default=None
        The sampling's randomness.

    Returns
    -------
    continuation : str or ndarray of int
        With a Pipeline, the prompt as given followed by the new tokens as
        text (joined without separator for a character analyzer; for words,
        by spaces, and one space after the prompt unless it ends in
        whitespace); otherwise the prompt's ids followed by the new ones.

    Notes
    -----
    Each step reads the whole sequence again, so the cost grows with the
    square of its length; meant for continuations of some hundred tokens.
    The padding id 0 is never drawn.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import RNNClassifier, generate
    >>> ids = [np.array([2, 3, 4, 5] * 5)] * 8
    >>> model = RNNClassifier(
    ...     per_step=True, embedding_dim=4, hidden_size=8, bidirectional=False,
    ...     lr=1e-2, max_epochs=60, random_state=0,
    ... ).fit([s[:-1] for s in ids], [s[1:] for s in ids])
    >>> generate(model, [2, 3], n_tokens=6, temperature=0)
    array([2, 3, 4, 5, 2, 3, 4, 5])
    """
    sequencer, classifier = _parts(model)
    if (
        not isinstance(n_tokens, (int, np.integer))
        or isinstance(n_tokens, bool)
        or n_tokens < 0
    ):
        raise ValueError(f"n_tokens must be a non-negative integer, got {n_tokens!r}.")
    if not isinstance(temperature, Real) or isinstance(temperature, bool):
        raise TypeError(f"temperature must be a number, got {temperature!r}.")
    if not temperature >= 0:  # also refuses NaN
        raise ValueError(f"temperature must be 0 or more, got {temperature!r}.")
    rng = check_random_state(random_state)
    ids = _prompt_ids(prompt, sequencer)
    n_prompt_ids = len(ids)
    classes = classifier.classes_
    drawable = classes != PADDING_ID
    for _ in range(n_tokens):
        proba = classifier.predict_proba([np.array(ids)])[0][-1] * drawable
        if temperature == 0:
            ids.append(int(classes[np.argmax(proba)]))
            continue
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            logits = np.log(proba)
            # The most likely token at 0 before dividing: at any temperature
            # (1e-310 or infinity) no NaN, and the others' weights are in [0, 1].
            logits = (logits - logits.max()) / temperature
            weights = np.where(proba > 0, np.exp(logits), 0.0)
        ids.append(int(rng.choice(classes, p=weights / weights.sum())))
    if sequencer is None:
        return np.array(ids)
    if n_tokens == 0:
        return prompt
    # Only the new ids are decoded: the prompt's would come back lowercased,
    # with "<unk>" for whatever the vocabulary lacks.
    tokens = sequencer.inverse_transform([np.array(ids[n_prompt_ids:])])[0]
    if sequencer.analyzer == "char":
        return prompt + "".join(tokens)
    separator = "" if not prompt or prompt[-1].isspace() else " "
    return prompt + separator + " ".join(tokens)


def _prompt_ids(prompt, sequencer):
    """The token ids of ``prompt`` as a list: a text read by the fitted
    ``sequencer``, or ids (with no sequencer), checked."""
    if sequencer is not None:
        if not isinstance(prompt, str):
            raise TypeError(
                f"With a Pipeline, prompt must be a text (str), got "
                f"{type(prompt).__name__}; pass token ids to the classifier "
                "alone (model[-1])."
            )
        check_is_fitted(sequencer)
        # The whole prompt: transform would cut it to the sequencer's max_length.
        return sequencer._id_lists(sequencer._tokenize([prompt]))[0]
    if isinstance(prompt, str):
        raise TypeError(
            "prompt is a text, but the model reads token ids; pass a "
            "Pipeline of a TokenSequencer and the model to continue texts."
        )
    ids = _as_token_ids(prompt, "prompt")
    if ids.ndim != 1 or not len(ids):
        raise ValueError(
            f"prompt must be one sequence of token ids, got shape {ids.shape}."
        )
    padding = np.flatnonzero(ids == PADDING_ID)
    if len(padding):
        raise ValueError(
            f"prompt holds the padding id 0 at position {padding[0]}; a "
            "prompt is token ids without padding."
        )
    return ids.tolist()
