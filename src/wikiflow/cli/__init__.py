"""The command line: thin commands over the library, one module per command group (``pages``:
parse, fmt, new, lint, schema; ``rules``: rules, rule, guide; ``graph``: the index; ``sync``: a
live wiki), the group that registers them (``main``), their shared options and output
(``common``), and the generated reference (``docs``).
"""
