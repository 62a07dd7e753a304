"""The graph stage: a wiki (folder or XML dump, ``dump``) brought into the SQLite index: the
files that changed found (``listing``), read and parsed in the worker pool into records
(``records``, ``indexer``), their rows written (``writer``) in one transaction of the index
(``store``, ``schema.sql``); then queried (``ask/``: Semantic MediaWiki's ``#ask``, parsed into
a typed query and compiled to SQL), exported (``export/``) and checked through the ``Wiki``
facade (``wiki``).
"""
