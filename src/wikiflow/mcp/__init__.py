"""wikiflow for agents: a Model Context Protocol server (``wikiflow mcp``) whose tools are thin
wrappers over the library (search, pages, ``#ask``, lint, fix, and writes that cannot break the
graph)."""
