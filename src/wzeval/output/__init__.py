"""output: implementation (the public API is :mod:`wzeval`)."""
