"""The version of wzeval, in a module of its own so that any module can read it
without importing the façade (``wzeval/__init__.py``) from below."""

__version__ = "0.1.0"
