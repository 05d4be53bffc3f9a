"""Torch's state around a fit or a prediction: seeds, threads and denormals,
shared between threads without making predictions wait for fits."""

import threading
from contextlib import ExitStack, contextmanager

import torch

__all__ = ["resolve_device", "seed_torch", "torch_state"]

# Fits hold this lock: torch's random generator is process-wide, so seeded
# fits running in threads would draw from one another's streams. A fit in a
# thread waits for the others; predictions draw nothing and do not wait.
_RANDOM_STATE_LOCK = threading.RLock()


@contextmanager
def _torch_threads(n_threads):
    """Run with ``n_threads`` intra-op threads (None: torch's), then restore.

    With torch's OpenMP builds (the Linux and Windows wheels) the count is
    the calling thread's own, as the denormal setting is: threads set and
    restore theirs side by side.
    """
    if n_threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextmanager
def _flushing_denormals():
    """Flush denormal floats to zero on the CPU, then restore the setting.

    Gradients that flow back through hundreds of time steps decay into the
    denormal range, where x86 arithmetic is very slow: an LSTM's backward pass
    on 324 steps measured 5x slower without this. Values below 1.2e-38 do not
    matter to training. Threads torch starts inside inherit the setting.
    """
    # torch has no getter: a denormal times one is zero only when flushing.
    was_flushing = torch.tensor(1e-40).mul(1.0).item() == 0.0
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(was_flushing)


@contextmanager
def torch_state(n_threads, *, private_random_devices=None):
    """Hold torch's process state for one fit or prediction, then restore it.

    Parameters
    ----------
    n_threads : int or None
        Intra-op threads inside (None: torch's setting).
    private_random_devices : list of torch.device or None, default=None
        With a list (a fit), the random generators of the CPU and of these
        CUDA devices are restored on exit, so that seeding them inside (with
        :func:`seed_torch`) leaves the caller's streams alone, and other fits
        wait. None for a prediction, which draws nothing and waits for no fit.
    """
    with ExitStack() as stack:
        if private_random_devices is not None:
            stack.enter_context(_RANDOM_STATE_LOCK)
            stack.enter_context(torch.random.fork_rng(devices=private_random_devices))
        # The thread count and the denormal setting belong to the calling
        # thread (and the threads it starts): no lock needed.
        stack.enter_context(_flushing_denormals())
        stack.enter_context(_torch_threads(n_threads))
        yield


def seed_torch(seed, cuda_devices):
    """Seed the CPU generator and those of ``cuda_devices``, and only those.

    They are the generators that :func:`torch_state` restores after a fit: a
    private random stream. ``torch.manual_seed`` would seed every CUDA device
    (leaving the others changed), and initialize CUDA for a fit on the CPU.
    """
    torch.default_generator.manual_seed(seed)
    for device in cuda_devices:
        with torch.cuda.device(device):
            torch.cuda.manual_seed(seed)


def resolve_device(requested):
    """The name of the torch device ``requested``, or a ValueError that says
    why it cannot be used here."""
    try:
        device = torch.device(requested)
    except RuntimeError:
        raise ValueError(
            f"device={requested!r} is not a device torch knows; use 'cpu', "
            "'cuda', 'cuda:N' or 'auto'."
        ) from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={requested!r} was requested, but CUDA is not available; "
            "use device='cpu' or device='auto'."
        )
    if device.type == "meta":
        raise ValueError("device='meta' holds no data to train on; use 'cpu'.")
    try:
        torch.empty(0, device=device)
    except Exception as exc:
        raise ValueError(
            f"device={requested!r} cannot be used here ({type(exc).__name__}, "
            "above); use device='cpu' or device='auto'."
        ) from exc
    return str(device)
