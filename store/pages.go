package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/jobtrends/jobtrends"
)

// PageCounts says what SavePage did with the postings of one page.
type PageCounts struct {
	// New postings were not stored before.
	New int
	// Updated postings were stored before and their extracted fields
	// changed, or they had been closed and are reopened.
	Updated int
	// Unchanged postings were stored before with the same content: only
	// their last_seen moved.
	Unchanged int
}

// SavePage stores a fetched page and upserts the postings extracted from
// it, in one transaction: either all of it is stored or none of it.
//
// The body is stored gzipped and content-addressed: fetching the same body
// of the same URL again only records the new fetch time. runID is the run
// (StartRun) that fetched the page, or 0 outside a run (an import, a
// reparse).
//
// Postings are keyed by (Source, ExternalID); a posting with no Source
// takes the page's. A new posting gets FirstSeen = LastSeen = page.Fetched.
// For a stored one LastSeen moves forward (FirstSeen back) to
// page.Fetched, and the other fields are rewritten only if the hash of the
// extracted fields changed. The FirstSeen, LastSeen and Closed of the
// given postings are ignored: the store keeps them. A posting seen again on
// a page fetched after it was closed is reopened. Strings are stored as
// valid UTF-8 (invalid bytes become U+FFFD) and non-finite amounts as nil.
func (s *Store) SavePage(ctx context.Context, runID int64, page jobtrends.Page, postings []jobtrends.Posting) (PageCounts, error) {
	pp, err := s.PreparePage(ctx, page, postings)
	if err != nil {
		return PageCounts{}, err
	}
	counts, err := s.SavePages(ctx, runID, []*PreparedPage{pp})
	if err != nil {
		return PageCounts{}, err
	}
	return counts[0], nil
}

// PreparedPage is a page and its postings made ready for SavePages: the
// part of SavePage that needs no transaction (checks, cleaning, hashes and
// the body's compression), so that it can run on other goroutines than the
// one that writes.
type PreparedPage struct {
	url, source, fetched string
	page                 jobtrends.Page
	rows                 []preparedRow
	sum                  [sha256.Size]byte
	zipped               []byte // nil when the body was already stored

	validators    bool // SetValidators was called
	etag, lastMod string
}

// SetValidators has SavePages keep the page's ETag and Last-Modified as
// Store.SetValidators does, in the page's transaction.
func (pp *PreparedPage) SetValidators(etag, lastModified string) {
	pp.validators, pp.etag, pp.lastMod = true, validUTF8(etag), validUTF8(lastModified)
}

// preparedRow is one posting of a PreparedPage.
type preparedRow struct {
	p     jobtrends.Posting
	args  []any
	hash  []byte
	dedup string
	facts []any // reportFacts
}

// PreparePage does what SavePage does before its transaction: it checks
// and cleans page and postings, hashes them and compresses the body
// unless the database holds it already. It only reads the database, so
// any number may run at once, beside a writer.
func (s *Store) PreparePage(ctx context.Context, page jobtrends.Page, postings []jobtrends.Posting) (*PreparedPage, error) {
	url := validUTF8(page.URL)
	fail := func(err error) (*PreparedPage, error) {
		return nil, wrap(err, "save page %s to %s", url, s.path)
	}
	if url == "" {
		return fail(errors.New("page has no URL"))
	}
	if page.Fetched.IsZero() {
		return fail(errors.New("page has no fetch time"))
	}
	pp := &PreparedPage{
		url:     url,
		source:  validUTF8(page.Source),
		fetched: page.Fetched.UTC().Format(timeFormat),
		page:    page,
		rows:    make([]preparedRow, len(postings)),
		sum:     sha256.Sum256(page.Body),
	}
	for i := range postings {
		c := clean(postings[i])
		if c.Source == "" {
			c.Source = pp.source
		}
		if c.Source == "" || c.ExternalID == "" {
			return fail(fmt.Errorf("posting %d (%q): no source or external ID", i, c.Title))
		}
		args, err := postingArgs(&c)
		if err != nil {
			return fail(fmt.Errorf("posting %s/%s: %w", c.Source, c.ExternalID, err))
		}
		hash, err := contentHash(&c)
		if err != nil {
			return fail(fmt.Errorf("posting %s/%s: %w", c.Source, c.ExternalID, err))
		}
		pp.rows[i] = preparedRow{p: c, args: args, hash: hash, dedup: DedupeKey(&c), facts: reportFacts(&c)}
	}
	var have int
	if err := s.queryRow(ctx, s.q("SELECT count(*) FROM bodies WHERE sha256 = ?"), pp.sum[:]).Scan(&have); err != nil {
		return fail(err)
	}
	if have == 0 {
		var err error
		if pp.zipped, err = compress(page.Body); err != nil {
			return fail(err)
		}
	}
	return pp, nil
}

// SavePages stores prepared pages in order, all in one transaction: the
// commit, the costly part of a small write, is paid once for all of them.
// When that transaction fails, each page is stored in a transaction of its
// own, in order, up to the first that fails: the error then names that
// page, and the pages before it are stored. The counts are those of the
// pages stored, in order.
func (s *Store) SavePages(ctx context.Context, runID int64, pages []*PreparedPage) ([]PageCounts, error) {
	if len(pages) == 0 {
		return nil, nil
	}
	counts := make([]PageCounts, len(pages))
	at := 0 // the page being written
	err := s.write(ctx, func(sqlTx *sql.Tx) error {
		tx := preparedTx{s, sqlTx}
		if err := s.checkRunning(ctx, tx, runID); err != nil {
			return err
		}
		for i, pp := range pages {
			at = i
			c, err := s.savePrepared(ctx, tx, runID, pp)
			if err != nil {
				return err
			}
			counts[i] = c
		}
		return nil
	})
	if err == nil {
		return counts, nil
	}
	if len(pages) == 1 || ctx.Err() != nil {
		return nil, wrap(err, "save page %s to %s", pages[at].url, s.path)
	}
	counts = counts[:0]
	for _, pp := range pages {
		c, err := s.SavePages(ctx, runID, []*PreparedPage{pp})
		if err != nil {
			return counts, err
		}
		counts = append(counts, c[0])
	}
	return counts, nil
}

// checkRunning fails unless run runID (0: none) is running.
func (s *Store) checkRunning(ctx context.Context, tx preparedTx, runID int64) error {
	if runID == 0 {
		return nil
	}
	status, err := s.runStatus(ctx, tx, runID)
	if err != nil {
		return err
	}
	if status != StatusRunning {
		return fmt.Errorf("run %d is %s, not running", runID, status)
	}
	return nil
}

// savePrepared writes one prepared page in tx.
func (s *Store) savePrepared(ctx context.Context, tx preparedTx, runID int64, pp *PreparedPage) (PageCounts, error) {
	var counts PageCounts
	url, source, fetched, rows, sum, page := pp.url, pp.source, pp.fetched, pp.rows, pp.sum, pp.page
	var run any // NULL outside a run
	if runID != 0 {
		run = runID
	}
	if pp.zipped != nil {
		_, err := tx.ExecContext(ctx, s.q(`
			INSERT INTO bodies (sha256, encoding, size, data) VALUES (?, 'gzip', ?, ?)
			ON CONFLICT (sha256) DO NOTHING`),
			sum[:], len(page.Body), pp.zipped)
		if err != nil {
			return counts, fmt.Errorf("store body: %w", err)
		}
	}
	var pageID int64
	// The SET expressions see the stored row as raw_pages.
	err := tx.QueryRowContext(ctx, s.q(`
		INSERT INTO raw_pages (url, source, first_fetched, fetched, status, content_type, sha256, run_id)
		VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7)
		ON CONFLICT (url, sha256) DO UPDATE SET
			first_fetched = CASE WHEN excluded.first_fetched < raw_pages.first_fetched
			                THEN excluded.first_fetched ELSE raw_pages.first_fetched END,
			fetched      = CASE WHEN excluded.fetched > raw_pages.fetched
			                THEN excluded.fetched ELSE raw_pages.fetched END,
			source       = CASE WHEN excluded.fetched >= raw_pages.fetched
			                THEN excluded.source ELSE raw_pages.source END,
			status       = CASE WHEN excluded.fetched >= raw_pages.fetched
			                THEN excluded.status ELSE raw_pages.status END,
			content_type = CASE WHEN excluded.fetched >= raw_pages.fetched
			                THEN excluded.content_type ELSE raw_pages.content_type END,
			run_id       = CASE WHEN excluded.fetched >= raw_pages.fetched
			                THEN coalesce(excluded.run_id, raw_pages.run_id) ELSE raw_pages.run_id END
		RETURNING id`),
		url, source, fetched, page.Status, validUTF8(page.ContentType), sum[:], run).Scan(&pageID)
	if err != nil {
		return counts, fmt.Errorf("store raw page: %w", err)
	}
	if pp.validators {
		if _, err := tx.ExecContext(ctx, s.q(setValidators), pp.etag, pp.lastMod, url); err != nil {
			return counts, fmt.Errorf("set validators: %w", err)
		}
	}
	if len(rows) == 0 {
		return counts, nil
	}

	keys := make([][2]string, len(rows))
	for i, r := range rows {
		keys[i] = [2]string{r.p.Source, r.p.ExternalID}
	}
	stored, err := s.storedPostings(ctx, tx, keys)
	if err != nil {
		return counts, err
	}
	// The postings not stored yet are inserted first, a chunk per
	// statement: a round trip per posting is what a server database
	// pays for. A posting twice on the page is inserted once, then
	// handled as stored, as it would be on a later page.
	fresh := make([]bool, len(rows))
	var batch []preparedRow
	for i, r := range rows {
		k := [2]string{r.p.Source, r.p.ExternalID}
		if _, ok := stored[k]; !ok {
			fresh[i] = true
			stored[k] = storedPosting{hash: r.hash}
			batch = append(batch, r)
		}
	}
	tail := []any{fetched, fetched, fetched, run, nil, pageID, nil} // content_hash and dedupe_key per row
	for start := 0; start < len(batch); start += insertChunk {
		chunk := batch[start:min(start+insertChunk, len(batch))]
		args := make([]any, 0, len(chunk)*(len(postingCols)+len(tail)+len(factCols)))
		for _, r := range chunk {
			tail[4], tail[6] = r.hash, r.dedup
			args = append(append(append(args, r.args...), tail...), r.facts...)
		}
		ids, err := tx.QueryContext(ctx, s.q(insertPostings(len(chunk))), args...)
		if err != nil {
			return counts, fmt.Errorf("insert postings %s/%s and %d more: %w", chunk[0].p.Source, chunk[0].p.ExternalID, len(chunk)-1, err)
		}
		for ids.Next() {
			var (
				k  [2]string
				id int64
			)
			if err := ids.Scan(&k[0], &k[1], &id); err != nil {
				ids.Close()
				return counts, fmt.Errorf("insert postings: %w", err)
			}
			sp := stored[k]
			sp.id = id
			stored[k] = sp
		}
		ids.Close()
		if err := ids.Err(); err != nil {
			return counts, fmt.Errorf("insert postings %s/%s and %d more: %w", chunk[0].p.Source, chunk[0].p.ExternalID, len(chunk)-1, err)
		}
	}
	touch, upd := s.q(touchPosting), s.q(updatePosting)

	for i, r := range rows {
		if fresh[i] {
			counts.New++
			continue
		}
		old := stored[[2]string{r.p.Source, r.p.ExternalID}]
		id, oldHash, closedAt := old.id, old.hash, old.closedAt
		reopened := closedAt.Valid && fetched > closedAt.String
		if bytes.Equal(oldHash, r.hash) {
			if _, err := tx.ExecContext(ctx, touch, fetched, run, pageID, id); err != nil {
				return counts, fmt.Errorf("update posting %s/%s: %w", r.p.Source, r.p.ExternalID, err)
			}
			if reopened {
				counts.Updated++
			} else {
				counts.Unchanged++
			}
			continue
		}
		args := append([]any{fetched, run, pageID, id}, r.args...)
		args = append(append(args, r.hash, r.dedup), r.facts...)
		if _, err := tx.ExecContext(ctx, upd, args...); err != nil {
			return counts, fmt.Errorf("update posting %s/%s: %w", r.p.Source, r.p.ExternalID, err)
		}
		counts.Updated++
	}
	return counts, nil
}

// The lifecycle part of both updates of a stored posting: ?1 fetched, ?2
// run, ?3 page, ?4 id. SET expressions see the row as it was before the
// UPDATE.
const lifecycle = `
	first_seen  = CASE WHEN ?1 < first_seen THEN ?1 ELSE first_seen END,
	last_seen   = CASE WHEN ?1 > last_seen THEN ?1 ELSE last_seen END,
	missed      = CASE WHEN ?1 >= last_seen THEN 0 ELSE missed END,
	closed_at   = CASE WHEN closed_at IS NOT NULL AND ?1 > closed_at THEN NULL ELSE closed_at END,
	last_run_id = coalesce(?2, last_run_id),
	raw_page_id = ?3`

var (
	// touchPosting is the update of a posting seen again unchanged.
	touchPosting = "UPDATE postings SET" + lifecycle + " WHERE id = ?4"
	// updatePosting is the update of a posting whose fields changed:
	// the lifecycle, then postingCols from ?5, then content_hash,
	// dedupe_key and factCols.
	updatePosting = func() string {
		set := make([]string, len(postingCols))
		for i, c := range postingCols {
			set[i] = fmt.Sprintf("%s = ?%d", c, i+5)
		}
		n := len(postingCols) + 5
		for i, c := range factCols {
			set = append(set, fmt.Sprintf("%s = ?%d", c, n+2+i))
		}
		return "UPDATE postings SET" + lifecycle + ", " + strings.Join(set, ", ") +
			fmt.Sprintf(", updated = ?1, content_hash = ?%d, dedupe_key = ?%d WHERE id = ?4", n, n+1)
	}()
)

// insertChunk bounds the postings of one INSERT statement (51 parameters
// each, under SQLite's 32,766 and PostgreSQL's 65,535).
const insertChunk = 100

// insertPostings is the INSERT statement of n postings, returning the key
// and id of each.
func insertPostings(n int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(postingCols)+7+len(factCols)), ", ") + ")"
	return "INSERT INTO postings (" + strings.Join(postingCols, ", ") +
		", first_seen, last_seen, updated, last_run_id, content_hash, raw_page_id, dedupe_key, " + strings.Join(factCols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+", ", n), ", ") + " RETURNING source, external_id, id"
}

// storedPosting is what SavePage needs to know of a stored posting.
type storedPosting struct {
	id       int64
	hash     []byte
	closedAt sql.NullString
}

// lookupChunk bounds the keys of one lookup query (two parameters each;
// SQLite allows 32,766 parameters, PostgreSQL 65,535).
const lookupChunk = 500

// storedPostings reads, in a few queries rather than one per posting, the
// stored postings among the (source, external ID) keys.
func (s *Store) storedPostings(ctx context.Context, tx preparedTx, keys [][2]string) (map[[2]string]storedPosting, error) {
	found := make(map[[2]string]storedPosting, len(keys))
	for start := 0; start < len(keys); start += lookupChunk {
		chunk := keys[start:min(start+lookupChunk, len(keys))]
		args := make([]any, 0, 2*len(chunk))
		for _, k := range chunk {
			args = append(args, k[0], k[1])
		}
		q := "SELECT source, external_id, id, content_hash, closed_at FROM postings WHERE (source, external_id) IN (VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)), ", ") + ")"
		res, err := tx.QueryContext(ctx, s.q(q), args...)
		if err != nil {
			return nil, fmt.Errorf("read stored postings: %w", err)
		}
		for res.Next() {
			var (
				k  [2]string
				sp storedPosting
			)
			if err := res.Scan(&k[0], &k[1], &sp.id, &sp.hash, &sp.closedAt); err != nil {
				res.Close()
				return nil, fmt.Errorf("read stored postings: %w", err)
			}
			found[k] = sp
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("read stored postings: %w", err)
		}
	}
	return found, nil
}

// Raw pages are gzipped at BestSpeed by github.com/klauspost/compress,
// whose output any gzip reader reads (compress/gzip included, so the rows
// stay readable by older builds, and this build reads theirs): on the
// Ashby pages of the corpus it runs at about twice the speed of
// compress/gzip's BestSpeed, for a body of 0.17 of the page against 0.18.
// The store is on the crawl's critical path (the profile in
// bench/README.md).
var gzipWriters = sync.Pool{New: func() any { zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return zw }}

func compress(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(body)/4 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("compress body: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress body: %w", err)
	}
	return buf.Bytes(), nil
}

func decompress(encoding string, data []byte, size int64) ([]byte, error) {
	if encoding != "gzip" {
		return nil, fmt.Errorf("unknown body encoding %q", encoding)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decompress body: %w", err)
	}
	body := make([]byte, 0, size)
	buf := bytes.NewBuffer(body)
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, fmt.Errorf("decompress body: %w", err)
	}
	if int64(buf.Len()) != size {
		return nil, fmt.Errorf("decompress body: %d bytes, want %d", buf.Len(), size)
	}
	return buf.Bytes(), nil
}

// pageQuery selects a raw page with its body, by raw_pages.id.
const pageQuery = `
	SELECT r.url, r.source, r.fetched, r.status, r.content_type, b.encoding, b.size, b.data
	FROM raw_pages r JOIN bodies b ON b.sha256 = r.sha256
	WHERE r.id = ?`

// latestPageID selects the id of the most recently fetched body of a URL.
const latestPageID = `SELECT id FROM raw_pages WHERE url = ? ORDER BY fetched DESC, id DESC LIMIT 1`

func (s *Store) page(ctx context.Context, id int64) (jobtrends.Page, error) {
	var (
		p        jobtrends.Page
		fetched  sql.NullString
		encoding string
		size     int64
		data     []byte
	)
	err := s.db.QueryRowContext(ctx, s.q(pageQuery), id).Scan(
		&p.URL, &p.Source, &fetched, &p.Status, &p.ContentType, &encoding, &size, &data)
	if err != nil {
		return p, err
	}
	if p.Fetched, err = parseTime(fetched); err != nil {
		return p, err
	}
	if p.Body, err = decompress(encoding, data, size); err != nil {
		return p, fmt.Errorf("page %s: %w", p.URL, err)
	}
	return p, nil
}

// RawPages calls fn with the latest stored body of every URL, decompressed,
// ordered by URL; Fetched is the last time that body was fetched. It is
// what `jobtrends reparse` feeds back to the parsers. fn may call SavePage:
// no read is held open while it runs. An error from fn stops the iteration
// and is returned as is.
func (s *Store) RawPages(ctx context.Context, fn func(p jobtrends.Page) error) error {
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.id FROM raw_pages r
		WHERE r.id = (SELECT id FROM raw_pages WHERE url = r.url ORDER BY fetched DESC, id DESC LIMIT 1)
		ORDER BY r.url`)
	if err != nil {
		return wrap(err, "read raw pages from %s", s.path)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return wrap(err, "read raw pages from %s", s.path)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap(err, "read raw pages from %s", s.path)
	}
	for _, id := range ids {
		p, err := s.page(ctx, id)
		if err != nil {
			return wrap(err, "read raw page %d from %s", id, s.path)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// LatestPage returns the most recently fetched body of url, decompressed,
// and whether there is one: what a scraper re-parses after a 304 Not
// Modified.
func (s *Store) LatestPage(ctx context.Context, url string) (jobtrends.Page, bool, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(latestPageID), url).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return jobtrends.Page{}, false, nil
	}
	if err != nil {
		return jobtrends.Page{}, false, wrap(err, "read page %s from %s", url, s.path)
	}
	p, err := s.page(ctx, id)
	if err != nil {
		return jobtrends.Page{}, false, wrap(err, "read page %s from %s", url, s.path)
	}
	return p, true, nil
}

// Validators returns the ETag and Last-Modified recorded (SetValidators)
// for the latest stored body of url, for a conditional request; both are
// empty when there are none.
func (s *Store) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	err = s.db.QueryRowContext(ctx,
		s.q("SELECT etag, last_modified FROM raw_pages WHERE id = ("+latestPageID+")"), url).Scan(&etag, &lastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", wrap(err, "read validators of %s from %s", url, s.path)
	}
	return etag, lastModified, nil
}

// setValidators keeps the validators (?1 ETag, ?2 Last-Modified) of the
// latest fetch of URL ?3.
const setValidators = "UPDATE raw_pages SET etag = ?, last_modified = ? WHERE id = (" + latestPageID + ")"

// SetValidators records the ETag and Last-Modified response headers of the
// latest stored body of url (call it after SavePage). It does nothing when
// no page of url is stored.
func (s *Store) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(setValidators), validUTF8(etag), validUTF8(lastModified), url)
		return err
	})
	if err != nil {
		return wrap(err, "set validators of %s in %s", url, s.path)
	}
	return nil
}
