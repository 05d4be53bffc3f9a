"""Fuzzing of the transformers and helper routes: nothing wrong in silence.

Every route, given odd input (layouts, dtypes, NaN and infinity anywhere,
empty input, extreme magnitudes, bad parameters), either returns finite
output of the documented shape (NaN only as padding), or raises a
ValueError or TypeError from a ``raise`` statement of this library or of
scikit-learn's validation. A NumPy overflow (a RuntimeWarning), an error from
inside NumPy, pandas or torch, or NaN in a result is a failure.

The routes that fit a network use models of 2 hidden units trained for one
epoch; those that read a fitted model share module-scoped fixtures. The
number of examples comes from the Hypothesis profile (``tests/conftest.py``).
"""

import re
import traceback
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNClassifier,
    RNNForecaster,
    RNNRegressor,
    SequenceImputer,
    SequencePadder,
    SequenceScaler,
    TokenSequencer,
    backtest,
    check_sequences,
    check_token_ids,
    from_long_format,
    generate,
    make_windows,
    predict_in_windows,
    sequence_lengths,
)

TINY = {"hidden_size": 2, "max_epochs": 1, "random_state": 0}

# Documented warnings of odd but valid input.
pytestmark = [
    pytest.mark.filterwarnings("ignore:X holds .* token id:UserWarning"),
    pytest.mark.filterwarnings("ignore:No sequence is longer than:UserWarning"),
    pytest.mark.filterwarnings("ignore:X does not have valid feature names"),
]


class Refused(Exception):
    """A route refused its input with a clear error."""


def assert_clear_error(exc):
    """Fail unless ``exc`` is a ValueError or TypeError raised on purpose.

    Stricter than raised anywhere below this library: the innermost frame must
    be a ``raise`` statement of sklearn_rnn or scikit-learn, so an error
    NumPy raises from a call in the library (such as "setting an array element
    with a sequence") is a failure.
    """
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{type(exc).__name__}: {exc} (at {frame.filename}:{frame.lineno})"
    assert isinstance(exc, (ValueError, TypeError)), where
    assert re.search(r"[/\\](sklearn_rnn|sklearn)[/\\]", frame.filename), where
    assert frame.line.lstrip().startswith("raise"), where


def run(route, *args, **kwargs):
    """Call ``route``; raise Refused on a clear error, fail on any other.

    NumPy's overflow and invalid-value warnings are errors here: they mean a
    result went silently wrong.
    """
    name = getattr(route, "__qualname__", route)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            result = route(*args, **kwargs)
        except Exception as exc:  # the property is about which errors arise
            assert_clear_error(exc)
            event(f"{name}: refused: {str(exc)[:60]}")  # --hypothesis-show-statistics
            raise Refused from exc
    event(f"{name}: result")
    return result


def outcome(route, *args, **kwargs):
    """The result of ``run``, or None where the route refused the input."""
    try:
        return run(route, *args, **kwargs)
    except Refused:
        return None


# --- values, sequences and layouts ------------------------------------------


def mostly(valid, odd):
    """A draw from ``valid`` about seven times in eight, else from ``odd``.

    ``valid`` and ``odd`` are strategies or lists of values. Each odd choice
    alone is refused early; mostly valid choices let an example reach the
    routes' later code with one odd thing in it. (A ``one_of`` of repeated
    strategies would not weigh them: Hypothesis merges them.)
    """
    valid, odd = (
        choices if isinstance(choices, st.SearchStrategy) else st.sampled_from(choices)
        for choices in (valid, odd)
    )
    return st.integers(0, 7).flatmap(lambda i: odd if i == 7 else valid)


EXTREMES = [0.0, -0.0, 1e300, -1e300, 1e-300, 1.7e308, 5e-324, np.nan, np.inf]
finite = st.floats(allow_nan=False, allow_infinity=False)
values = mostly(finite, EXTREMES)
DTYPES = ["float64", "float32", "float16", "int64", "bool", "object", "Float64"]
LAYOUTS = [
    "list",
    "tuple",
    "array3d",
    "array2d",
    "frame2d",
    "frames",
    "object_array",
    "nested_frame",
    "multiindex_frame",
    "series_list",
]


def _cast(block, dtype):
    """A float block in ``dtype``, as a caller could hold it."""
    with np.errstate(all="ignore"):
        if dtype in ("int64", "bool"):
            return np.nan_to_num(block, posinf=0, neginf=0).astype(dtype)
        if dtype == "object":
            out = block.astype(object)
            out[np.isnan(block)] = None
            return out
        if dtype == "Float64":
            return block  # converted by the pandas layouts
        return block.astype(dtype)


@st.composite
def sequence_inputs(draw):
    """Sequences in any layout, dtype and shape, with odd values anywhere."""
    layout = draw(st.sampled_from(LAYOUTS))
    dtype = draw(mostly(["float64"], DTYPES))
    n_sequences = draw(mostly([1, 2, 3], [0]))
    n_channels = draw(mostly([1, 2], [0]))
    length = mostly([1, 2, 3, 4], [0])
    lengths = draw(st.lists(length, min_size=n_sequences, max_size=3))
    blocks = []
    for length in lengths[:n_sequences]:
        # Now and then a sequence with another number of channels.
        channels = draw(mostly([n_channels], [n_channels + 1]))
        flat = draw(st.lists(values, min_size=length * channels, max_size=12))
        block = np.array(flat[: length * channels], dtype=float)
        blocks.append(_cast(block.reshape(length, channels), dtype))
    if layout in ("list", "tuple", "object_array"):
        container = tuple if layout == "tuple" else list
        X = container(b[:, 0] if b.shape[1] == 1 else b for b in blocks)
        if layout == "object_array":
            X = np.empty(len(blocks), dtype=object)
            X[:] = [b for b in blocks] if blocks else []
        return X
    if layout in ("frames", "series_list"):
        pandas_dtype = "Float64" if dtype == "Float64" else None
        if layout == "series_list":
            return [
                pd.Series(b[:, 0] if b.shape[1] else [], dtype=pandas_dtype)
                for b in blocks
            ]
        return [
            pd.DataFrame(b, columns=[f"c{j}" for j in range(b.shape[1])]).astype(
                pandas_dtype or b.dtype
            )
            for b in blocks
        ]
    if layout == "nested_frame":
        rows = [
            {f"c{j}": pd.Series(b[:, j]) for j in range(b.shape[1])} for b in blocks
        ]
        return pd.DataFrame(rows)
    # Rectangular layouts: the first length for all, or no sequence at all.
    length = lengths[0] if n_sequences else 0
    flat = draw(st.lists(values, min_size=0, max_size=12))
    size = n_sequences * length * n_channels
    block = np.resize(np.array(flat or [1.0]), size).reshape(
        n_sequences, length, n_channels
    )
    block = _cast(block, dtype)
    if layout == "array3d":
        return block
    block = block[:, :, 0] if n_channels else block.reshape(n_sequences, length * 0)
    if layout == "array2d":
        return block
    frame = pd.DataFrame(block)
    if dtype == "Float64":
        frame = frame.astype("Float64")
    if layout == "multiindex_frame":
        frame.index = pd.MultiIndex.from_arrays(
            [np.zeros(len(frame), int), np.arange(len(frame))]
        )
    return frame


# --- transformers -------------------------------------------------------------

FLAGS = [True, False]
ODD_FLAGS = [1, "no", None]

transformers = st.one_of(
    st.builds(
        SequencePadder,
        max_length=mostly([None, 1, 3], [0, -1, 2.5, "3", True]),
        truncating=mostly(["pre", "post"], ["x", None]),
        min_length=mostly([None, 1, 2], [0]),
        channels_first=mostly([False, True], ["yes"]),
    ),
    st.builds(
        SequenceScaler,
        per_sequence=mostly(FLAGS, ODD_FLAGS),
        with_mean=mostly(FLAGS, ODD_FLAGS),
        with_std=mostly(FLAGS, ODD_FLAGS),
    ),
    st.builds(
        SequenceImputer,
        fill=mostly(["forward", "backward", None], ["x"]),
        strategy=mostly(["mean", "median", "constant"], ["mode"]),
        fill_value=mostly([0.0, 1, -1e300, 1e308], [np.nan, np.inf, "a", None]),
    ),
)


def assert_padded(out, n_sequences):
    """NaN-padded 3-D float output: finite inside every sequence."""
    assert isinstance(out, np.ndarray) and out.ndim == 3, type(out)
    assert out.dtype == np.float64 and len(out) == n_sequences
    lengths = sequence_lengths(out)
    assert (lengths >= 1).all(), lengths
    inside = np.arange(out.shape[1])[None, :] < lengths[:, None]
    assert np.isfinite(out[inside]).all(), out


@given(transformer=transformers, X=sequence_inputs(), X_new=sequence_inputs())
def test_sequence_transformers_transform_or_refuse(transformer, X, X_new):
    fitted = outcome(transformer.fit_transform, X)
    if fitted is None:
        return
    assert_padded(fitted, len(fitted))
    transformed = outcome(transformer.transform, X_new)
    if transformed is not None:
        assert_padded(transformed, len(transformed))
        assert transformed.shape[2] == transformer.n_features_in_
    if isinstance(transformer, SequencePadder):
        for data in (fitted, X_new):
            sequences = outcome(transformer.inverse_transform, data)
            if sequences is not None:
                assert all(len(s) >= 1 and s.ndim == 2 for s in sequences)


@given(X=sequence_inputs(), allow_missing=st.booleans())
def test_validation_helpers_pad_or_refuse(X, allow_missing):
    checked = outcome(check_sequences, X, dtype=np.float64, allow_missing=allow_missing)
    if checked is not None:
        padded, lengths, _ = checked
        assert padded.ndim == 3 and len(padded) == len(lengths) >= 1
        assert (lengths >= 1).all() and padded.shape[1] == lengths.max()
        assert not np.isinf(padded).any()
        if not allow_missing:
            assert np.isfinite(padded).all()
    lengths = outcome(sequence_lengths, X)
    if lengths is not None:
        assert lengths.dtype == np.int64 and (lengths >= 0).all()
    ids = outcome(check_token_ids, X)
    if ids is not None:
        padded, lengths = ids
        assert padded.dtype == np.int64 and (padded >= 0).all()
        assert (lengths >= 1).all()


# --- texts ----------------------------------------------------------------------

words = st.lists(
    st.sampled_from(["cat", "Dog", "sat", "é", "中文", "a1", "<unk>"]),
    min_size=1,
    max_size=6,
).map(" ".join)
odd_texts = st.one_of(
    words,
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "\t\n", "é 😀 中文", "\x00", "a" * 10_000, "ab " * 3_000]
    ),
)
odd_items = st.one_of(
    odd_texts,
    st.lists(st.text(max_size=5), max_size=4),
    st.sampled_from([None, np.nan, pd.NA, 3, b"bytes", ("ab", 1), 1.5]),
)
texts = st.lists(odd_texts, min_size=1, max_size=5)
text_collections = mostly(
    st.one_of(
        texts,
        texts.map(lambda x: pd.Series(x, dtype=object)),
        texts.map(lambda x: np.array(x, dtype=object)),
        st.lists(st.lists(st.text(max_size=5), max_size=4), min_size=1, max_size=3),
    ),
    st.one_of(
        st.lists(odd_items, max_size=5),
        st.sampled_from(["a single text", None, 5, pd.DataFrame({"t": ["ab"]})]),
    ),
)
sequencers = st.builds(
    TokenSequencer,
    lowercase=mostly(FLAGS, ["no"]),
    token_pattern=mostly([r"(?u)\b\w\w+\b", r"\w"], ["(", "(a)(b)", 1]),
    analyzer=mostly(["word", "char"], ["bytes"]),
    min_frequency=mostly([1, 2], [0, 1.5]),
    max_tokens=mostly([None, 3, 5], [2]),
    max_length=mostly([None, 1, 4], [0]),
)
id_rows = st.one_of(
    st.lists(st.lists(st.integers(-1, 12), max_size=4), max_size=3),
    st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=4), min_size=1),
    st.lists(st.lists(st.sampled_from([2.0, 2.5, np.nan, 1e20, 2**63]), max_size=3)),
    st.sampled_from([[[[1, 2], [3]]], np.array([[2**64 - 1]], dtype=np.uint64)]),
)


@given(sequencer=sequencers, X=text_collections, X_new=text_collections, ids=id_rows)
def test_token_sequencer_on_odd_texts(sequencer, X, X_new, ids):
    fitted = outcome(sequencer.fit_transform, X)
    if fitted is None:
        return
    n_ids = len(sequencer.get_vocabulary())
    for out in (fitted, outcome(sequencer.transform, X_new)):
        if out is not None:
            assert out.dtype == np.int64 and out.ndim == 2
            assert ((out >= 0) & (out < n_ids)).all()
            if sequencer.max_length is not None:
                assert out.shape[1] == sequencer.max_length
            tokens = run(sequencer.inverse_transform, out) if len(out) else []
            assert len(tokens) == len(out)
    tokens = outcome(sequencer.inverse_transform, ids)
    if tokens is not None:
        assert all(isinstance(t, str) for row in tokens for t in row)


# --- long format ------------------------------------------------------------------

id_values = mostly([1, 2, 3], ["a", 2.5, np.nan, None])
time_values = mostly(
    [0, 1, 2, 3, 4, 5], ["t1", pd.Timestamp("2020-01-01"), np.nan, 1.5]
)
LONG_KEYS = [{"id_column": "id", "time_column": "time"}, {"multiindex": True}]
ODD_LONG_KEYS = [
    {"id_column": "id", "time_column": "id"},
    {"id_column": ["id"], "time_column": "time"},
    {"id_column": "id"},
    {},
]
LONG_OPTIONS = [{}, {"value_columns": ["value"]}, {"as_frame": False}]
ODD_LONG_OPTIONS = [
    {"value_columns": "value"},
    {"value_columns": ["nope"]},
    {"as_frame": "no"},
]


@st.composite
def long_frames(draw):
    """Long-format frames with odd ids, times, values, columns and arguments."""
    n_rows = draw(mostly([1, 3, 6], [0]))
    rows = st.lists(values, min_size=n_rows, max_size=n_rows)
    data = pd.DataFrame(
        {
            "id": draw(st.lists(id_values, min_size=n_rows, max_size=n_rows)),
            "time": draw(st.lists(time_values, min_size=n_rows, max_size=n_rows)),
            "value": draw(rows),
        }
    )
    extra_column = draw(mostly([None], [True, pd.NA, "x"]))
    if extra_column is not None:
        data["flag"] = pd.Series([extra_column] * n_rows, dtype=object)
        data["flag"] = data["flag"].astype(
            "boolean" if extra_column is True else object
        )
    if draw(mostly([False], [True])):
        data.columns = ["id", "time", "value", "value"][: data.shape[1]]
    keys = dict(draw(mostly(LONG_KEYS, ODD_LONG_KEYS)))  # a copy: pop changes it
    if keys.pop("multiindex", False):
        data = data.set_index(["id", "time"])
    return data, {**keys, **draw(mostly(LONG_OPTIONS, ODD_LONG_OPTIONS))}


targets_by_id = mostly(
    [None, pd.Series({1: 0, 2: 1, 3: 0})],
    [pd.Series({1: 0, 2: None}), pd.Series([0, 1], index=[1, 1]), [0, 1]],
)


@given(frame=long_frames(), y=targets_by_id)
def test_from_long_format_on_odd_frames(frame, y):
    data, arguments = frame
    out = outcome(from_long_format, data, y=y, **arguments)
    if out is None:
        return
    X, targets, ids = out
    assert len(X) == len(ids) >= 1
    for sequence in X:
        array = np.asarray(sequence, dtype=np.float64)
        assert array.ndim == 2 and len(array) >= 1
        assert not np.isinf(array).any()  # NaN is a missing value, documented
    if y is not None:
        assert len(targets) == len(ids) and not pd.isna(targets).any()
    sequences = outcome(check_sequences, X, allow_missing=True)
    if sequences is not None:
        assert len(sequences[0]) == len(X)


# --- series: windows, forecasts, backtests ------------------------------------------

MAGNITUDES = [1.0, 1e-300, 1e300, 1e150]
INDEXES = ["range", "daily", "monthly", "stepped"]
ODD_INDEXES = ["floats", "strings", "repeated", "unsorted"]


def _index(kind, n):
    """A time index of ``n`` labels: one forecasts can continue, or not."""
    return {
        "range": lambda: pd.RangeIndex(n),
        "daily": lambda: pd.date_range("2020-01-01", periods=n, freq="D"),
        "monthly": lambda: pd.period_range("2020-01", periods=n, freq="M"),
        "stepped": lambda: pd.Index(np.arange(n) * 3 + 10),
        "floats": lambda: pd.Index(np.arange(n) / 2),
        "strings": lambda: pd.Index([f"t{i}" for i in range(n)]),
        "repeated": lambda: pd.Index(np.minimum(np.arange(n), max(n - 2, 0))),
        "unsorted": lambda: pd.Index(np.arange(n)[::-1]),
    }[kind]()


@st.composite
def series_inputs(draw, max_length=14):
    """One or many series, with odd values, gaps, indexes and layouts."""
    kind = draw(
        mostly(["array", "series", "frame", "list"], ["numbers", "array2d", "empty"])
    )
    n = draw(mostly(st.integers(6, max_length), st.integers(0, 5)))
    smooth = 2 + np.sin(np.arange(n))
    # Mostly smooth series at any magnitude, now and then arbitrary values.
    if draw(mostly([True], [False])):
        column = smooth * draw(st.sampled_from(MAGNITUDES))
    else:
        column = np.array(draw(st.lists(values, min_size=n, max_size=n)), dtype=float)
    odd_value = draw(mostly([None], [np.nan, np.inf, -1.0]))
    if odd_value is not None and n:
        column[draw(st.integers(0, n - 1))] = odd_value
    if kind == "array":
        return column
    if kind == "series":
        index = _index(draw(mostly(INDEXES, ODD_INDEXES)), n)
        return pd.Series(column, index=index, dtype=draw(mostly([None], ["Float64"])))
    if kind == "frame":
        late_start = np.r_[np.nan, column[1:] / 2] if n else column
        return pd.DataFrame({"a": column, "b": late_start})
    if kind == "list":
        return [column, smooth[: max(n - 3, 0)] + 1]
    if kind == "numbers":
        return list(column)
    if kind == "array2d":
        return np.column_stack([column, column])
    return np.array([])


EXOGENOUS = {"ones": 1.0, "huge": 1e300, "nan": np.nan, "strings": "x"}


@given(
    y=series_inputs(),
    window_length=mostly([1, 2, 3], [0, 2.0, True]),
    horizon=mostly([1, 2], [-1]),
    step=mostly([1, 3], [None]),
    exog=mostly([None, "ones", "huge"], ["nan", "strings", "wrong_rows"]),
)
def test_make_windows_on_odd_series(y, window_length, horizon, step, exog):
    X = None
    if exog is not None and isinstance(y, np.ndarray) and y.ndim == 1:
        rows = len(y) + (exog == "wrong_rows")
        X = np.full((rows, 2), EXOGENOUS.get(exog, 1.0), dtype=object)
    out = outcome(make_windows, y, window_length, horizon, step=step, X=X)
    if out is None:
        return
    windows, targets = out
    assert windows.ndim == 3 and windows.shape[1] == window_length
    assert targets.shape == (len(windows), horizon) and len(windows) >= 1
    assert np.isfinite(windows).all() and np.isfinite(targets).all()


forecaster_parameters = st.fixed_dictionaries(
    {
        "window_length": mostly([2, 3], [0, "3"]),
        "horizon": st.sampled_from([1, 2]),
        "transform": mostly([None, "log"], ["sqrt"]),
        "difference": mostly([None, 1, 3], [50]),
        "window_normalization": st.sampled_from(["mean", "last", None]),
        "linear_autoregression": st.booleans(),
    }
)


def _forecast_lengths(forecasts):
    """The set of numbers of forecast values of the series, checked finite."""
    if isinstance(forecasts, pd.DataFrame):
        columns = [forecasts[c].dropna().to_numpy() for c in forecasts.columns]
    elif isinstance(forecasts, list):
        columns = [np.asarray(f, dtype=np.float64) for f in forecasts]
    else:
        columns = [np.asarray(forecasts, dtype=np.float64)]
    assert all(np.isfinite(c).all() for c in columns), forecasts
    return {len(c) for c in columns}


@given(
    params=forecaster_parameters,
    y=series_inputs(),
    history=st.one_of(st.none(), series_inputs()),
    n_periods=mostly([1, 3, None, np.int64(2)], [0, True, 2.0]),
    with_exog=st.booleans(),
)
def test_forecaster_fits_and_forecasts_or_refuses(
    params, y, history, n_periods, with_exog
):
    forecaster = RNNForecaster(
        RNNRegressor(input_scaling=None, **TINY), random_state=0, **params
    )
    X = None
    if with_exog and isinstance(y, (np.ndarray, pd.Series)) and np.ndim(y) == 1:
        X = np.linspace(-1e300, 1e300, len(y))
    if outcome(forecaster.fit, y, X) is None:
        return
    forecasts = outcome(forecaster.forecast, n_periods)
    if forecasts is not None:
        expected = forecaster.horizon if n_periods is None else n_periods
        assert _forecast_lengths(forecasts) == {expected}
        if isinstance(y, pd.Series):
            assert isinstance(forecasts, pd.Series) and len(forecasts) == expected
    if history is not None and X is None:
        forecasts = outcome(forecaster.forecast, 2, y=history)
        if forecasts is not None:
            assert _forecast_lengths(forecasts) == {2}


splits = st.one_of(
    mostly([2, TimeSeriesSplit(n_splits=2, test_size=2)], [0, True, "x", None]),
    st.lists(
        st.tuples(
            st.lists(st.integers(-1, 12), max_size=10),
            st.lists(st.integers(-1, 14), max_size=3),
        ),
        max_size=2,
    ),
    st.just([(np.arange(8.0), np.arange(8.0, 10.0))]),
)


@given(y=series_inputs(), cv=splits, n_periods=mostly([None, 1, 2], [0, 50]))
def test_backtest_on_odd_splits(y, cv, n_periods):
    forecaster = RNNForecaster(
        RNNRegressor(input_scaling=None, **TINY), window_length=2, random_state=0
    )
    results = outcome(backtest, forecaster, y, cv=cv, n_periods=n_periods)
    if results is None:
        return
    assert list(results.columns) == [
        "origin",
        "series",
        "step",
        "time",
        "y_true",
        "y_pred",
    ]
    assert len(results) >= 1 and (results["step"] >= 1).all()
    assert np.isfinite(results["y_pred"].to_numpy(dtype=np.float64)).all()


# --- models of sequences: generation and windows ----------------------------------


@pytest.fixture(scope="module")
def next_token_model():
    """A tiny character model, as a Pipeline with its TokenSequencer."""
    texts = ["ab ba ab", "ba ab"] * 3
    sequencer = TokenSequencer(analyzer="char").fit(texts)
    ids = [row[row != 0] for row in sequencer.transform(texts)]
    model = RNNClassifier(
        per_step=True, embedding_dim=2, bidirectional=False, **TINY
    ).fit([s[:-1] for s in ids], [s[1:] for s in ids])
    return make_pipeline(sequencer, model)


# (whether the prompt is a text for the Pipeline, the prompt)
prompts = mostly(
    st.one_of(
        odd_texts.map(lambda text: (True, text)),
        st.lists(st.integers(1, 8), min_size=1, max_size=5).map(lambda p: (False, p)),
    ),
    st.tuples(
        st.booleans(),
        st.one_of(
            st.lists(st.integers(-1, 8), max_size=5),
            st.sampled_from(
                [[2.5], [np.nan], [1e20], [[2, 3], [3]], None, [10**9], "ab"]
            ),
        ),
    ),
)


@given(
    text_and_prompt=prompts,
    n_tokens=mostly([0, 1, 3], [-1, 2.0, True]),
    temperature=mostly([0, 0.5, 1.0, 5e-324, 1e300, np.inf], [-1, np.nan, "x", None]),
)
def test_generate_continues_or_refuses(
    next_token_model, text_and_prompt, n_tokens, temperature
):
    as_text, prompt = text_and_prompt
    model = next_token_model if as_text else next_token_model[-1]
    out = outcome(
        generate, model, prompt, n_tokens, temperature=temperature, random_state=0
    )
    if out is None:
        return
    if as_text:
        assert isinstance(out, str) and out.startswith(prompt)
    else:
        assert out.dtype.kind == "i" and len(out) == len(np.ravel(prompt)) + n_tokens
        assert (out[len(out) - n_tokens :] > 0).all()


@pytest.fixture(scope="module")
def taggers(next_token_model):
    """Per-step models: a classifier and a regressor of numbers, and of ids."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 1)) for n in (6, 8, 10)]
    return [
        RNNClassifier(per_step=True, **TINY).fit(X, [x[:, 0] > 0 for x in X]),
        RNNRegressor(per_step=True, **TINY).fit(X, [x[:, 0] for x in X]),
        next_token_model[-1],
        next_token_model,
    ]


@st.composite
def windowed_inputs(draw):
    """Which tagger, and what it reads: mostly its own kind of input."""
    which = draw(st.integers(0, 3))
    kinds = [
        sequence_inputs(),
        st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=9), min_size=1),
        st.lists(odd_texts, min_size=1, max_size=3),
    ]
    own = kinds[[0, 0, 1, 2][which]]  # numbers, numbers, ids, texts
    return which, draw(mostly(own, st.one_of(kinds)))


@given(
    which_and_X=windowed_inputs(),
    window_length=mostly([1, 3, 4, 10**9], [0, 2.5, True]),
    step=mostly([None, 1, 2], [5, 0]),
    method=mostly(["predict", "predict_proba"], ["transform", None]),
)
def test_predict_in_windows_labels_every_step_or_refuses(
    taggers, which_and_X, window_length, step, method
):
    which, X = which_and_X
    model = taggers[which]
    outputs = outcome(
        predict_in_windows, model, X, window_length, step=step, method=method
    )
    if outputs is None:
        return
    assert isinstance(outputs, list) and len(outputs) >= 1
    final = model[-1] if hasattr(model, "steps") else model
    for output in outputs:
        assert len(output) >= 1
        if method == "predict" and hasattr(final, "classes_"):
            assert np.isin(output, final.classes_).all()
        else:
            assert np.isfinite(output).all()
