-- 0003: what the report groups postings by, kept per posting so that the
-- database can count them (GROUP BY) instead of the report streaming every
-- posting. Each is a function of other columns, computed in Go by
-- reportFacts when a posting is written (the code that defines it lives in
-- package analyze); this migration adds the columns and the Go step of the
-- same migration (fillReportFacts) fills them for the postings stored
-- before it.
--
--   filed_at    analyze.FiledAt in Unix nanoseconds (the first instant of
--               the HN thread's month, else date_posted); NULL: undated
--   filed_month analyze.Month of filed_at: year*12 + month-1, UTC
--   posted_at   date_posted in Unix nanoseconds; NULL: none
--   ml          1 for an ML-engineer posting (analyze.IsMLEngineer)
--
-- Plain SQL that SQLite and PostgreSQL both accept.
ALTER TABLE postings ADD COLUMN filed_at BIGINT;
ALTER TABLE postings ADD COLUMN filed_month INTEGER;
ALTER TABLE postings ADD COLUMN posted_at BIGINT;
ALTER TABLE postings ADD COLUMN ml INTEGER NOT NULL DEFAULT 0 CHECK (ml IN (0, 1));
