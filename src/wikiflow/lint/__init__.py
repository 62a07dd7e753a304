"""The lint stage: rules over a ``Page`` (``rules/``, one module a rule), the engine and its
fix loop (``engine``, ``edits``), whole-wiki checks (``checks``), runs over files
(``runner``: lint, fmt, parse, new), report formats (``report``) and the rule docs
(``ruledocs``).
"""
