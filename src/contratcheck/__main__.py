"""Allow `python -m contratcheck`."""

from contratcheck.cli import main

main()
