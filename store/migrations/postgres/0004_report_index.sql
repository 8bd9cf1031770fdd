-- 0004 for PostgreSQL: no covering index for the report (see
-- ../0004_report_index.sql). A B-tree entry may not exceed about 2.7 KB, so
-- an index holding skill lists and company names could refuse a posting;
-- PostgreSQL reads the report's columns with a (parallel) sequential scan.
SELECT 1;
