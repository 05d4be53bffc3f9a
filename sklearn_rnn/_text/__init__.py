"""Texts: token ids from texts (``TokenSequencer``) and generation."""

# Models pickled before the move name sklearn_rnn._text.TokenSequencer.
from .sequencer import TokenSequencer

__all__ = ["TokenSequencer"]
