"""RecurrentNetwork: exact for every architecture, whatever the padding."""

import collections
import itertools

import pytest
import torch

from sklearn_rnn import RecurrentNetwork

CELLS = [
    ("rnn", "tanh"),
    ("rnn", "relu"),
    ("lstm", "tanh"),
    ("gru", "tanh"),
    ("transformer", "tanh"),
]
# CUDA joins where a GPU is present: run tests/nn on a GPU machine to check
# exactness there (tests/test_cuda.py covers the estimators on CUDA).
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
# What surrounds the recurrent layers: nothing; a convolutional front-end; or
# input scaling, a front-end with an even kernel and an LSTM-FCN branch.
EXTRAS = {
    "plain": {},
    "conv": {"conv_channels": (4, 4), "conv_kernel_size": 3, "conv_stride": 2},
    "full": {
        "input_scaling": "both",
        "conv_channels": (4, 4),
        "conv_kernel_size": 4,
        "conv_stride": 2,
        "conv_batch_norm": True,
        "branch_channels": (4, 4),
        "branch_kernel_sizes": (4, 3),
    },
}
ARCHITECTURES = [
    pytest.param(
        cell,
        nonlinearity,
        bidirectional,
        num_layers,
        pooling,
        extras,
        id=f"{cell}-{nonlinearity}-bi{int(bidirectional)}-L{num_layers}-{pooling}"
        f"-{extras}",
    )
    for (cell, nonlinearity), bidirectional, num_layers, pooling, extras in (
        itertools.product(
            CELLS,
            [False, True],
            [1, 2],
            ["last", "mean", "max", "attention"],
            list(EXTRAS),
        )
    )
]


@pytest.fixture(autouse=True)
def exact_cuda_convolutions():
    """Run cuDNN convolutions in full float32 precision.

    By default they use TF32 (a 10-bit mantissa), which an H200 run showed
    to differ by up to 4e-5 between batch sizes: rounding, not padding. With
    TF32 off the tests pass there at 1e-5.
    """
    before = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32 = before


def every_architecture_on_every_device(test):
    """Parametrize ``test`` over ``ARCHITECTURES`` x ``DEVICES``."""
    architectures = pytest.mark.parametrize(
        "cell, nonlinearity, bidirectional, num_layers, pooling, extras", ARCHITECTURES
    )
    return pytest.mark.parametrize("device", DEVICES)(architectures(test))


def make_network(
    cell,
    nonlinearity,
    bidirectional,
    num_layers,
    pooling,
    extras,
    dropout=0.0,
    head_hidden_sizes=(4,),
    device="cpu",
):
    torch.manual_seed(0)
    network = RecurrentNetwork(
        3,
        2,
        cell=cell,
        nonlinearity=nonlinearity,
        hidden_size=8,
        num_layers=num_layers,
        bidirectional=bidirectional,
        pooling=pooling,
        dropout=dropout,
        head_hidden_sizes=head_hidden_sizes,
        input_mean=[0.5, -1.0, 2.0],
        input_scale=[2.0, 0.5, 1.0],
        **EXTRAS[extras],
    )
    return network.to(device)


@every_architecture_on_every_device
def test_padding_never_changes_the_output(
    cell, nonlinearity, bidirectional, num_layers, pooling, extras, device
):
    network = make_network(
        cell, nonlinearity, bidirectional, num_layers, pooling, extras, device=device
    ).eval()
    generator = torch.Generator().manual_seed(1)
    sequence = torch.randn(7, 3, generator=generator)
    batch = torch.randn(3, 60, 3, generator=generator)
    batch[0, 7:] = 0.0
    batch[0, :7] = sequence
    nan_padded = torch.cat([sequence, torch.full((30, 3), float("nan"))])
    junk_padded = torch.cat([sequence, 1e3 * torch.randn(30, 3, generator=generator)])

    def predict(X, lengths):
        return network(X.to(device), torch.tensor(lengths, device=device))[0]

    with torch.no_grad():
        alone = predict(sequence[None], [7])
        # Batched with much longer sequences.
        with_longer = predict(batch, [7, 60, 41])
        # Followed by extra padding, NaN or arbitrary values.
        after_nan = predict(nan_padded[None], [7])
        after_junk = predict(junk_padded[None], [7])

    torch.testing.assert_close(with_longer, alone, atol=1e-5, rtol=0)
    torch.testing.assert_close(after_nan, alone, atol=1e-5, rtol=0)
    torch.testing.assert_close(after_junk, alone, atol=1e-5, rtol=0)


@every_architecture_on_every_device
def test_padded_steps_get_exactly_zero_gradient(
    cell, nonlinearity, bidirectional, num_layers, pooling, extras, device
):
    # No ReLU head, whose dead units could hide a missing gradient.
    for dropout in (0.0, 0.3):
        network = make_network(
            cell,
            nonlinearity,
            bidirectional,
            num_layers,
            pooling,
            extras,
            dropout=dropout,
            head_hidden_sizes=(),
            device=device,
        ).train()
        generator = torch.Generator().manual_seed(2)
        lengths = torch.tensor([5, 12, 9], device=device)
        X = torch.randn(3, 12, 3, generator=generator).to(device).requires_grad_()
        network(X, lengths).square().sum().backward()

        padded = torch.arange(12, device=device)[None, :] >= lengths[:, None]
        assert torch.all(X.grad[padded] == 0)
        if dropout == 0.0:
            # ... while every sequence's valid steps do get a gradient (with
            # dropout, a small ReLU network may lose all of its live units).
            for i, length in enumerate(lengths.tolist()):
                assert X.grad[i, :length].abs().sum() > 0


def test_batches_of_short_sequences_fit_any_kernel():
    # A batch narrower than a kernel must not fail ("Kernel size can't be
    # greater than actual input size"), and gives each sequence its own output.
    network = make_network("gru", "tanh", False, 1, "mean", "full").eval()
    sequences = [torch.randn(1, 3), torch.randn(2, 3)]
    with torch.no_grad():
        alone = [network(s[None], torch.tensor([len(s)])) for s in sequences]
        batch = torch.zeros(2, 2, 3)
        batch[0, :1], batch[1] = sequences
        together = network(batch, torch.tensor([1, 2]))
    torch.testing.assert_close(together, torch.cat(alone), atol=1e-5, rtol=0)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("pooling", ["last", "mean", "max", "attention"])
@pytest.mark.parametrize("extras", ["plain", "front_end"])
def test_token_ids_padding_never_changes_the_output_nor_gets_a_gradient(
    bidirectional, pooling, extras
):
    torch.manual_seed(0)
    network = RecurrentNetwork(
        1,
        2,
        cell="gru",
        hidden_size=8,
        bidirectional=bidirectional,
        pooling=pooling,
        n_embeddings=20,
        embedding_dim=5,
        conv_channels=(4,) if extras == "front_end" else (),
        conv_kernel_size=3,
        conv_stride=2,
    ).eval()
    sequence = torch.tensor([4, 9, 1, 17, 3, 3, 12])
    batch = torch.randint(1, 20, (3, 30), generator=torch.Generator().manual_seed(1))
    batch[0] = 0
    batch[0, :7] = sequence
    with torch.no_grad():
        alone = network(sequence[None], torch.tensor([7]))
        with_longer = network(batch, torch.tensor([7, 30, 22]))[:1]
    torch.testing.assert_close(with_longer, alone, atol=1e-5, rtol=0)
    # The padding id's vector gets no gradient from padded steps.
    network.train()
    network(batch, torch.tensor([7, 30, 22])).square().sum().backward()
    assert torch.all(network.encoder.embedding.weight.grad[0] == 0)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru", "transformer"])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("front_end", [False, True])
def test_per_step_outputs_ignore_padding_and_see_both_sides(
    cell, bidirectional, front_end
):
    torch.manual_seed(0)
    network = RecurrentNetwork(
        3,
        2,
        cell=cell,
        hidden_size=8,
        bidirectional=bidirectional,
        per_step=True,
        conv_channels=(4,) if front_end else (),
        conv_kernel_size=3,
        conv_stride=1,
        # Channel scaling only: a sequence's own statistics would let every
        # step depend on every other.
        input_scaling="channel",
    ).eval()
    generator = torch.Generator().manual_seed(1)
    sequence = torch.randn(7, 3, generator=generator)
    batch = torch.randn(3, 30, 3, generator=generator)
    batch[0, :7] = sequence
    with torch.no_grad():
        alone = network(sequence[None], torch.tensor([7]))
        batched = network(batch, torch.tensor([7, 30, 12]))
        later_changed = sequence.clone()
        later_changed[1:] += 1.0
        changed = network(later_changed[None], torch.tensor([7]))
    assert batched.shape == (3, 30, 2)
    torch.testing.assert_close(batched[:1, :7], alone, atol=1e-5, rtol=0)
    assert torch.all(batched[0, 7:] == 0)
    # Step 0 sees later steps only through the backward direction: one
    # direction, convolutions included, reads no later step.
    assert torch.equal(changed[0, 0], alone[0, 0]) is not bidirectional


@pytest.mark.parametrize("cell", ["lstm", "transformer"])
def test_set_dropout_reaches_network_sequence_model_and_token_embedding(cell):
    network = RecurrentNetwork(
        1,
        2,
        cell=cell,
        hidden_size=8,
        num_layers=2,
        dropout=0.1,
        n_embeddings=10,
        embedding_dim=4,
        embedding_dropout=0.1,
    )
    network.set_dropout(0.3, 0.5)
    assert network.dropout.p == 0.3
    assert network.encoder.dropout.p == 0.5
    rates = [
        module.p if isinstance(module, torch.nn.Dropout) else module.dropout
        for module in network.sequence_model.modules()
        if isinstance(module, torch.nn.Dropout | torch.nn.MultiheadAttention)
        or (isinstance(module, torch.nn.RNNBase) and module.num_layers > 1)
    ]
    assert len(rates) >= 2 and set(rates) == {0.3}
    # Without embedding_p, the token vectors keep theirs.
    network.set_dropout(0.2)
    assert network.dropout.p == 0.2 and network.encoder.dropout.p == 0.5


@pytest.mark.parametrize("per_step", [False, True])
def test_rescale_outputs_gives_scale_times_output_plus_shift(per_step):
    torch.manual_seed(0)
    network = RecurrentNetwork(
        3, 2, cell="gru", hidden_size=8, head_hidden_sizes=(4,), per_step=per_step
    ).eval()
    X = torch.randn(3, 6, 3)
    lengths = torch.tensor([6, 2, 4])
    scale, shift = torch.tensor([2.0, -0.5]), torch.tensor([1.0, 3.0])
    with torch.no_grad():
        before = network(X, lengths)
        network.rescale_outputs(scale.tolist(), shift.tolist())
        after = network(X, lengths)
    expected = scale * before + shift
    if per_step:  # zero past each sequence's end, as before
        valid = torch.arange(6)[None, :] < lengths[:, None]
        torch.testing.assert_close(after[valid], expected[valid])
        assert torch.all(after[~valid] == 0)
    else:
        torch.testing.assert_close(after, expected)


@pytest.mark.parametrize(
    "arguments, reads_token_ids",
    [
        ({"n_embeddings": 10, "embedding_dim": 4}, True),
        ({"input_scaling": "channel"}, False),
        ({}, False),
    ],
)
def test_reads_token_ids_only_with_an_embedding(arguments, reads_token_ids):
    assert RecurrentNetwork(3, 2, **arguments).reads_token_ids is reads_token_ids


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru", "transformer"])
def test_network_is_onnx_exportable_as_its_sequence_model(cell):
    network = RecurrentNetwork(3, 2, cell=cell, hidden_size=8)
    assert network.onnx_exportable is (cell != "transformer")


# The prefixes that version 1 (sklearn_rnn 0.1.0) gave the stages' keys, in the
# order they are tried: the longer a current prefix, the sooner.
LEGACY_NAMES = [
    ("sequence_model.forward_layers.", "forward_layers."),
    ("sequence_model.backward_layers.", "backward_layers."),
    ("sequence_model.", "transformer."),
    ("pooling.score.", "attention."),
    ("encoder.embedding.", "embedding."),
    ("encoder.", "input_scaling_."),
]
LEGACY_ARCHITECTURES = {
    "lstm-bidirectional-attention-scaled": {
        "bidirectional": True,
        "num_layers": 2,
        "pooling": "attention",
        "input_scaling": "both",
        "input_mean": [0.5, -1.0, 2.0],
        "input_scale": [2.0, 0.5, 1.0],
        "conv_channels": (4,),
        "conv_kernel_size": 3,
        "conv_batch_norm": True,
        "branch_channels": (4,),
        "branch_kernel_sizes": (3,),
    },
    "gru-tokens": {"cell": "gru", "n_embeddings": 10, "embedding_dim": 3},
    "transformer-attention": {"cell": "transformer", "pooling": "attention"},
}


def legacy_state_dict(network):
    """``network``'s state dict with the keys and version of sklearn_rnn 0.1.0."""
    state = {}
    for key, value in network.state_dict().items():
        for new, old in LEGACY_NAMES:
            if key.startswith(new):
                key = old + key[len(new) :]
                break
        state[key] = value
    state = collections.OrderedDict(state)
    state._metadata = {"": {"version": 1}}
    return state


@pytest.mark.parametrize("architecture", list(LEGACY_ARCHITECTURES))
def test_state_dict_of_the_old_layout_loads_and_predicts_the_same(architecture):
    arguments = {"hidden_size": 8, **LEGACY_ARCHITECTURES[architecture]}
    torch.manual_seed(0)
    network = RecurrentNetwork(3, 2, **arguments).eval()
    torch.manual_seed(1)
    loaded = RecurrentNetwork(3, 2, **arguments).eval()
    assert network.state_dict()._metadata[""]["version"] == 2
    state = legacy_state_dict(network)
    renamed = set(state) - set(network.state_dict())
    assert renamed  # some keys do have their old names
    if network.reads_token_ids:
        X = torch.randint(1, 10, (3, 7))
    else:
        X = torch.randn(3, 7, 3)
    lengths = torch.tensor([7, 3, 5])
    with torch.no_grad():
        expected = network(X, lengths)
        assert not torch.allclose(loaded(X, lengths), expected)
        loaded.load_state_dict(state)  # strict: every key found its stage
        torch.testing.assert_close(loaded(X, lengths), expected, atol=0, rtol=0)
    # The caller's state dict keeps its keys.
    assert renamed <= set(state)


def test_state_dict_of_the_current_layout_loads_without_metadata():
    torch.manual_seed(0)
    arguments = LEGACY_ARCHITECTURES["lstm-bidirectional-attention-scaled"]
    network = RecurrentNetwork(3, 2, hidden_size=8, **arguments).eval()
    loaded = RecurrentNetwork(3, 2, hidden_size=8, **arguments).eval()
    X, lengths = torch.randn(2, 5, 3), torch.tensor([5, 2])
    with torch.no_grad():
        assert not torch.allclose(loaded(X, lengths), network(X, lengths))
        # A plain dict has no version: read as version 1, none of whose old
        # prefixes begins a current key.
        loaded.load_state_dict(dict(network.state_dict()))
        torch.testing.assert_close(loaded(X, lengths), network(X, lengths))
