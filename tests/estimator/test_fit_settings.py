"""The "auto" rules, read without a fit, and ``fit_settings_`` after one."""

from dataclasses import FrozenInstanceError, fields, replace
from pathlib import Path

import numpy as np
import pytest

from sklearn_rnn import RNNClassifier, RNNRegressor
from sklearn_rnn._estimator.fit_settings import (
    AUTO_RULES,
    FitContext,
    FitSettings,
    auto_rule_table,
    is_short_panel,
    resolve_fit_settings,
)

AUTO_PARAMETERS = [name for name, _ in auto_rule_table()]

# A classifier of 200 numeric sequences of up to 150 steps, two classes.
CONTEXT = FitContext(
    estimator_type="classifier",
    input_kind="numeric",
    per_step=False,
    bidirectional=True,
    n_sequences=200,
    max_length=150,
    panel=False,
    schedules_the_rate=False,
    incremental=False,
    validation_given=False,
    stratification=np.repeat([0, 1], 100),
)


def _settings(context=CONTEXT, **params):
    return resolve_fit_settings({name: "auto" for name in AUTO_RULES} | params, context)


def test_every_parameter_that_takes_auto_has_one_rule_and_one_setting():
    takes_auto = {
        name
        for estimator in (RNNClassifier, RNNRegressor)
        for name, constraints in estimator._parameter_constraints.items()
        if any("auto" in getattr(c, "options", ()) for c in constraints)
    }
    assert takes_auto | {"device"} == set(AUTO_RULES)
    assert [field.name for field in fields(FitSettings)] == list(AUTO_RULES)
    assert len(AUTO_RULES) == 16


def test_numeric_classifier_settings():
    settings = _settings()
    assert settings.as_dict() == {
        "device": "cpu",
        "cell": "lstm",
        "lr": 3e-3,
        "lr_schedule": "one_cycle",
        "dropout": 0.0,
        "embedding_dropout": 0.0,
        "conv_channels": (32, 32, 32),
        "conv_stride": (2, 1, 1),
        "conv_batch_norm": True,
        "input_scaling": "both",
        "validation_fraction": 0.1,
        "early_stopping": False,
        "linear_path": False,
        "n_iter_no_change": None,
        "batch_size": 25,
        "max_epochs": 75,  # 600 steps over 8 batches an epoch
    }
    with pytest.raises(FrozenInstanceError):
        settings.lr = 1.0


def test_token_settings():
    settings = _settings(replace(CONTEXT, input_kind="tokens", n_sequences=2000))
    assert settings.cell == "gru"
    assert settings.lr_schedule == "constant"
    assert settings.dropout == settings.embedding_dropout == 0.5
    assert settings.conv_channels == settings.conv_stride == ()
    assert settings.input_scaling is None  # token vectors are not scaled
    assert settings.max_epochs == 150
    assert settings.early_stopping  # from 1000 sequences
    assert settings.n_iter_no_change == 20
    # Fewer than 1000: no hold-out.
    few = _settings(replace(CONTEXT, input_kind="tokens"))
    assert not few.early_stopping


def test_regressor_holds_out_a_fifth_from_20_sequences():
    regressor = replace(CONTEXT, estimator_type="regressor", stratification=None)
    settings = _settings(regressor)
    assert settings.validation_fraction == 0.2
    assert settings.early_stopping
    assert settings.n_iter_no_change == 20  # stopping on the hold-out
    # The budget counts the batches of the 160 sequences left to train on:
    # 7 of 25 (the batch size of 200), so 86 epochs of about 600 steps.
    assert settings.batch_size == 25
    assert settings.max_epochs == 86
    assert not _settings(replace(regressor, n_sequences=19)).early_stopping


def test_a_regressor_weighs_a_linear_path_where_it_holds_out_data():
    regressor = replace(CONTEXT, estimator_type="regressor", stratification=None)
    assert _settings(regressor).linear_path
    # Nothing held out to weigh it on; one target per step; token ids.
    assert not _settings(replace(regressor, n_sequences=19)).linear_path
    assert not _settings(regressor, early_stopping=False).linear_path
    assert not _settings(replace(regressor, per_step=True)).linear_path
    assert not _settings(replace(regressor, input_kind="tokens")).linear_path
    assert not _settings(replace(regressor, incremental=True)).linear_path
    # Given validation data are held out.
    given = replace(regressor, n_sequences=10, validation_given=True)
    assert _settings(given).linear_path
    assert not _settings().linear_path  # a classifier has none


@pytest.mark.parametrize(
    ("change", "params", "reason"),
    [
        ({"n_sequences": 19}, {}, "set early_stopping=True or pass X_val"),
        ({}, {"early_stopping": False}, "set early_stopping=True or pass X_val"),
        ({"per_step": True}, {}, "not token ids or one target per step"),
        ({"estimator_type": "classifier"}, {}, "only a regressor has one"),
    ],
)
def test_linear_path_true_says_why_a_fit_cannot_have_one(change, params, reason):
    regressor = replace(CONTEXT, estimator_type="regressor", stratification=None)
    with pytest.raises(ValueError, match=f"linear_path=True, but .*{reason}"):
        _settings(replace(regressor, **change), linear_path=True, **params)
    # partial_fit keeps the path fit weighed instead.
    incremental = replace(regressor, incremental=True, **change)
    assert not _settings(incremental, linear_path=True, **params).linear_path


def test_short_panels_drop_the_front_end_and_hold_out_from_100():
    X = np.zeros((150, 8, 3))
    lengths = np.full(150, 8)
    assert is_short_panel(X, lengths, per_step=False)
    assert not is_short_panel(X, lengths, per_step=True)
    assert not is_short_panel(X[:, :, :1], lengths, per_step=False)
    assert not is_short_panel(X, np.full(150, 13), per_step=False)
    panel = replace(CONTEXT, panel=True, n_sequences=150)
    settings = _settings(panel)
    assert settings.conv_channels == settings.conv_stride == ()
    assert settings.cell == "gru"
    assert settings.conv_batch_norm is False  # no front-end to normalize
    assert settings.early_stopping
    assert not _settings(replace(panel, n_sequences=99)).early_stopping


def test_per_step_keeps_every_step_and_a_causal_tagger_scales_by_channel():
    tagger = replace(CONTEXT, per_step=True, stratification=None)
    assert _settings(tagger).cell == "gru"
    assert _settings(tagger).conv_batch_norm is False
    assert _settings(tagger).conv_stride == (1, 1, 1)
    assert _settings(tagger).input_scaling == "both"
    causal = replace(tagger, bidirectional=False)
    assert _settings(causal).input_scaling == "channel"


@pytest.mark.parametrize(
    ("max_length", "strides"), [(100, (1, 1, 1)), (150, (2, 1, 1)), (1460, (3, 3, 2))]
)
def test_auto_strides_leave_at_most_100_recurrent_steps(max_length, strides):
    assert _settings(replace(CONTEXT, max_length=max_length)).conv_stride == strides


def test_a_scheduler_among_the_callbacks_keeps_the_rate_constant():
    settings = _settings(replace(CONTEXT, schedules_the_rate=True))
    assert settings.lr_schedule == "constant"
    assert settings.n_iter_no_change == 20  # no cycle: the patience applies


def test_given_values_are_kept_in_the_settings_form():
    settings = _settings(
        lr=0.01,
        batch_size=10,
        max_epochs=7,
        conv_channels=[8, 8],
        conv_stride=2,
        validation_fraction=0.3,
        n_iter_no_change=4,
        early_stopping=True,
    )
    assert settings.lr == 0.01
    assert settings.batch_size == 10
    assert settings.max_epochs == 7
    assert settings.conv_channels == (8, 8)
    assert settings.conv_stride == (2, 2)
    assert settings.validation_fraction == 0.3
    assert settings.n_iter_no_change == 4
    assert settings.early_stopping


def test_early_stopping_true_says_why_the_split_is_impossible():
    one_of_a_class = replace(CONTEXT, stratification=np.r_[0, np.ones(199, int)])
    with pytest.raises(ValueError, match=r"early_stopping=True .* a class has one"):
        _settings(one_of_a_class, early_stopping=True)
    # A panel of 200 would hold out; "auto" trains on all instead.
    assert _settings(replace(CONTEXT, panel=True)).early_stopping
    assert not _settings(replace(one_of_a_class, panel=True)).early_stopping


def test_given_validation_data_always_and_partial_fit_never_hold_out():
    assert _settings(replace(CONTEXT, validation_given=True)).early_stopping
    incremental = replace(CONTEXT, estimator_type="regressor", incremental=True)
    assert not _settings(incremental, early_stopping=True).early_stopping


def test_a_continued_network_keeps_its_architecture():
    fitted = {
        "cell": "gru",
        "conv_channels": (4,),
        "conv_stride": (3,),
        "conv_batch_norm": False,
        "input_scaling": "channel",
    }
    settings = resolve_fit_settings(
        {name: "auto" for name in AUTO_RULES}, CONTEXT, fitted
    )
    assert settings.cell == "gru"
    assert settings.conv_batch_norm is False
    assert (settings.conv_channels, settings.conv_stride) == ((4,), (3,))
    assert settings.input_scaling == "channel"


def test_a_device_torch_cannot_use_is_named():
    with pytest.raises(ValueError, match="device='gpu7' is not a device"):
        _settings(device="gpu7")


def test_every_rule_says_its_reason_and_the_docs_list_them_from_the_code():
    for name, rule in auto_rule_table():
        assert len(rule) > 30, name
    page = Path(__file__).resolve().parents[2] / "docs" / "defaults.md"
    assert "```{auto-rules}" in page.read_text(encoding="utf-8")


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_fit_settings_after_fit_partial_fit_and_warm_start(regression_data):
    X, y = regression_data
    reg = RNNRegressor(hidden_size=4, max_epochs=2, random_state=0).fit(X, y)
    settings = reg.fit_settings_
    assert isinstance(settings, FitSettings)
    assert settings.early_stopping and settings.validation_fraction == 0.2
    assert settings.conv_channels == reg.conv_channels_
    assert settings.conv_stride == reg.conv_stride_
    assert settings.input_scaling == reg.input_scaling_
    assert settings.max_epochs == reg.max_epochs_ == 2
    # partial_fit on longer sequences keeps the network's strides.
    reg.partial_fit([np.vstack([x, x, x, x, x]) for x in X], y)
    assert reg.fit_settings_.conv_stride == settings.conv_stride
    assert not reg.fit_settings_.early_stopping
    reg.set_params(warm_start=True, lr=0.5).fit(X, y)
    assert reg.fit_settings_.lr == 0.5


def test_the_suite_defaults_resolve_as_documented_and_repeat_bit_for_bit(
    ragged_task,
):
    X, y = ragged_task(40, max_length=40)  # not a short panel
    params = {"hidden_size": 8, "max_epochs": 3, "random_state": 0}
    clf = RNNClassifier(**params).fit(X, y)
    # Numeric sequences with one target each: the LSTM behind a
    # batch-normalized front-end.
    assert (clf.cell_, clf.conv_batch_norm_) == ("lstm", True)
    assert clf.net_.module_.front_end.norms is not None
    again = RNNClassifier(**params).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    # One target per step keeps the GRU without batch norm.
    tagger = RNNClassifier(per_step=True, **params)
    steps = [np.resize(x[:, 0] > 0, len(x)) for x in X]
    tagger.fit(X, steps)
    assert (tagger.cell_, tagger.conv_batch_norm_) == ("gru", False)
    # Given values win over "auto".
    given = RNNClassifier(cell="gru", conv_batch_norm=False, **params).fit(X, y)
    assert (given.cell_, given.conv_batch_norm_) == ("gru", False)
