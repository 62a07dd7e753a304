"""The page stage: text → scanned regions with positions → a typed ``Page`` (``parse``), and
back to the guide's canonical wikitext (``render``) or the structured form (``structured``).

Pure functions over strings; it imports no other stage (an import-linter contract).
"""
