"""The command line: thin commands over the library (``main``: pages and rules; ``graph``:
the index; ``sync``: a live wiki), their shared options and output (``common``), and the
generated reference (``docs``).
"""
