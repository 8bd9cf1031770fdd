package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

// ReportGroups feeds g the store's postings counted by the database, in
// three GROUP BY queries over the columns migration 0003 keeps (filed_at,
// filed_month, posted_at, ml), so a report over millions of postings reads
// groups, not the postings:
//
//   - the cross-source duplicates: the dedupe keys more than one source
//     shares, then only their postings (analyze.CrossSourceDrops decides
//     which are left out, since the database cannot);
//   - one pass over every posting for counts, growth, data health and pay,
//     by source, month, role, seniority, country, remote status and
//     salary (filedRows, filing: the duplicates are subtracted from the
//     pay of their groups); SQLite reads it in the order of the index of
//     migration 0005, so it sorts nothing;
//   - one over the used ML-engineer postings for skills, education,
//     industry, remote status and the rankings (ml).
//
// Every query runs in one read-only transaction: one snapshot of the
// database (a crawl writing meanwhile changes none of the counts). On
// PostgreSQL the pass over every posting runs on a second connection,
// concurrently with the other two, in a transaction that imports that
// snapshot (pg_export_snapshot, SET TRANSACTION SNAPSHOT).
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
	if s.pg {
		for _, set := range pgReportSettings {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return wrap(err, "read report groups from %s: %s", s.path, set)
			}
		}
	}
	r := &groupReader{s: s, tx: tx, g: g, used: usedWhere(g.Options())}
	// filed runs the pass over every posting and gives its groups to g.
	var filed func(ctx context.Context) error
	if s.pg {
		// The pass over every posting runs on a connection of its own while
		// this one finds the duplicates and counts the ML-engineer postings,
		// in a transaction that imports this one's snapshot: the same
		// snapshot, so still one state of the database. Its groups are
		// held (g is not safe for concurrent use; about 150k groups at 1M
		// postings) until the duplicates are known.
		var id string
		if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
			return wrap(err, "read report groups from %s: export snapshot", s.path)
		}
		pctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		var rows [][]groupRow // in chunks: no copying as it grows
		go func() {
			in := interner{}
			done <- s.inSnapshot(pctx, id, func(tx *sql.Tx) error {
				return r.filedRows(pctx, tx, func(row *groupRow) error {
					k := &row.k
					for _, p := range []*string{&k.source, &k.role, &k.seniority, &k.country, &k.remote, &k.prov.String, &k.flags.String} {
						in.str(p)
					}
					if len(rows) == 0 || len(rows[len(rows)-1]) == cap(rows[len(rows)-1]) {
						rows = append(rows, make([]groupRow, 0, 4096))
					}
					rows[len(rows)-1] = append(rows[len(rows)-1], *row)
					return nil
				})
			})
		}()
		waited := false
		defer func() {
			cancel()
			if !waited { // an error before: stop it and wait for it
				<-done
			}
		}()
		filed = func(ctx context.Context) error {
			waited = true
			if err := <-done; err != nil {
				return err
			}
			f, err := r.newFiling(ctx)
			if err != nil {
				return err
			}
			for _, chunk := range rows {
				for i := range chunk {
					if err := f.add(&chunk[i]); err != nil {
						return err
					}
				}
			}
			f.finish()
			return nil
		}
	} else {
		// SQLite: one connection. Concurrent readers of a WAL database each
		// read the snapshot of their own first read, and nothing here could
		// make those the same without holding off writers.
		filed = func(ctx context.Context) error {
			f, err := r.newFiling(ctx)
			if err != nil {
				return err
			}
			if err := r.filedRows(ctx, tx, f.add); err != nil {
				return err
			}
			f.finish()
			return nil
		}
	}
	for _, step := range []struct {
		name string
		fn   func(context.Context) error
	}{
		{"cross-source duplicates", r.duplicates},
		{"ML-engineer sections", r.ml},
		{"counts, growth, health and pay", filed},
	} {
		if err := step.fn(ctx); err != nil {
			return wrap(err, "report groups from %s: %s", s.path, step.name)
		}
	}
	return nil
}

// inSnapshot runs fn in a read-only transaction of its own that imports
// the exported PostgreSQL snapshot id (SET TRANSACTION SNAPSHOT): it sees
// what the transaction that exported it sees.
func (s *Store) inSnapshot(ctx context.Context, id string, fn func(*sql.Tx) error) error {
	if testHookSnapshot != nil {
		testHookSnapshot()
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// id is what pg_export_snapshot returned; SET takes no parameters.
	for _, set := range append([]string{"SET TRANSACTION SNAPSHOT " + quoteLiteral(id)}, pgReportSettings...) {
		if _, err := tx.ExecContext(ctx, set); err != nil {
			return fmt.Errorf("%s: %w", set, err)
		}
	}
	return fn(tx)
}

// testHookSnapshot, when a test sets it, runs before inSnapshot begins
// its transaction.
var testHookSnapshot func()

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// pgReportSettings are set in the report's PostgreSQL transactions only:
// no JIT compilation (it cost 0.25–0.5 s per query at 1M postings, more
// than the ML-engineer query takes), and the memory to aggregate the pass
// over every posting (about 150k groups at 1M postings) in one hash table
// rather than an external sort.
var pgReportSettings = []string{"SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'"}

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
	// The condition that a posting is one of them and its argument ("":
	// none).
	dropIn, dropList string
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
	return r.eachIn(ctx, r.tx, query, args, dst, fn)
}

// eachIn is each in transaction tx.
func (r *groupReader) eachIn(ctx context.Context, tx *sql.Tx, query string, args []any, dst []any, fn func() error) error {
	rows, err := tx.QueryContext(ctx, r.s.q(query), args...)
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

// filedRows counts every posting, in one pass over the postings (SQLite:
// in the order of the index postings_groups, migration 0005, so without
// sorting them), by source, month, ML-engineer or not, role, seniority,
// country, remote status and salary, with how many of each group are
// undated, future and outside the window, and their dates posted, in
// transaction tx, and calls fn with each: the groups of Counted, Filed,
// Health and (less the cross-source duplicates) Salary (filing). It
// touches neither r.g nor what duplicates sets, so it may run while they
// do.
func (r *groupReader) filedRows(ctx context.Context, tx *sql.Tx, fn func(*groupRow) error) error {
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
	q := `SELECT ` + groupCols + `,
		count(*), count(filed_at), count(CASE WHEN ` + future + ` THEN 1 END),
		count(CASE WHEN NOT (` + future + `) AND (` + outside + `) THEN 1 END),
		count(posted_at), min(posted_at), max(posted_at)
		FROM postings` + r.groupsIndex() + ` GROUP BY ` + groupBy
	var row groupRow
	dst := append(row.k.dst(), &row.n, &row.dated, &row.future, &row.outside, &row.posted, &row.first, &row.last)
	return r.eachIn(ctx, tx, q, nil, dst, func() error { return fn(&row) })
}

// groupCols are the columns filedRows groups by, as groupKey.dst scans
// them, and groupBy its GROUP BY: the leading columns of postings_groups,
// in its order (hasAmount as that index's expression).
const (
	groupCols = `source, coalesce(filed_month, 0), ml, has_salary, ` + hasAmount + `, salary_provenance,
		role, seniority, location_country, remote, salary_annual_min_usd, salary_annual_max_usd, salary_flags`
	groupBy = `source, filed_month, ml, has_salary, ` + hasAmount + `, salary_provenance,
		role, seniority, location_country, remote, salary_annual_min_usd, salary_annual_max_usd, salary_flags`
)

// groupKey is what the postings of a group of filedRows share.
type groupKey struct {
	source                           string
	month, ml                        int
	has                              bool
	amount                           int
	prov                             sql.NullString
	role, seniority, country, remote string
	annMin, annMax                   sql.NullFloat64
	flags                            sql.NullString
}

func (k *groupKey) dst() []any {
	return []any{&k.source, &k.month, &k.ml, &k.has, &k.amount, &k.prov,
		&k.role, &k.seniority, &k.country, &k.remote, &k.annMin, &k.annMax, &k.flags}
}

// groupRow is a group of filedRows: n postings, dated of them with a
// filing date, future and outside of those left out, posted with a date
// posted, from first to last.
type groupRow struct {
	k                                 groupKey
	n, dated, future, outside, posted int
	first, last                       sql.NullInt64
}

// filing gives the groups of filedRows to g: Counted, Filed and Health
// all of them, Salary the used postings that are not cross-source
// duplicates (the database counts the duplicates of each group apart, by
// id: a few postings).
type filing struct {
	r       *groupReader
	dropped map[groupKey]int
	counts  [4]int
	p       jobtrends.Posting
}

// newFiling counts the duplicates of each group. duplicates must have
// run.
func (r *groupReader) newFiling(ctx context.Context) (*filing, error) {
	f := &filing{r: r}
	if r.dropList == "" {
		return f, nil
	}
	f.dropped = map[groupKey]int{}
	var (
		k groupKey
		n int
	)
	err := r.each(ctx, `SELECT `+groupCols+`, count(*) FROM postings WHERE `+r.dropIn+` GROUP BY `+groupBy,
		[]any{r.dropList}, append(k.dst(), &n), func() error {
			f.dropped[k] += n
			return nil
		})
	return f, err
}

func (f *filing) add(row *groupRow) error {
	g, k := f.r.g, &row.k
	used := row.dated - row.future - row.outside
	f.counts[0] += used
	f.counts[1] += row.n - row.dated
	f.counts[2] += row.future
	f.counts[3] += row.outside
	ml := k.ml == 1
	if used > 0 {
		g.Filed(k.source, analyze.Month(k.month), ml, used)
	}
	gs := groupSalary{has: k.has, amount: k.amount, annMin: k.annMin, annMax: k.annMax, prov: k.prov, flags: k.flags}
	sal, err := gs.salary()
	if err != nil {
		return err
	}
	var first, last time.Time
	if row.first.Valid {
		first, last = nanosTime(row.first.Int64), nanosTime(row.last.Int64)
	}
	g.Health(k.source, ml, sal, row.n, row.n-row.posted, first, last)
	if n := used - f.dropped[*k]; n > 0 {
		p := &f.p
		p.Source, p.Role, p.Seniority, p.Location.Country, p.Remote = k.source, k.role, k.seniority, k.country, jobtrends.Remote(k.remote)
		p.Salary = sal
		g.Salary(p, analyze.Month(k.month), ml, n)
	}
	return nil
}

// finish gives g the counts of the postings.
func (f *filing) finish() {
	c := f.counts
	f.r.g.Counted(c[0]+c[1]+c[2]+c[3], c[1], c[2], c[3])
}

// interner keeps one copy of each string it is given.
type interner map[string]string

func (in interner) str(s *string) {
	if v, ok := in[*s]; ok {
		*s = v
	} else {
		in[*s] = *s
	}
}

// groupsIndex is the clause that has SQLite read the postings in the
// order of postings_groups (migration 0005), whose leading columns are the
// GROUP BY of filed: without it SQLite may pick another index and sort a
// million rows. PostgreSQL has no such index and aggregates in a hash
// table.
func (r *groupReader) groupsIndex() string {
	if r.s.pg {
		return ""
	}
	return " INDEXED BY postings_groups"
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
// the database lists the dedupe keys that more than one source shares
// (walking the index postings_dedupe_key), then the used postings of those
// keys, in the report's order; analyze.CrossSourceDrops decides. The rest
// of the queries leave those postings out.
func (r *groupReader) duplicates(ctx context.Context) error {
	// min <> max rather than count(DISTINCT source) > 1: the same keys
	// (source is NOT NULL), without a distinct set per key.
	var keys []string
	var key string
	err := r.each(ctx, `SELECT dedupe_key FROM postings WHERE `+r.used+` AND dedupe_key <> ''
		GROUP BY dedupe_key HAVING min(source) <> max(source)`, nil, []any{&key}, func() error {
		keys = append(keys, key)
		return nil
	})
	if err != nil || len(keys) == 0 {
		return err
	}
	// One parameter holding the list: an array for PostgreSQL, a JSON
	// array for SQLite's json_each.
	var keysIn string
	var keysArg any
	if r.s.pg {
		keysIn, keysArg = "dedupe_key = ANY (?::text[])", keys
	} else {
		b, err := json.Marshal(keys)
		if err != nil {
			return err
		}
		keysIn, keysArg = "dedupe_key IN (SELECT value FROM json_each(?))", string(b)
	}
	q := `SELECT id, dedupe_key, source, has_salary, salary_provenance FROM postings
		WHERE ` + r.used + ` AND ` + keysIn + `
		ORDER BY dedupe_key, source, external_id`
	var (
		id    int64
		cur   string
		src   string
		has   bool
		prov  sql.NullString
		ids   []int64
		ps    []*jobtrends.Posting
		drops []int64
	)
	flush := func() {
		for _, i := range analyze.CrossSourceDrops(ps) {
			drops = append(drops, ids[i])
		}
		ids, ps = ids[:0], ps[:0]
	}
	err = r.each(ctx, q, []any{keysArg}, []any{&id, &key, &src, &has, &prov}, func() error {
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
	var b strings.Builder
	for i, id := range drops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	if r.s.pg {
		r.dropIn = "id = ANY (?::bigint[])"
		r.dropList = "{" + b.String() + "}"
	} else {
		r.dropIn = "id IN (SELECT value FROM json_each(?))"
		r.dropList = "[" + b.String() + "]"
	}
	r.notDropped = " AND NOT (" + r.dropIn + ")"
	r.notDroppedArg = []any{r.dropList}
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

// ml counts used ML-engineer postings that are not cross-source
// duplicates in one query, grouped by year, skill list, education list,
// industry, remote status, company, country and city, and gives each group
// to every section that reads one of those: Skills, Education, Industry
// and Remote by year, the Company, Country and City rankings. There are
// about as many groups as ML-engineer postings (companies and cities), a
// few percent of the postings; one query reads their rows once (from
// postings_report, ml first) where a query per section read them seven
// times.
func (r *groupReader) ml(ctx context.Context) error {
	q := `SELECT filed_month / 12, skills, education, industry, remote, company, location_country, location_city, count(*)
		FROM postings WHERE ` + r.secondPass(true) + ` GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`
	var (
		y, n                                     int
		skills, education                        sql.NullString
		industry, remote, company, country, city string
	)
	dst := []any{&y, &skills, &education, &industry, &remote, &company, &country, &city, &n}
	return r.each(ctx, q, r.notDroppedArg, dst, func() error {
		l, err := parseReportList(skills)
		if err != nil {
			return fmt.Errorf("skills %q: %w", skills.String, err)
		}
		r.g.Skills(l, y, n)
		if l, err = parseReportList(education); err != nil {
			return fmt.Errorf("education %q: %w", education.String, err)
		}
		r.g.Education(l, y, n)
		r.g.Industry(industry, y, n)
		r.g.Remote(jobtrends.Remote(remote), y, n)
		r.g.Company(company, n)
		r.g.Country(country, n)
		r.g.City(city, n)
		return nil
	})
}
