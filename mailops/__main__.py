"""``python -m mailops`` runs the command line."""

from mailops.cli import main

main()
