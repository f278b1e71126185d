"""Chumchon (ชุมชน): area-based poverty work for Thai tambons."""

__version__ = "0.1.0"
