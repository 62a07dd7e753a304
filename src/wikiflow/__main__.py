"""``python -m wikiflow`` runs the command line."""

from .cli.main import main

main()
