"""The wiki as people read it: a static HTML site (``wikiflow site``) and the same pages served
live (``wikiflow serve``), rendered from the typed model and the index, never from raw text."""
