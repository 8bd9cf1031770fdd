-- 0004 for PostgreSQL: an index of (ml, filed_at) only, not the covering
-- index of ../0004_report_index.sql. A B-tree entry here may not exceed
-- about 2.7 KB, so an index holding skill lists and company names could
-- refuse a posting. PostgreSQL reads the report's columns with a parallel
-- sequential scan, and with this index it reads the sections of ML-engineer
-- postings (ml = 1, a window of filed_at) from their own rows only.
CREATE INDEX postings_report ON postings (ml, filed_at);

-- The dedupe key index also holds the source and filed_at, which the
-- report's search for cross-source duplicates reads (every column bounded:
-- dedupe keys over 512 bytes are stored as their SHA-256).
DROP INDEX postings_dedupe_key;
CREATE INDEX postings_dedupe_key ON postings (dedupe_key, source, filed_at);
