"""model: implementation (the public API is :mod:`wzeval`)."""
