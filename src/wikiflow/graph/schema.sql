-- wikiflow index, schema version 10. One SQLite file; every page of the wiki is a node, and so is
-- every link target without a page (exists = 0). Edges are typed and keep where they were written.
-- The file's header carries PRAGMA application_id = store.APPLICATION_ID ("WFlw"), which tells an
-- index from another program's SQLite file; meta's schema_version says which schema it holds.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A node. `key` is the normalised page name (names.page_name(...).key, e.g. "Principle:Data_formatting"
-- is "Principle:Data_formatting"; underscores, first letter upper-case). `kind` is the namespace.
CREATE TABLE IF NOT EXISTS pages (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    namespace        TEXT NOT NULL,        -- Workflow, Principle, Heuristic, ... or '' (main)
    title            TEXT NOT NULL,        -- without namespace, with spaces
    exists_          INTEGER NOT NULL,     -- 1: a page file/revision; 0: only linked to
    path             TEXT,                 -- the file it was read from (see files)
    overview         TEXT,                 -- Overview, or the first paragraph of other pages
    description      TEXT,
    usage            TEXT,
    last_updated     TEXT,                 -- ISO 8601 UTC, NULL when absent or unreadable
    last_updated_raw TEXT,
    steps            TEXT                  -- step names and bodies, for full-text search
);
CREATE INDEX IF NOT EXISTS pages_namespace ON pages(namespace, exists_);
CREATE INDEX IF NOT EXISTS pages_path ON pages(path);
CREATE INDEX IF NOT EXISTS pages_missing ON pages(exists_) WHERE exists_ = 0;

-- Every file (or dump entry, "dump.xml#Key") read into a page, with what incremental runs compare.
-- Two files whose names normalise to the same page both point to it; the later one is indexed.
CREATE TABLE IF NOT EXISTS files (
    path     TEXT PRIMARY KEY,
    page     INTEGER NOT NULL REFERENCES pages(id),
    hash     TEXT NOT NULL,                -- sha1 of the page bytes
    mtime_ns INTEGER,
    size     INTEGER
);
CREATE INDEX IF NOT EXISTS files_page ON files(page);

-- Every Semantic MediaWiki annotation [[property::value]] of a page, as SMW stores it
-- (value = the part before the first |). A property's type (records.PROPERTY_TYPES; Page unless
-- the guide says otherwise) decides what is stored: a Page value is the key of the page it names
-- ("fine tuning" is Fine_tuning, of the main namespace without a prefix), others as written.
CREATE TABLE IF NOT EXISTS props (
    page     INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    property TEXT NOT NULL,                -- first letter lower case, underscores (uses_heuristic)
    value    TEXT NOT NULL,                -- a Page value's key (#ask joins it to pages.key), else as written
    number   REAL,                         -- the value as a number or a date (Julian day), for < >
    line     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS props_property_value ON props(property, value, page);
-- A partial index: only dates and numbers are compared with < and > (a sixth of the rows of a
-- large wiki; built in a third of the time).
CREATE INDEX IF NOT EXISTS props_property_number ON props(property, number, page)
    WHERE number IS NOT NULL;
CREATE INDEX IF NOT EXISTS props_page ON props(page, property);

-- The graph's typed edges: step (Workflow -> Principle, with its number and name, in step order),
-- uses_heuristic (Workflow -> Heuristic), and every other page-valued annotation. Every step of
-- a Workflow is a row, in order: one whose principle link is missing has no target (NULL).
CREATE TABLE IF NOT EXISTS edges (
    source      INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    target      INTEGER REFERENCES pages(id), -- NULL only for a step without a principle
    property    TEXT NOT NULL,
    step_number INTEGER,                   -- step edges: the N of "Step N", NULL otherwise
    step_name   TEXT,
    position    INTEGER NOT NULL,          -- order on the source page (0, 1, ...)
    line        INTEGER NOT NULL,
    column_     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS edges_source ON edges(source, property, position);
CREATE INDEX IF NOT EXISTS edges_target ON edges(target, property);

CREATE TABLE IF NOT EXISTS sources (
    page     INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    type     TEXT NOT NULL,
    title    TEXT NOT NULL,
    url      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_page ON sources(page);

CREATE TABLE IF NOT EXISTS domains (
    page INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS domains_name ON domains(name);
CREATE INDEX IF NOT EXISTS domains_page ON domains(page);

CREATE TABLE IF NOT EXISTS categories (
    page INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    name TEXT NOT NULL                     -- normalised category title, underscores
);
CREATE INDEX IF NOT EXISTS categories_name ON categories(name);
CREATE INDEX IF NOT EXISTS categories_page ON categories(page, name);

-- Full-text search over titles, overview, description, usage, step names and bodies of the pages
-- with content (exists_ = 1). External content: the text is read from pages, not stored twice
-- (a third of the file on a large wiki); the store deletes a page's terms before changing its row.
-- The namespace is a column so that a search within one is an intersection of term lists (a
-- test of each match's page took 0.7 s for a common word on a large wiki); searches match the
-- other columns only, and give the namespace no weight.
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    title, overview, description, usage, steps, namespace,
    content = 'pages', content_rowid = 'id',
    tokenize = 'porter unicode61'
);

-- Page titles, for search's first tier: the pages whose title holds every word come first, as
-- MediaWiki lists "page title matches" above "page text matches". The rowid is the title's
-- length in characters * 2^32 + the page id: FTS5 returns matches in rowid order, so the
-- shortest matching titles (the closest matches) come first and a LIMIT stops the scan, where
-- ranking would score every match (a common word is in 10,000 titles of a large wiki).
-- Contentless: the titles are in pages. The namespace as in search.
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(
    title, namespace, content = '', tokenize = 'porter unicode61'
);
