-- 0001: the first jobtrends schema.
--
-- Times are UTC text of fixed width ("2006-01-02T15:04:05.000000000Z"), so
-- they compare and sort as text; NULL means unknown / not yet. Booleans are
-- 0 or 1. Lists are JSON arrays; NULL keeps a nil Go slice nil.

-- One row per `jobtrends crawl`.
CREATE TABLE runs (
    id       INTEGER PRIMARY KEY,
    started  TEXT NOT NULL,
    finished TEXT,
    status   TEXT NOT NULL
             CHECK (status IN ('running', 'ok', 'failed', 'partial', 'aborted')),
    error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_status ON runs (status);

-- What each source did in a run.
CREATE TABLE run_sources (
    run_id               INTEGER NOT NULL REFERENCES runs (id),
    source               TEXT NOT NULL,
    pages_fetched        INTEGER NOT NULL DEFAULT 0,
    pages_failed         INTEGER NOT NULL DEFAULT 0,
    robots_blocked       INTEGER NOT NULL DEFAULT 0,
    pages_skipped        INTEGER NOT NULL DEFAULT 0,
    postings_new         INTEGER NOT NULL DEFAULT 0,
    postings_updated     INTEGER NOT NULL DEFAULT 0,
    postings_unchanged   INTEGER NOT NULL DEFAULT 0,
    postings_closed      INTEGER NOT NULL DEFAULT 0,
    -- computed by the store at FinishRun: distinct postings of the source
    -- saved in the run, and how many of them carry a salary.
    postings_seen        INTEGER NOT NULL DEFAULT 0,
    postings_with_salary INTEGER NOT NULL DEFAULT 0,
    complete             INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    PRIMARY KEY (run_id, source)
);
CREATE INDEX run_sources_source ON run_sources (source, run_id);

-- Page bodies, content-addressed by the SHA-256 of the uncompressed body,
-- so an unchanged page costs nothing to fetch again.
CREATE TABLE bodies (
    sha256   BLOB PRIMARY KEY CHECK (length(sha256) = 32),
    encoding TEXT NOT NULL CHECK (encoding IN ('gzip')),
    size     INTEGER NOT NULL, -- uncompressed bytes
    data     BLOB NOT NULL
);

-- Fetched pages: one row per distinct body of a URL. Fetching the same body
-- again only moves `fetched` forward.
CREATE TABLE raw_pages (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    source        TEXT NOT NULL,
    first_fetched TEXT NOT NULL,
    fetched       TEXT NOT NULL, -- last time this body was fetched
    status        INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        BLOB NOT NULL REFERENCES bodies (sha256),
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    run_id        INTEGER REFERENCES runs (id), -- last run that fetched it
    UNIQUE (url, sha256)
);
CREATE INDEX raw_pages_url_fetched ON raw_pages (url, fetched);

-- Postings: every field of jobtrends.Posting, keyed by (source, external_id).
-- The UNIQUE index also serves queries by source.
CREATE TABLE postings (
    id               INTEGER PRIMARY KEY,
    source           TEXT NOT NULL CHECK (source <> ''),
    external_id      TEXT NOT NULL CHECK (external_id <> ''),
    source_type      TEXT NOT NULL,
    url              TEXT NOT NULL,
    title            TEXT NOT NULL,
    roles            TEXT, -- JSON array
    company          TEXT NOT NULL,
    location_text    TEXT NOT NULL,
    location_city    TEXT NOT NULL,
    location_region  TEXT NOT NULL,
    location_country TEXT NOT NULL,
    remote           TEXT NOT NULL,
    employment_type  TEXT NOT NULL,
    date_posted      TEXT,
    date_approx      INTEGER NOT NULL CHECK (date_approx IN (0, 1)),
    description      TEXT NOT NULL,

    -- Salary: has_salary = 0 means Posting.Salary was nil and every
    -- salary_* column is NULL. NULL amounts are nil pointers.
    has_salary             INTEGER NOT NULL CHECK (has_salary IN (0, 1)),
    salary_raw             TEXT,
    salary_min             REAL,
    salary_max             REAL,
    salary_currency        TEXT,
    salary_period          TEXT,
    salary_period_inferred INTEGER,
    salary_ranges          TEXT, -- JSON array of jobtrends.Range
    salary_multiplier      REAL,
    salary_annual_min      REAL,
    salary_annual_max      REAL,
    salary_usd_rate        REAL,
    salary_rate_date       TEXT,
    salary_annual_min_usd  REAL,
    salary_annual_max_usd  REAL,
    salary_provenance      TEXT,
    salary_flags           TEXT, -- JSON array

    role      TEXT NOT NULL,
    seniority TEXT NOT NULL,
    skills    TEXT, -- JSON array
    education TEXT, -- JSON array
    industry  TEXT NOT NULL,
    thread    TEXT NOT NULL,
    origin    TEXT NOT NULL,

    -- Lifecycle, kept by the store.
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    updated       TEXT NOT NULL, -- when the extracted fields last changed
    closed_at     TEXT,
    last_run_id   INTEGER REFERENCES runs (id), -- last run that saw it
    missed        INTEGER NOT NULL DEFAULT 0,   -- consecutive complete crawls without it
    missed_run_id INTEGER REFERENCES runs (id), -- last run counted in missed

    content_hash BLOB NOT NULL,     -- SHA-256 of the extracted fields
    raw_page_id  INTEGER REFERENCES raw_pages (id),
    dedupe_key   TEXT NOT NULL,     -- normalized company|title|location

    UNIQUE (source, external_id)
);
CREATE INDEX postings_date_posted ON postings (date_posted);
CREATE INDEX postings_role ON postings (role);
CREATE INDEX postings_dedupe_key ON postings (dedupe_key);
CREATE INDEX postings_last_run ON postings (source, last_run_id);
CREATE INDEX postings_raw_page ON postings (raw_page_id);
