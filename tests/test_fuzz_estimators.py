"""Fuzzing the estimators: odd input gives a result or a clear error.

Every route of RNNClassifier and RNNRegressor (``fit``, ``partial_fit``,
``predict``, ``predict_proba``, ``score``, ``embed``) and an ONNX export run
by onnxruntime get generated input: any layout and dtype, NaN and infinity
anywhere, empty input and sequences, huge and tiny values, odd token ids,
targets, sample weights and parameters. Each outcome must be

* a result of the right shape with finite values, or
* a ``ValueError`` or ``TypeError`` raised by this library (or by
  scikit-learn's validation) whose message names an argument or a position,
  or, in ``fit`` on extreme values or parameters, the documented
  ``FloatingPointError`` of a diverged training,

with only documented warnings, within ``TIME_LIMIT_S`` seconds and
``MEMORY_LIMIT_BYTES`` of memory. Input that holds nothing odd must give a
result. Fits are tiny (2 hidden units, one epoch); the predict-side routes
share models fitted once per module. ``benchmarks/tools/fuzz.py`` runs these tests
with many more examples.
"""

import contextlib
import copy
import re
import resource
import signal
import traceback
import warnings

import numpy as np
import onnxruntime
import pandas as pd
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from test_properties import raised_by_the_library

from sklearn_rnn import (
    RNNClassifier,
    RNNRegressor,
    check_sequences,
    check_token_ids,
    export_onnx,
)

# Bounds on one call: a tiny fit takes ~10 ms and a few MB.
TIME_LIMIT_S = 60
MEMORY_LIMIT_BYTES = 2**31

TINY = {
    "hidden_size": 2,
    "max_epochs": 1,
    "conv_channels": None,
    "early_stopping": False,
    "random_state": 0,
}
ESTIMATORS = [RNNClassifier, RNNRegressor]

# Warnings the docs promise: ids the model never saw, channel names dropped
# since fit, a 3-D array that may be channel-first, a fit that learned nothing
# (one epoch of tiny fits), and scikit-learn's column-vector y and R² of one
# sequence (NaN).
DOCUMENTED_WARNINGS = (
    "token id(s) the model never saw",
    "X does not have valid feature names",
    "time steps of",  # ChannelLayoutWarning
    "is not clearly below",  # ConvergenceWarning
    "A column-vector y was passed",
    "R^2 score is not well-defined with less than two samples",
)

# Words that name what is wrong: an argument, or a position in X or y.
ARGUMENTS = (
    "X",
    "y",
    "sample_weight",
    "Sample weights",
    "classes",
    "sequence",
    "Sequence",
    "sequences",
    "token id",
    "label",
    "targets",
    "labels",
    "features",
    "channels",
)


# -- the property ----------------------------------------------------------------------


def raised_by_scikit_learn_validation(exc):
    """Whether ``exc`` is a ValueError or TypeError of scikit-learn's input or
    parameter validation (the estimators use it for targets, sample weights
    and parameters)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return isinstance(exc, (ValueError, TypeError)) and any(
        re.search(r"sklearn[/\\]utils[/\\]", frame.filename) for frame in frames[-3:]
    )


def assert_clear_error(exc, names, may_diverge):
    """``exc`` is a clear error naming one of ``names`` or of ``ARGUMENTS``."""
    diverged = isinstance(exc, FloatingPointError) and str(exc).startswith(
        "Training diverged"
    )
    if diverged:
        assert may_diverge, f"training diverged on ordinary input: {exc}"
        return
    assert raised_by_the_library(exc) or raised_by_scikit_learn_validation(exc), (
        "".join(traceback.format_exception(exc))
    )
    message = str(exc)
    assert any(
        re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)
        for name in (*names, *ARGUMENTS)
    ), f"the message names no argument: {message!r}"


@contextlib.contextmanager
def within_bounds():
    """Fail a call that runs past ``TIME_LIMIT_S`` or raises the process's
    peak memory by more than ``MEMORY_LIMIT_BYTES``."""

    def stop(signum, frame):
        raise TimeoutError(f"the call ran past {TIME_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(TIME_LIMIT_S)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak
    assert grown <= MEMORY_LIMIT_BYTES, f"the call took {grown / 2**20:.0f} MiB more"


def outcome(route, *args, names=(), may_diverge=False, **kwargs):
    """``route(*args, **kwargs)``, or None when it raised a clear error.

    ``names`` are the arguments and parameters the call was given that an
    error may name.
    """
    with warnings.catch_warnings(record=True) as caught, within_bounds():
        warnings.simplefilter("always")
        try:
            result = route(*args, **kwargs)
        except Exception as exc:  # the property is about which errors arise
            event(f"{route.__name__}: {type(exc).__name__}")
            assert_clear_error(exc, names, may_diverge)
            result = None
        else:
            event(f"{route.__name__}: a result")
    # On the way to a clear error, scikit-learn's own checks may warn (NumPy's
    # "invalid value" on inf - inf); a result comes with documented ones only.
    for warning in caught if result is not None else ():
        assert any(text in str(warning.message) for text in DOCUMENTED_WARNINGS), (
            f"undocumented {warning.category.__name__} at {warning.filename}:"
            f"{warning.lineno}: {warning.message}"
        )
    return result


def assert_finite(output, shape):
    """``output`` (an array, or a list of per-sequence arrays) is finite and of
    ``shape`` (for a list: its length and each array's shape; None matches any
    size)."""
    if isinstance(shape, list):
        assert isinstance(output, list) and len(output) == len(shape)
        for array, array_shape in zip(output, shape, strict=True):
            assert_finite(array, array_shape)
        return
    output = np.asarray(output)
    assert len(output.shape) == len(shape), (output.shape, shape)
    assert all(n in (None, m) for m, n in zip(output.shape, shape, strict=True)), (
        output.shape,
        shape,
    )
    if output.dtype.kind in "fc":
        assert np.isfinite(output).all(), output


# -- numeric sequences -----------------------------------------------------------------

ORDINARY = st.floats(-5, 5, allow_nan=False, width=32).map(float)
# NaN, infinity, the largest float32 magnitudes, values past float16 and
# float32, and subnormal ones.
ODD_VALUES = st.sampled_from(
    [np.nan, np.inf, -np.inf, 1e38, -3e38, 1e300, -1e300, 1e-300, 1e-40, 7e4, 0.0]
)
ANY_VALUE = st.one_of(ORDINARY, ODD_VALUES)

ANY_CHANNELS = st.integers(1, 3)
NUMPY_DTYPES = ["float64", "float32", "float16", "int64", "bool", "object", "str"]
PANDAS_DTYPES = [*NUMPY_DTYPES, "Int64", "Float64", "boolean"]
# Layouts whose sequences share one number of channels.
FIXED_LAYOUTS = ["array3d", "array2d", "frame2d", "multiindex"]
RAGGED_LAYOUTS = [
    "list",
    "tuple",
    "list1d",
    "object_array",
    "nested_lists",
    "frames",
    "series_list",
    "nested_frame",
    "series_of_arrays",
]


def with_dtype(values, dtype):
    """Float64 ``values`` as ``dtype``, as a user's data of that dtype would
    hold them: NaN is 0 in integers and False in booleans, and a nullable
    pandas dtype holds NA."""
    if dtype in ("int64", "Int64"):
        whole = np.clip(np.nan_to_num(np.round(values)), -(2**62), 2**62)
        if dtype == "int64":
            return whole.astype(np.int64)
        return pd.array(
            [
                None if np.isnan(v) else int(w)
                for v, w in zip(values, whole, strict=True)
            ],
            dtype="Int64",
        )
    if dtype in ("bool", "boolean"):
        if dtype == "bool":
            return np.nan_to_num(values) != 0
        return pd.array([None if np.isnan(v) else v != 0 for v in values], "boolean")
    if dtype == "Float64":
        return pd.array([None if np.isnan(v) else v for v in values], "Float64")
    if dtype == "str":
        return values.astype(str)
    with np.errstate(over="ignore"):
        return values.astype(dtype)


def frame(values, dtype, names):
    """A DataFrame of the 2-D float64 ``values``, its columns of ``dtype``."""
    return pd.DataFrame(
        {
            name: with_dtype(column, dtype)
            for name, column in zip(names, values.T, strict=False)
        }
    )


def in_layout(sequences, layout, dtype):
    """The float64 2-D ``sequences`` in ``layout`` and ``dtype``."""
    names = ["a", "b", "c", "d"]
    if layout in FIXED_LAYOUTS:
        n_timesteps = max((len(s) for s in sequences), default=0)
        n_channels = sequences[0].shape[1] if sequences else 1
        padded = np.full((len(sequences), n_timesteps, n_channels), np.nan)
        for i, sequence in enumerate(sequences):
            padded[i, : len(sequence)] = sequence
        if layout == "array3d":
            return with_dtype(padded.ravel(), dtype).reshape(padded.shape)
        if layout == "array2d":
            return with_dtype(padded[:, :, 0].ravel(), dtype).reshape(padded.shape[:2])
        if layout == "frame2d":
            return frame(padded[:, :, 0], dtype, range(n_timesteps))
        rows = [(i, t) for i, s in enumerate(sequences) for t in range(len(s))]
        long = np.concatenate([*sequences, np.empty((0, n_channels))])
        return frame(long, dtype, names[:n_channels]).set_index(
            pd.MultiIndex.from_tuples(rows, names=["id", "time"])
            if rows
            else pd.MultiIndex.from_arrays([[], []], names=["id", "time"])
        )
    if layout == "frames":
        return [frame(s, dtype, names[: s.shape[1]]) for s in sequences]
    if layout in ("series_list", "series_of_arrays"):
        series = [pd.Series(with_dtype(s[:, 0], dtype)) for s in sequences]
        return series if layout == "series_list" else pd.Series(series, dtype=object)
    if layout == "nested_frame":
        n_channels = min((s.shape[1] for s in sequences), default=1)
        return pd.DataFrame(
            {
                name: [pd.Series(with_dtype(s[:, c], dtype)) for s in sequences]
                for c, name in enumerate(names[:n_channels])
            }
        )
    typed = [with_dtype(s.ravel(), dtype).reshape(s.shape) for s in sequences]
    if layout == "list1d":
        return [s[:, 0] for s in typed]
    if layout == "tuple":
        return tuple(typed)
    if layout == "nested_lists":
        return [s.tolist() for s in typed]
    if layout == "object_array":
        container = np.empty(len(typed), dtype=object)
        container[:] = typed
        return container
    return typed


@st.composite
def sequences(draw, n_channels=ANY_CHANNELS, max_sequences=4):
    """``(X, n_sequences, clean)``: sequences in any layout and dtype, and
    whether they hold nothing odd (so a route must accept them)."""
    channels = draw(n_channels)
    layout = draw(st.sampled_from(FIXED_LAYOUTS + RAGGED_LAYOUTS))
    fixed = layout in [*FIXED_LAYOUTS, "nested_frame", "list1d", "series_list"]
    # Each kind of oddity in a third of the examples or fewer, so that many
    # examples are ordinary input the routes must accept.
    odd_values = draw(st.integers(0, 2)) == 0
    mixed_channels = not fixed and draw(st.integers(0, 5)) == 0
    n_sequences = draw(st.integers(0, max_sequences))
    empty_at = draw(st.integers(0, n_sequences)) if draw(st.integers(0, 5)) == 0 else -1
    drawn = []
    for i in range(n_sequences):
        shape = (
            0 if i == empty_at else draw(st.integers(1, 5)),
            draw(st.integers(1, 3)) if mixed_channels else channels,
        )
        elements = ANY_VALUE if odd_values else ORDINARY
        drawn.append(draw(arrays(np.float64, shape, elements=elements)))
    empty = any(len(s) == 0 for s in drawn)
    # NaN where it is padding (trailing steps), a missing step or a missing value.
    nan_at = draw(st.sampled_from([None, None, "padding", "step", "value"]))
    if drawn:
        i = draw(st.integers(0, len(drawn) - 1))
        target = drawn[i]
        if nan_at == "padding":
            drawn[i] = np.vstack([target, np.full((2, target.shape[1]), np.nan)])
        elif nan_at in ("step", "value") and len(target) > 0:
            t = draw(st.integers(0, len(target) - 1))
            target[t, : None if nan_at == "step" else 1] = np.nan
    pandas_layout = "frame" in layout or "series" in layout or layout == "multiindex"
    dtype = draw(st.sampled_from(PANDAS_DTYPES if pandas_layout else NUMPY_DTYPES))
    clean = (
        n_sequences > 0
        and not (odd_values or mixed_channels)
        # Numbers written as text are refused, never parsed.
        and dtype != "str"
        and nan_at in (None, "padding")
        and layout != "multiindex"
        and not empty
    )
    return in_layout(drawn, layout, dtype), n_sequences, clean


def architectures():
    """Tiny architectures over the cells, directions, poolings and scalings."""
    return st.fixed_dictionaries(
        {
            "cell": st.sampled_from(["gru", "lstm", "rnn", "transformer"]),
            "bidirectional": st.booleans(),
            "pooling": st.sampled_from(["last", "mean", "max", "attention"]),
            "input_scaling": st.sampled_from([None, "channel", "sequence", "both"]),
            "conv_channels": st.sampled_from([None, (2,)]),
        }
    )


# -- fit on odd sequences --------------------------------------------------------------


def expected_shape(model, route, lengths):
    """The shape of ``route``'s output for sequences of ``lengths``: a list of
    shapes, one per sequence, for a per-step model's predictions."""
    n_outputs = getattr(model, "n_outputs_", 1)
    if route == "predict_proba":
        n_outputs = len(model.classes_)
    elif route == "predict" and getattr(model, "_target_ndim", 1) == 1:
        n_outputs = None
    if route == "embed" or not model.per_step:
        columns = () if n_outputs is None else (n_outputs,)
        if route == "embed":
            columns = (None,)  # the width of the pooled features
        return (len(lengths), *columns)
    columns = () if n_outputs is None else (n_outputs,)
    return [(length, *columns) for length in lengths]


def predict_routes(model):
    routes = ["predict", "embed"]
    return [*routes, "predict_proba"] if hasattr(model, "classes_") else routes


def assert_predicts(model, X, lengths):
    """Every predict-side route of a fitted ``model`` accepts ``X`` and gives
    finite outputs of the right shapes."""
    for route in predict_routes(model):
        output = outcome(getattr(model, route), X)
        assert output is not None, f"{route} refused what fit accepted"
        assert_finite(output, expected_shape(model, route, lengths))


@given(data=st.data())
def test_fit_on_odd_sequences_trains_or_raises_a_clear_error(data):
    Estimator = data.draw(st.sampled_from(ESTIMATORS))
    X, n_sequences, clean = data.draw(sequences())
    model = Estimator(**{**TINY, **data.draw(architectures())})
    y = np.arange(n_sequences) % 2
    fitted = outcome(model.fit, X, y, names=("X",), may_diverge=not clean)
    if clean and (n_sequences >= 2 or Estimator is RNNRegressor):
        assert fitted is not None, "ordinary input was refused"
    if fitted is not None:
        assert_predicts(model, X, check_sequences(X)[1])


# -- predict-side routes ---------------------------------------------------------------


def training_sequences(n_sequences=6, n_channels=2, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, 6, n_sequences)
    return [rng.normal(size=(length, n_channels)) for length in lengths]


@pytest.fixture(scope="module")
def fitted_models():
    """Tiny fitted models of 1 and 2 channels (``[name][n_channels]``): a
    classifier, a two-target regressor and a per-step classifier (a causal
    tagger)."""
    models = {"classifier": {}, "regressor": {}, "tagger": {}}
    for n_channels in (1, 2):
        X = training_sequences(n_channels=n_channels)
        models["classifier"][n_channels] = RNNClassifier(
            **{**TINY, "input_scaling": "both"}
        ).fit(X, np.arange(len(X)) % 2)
        models["regressor"][n_channels] = RNNRegressor(
            **{**TINY, "cell": "lstm", "pooling": "mean"}
        ).fit(X, np.column_stack([np.arange(len(X)), np.ones(len(X))]))
        models["tagger"][n_channels] = RNNClassifier(
            **{**TINY, "cell": "rnn", "bidirectional": False, "per_step": True}
        ).fit(X, [np.arange(len(x)) % 2 for x in X])
    return models


def true_targets(model, n_sequences, lengths):
    """Valid targets of ``n_sequences`` sequences of ``lengths`` for ``model``."""
    if model.per_step:
        return [np.arange(length) % 2 for length in lengths]
    if hasattr(model, "classes_"):
        return np.arange(n_sequences) % 2
    return np.ones((n_sequences, model.n_outputs_))


@given(
    data=st.data(),
    name=st.sampled_from(["classifier", "regressor", "tagger"]),
    route=st.sampled_from(["predict", "predict_proba", "embed", "score"]),
)
def test_predict_side_routes_give_finite_outputs_or_a_clear_error(
    fitted_models, data, name, route
):
    X, n_sequences, clean = data.draw(sequences(n_channels=st.sampled_from([1, 2])))
    checked = outcome(check_sequences, X, names=("X",))
    if clean:
        assert checked is not None, "ordinary input was refused"
    # A model of X's channels, or now and then of others.
    n_channels = 2 if checked is None else min(checked[0].shape[2], 2)
    if data.draw(st.integers(0, 4)) == 0:
        n_channels = 3 - n_channels
    model = fitted_models[name][n_channels]
    if route == "predict_proba" and not hasattr(model, "classes_"):
        route = "predict"
    lengths = np.ones(n_sequences, int) if checked is None else checked[1]
    if route == "score":
        y = true_targets(model, n_sequences, lengths)
        output = outcome(model.score, X, y, names=("X",))
        undefined = n_sequences < 2 and not hasattr(model, "classes_")
        assert output is None or np.isfinite(output) or undefined
    else:
        output = outcome(getattr(model, route), X, names=("X",))
        if output is not None:
            assert_finite(output, expected_shape(model, route, lengths))
    if checked is not None and checked[0].shape[2] == model.n_features_in_:
        assert output is not None, "input that check_sequences accepts was refused"


# -- targets, sample weights and classes -----------------------------------------------

TARGET_VALUES = {
    "int": st.integers(0, 2),
    "bool": st.booleans(),
    "str": st.sampled_from(["a", "b"]),
    "float": ORDINARY,
    "odd float": ANY_VALUE,
    "mixed types": st.one_of(st.integers(0, 1), st.sampled_from(["a", "b"])),
    "with None": st.one_of(st.none(), st.integers(0, 1)),
}


@st.composite
def targets(draw, lengths):
    """``(y, extreme)``: targets of ``len(lengths)`` sequences of ``lengths``,
    one per sequence or per step, of any kind, and whether they hold values
    that may make training diverge."""
    shape = draw(st.sampled_from(["none", "scalar", "1d", "column", "2d", "per step"]))
    if shape == "none":
        return None, False
    kind = draw(st.sampled_from(list(TARGET_VALUES)))
    values = TARGET_VALUES[kind]
    if shape == "scalar":
        return draw(values), False
    n_sequences = len(lengths) + draw(st.sampled_from([0, 0, 0, -1, 1]))
    if shape == "per step":
        per_step = [
            draw(st.lists(values, min_size=n, max_size=n))
            for n in (
                int(length) + draw(st.sampled_from([0, 0, 0, -1, 1]))
                for length in np.resize(lengths, n_sequences)
            )
        ]
        y = [np.array(step) for step in per_step]
    else:
        width = {"1d": 1, "column": 1, "2d": 2}[shape]
        rows = draw(
            st.lists(values, min_size=n_sequences * width, max_size=n_sequences * width)
        )
        y = np.array(rows).reshape(
            (n_sequences,) if shape == "1d" else (n_sequences, width)
        )
        container = draw(st.sampled_from(["array", "list", "pandas"]))
        if container == "list":
            y = y.tolist()
        elif container == "pandas":
            y = pd.Series(y) if y.ndim == 1 else pd.DataFrame(y)
    return y, kind == "odd float"


@st.composite
def sample_weights(draw, n_sequences):
    """``(sample_weight, extreme)``: weights of any kind, and whether they hold
    values that may make training diverge."""
    kind = draw(
        st.sampled_from(
            ["none", "values", "zeros", "scalar", "wrong length", "2d", "str"]
        )
    )
    weight = st.one_of(ORDINARY.map(abs), ODD_VALUES, st.just(-1.0))
    if kind == "none":
        return None, False
    if kind == "zeros":
        return np.zeros(n_sequences), False
    if kind == "scalar":
        return draw(weight), True
    if kind == "str":
        return np.array(["1"] * n_sequences), False
    n = n_sequences + (1 if kind == "wrong length" else 0)
    values = np.array(draw(st.lists(weight, min_size=n, max_size=n)))
    return (values.reshape(-1, 1) if kind == "2d" else values), True


@given(
    data=st.data(),
    Estimator=st.sampled_from(ESTIMATORS),
    route=st.sampled_from(["fit", "partial_fit", "continued partial_fit", "score"]),
    per_step=st.booleans(),
)
def test_odd_targets_and_weights_train_or_raise_a_clear_error(
    fitted_models, data, Estimator, route, per_step
):
    X = training_sequences(n_sequences=4)
    lengths = [len(x) for x in X]
    y, extreme_targets = data.draw(targets(lengths))
    sample_weight, extreme_weights = data.draw(sample_weights(len(X)))
    names = ("X", "y", "sample_weight", "classes", "per_step")
    kwargs = {"sample_weight": sample_weight}
    if route in ("score", "continued partial_fit"):
        name = "tagger" if per_step else "classifier"
        fitted_model = fitted_models["regressor" if Estimator is RNNRegressor else name]
        if route == "score":
            score = outcome(fitted_model[2].score, X, y, names=names, **kwargs)
            assert score is None or np.isfinite(score)
            return
        model = copy.deepcopy(fitted_model[2])
        route = "partial_fit"
    else:
        model = Estimator(**{**TINY, "per_step": per_step, "bidirectional": False})
    if route == "partial_fit" and Estimator is RNNClassifier:
        kwargs["classes"] = data.draw(
            st.sampled_from([None, [0, 1, 2], ["a", "b"], [0, 0, 1], [[0, 1]], "ab"])
        )
    fitted = outcome(
        getattr(model, route),
        X,
        y,
        names=names,
        may_diverge=extreme_targets or extreme_weights,
        **kwargs,
    )
    if fitted is not None:
        assert_predicts(model, X, lengths)


# -- parameters ------------------------------------------------------------------------

PARAMETERS = [
    "hidden_size",
    "num_layers",
    "dropout",
    "pooling",
    "cell",
    "head_hidden_sizes",
    "input_scaling",
    "conv_channels",
    "conv_stride",
    "lr",
    "weight_decay",
    "batch_size",
    "clip_grad_norm",
    "validation_fraction",
    "optimizer_kwargs",
    "early_stopping",
    "embedding_dim",
    "random_state",
]
# Small integers only: a large hidden_size or max_epochs is valid and slow.
PARAMETER_VALUES = st.sampled_from(
    [
        *(0, -1, 1, 3, 0.5, 2.5, -0.5, np.nan, np.inf, 1e300),
        *("2", "auto", "", None, True, [], (0,), (2, -1)),
        *({}, {"momentum": 0.9}, np.float32(0.5), np.int64(2)),
    ]
)


@given(
    Estimator=st.sampled_from(ESTIMATORS),
    parameter=st.sampled_from(PARAMETERS),
    value=PARAMETER_VALUES,
)
def test_odd_parameters_train_or_raise_a_clear_error(Estimator, parameter, value):
    X = training_sequences(n_sequences=4)
    model = Estimator(**{**TINY, parameter: value})
    extreme = isinstance(value, float) and not value < 1
    fitted = outcome(
        model.fit, X, np.arange(4) % 2, names=(parameter,), may_diverge=extreme
    )
    if fitted is not None:
        assert_predicts(model, X, [len(x) for x in X])


# -- token ids and ONNX ----------------------------------------------------------------

ORDINARY_IDS = st.integers(2, 9)
# Padding inside a sequence, unknown, unseen, huge, negative, whole and
# fractional floats, NaN, infinity, and a string.
ODD_IDS = st.sampled_from(
    [0, 1, 10, 10**6, 2**62, -1, 3.0, 2.5, np.nan, np.inf, 1e300, 2.0**70, "3"]
)


@st.composite
def token_ids(draw):
    """``(X, n_sequences, clean)``: token-id sequences in any layout."""
    odd = draw(st.integers(0, 2)) == 0
    n_sequences = draw(st.integers(0, 4))
    sequences = [
        draw(
            st.lists(
                st.one_of(ORDINARY_IDS, ODD_IDS) if odd else ORDINARY_IDS,
                min_size=0 if odd else 1,
                max_size=5,
            )
        )
        for _ in range(n_sequences)
    ]
    layout = draw(st.sampled_from(["lists", "arrays", "padded", "frame", "nullable"]))
    clean = n_sequences > 0 and not odd
    if layout == "lists":
        return sequences, n_sequences, clean
    if layout == "arrays":
        return [np.array(s) for s in sequences], n_sequences, clean
    width = max((len(s) for s in sequences), default=0)
    rows = [s + [0] * (width - len(s)) for s in sequences]
    if layout == "padded":
        return np.array(rows).reshape(n_sequences, width), n_sequences, clean
    frame = pd.DataFrame(rows, columns=range(width))
    if layout == "nullable" and all(isinstance(v, int) for row in rows for v in row):
        frame = frame.astype("Int64")
    return frame, n_sequences, clean


@pytest.fixture(scope="module")
def token_model():
    rng = np.random.default_rng(0)
    X = [rng.integers(2, 10, size=length) for length in (3, 5, 2, 4)]
    return RNNClassifier(**{**TINY, "embedding_dim": 2}).fit(X, [0, 1, 0, 1])


@given(data=st.data(), route=st.sampled_from(["fit", "predict", "onnx"]))
def test_odd_token_ids_give_finite_outputs_or_a_clear_error(
    token_model, onnx_sessions, data, route
):
    X, n_sequences, clean = data.draw(token_ids())
    checked = outcome(check_token_ids, X, names=("X",))
    if clean:
        assert checked is not None, "ordinary token ids were refused"
    if route == "fit":
        Estimator = data.draw(st.sampled_from(ESTIMATORS))
        model = Estimator(**{**TINY, "embedding_dim": 2})
        fitted = outcome(model.fit, X, np.arange(n_sequences) % 2, names=("X",))
        if fitted is not None:
            assert_predicts(model, X, checked[1])
    elif route == "predict" and checked is not None:
        assert_predicts(token_model, X, checked[1])
    elif checked is not None:
        proba = onnx_sessions["tokens"].run(
            None, {"X": checked[0], "lengths": checked[1]}
        )[0]
        assert_finite(proba, (n_sequences, 2))
        expected = outcome(token_model.predict_proba, X)  # unseen ids warn
        np.testing.assert_allclose(proba, expected, atol=1e-5)


@pytest.fixture(scope="module")
def onnx_sessions(fitted_models, token_model, tmp_path_factory):
    """onnxruntime sessions of the 2-channel models and the token model."""
    models = {name: fitted_models[name][2] for name in fitted_models}
    models["tokens"] = token_model
    directory = tmp_path_factory.mktemp("onnx")
    return {
        name: onnxruntime.InferenceSession(
            export_onnx(model, directory / f"{name}.onnx")
        )
        for name, model in models.items()
    }


@given(data=st.data(), name=st.sampled_from(["classifier", "regressor", "tagger"]))
def test_onnx_graphs_give_what_predict_gives_or_check_sequences_refuses(
    fitted_models, onnx_sessions, data, name
):
    model = fitted_models[name][2]
    X, _, _ = data.draw(sequences(n_channels=st.just(2)))
    checked = outcome(check_sequences, X, names=("X",))
    if checked is None or checked[0].shape[2] != 2:
        return
    padded, lengths, _ = checked
    output = onnx_sessions[name].run(None, {"X": padded, "lengths": lengths})[0]
    assert np.isfinite(output).all()
    expected = (
        model.predict_proba(X) if hasattr(model, "classes_") else model.predict(X)
    )
    if model.per_step:  # each sequence's rows up to its end
        output = [rows[:length] for rows, length in zip(output, lengths, strict=True)]
        for rows, predicted in zip(output, expected, strict=True):
            np.testing.assert_allclose(rows, predicted, rtol=1e-4, atol=1e-5)
    else:
        np.testing.assert_allclose(output, expected, rtol=1e-4, atol=1e-5)
