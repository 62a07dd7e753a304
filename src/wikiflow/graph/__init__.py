"""The graph stage: a wiki (folder or XML dump, ``dump``) read in the worker pool into
records (``records``), written to the SQLite index (``store``, ``schema.sql``), and queried
(``ask/``: Semantic MediaWiki's ``#ask``, parsed into a typed query and compiled to SQL),
exported (``export/``) and checked through the ``Wiki`` facade (``wiki``).
"""
