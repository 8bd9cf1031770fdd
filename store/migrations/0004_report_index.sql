-- 0004: a covering index of every column the report's GROUP BY queries
-- (Store.ReportGroups) read: ml, then filed_at, so that the sections of
-- ML-engineer postings read their own range of it and a window is a range
-- too. SQLite keeps a posting's description inline in its row, so a scan of
-- the table reads every description; a scan of this index reads about a
-- tenth of the bytes (1M postings with 1.5 KB descriptions: a 170 MB index
-- in a 2.5 GB file).
--
-- PostgreSQL has its own version of this step (postgres/0004), an index of
-- (ml, filed_at) only: a B-tree entry there may not exceed about 2.7 KB,
-- and long skill lists or company names would make a posting fail to
-- insert.
CREATE INDEX postings_report ON postings (
    ml, filed_at, source, filed_month, role, seniority, location_country, location_city, remote,
    company, industry, has_salary, salary_min, salary_max, salary_annual_min_usd, salary_annual_max_usd,
    salary_provenance, salary_flags, skills, education, posted_at, dedupe_key, external_id
);

-- The dedupe key index also holds what the report's search for
-- cross-source duplicates reads, in its order: GROUP BY dedupe_key with
-- count(DISTINCT source) walks it without sorting a million keys.
DROP INDEX postings_dedupe_key;
CREATE INDEX postings_dedupe_key ON postings (dedupe_key, source, filed_at, external_id, has_salary, salary_provenance);
