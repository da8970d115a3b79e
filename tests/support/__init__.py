"""What the tests share: paths, the in-process CLI, generated data, bounds, a browser.

The test folders mirror ``src/wzeval``'s layers; pytest puts ``tests/`` on the path
(``pythonpath`` in pyproject.toml), so a test imports ``from support.cli import wz``
wherever it lives, and no test imports another test.
"""
