"""Convolutions: MaskedBatchNorm1d, ConvFrontEnd and ConvBranch over padding."""

import pytest
import torch

from sklearn_rnn._nn import ConvBranch, ConvFrontEnd, MaskedBatchNorm1d, length_mask


def padded_batch(sequences, width=None):
    """The zero-padded batch of ``sequences`` (time, channels), and its lengths."""
    lengths = torch.tensor([len(s) for s in sequences])
    width = width or int(lengths.max())
    batch = torch.zeros(len(sequences), width, sequences[0].shape[1])
    for i, sequence in enumerate(sequences):
        batch[i, : len(sequence)] = sequence
    return batch, lengths


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


def test_conv_front_end_shortens_lengths():
    front_end = ConvFrontEnd(3, (4, 4), kernel_size=3, strides=(2, 2))
    lengths = torch.tensor([1, 2, 8, 9])
    mask = torch.arange(9)[None, :] < lengths[:, None]
    _, new_lengths, _ = front_end(torch.randn(4, 9, 3), lengths, mask)
    # Two layers of stride 2: ceil(ceil(n / 2) / 2).
    assert new_lengths.tolist() == [1, 1, 2, 3]


@pytest.mark.parametrize("kernel_size", [2, 3, 4, 5])
@pytest.mark.parametrize("strides", [(1,), (3,), (2, 1), (2, 3)])
def test_conv_front_end_lengths_are_those_of_each_sequence_alone(kernel_size, strides):
    torch.manual_seed(0)
    front_end = ConvFrontEnd(
        2, (3,) * len(strides), kernel_size, strides, batch_norm=True
    ).eval()
    sequences = [torch.randn(n, 2) for n in (1, 2, 5, 9, 11)]
    batch, lengths = padded_batch(sequences)
    with torch.no_grad():
        out, new_lengths, mask = front_end(batch, lengths, length_mask(lengths, 11))
        assert torch.equal(mask, length_mask(new_lengths, out.shape[1]))
        assert torch.all(out[~mask] == 0)
        for i, sequence in enumerate(sequences):
            alone, alone_lengths, _ = front_end(
                sequence[None], lengths[i : i + 1], None
            )
            assert new_lengths[i] == alone.shape[1] == alone_lengths.item()
            torch.testing.assert_close(
                out[i, : new_lengths[i]], alone[0], atol=1e-6, rtol=0
            )


def test_conv_front_end_lengths_follow_the_stride_formula():
    front_end = ConvFrontEnd(1, (1, 1), kernel_size=3, strides=(1, 3))
    lengths = torch.tensor([1, 3, 4, 7, 10])
    mask = length_mask(lengths, 10)
    _, new_lengths, _ = front_end(torch.zeros(5, 10, 1), lengths, mask)
    # Stride 1 keeps the length; stride 3 makes it ceil(n / 3).
    assert new_lengths.tolist() == [1, 1, 2, 3, 4]


def test_causal_front_end_steps_never_read_later_steps():
    torch.manual_seed(0)
    front_end = ConvFrontEnd(2, (4, 4), 3, (1, 1), causal=True).eval()
    X = torch.randn(1, 8, 2)
    changed = X.clone()
    changed[:, 5:] += 1.0
    lengths = torch.tensor([8])
    with torch.no_grad():
        out, new_lengths, _ = front_end(X, lengths, None)
        out_changed, _, _ = front_end(changed, lengths, None)
    assert out.shape == (1, 8, 4) and new_lengths.tolist() == [8]
    assert torch.equal(out_changed[:, :5], out[:, :5])
    assert not torch.equal(out_changed[:, 5:], out[:, 5:])


def test_centred_front_end_steps_read_later_steps():
    # The counterpart of the causal test: without causal, step 4 reads step 5.
    torch.manual_seed(0)
    front_end = ConvFrontEnd(2, (4, 4), 3, (1, 1)).eval()
    X = torch.randn(1, 8, 2)
    changed = X.clone()
    changed[:, 5:] += 1.0
    with torch.no_grad():
        out, _, _ = front_end(X, torch.tensor([8]), None)
        out_changed, _, _ = front_end(changed, torch.tensor([8]), None)
    assert not torch.equal(out_changed[:, :5], out[:, :5])


@pytest.mark.parametrize("training", [False, True])
def test_conv_branch_means_over_valid_steps_whatever_the_padding(training):
    torch.manual_seed(0)
    branch = ConvBranch(2, (4, 4), (4, 3)).train(training)
    sequence = torch.randn(5, 2)
    results = []
    for width in (5, 9, 20):
        X, lengths = padded_batch([sequence], width)
        mask = None if width == 5 else length_mask(lengths, width)
        with torch.no_grad():
            results.append(branch(X, lengths, mask))
    assert results[0].shape == (1, 4)
    assert results[0].abs().sum() > 0
    torch.testing.assert_close(results[1], results[0], atol=1e-6, rtol=0)
    torch.testing.assert_close(results[2], results[0], atol=1e-6, rtol=0)


def test_conv_branch_gives_each_sequence_of_a_batch_its_own_mean():
    torch.manual_seed(0)
    branch = ConvBranch(2, (4,), (3,)).eval()
    sequences = [torch.randn(n, 2) for n in (1, 4, 7)]
    batch, lengths = padded_batch(sequences)
    with torch.no_grad():
        together = branch(batch, lengths, length_mask(lengths, 7))
        alone = [branch(s[None], torch.tensor([len(s)]), None) for s in sequences]
    torch.testing.assert_close(together, torch.cat(alone), atol=1e-6, rtol=0)


def test_front_end_and_branch_fit_batches_narrower_than_a_kernel():
    # A batch narrower than a kernel must not fail ("Kernel size can't be
    # greater than actual input size"), and gives each sequence its own output.
    torch.manual_seed(0)
    front_end = ConvFrontEnd(3, (4, 4), 4, (2, 2), batch_norm=True).eval()
    branch = ConvBranch(3, (4, 4), (4, 3)).eval()
    sequences = [torch.randn(1, 3), torch.randn(2, 3)]
    batch, lengths = padded_batch(sequences)
    mask = length_mask(lengths, 2)
    with torch.no_grad():
        out, new_lengths, _ = front_end(batch, lengths, mask)
        branched = branch(batch, lengths, mask)
        for i, sequence in enumerate(sequences):
            alone, _, _ = front_end(sequence[None], lengths[i : i + 1], None)
            assert new_lengths[i] == alone.shape[1] == 1
            torch.testing.assert_close(out[i, :1], alone[0], atol=1e-6, rtol=0)
            torch.testing.assert_close(
                branched[i],
                branch(sequence[None], lengths[i : i + 1], None)[0],
                atol=1e-6,
                rtol=0,
            )


def test_a_causal_front_end_refuses_strides_that_drop_steps():
    with pytest.raises(ValueError, match="strides must be 1"):
        ConvFrontEnd(2, (4, 4), 3, (1, 2), causal=True)
