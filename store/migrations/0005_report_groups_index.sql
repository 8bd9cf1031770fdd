-- 0005: an index in the order of the GROUP BY of the report's pass over
-- every posting (Store.ReportGroups, groupReader.filed: counts, growth,
-- data health and pay in one query), holding every column that query
-- reads. SQLite aggregates a GROUP BY by sorting its rows unless it can
-- read them in that order from an index: at 1M postings the sorts of the
-- counts and the pay sections took about 9 of the report's 12 s. Its
-- fifth column is the expression of "the salary states an amount" (the
-- query groups by the same expression); salary_min and salary_max follow
-- the grouped columns so that the index covers the query.
CREATE INDEX postings_groups ON postings (
    source, filed_month, ml, has_salary,
    (CASE WHEN salary_min IS NOT NULL OR salary_max IS NOT NULL
        OR salary_annual_min_usd IS NOT NULL OR salary_annual_max_usd IS NOT NULL THEN 1 ELSE 0 END),
    salary_provenance, role, seniority, location_country, remote,
    salary_annual_min_usd, salary_annual_max_usd, salary_flags,
    filed_at, posted_at, salary_min, salary_max
);

-- The covering index of 0004 now serves the ML-engineer query only (the
-- pass over every posting reads postings_groups): it keeps the columns
-- that query reads, in a third of the width, so that writing a posting
-- maintains less index.
DROP INDEX postings_report;
CREATE INDEX postings_report ON postings (
    ml, filed_at, filed_month, skills, education, industry, remote, company, location_country, location_city
);
