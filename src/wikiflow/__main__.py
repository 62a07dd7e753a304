"""``python -m wikiflow`` runs the command line."""

from .cli import main

main()
