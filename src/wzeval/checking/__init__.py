"""checking: implementation (the public API is :mod:`wzeval`)."""
