"""Cardkit: the strategic card activity for supporting learner progression."""

__version__ = '0.1.0'
