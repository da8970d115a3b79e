"""``python -m wzeval``: the command line, for when the ``wzeval`` script is not on PATH."""

from wzeval.cli import main

main()
