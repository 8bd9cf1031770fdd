package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

// ReportGroups feeds g the store's postings counted by the database: every
// section of the report is one GROUP BY query (by month and source for
// growth, by role, seniority, country, remote status and salary for pay,
// by year and skill list for skills, …) over the columns migration 0003
// keeps (filed_at, filed_month, posted_at, ml), so a report over millions
// of postings reads a few thousand rows, not the postings. What the
// database cannot decide, the cross-source dedupe, reads only the postings
// whose dedupe key more than one source shares (analyze.CrossSourceDrops
// decides).
//
// Every query runs in one read-only transaction: one snapshot of the
// database (a crawl writing meanwhile changes none of the counts).
func (s *Store) ReportGroups(ctx context.Context, g *analyze.Groups) error {
	opts := &sql.TxOptions{ReadOnly: true} // SQLite: a deferred BEGIN, a snapshot from the first read
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return wrap(err, "read report groups from %s", s.path)
	}
	defer tx.Rollback()
	r := &groupReader{s: s, tx: tx, g: g, used: usedWhere(g.Options())}
	for _, step := range []struct {
		name string
		fn   func(context.Context) error
	}{
		{"postings per class, source, month and role", r.filed},
		{"cross-source duplicates", r.duplicates},
		{"pay", r.salary},
		{"skills", r.skills},
		{"education", r.education},
		{"industry", r.industry},
		{"companies", r.companies},
		{"countries", r.countries},
		{"cities", r.cities},
		{"remote", r.remote},
	} {
		if err := step.fn(ctx); err != nil {
			return wrap(err, "report groups from %s: %s", s.path, step.name)
		}
	}
	return nil
}

// groupReader runs the queries of ReportGroups.
type groupReader struct {
	s    *Store
	tx   *sql.Tx
	g    *analyze.Groups
	used string // the condition of a used posting: dated, not future, in the window

	// After duplicates: the condition that leaves the cross-source
	// duplicates out ("" when there are none) and its argument.
	notDropped    string
	notDroppedArg []any
}

// usedWhere is the SQL condition of a posting the analysis uses, as
// analyze.Builder files one: dated (filed_at), not after opt.Now, inside
// [opt.From, opt.To). The bounds are integers this program computes, so
// they are written into the SQL.
func usedWhere(opt analyze.Options) string {
	w := "filed_at IS NOT NULL"
	if !opt.Now.IsZero() {
		w += " AND filed_at <= " + nanosLit(opt.Now)
	}
	if !opt.From.IsZero() {
		w += " AND filed_at >= " + nanosLit(opt.From)
	}
	if !opt.To.IsZero() {
		w += " AND filed_at < " + nanosLit(opt.To)
	}
	return w
}

func nanosLit(t time.Time) string { return strconv.FormatInt(unixNanos(t), 10) }

// each runs query and calls fn after scanning each row into dst.
func (r *groupReader) each(ctx context.Context, query string, args []any, dst []any, fn func() error) error {
	rows, err := r.tx.QueryContext(ctx, r.s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// filed counts every posting by class (used, undated, future, outside the
// window), source, month, role and salary disclosure, with its dates
// posted, in one pass: Counted, Filed (the used ones) and Health (all).
func (r *groupReader) filed(ctx context.Context) error {
	opt := r.g.Options()
	future, outside := "0 = 1", "0 = 1"
	if !opt.Now.IsZero() {
		future = "filed_at > " + nanosLit(opt.Now)
	}
	var out []string
	if !opt.From.IsZero() {
		out = append(out, "filed_at < "+nanosLit(opt.From))
	}
	if !opt.To.IsZero() {
		out = append(out, "filed_at >= "+nanosLit(opt.To))
	}
	if len(out) > 0 {
		outside = strings.Join(out, " OR ")
	}
	q := `SELECT CASE WHEN filed_at IS NULL THEN 1 WHEN ` + future + ` THEN 2 WHEN ` + outside + ` THEN 3 ELSE 0 END,
		source, coalesce(filed_month, 0), ml, has_salary, ` + hasAmount + `, salary_provenance,
		count(*), count(posted_at), min(posted_at), max(posted_at)
		FROM postings GROUP BY 1, 2, 3, 4, 5, 6, 7`
	var (
		class, month, ml, n, dated int
		src                        string
		first, last                sql.NullInt64
		gs                         groupSalary
		counts                     [4]int
	)
	dst := []any{&class, &src, &month, &ml, &gs.has, &gs.amount, &gs.prov, &n, &dated, &first, &last}
	err := r.each(ctx, q, nil, dst, func() error {
		counts[class] += n
		if class == 0 {
			r.g.Filed(src, analyze.Month(month), ml == 1, n)
		}
		sal, err := gs.salary()
		if err != nil {
			return err
		}
		var f, l time.Time
		if first.Valid {
			f, l = nanosTime(first.Int64), nanosTime(last.Int64)
		}
		r.g.Health(src, ml == 1, sal, n, n-dated, f, l)
		return nil
	})
	if err != nil {
		return err
	}
	r.g.Counted(counts[0]+counts[1]+counts[2]+counts[3], counts[1], counts[2], counts[3])
	return nil
}

// hasAmount is the SQL of analyze's "the salary states an amount".
const hasAmount = `CASE WHEN salary_min IS NOT NULL OR salary_max IS NOT NULL
	OR salary_annual_min_usd IS NOT NULL OR salary_annual_max_usd IS NOT NULL THEN 1 ELSE 0 END`

// groupSalary is the salary a group of postings shares, as the report
// reads it: whether there is one and states an amount, the annual USD
// amounts, provenance and flags.
type groupSalary struct {
	has            bool
	amount         int
	annMin, annMax sql.NullFloat64
	prov, flags    sql.NullString
	zero           float64
}

func (gs *groupSalary) salary() (*jobtrends.Salary, error) {
	if !gs.has {
		return nil, nil
	}
	s := &jobtrends.Salary{
		AnnualMinUSD: nullFloat(gs.annMin),
		AnnualMaxUSD: nullFloat(gs.annMax),
		Provenance:   jobtrends.Provenance(gs.prov.String),
	}
	if gs.amount == 1 && s.AnnualMinUSD == nil && s.AnnualMaxUSD == nil {
		s.Min = &gs.zero // an amount, not annualized: its value is never read
	}
	// flags stays NULL (nil) in the queries that do not read it.
	var err error
	if s.Flags, err = parseReportList(gs.flags); err != nil {
		return nil, fmt.Errorf("salary flags: %w", err)
	}
	return s, nil
}

// duplicates finds the used postings left out as cross-source duplicates:
// the database lists the postings of the dedupe keys that more than one
// source shares, in the report's order; analyze.CrossSourceDrops decides.
// The rest of the queries leave those postings out.
func (r *groupReader) duplicates(ctx context.Context) error {
	q := `SELECT id, dedupe_key, source, has_salary, salary_provenance FROM postings
		WHERE ` + r.used + ` AND dedupe_key IN (
			SELECT dedupe_key FROM postings WHERE ` + r.used + ` AND dedupe_key <> ''
			GROUP BY dedupe_key HAVING count(DISTINCT source) > 1)
		ORDER BY dedupe_key, source, external_id`
	var (
		id       int64
		key, cur string
		src      string
		has      bool
		prov     sql.NullString
		ids      []int64
		ps       []*jobtrends.Posting
		drops    []int64
	)
	flush := func() {
		for _, i := range analyze.CrossSourceDrops(ps) {
			drops = append(drops, ids[i])
		}
		ids, ps = ids[:0], ps[:0]
	}
	err := r.each(ctx, q, nil, []any{&id, &key, &src, &has, &prov}, func() error {
		if key != cur && len(ps) > 0 {
			flush()
		}
		cur = key
		p := &jobtrends.Posting{Source: src}
		if has {
			p.Salary = &jobtrends.Salary{Provenance: jobtrends.Provenance(prov.String)}
		}
		ids, ps = append(ids, id), append(ps, p)
		return nil
	})
	if err != nil {
		return err
	}
	flush()
	r.g.Duplicates(len(drops))
	if len(drops) == 0 {
		return nil
	}
	// One parameter holding the list: an array literal for PostgreSQL, a
	// JSON array for SQLite's json_each.
	var b strings.Builder
	for i, id := range drops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	if r.s.pg {
		r.notDropped = " AND NOT (id = ANY (?::bigint[]))"
		r.notDroppedArg = []any{"{" + b.String() + "}"}
	} else {
		r.notDropped = " AND id NOT IN (SELECT value FROM json_each(?))"
		r.notDroppedArg = []any{"[" + b.String() + "]"}
	}
	return nil
}

// secondPass is the condition of the postings the cross-source sections
// count: used and not left out as duplicates; ml: ML-engineer postings
// only.
func (r *groupReader) secondPass(ml bool) string {
	w := r.used + r.notDropped
	if ml {
		w += " AND ml = 1"
	}
	return w
}

// salary counts used postings by role, month, seniority, country, remote
// status and salary: Salary.
func (r *groupReader) salary(ctx context.Context) error {
	q := `SELECT role, ml, filed_month, seniority, location_country, remote,
		has_salary, ` + hasAmount + `, salary_annual_min_usd, salary_annual_max_usd, salary_provenance, salary_flags,
		count(*)
		FROM postings WHERE ` + r.secondPass(false) + `
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12`
	var (
		p         jobtrends.Posting
		remote    string
		ml, month int
		n         int
		gs        groupSalary
	)
	dst := []any{&p.Role, &ml, &month, &p.Seniority, &p.Location.Country, &remote,
		&gs.has, &gs.amount, &gs.annMin, &gs.annMax, &gs.prov, &gs.flags, &n}
	return r.each(ctx, q, r.notDroppedArg, dst, func() error {
		var err error
		p.Remote = jobtrends.Remote(remote)
		if p.Salary, err = gs.salary(); err != nil {
			return err
		}
		r.g.Salary(&p, analyze.Month(month), ml == 1, n)
		return nil
	})
}

// byYear runs a count of used ML-engineer postings grouped by year and
// col, and calls fn with each group.
func (r *groupReader) byYear(ctx context.Context, col string, fn func(v sql.NullString, y, n int) error) error {
	q := `SELECT filed_month / 12, ` + col + `, count(*) FROM postings WHERE ` + r.secondPass(true) + ` GROUP BY 1, 2`
	var (
		y, n int
		v    sql.NullString
	)
	return r.each(ctx, q, r.notDroppedArg, []any{&y, &v, &n}, func() error { return fn(v, y, n) })
}

func (r *groupReader) skills(ctx context.Context) error {
	return r.byYear(ctx, "skills", func(v sql.NullString, y, n int) error {
		l, err := parseReportList(v)
		if err != nil {
			return fmt.Errorf("skills %q: %w", v.String, err)
		}
		r.g.Skills(l, y, n)
		return nil
	})
}

func (r *groupReader) education(ctx context.Context) error {
	return r.byYear(ctx, "education", func(v sql.NullString, y, n int) error {
		l, err := parseReportList(v)
		if err != nil {
			return fmt.Errorf("education %q: %w", v.String, err)
		}
		r.g.Education(l, y, n)
		return nil
	})
}

func (r *groupReader) industry(ctx context.Context) error {
	return r.byYear(ctx, "industry", func(v sql.NullString, y, n int) error {
		r.g.Industry(v.String, y, n)
		return nil
	})
}

func (r *groupReader) remote(ctx context.Context) error {
	return r.byYear(ctx, "remote", func(v sql.NullString, y, n int) error {
		r.g.Remote(jobtrends.Remote(v.String), y, n)
		return nil
	})
}

// ranking counts used ML-engineer postings by col and calls fn with each.
func (r *groupReader) ranking(ctx context.Context, col string, fn func(v string, n int)) error {
	q := `SELECT ` + col + `, count(*) FROM postings WHERE ` + r.secondPass(true) + ` GROUP BY 1`
	var (
		v string
		n int
	)
	return r.each(ctx, q, r.notDroppedArg, []any{&v, &n}, func() error { fn(v, n); return nil })
}

func (r *groupReader) companies(ctx context.Context) error {
	return r.ranking(ctx, "company", r.g.Company)
}

func (r *groupReader) countries(ctx context.Context) error {
	return r.ranking(ctx, "location_country", r.g.Country)
}

func (r *groupReader) cities(ctx context.Context) error {
	return r.ranking(ctx, "location_city", r.g.City)
}
