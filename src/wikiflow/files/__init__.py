"""Pages on disk: finding page files, reading them (binary and encoding checks), writing
them atomically (``pages``), and the reversible map between titles and paths of a wiki
folder (``layout``). Shared by lint, the graph and sync.
"""
