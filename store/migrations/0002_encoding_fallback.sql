-- 0002: pages per source and run whose text could not be decoded as
-- declared (a lying or unknown charset, an encoding found by detection,
-- invalid bytes replaced with U+FFFD): scraper.Stats.EncodingFallback.
-- Runs recorded before this migration read 0.
--
-- Plain SQL that SQLite and PostgreSQL both accept.
ALTER TABLE run_sources ADD COLUMN encoding_fallback INTEGER NOT NULL DEFAULT 0;
