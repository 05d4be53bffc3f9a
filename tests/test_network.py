"""RecurrentNetwork: exact for every architecture, whatever the padding."""

import itertools

import pytest
import torch

from sklearn_rnn import RecurrentNetwork
from sklearn_rnn._nn import InputScaling, MaskedBatchNorm1d

CELLS = [
    ("rnn", "tanh"),
    ("rnn", "relu"),
    ("lstm", "tanh"),
    ("gru", "tanh"),
    ("transformer", "tanh"),
]
# CUDA joins where a GPU is present (the GPU check runs these tests there).
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


def test_bidirectional_last_pooling_reads_backward_state_at_first_step():
    """The backward direction must start from each sequence's own last step."""
    network = make_network("gru", "tanh", True, 1, "last", "plain").eval()
    sequence = torch.randn(6, 3)
    with torch.no_grad():
        stack = network.sequence_model
        forward, backward = stack.forward_layers[0], stack.backward_layers[0]
        expected_backward = backward(sequence.flip(0)[None])[0][0, -1]
        expected_forward = forward(sequence[None])[0][0, -1]
        padded = torch.cat([sequence, torch.zeros(4, 3)])[None]
        mask = torch.arange(10)[None, :] < 6
        out = stack(padded, torch.tensor([6]), mask)
        pooled = network.pooling(out, torch.tensor([6]), mask)[0]
    torch.testing.assert_close(pooled[:8], expected_forward)
    torch.testing.assert_close(pooled[8:], expected_backward)


def test_conv_front_end_shortens_lengths():
    network = make_network("lstm", "tanh", False, 1, "last", "conv")
    lengths = torch.tensor([1, 2, 8, 9])
    mask = torch.arange(9)[None, :] < lengths[:, None]
    _, new_lengths, _ = network.front_end(torch.randn(4, 9, 3), lengths, mask)
    # Two layers of stride 2: ceil(ceil(n / 2) / 2).
    assert new_lengths.tolist() == [1, 1, 2, 3]


@pytest.mark.parametrize("init", ["xavier", "orthogonal", "kaiming"])
def test_init_schemes_zero_recurrent_biases(init):
    torch.manual_seed(0)
    network = RecurrentNetwork(3, 2, init=init, num_layers=2)
    default = RecurrentNetwork(3, 2, num_layers=2)
    for (name, weight), (_, default_weight) in zip(
        network.named_parameters(), default.named_parameters(), strict=True
    ):
        if name.startswith("sequence_model.") and "bias" in name:
            assert torch.all(weight == 0)
        elif name.startswith("sequence_model."):
            assert not torch.equal(weight, default_weight)


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


@pytest.mark.parametrize("mode", ["channel", "sequence", "both"])
def test_input_scaling_standardizes_valid_steps_only(mode):
    scaling = InputScaling(2, mode)
    scaling.set_statistics([10.0, -5.0], [2.0, 0.0])  # a constant second channel
    X = torch.tensor([[[12.0, -5.0], [14.0, -5.0], [0.0, 0.0]]])
    lengths = torch.tensor([2])
    out = scaling(X, lengths, torch.tensor([[True, True, False]]))
    by_channel = torch.tensor([[[1.0, 0.0], [2.0, 0.0], [0.0, 0.0]]])
    # Each sequence alone: (12, 14) has mean 13 and std 1; the constant
    # channel is centred, not divided by zero.
    by_sequence = torch.tensor([[[-1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]])
    expected = {
        "channel": by_channel,
        "sequence": by_sequence,
        "both": torch.cat([by_channel, by_sequence], dim=2),
    }[mode]
    torch.testing.assert_close(out, expected)
    assert scaling.n_outputs == expected.shape[2]


@pytest.mark.parametrize("size", [1e20, 1e-10])
def test_sequence_scaling_standardizes_values_of_any_size(size):
    scaling = InputScaling(1, "sequence")
    mask = torch.tensor([[True, True, True, False]])
    # Squared in float32, deviations of 1e20 overflow; those of 1e-10 are far
    # below an absolute threshold of constancy.
    X = torch.tensor([[[-1.0], [0.0], [1.0], [0.0]]]) * size
    out = scaling(X, torch.tensor([3]), mask)
    torch.testing.assert_close(
        out.flatten(), torch.tensor([-(1.5**0.5), 0.0, 1.5**0.5, 0.0])
    )
    # A constant sequence, however large, is centred to zeros.
    constant = scaling(torch.full((1, 3, 1), 3e37), torch.tensor([3]), None)
    torch.testing.assert_close(constant, torch.zeros(1, 3, 1))


def test_masked_batch_norm_ignores_padding_in_training():
    norm = MaskedBatchNorm1d(1, affine=False, momentum=None).train()
    X = torch.tensor([[[1.0, 3.0, 99.0]]])  # (batch, channels, time)
    out = norm(X, torch.tensor([[True, True, False]]))
    torch.testing.assert_close(
        out, torch.tensor([[[-1.0, 1.0, 0.0]]]), atol=1e-4, rtol=0
    )
    torch.testing.assert_close(norm.running_mean, torch.tensor([2.0]))


@pytest.mark.parametrize(
    "X, mask",
    [
        (torch.tensor([[[5.0]]]), None),
        (torch.tensor([[[5.0, 0.0]], [[0.0, 0.0]]]), torch.tensor([[1, 0], [0, 0]])),
    ],
)
def test_masked_batch_norm_reads_one_valid_step_with_running_statistics(X, mask):
    norm = MaskedBatchNorm1d(1).train()
    norm.running_mean.fill_(1.0)
    norm.running_var.fill_(4.0)
    out = norm(X, None if mask is None else mask.bool())
    # (5 - 1) / 2, and the statistics stay as they were.
    assert out.flatten()[0].item() == pytest.approx(2.0, abs=1e-4)
    assert norm.running_mean.item() == 1.0 and norm.running_var.item() == 4.0
    # Without running statistics there is nothing to fall back on: torch says so.
    untracked = MaskedBatchNorm1d(1, track_running_stats=False).train()
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        untracked(X, None if mask is None else mask.bool())


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
