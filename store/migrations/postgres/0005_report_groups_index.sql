-- 0005 for PostgreSQL: no index. PostgreSQL aggregates the report's GROUP
-- BY in a hash table (Store.ReportGroups raises work_mem for its
-- transaction), so it needs no index in that order; and a B-tree entry
-- here may not exceed about 2.7 KB (see 0004). The step keeps the schema
-- versions of the two backends equal.
SELECT 1;
