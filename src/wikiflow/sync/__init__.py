"""The sync stage: a live MediaWiki's API (``client``), what was last pulled (``state``),
pull and push (``transfer``) and the Semantic MediaWiki Property pages (``smw``).
"""
