"""TokenSequencer: texts in, 0-padded integer token-id sequences out."""

import re
from collections import Counter
from itertools import chain
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._preprocessing.base import ArrayOutputMixin
from .._validation import PADDING_ID, UNKNOWN_ID, check_token_ids

__all__ = ["TokenSequencer"]

PAD_TOKEN, UNKNOWN_TOKEN = "<pad>", "<unk>"
_N_RESERVED = 2

_ITEM_HELP = (
    "every item must be a text (str) or a list of tokens (list or tuple of str)"
)


def _kind(item):
    """How an error message names what an item of X is."""
    if pd.api.types.is_scalar(item) and pd.isna(item):
        return f"{item!r}, a missing value"
    return f"of type {type(item).__name__}"


def _items(X):
    """The items of ``X`` as a list, after refusing containers that are not 1-D."""
    if isinstance(X, str):
        raise ValueError(
            "X is a single string; TokenSequencer expects an iterable of texts. "
            "Pass [text] for one text."
        )
    if isinstance(X, pd.DataFrame):
        # Iterating a DataFrame gives its column names, not its texts.
        raise ValueError(
            "X is a DataFrame; pass its text column as a Series, e.g. X['text']."
        )
    if isinstance(X, np.ndarray) and X.ndim != 1:
        raise ValueError(
            f"X is an array of shape {X.shape}; TokenSequencer expects one text "
            "per item, as a list or a 1-D array."
        )
    try:
        return list(X)
    except TypeError:
        raise TypeError(
            f"X is of type {type(X).__name__}; TokenSequencer expects an iterable of "
            "texts or of lists of tokens."
        ) from None


def _check_items(items):
    """Raise an error naming the first item that breaks the input's format.

    The first item decides: texts, or lists of tokens. Returns whether the
    input is lists of tokens.
    """
    pre_tokenized = bool(items) and isinstance(items[0], (list, tuple))
    expected = (list, tuple) if pre_tokenized else str
    for i, item in enumerate(items):
        if not isinstance(item, (str, list, tuple)):
            raise ValueError(f"Item {i} of X is {_kind(item)}; {_ITEM_HELP}.")
        if not isinstance(item, expected):
            first = "a list of tokens" if pre_tokenized else "a text"
            raise ValueError(
                f"X mixes texts and lists of tokens: item 0 is {first} but item "
                f"{i} is {_kind(item)}. Pass only texts or only lists of tokens."
            )
        if pre_tokenized:
            for j, token in enumerate(item):
                if not isinstance(token, str):
                    raise ValueError(
                        f"Token {j} of item {i} of X is {_kind(token)}; a list "
                        "of tokens must hold only str."
                    )
    return pre_tokenized


class TokenSequencer(
    ArrayOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    r"""Turn texts into 0-padded sequences of integer token ids.

    Texts are split into tokens the way
    :class:`~sklearn.feature_extraction.text.CountVectorizer` splits them (same
    ``lowercase``, ``token_pattern`` and ``analyzer``), but in order: ``fit``
    learns a vocabulary, and ``transform`` returns one row of token ids per
    text, padded with 0 at the end, the input of a sequence model where
    CountVectorizer gives a bag of words.

    Two ids are reserved: 0 is padding (``"<pad>"``) and 1 an unknown token
    (``"<unk>"``): one not in the vocabulary. Tokens seen in ``fit`` get ids
    from 2 on, the most frequent first, tokens seen as often in alphabetical
    order. A text with no token becomes one unknown token, so that every
    sequence has at least one step.

    Parameters
    ----------
    lowercase : bool, default=True
        Convert texts to lowercase before tokenizing.
    token_pattern : str, default=r"(?u)\b\w\w+\b"
        Regular expression of what a token is, used with ``analyzer="word"``:
        by default, runs of two or more alphanumeric characters (punctuation
        is dropped, as are one-letter words). If it has a capturing group, the
        group's content is the token.
    analyzer : {"word", "char"}, default="word"
        "word": the tokens ``token_pattern`` finds. "char": every character,
        in order, after CountVectorizer's whitespace normalization: a run of
        two or more whitespace characters becomes one space, and a single one
        (space, tab, newline) is kept as it is.
    min_frequency : int, default=1
        Tokens seen fewer times than this in the training texts are left out
        of the vocabulary (they become unknown).
    max_tokens : int or None, default=None
        Size of the vocabulary, counting the two reserved ids: at most
        ``max_tokens - 2`` tokens, the most frequent, get an id; the ids are
        then below ``max_tokens``, the size an embedding table needs. None: no
        limit.
    max_length : int or None, default=None
        Number of columns of the output: each text keeps its first
        ``max_length`` tokens, and shorter ones are padded. None: the number of
        tokens of the longest text given to ``transform``.

    Attributes
    ----------
    vocabulary_ : dict
        Maps each token of the vocabulary to its id (from 2 on; the reserved
        ids are not in it).

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Texts to token counts.

    Notes
    -----
    ``X`` can also hold texts already split into tokens: each item a list or
    tuple of str. Their tokens are used as they are: ``lowercase``,
    ``token_pattern`` and ``analyzer`` do not apply. Such a token can equal a
    reserved name, as ``"<unk>"``; it is still a token of its own, with its own
    id.

    The output's columns are positions in a text, not features, so there is no
    ``get_feature_names_out``; ``set_output`` accepts any configuration and the
    output stays an integer array.

    Examples
    --------
    >>> from sklearn_rnn import TokenSequencer
    >>> texts = ["The cat sat.", "The dog sat down!", "A cat"]
    >>> tokens = TokenSequencer().fit(texts)
    >>> tokens.get_vocabulary()
    array(['<pad>', '<unk>', 'cat', 'sat', 'the', 'dog', 'down'], dtype=object)
    >>> ids = tokens.transform(["the cat ran away", "?"])
    >>> ids
    array([[4, 2, 1, 1],
           [1, 0, 0, 0]])
    >>> tokens.inverse_transform(ids)
    [['the', 'cat', '<unk>', '<unk>'], ['<unk>']]
    """

    _parameter_constraints: dict = {
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "analyzer": [StrOptions({"word", "char"})],
        "min_frequency": [Interval(Integral, 1, None, closed="left")],
        "max_tokens": [None, Interval(Integral, _N_RESERVED + 1, None, closed="left")],
        "max_length": [None, Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        lowercase=True,
        token_pattern=r"(?u)\b\w\w+\b",
        analyzer="word",
        min_frequency=1,
        max_tokens=None,
        max_length=None,
    ):
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.analyzer = analyzer
        self.min_frequency = min_frequency
        self.max_tokens = max_tokens
        self.max_length = max_length

    def _tokenize(self, X):
        """The list of tokens of each item of ``X``."""
        items = _items(X)
        if _check_items(items):
            return [list(item) for item in items]
        if self.analyzer == "word":
            try:
                re.compile(self.token_pattern)
            except re.error as exc:
                raise ValueError(
                    f"token_pattern={self.token_pattern!r} is not a valid regular "
                    f"expression: {exc}."
                ) from None
        analyze = CountVectorizer(
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            analyzer=self.analyzer,
        ).build_analyzer()
        return [analyze(text) for text in items]

    def _fit_vocabulary(self, token_lists):
        counts = Counter(chain.from_iterable(token_lists))
        kept = sorted(
            (token for token, count in counts.items() if count >= self.min_frequency),
            key=lambda token: (-counts[token], token),
        )
        if self.max_tokens is not None:
            kept = kept[: self.max_tokens - _N_RESERVED]
        if not kept:
            if not token_lists:
                reason = "X holds no text"
            elif not counts:
                reason = "no training text holds a token"
            else:
                top, top_count = counts.most_common(1)[0]
                reason = (
                    f"no token is seen min_frequency={self.min_frequency} times "
                    f"(the most frequent, {top!r}, is seen {top_count} times)"
                )
            raise ValueError(f"The vocabulary is empty: {reason}.")
        self.vocabulary_ = {token: i for i, token in enumerate(kept, start=_N_RESERVED)}

    def _id_lists(self, token_lists):
        """The ids of each list of tokens, whole; a text without a token is
        one unknown id."""
        return [
            [self.vocabulary_.get(token, UNKNOWN_ID) for token in tokens]
            or [UNKNOWN_ID]
            for tokens in token_lists
        ]

    def _to_ids(self, token_lists):
        sequences = self._id_lists(token_lists)
        width = self.max_length
        if width is None:
            width = max(map(len, sequences), default=0)
        ids = np.zeros((len(sequences), width), dtype=np.int64)
        for row, sequence in zip(ids, sequences, strict=True):
            kept = sequence[:width]
            row[: len(kept)] = kept
        return ids

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary of the texts ``X``.

        Parameters
        ----------
        X : iterable of str, or of lists of str
            Texts (a list, a 1-D array or a pandas Series), or texts already
            split into tokens.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        self._fit_vocabulary(self._tokenize(X))
        return self

    def transform(self, X):
        """Turn texts into 0-padded rows of token ids.

        Parameters
        ----------
        X : iterable of str, or of lists of str
            Texts, or texts already split into tokens.

        Returns
        -------
        ids : ndarray of shape (n_texts, n_positions), dtype=int64
            The ids of each text's tokens, in order, then 0 (padding);
            ``n_positions`` is ``max_length``, or the number of tokens of the
            longest text.
        """
        check_is_fitted(self)
        return self._to_ids(self._tokenize(X))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Learn the vocabulary of ``X`` and turn ``X`` into token ids.

        The same as ``fit(X).transform(X)``, tokenizing ``X`` once.

        Parameters
        ----------
        X : iterable of str, or of lists of str
            Texts, or texts already split into tokens.
        y : None
            Ignored.

        Returns
        -------
        ids : ndarray of shape (n_texts, n_positions), dtype=int64
            The ids of each text's tokens, in order, then 0 (padding).
        """
        token_lists = self._tokenize(X)
        self._fit_vocabulary(token_lists)
        return self._to_ids(token_lists)

    def get_vocabulary(self):
        """The token of each id.

        Returns
        -------
        tokens : ndarray of str objects of shape (n_ids,)
            ``tokens[i]`` is the token of id ``i``: ``"<pad>"`` for 0,
            ``"<unk>"`` for 1, then the tokens of ``vocabulary_``.
        """
        check_is_fitted(self)
        tokens = np.empty(len(self.vocabulary_) + _N_RESERVED, dtype=object)
        tokens[PADDING_ID], tokens[UNKNOWN_ID] = PAD_TOKEN, UNKNOWN_TOKEN
        for token, i in self.vocabulary_.items():
            tokens[i] = token
        return tokens

    def inverse_transform(self, X):
        """Turn rows of token ids back into lists of tokens.

        Padding (id 0) is dropped, and an unknown id (1) becomes ``"<unk>"``;
        the result is valid input for :meth:`transform`.

        Parameters
        ----------
        X : ndarray of shape (n_texts, n_positions) or list of 1-D arrays
            Integer token ids, such as the output of :meth:`transform`, in the
            format :func:`check_token_ids` accepts.

        Returns
        -------
        token_lists : list of list of str
            The tokens of each row.
        """
        vocabulary = self.get_vocabulary()
        padded, lengths = check_token_ids(X)
        outside = np.argwhere(padded >= len(vocabulary))
        if len(outside):
            i, j = outside[0]
            raise ValueError(
                f"X[{i}][{j}] = {padded[i, j]} is not a token id of the "
                f"vocabulary: ids go from 0 to {len(vocabulary) - 1}."
            )
        return [
            vocabulary[row[:length]].tolist()
            for row, length in zip(padded, lengths, strict=True)
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
