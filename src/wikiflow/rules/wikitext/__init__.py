"""WF6: wikitext hygiene."""

from .unused_suppression import UnusedSuppression

RULES = (UnusedSuppression,)
