"""calm: a quiet terminal companion for timed breathing and unwinding scripts."""

__version__ = "0.1.0"
