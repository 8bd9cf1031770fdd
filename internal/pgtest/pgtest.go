// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema of the database named by the JOBTRENDS_TEST_POSTGRES environment
// variable, dropped when the test ends. .ci/run starts Debian's PostgreSQL
// on 127.0.0.1 and sets the variable.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the PostgreSQL database URL the tests may use
// (postgres://user:password@127.0.0.1:5432/db).
const Env = "JOBTRENDS_TEST_POSTGRES"

// Require skips the test, naming Env, when Env is not set.
func Require(t testing.TB) {
	t.Helper()
	if os.Getenv(Env) == "" {
		t.Skip("PostgreSQL not tested: " + Env + " is not set (.ci/run sets it)")
	}
}

// URL returns the URL of a new, empty schema of the test database (the
// base URL with search_path set to it), or skips the test, naming Env,
// when Env is not set. The schema is dropped at the end of the test.
func URL(t testing.TB) string {
	t.Helper()
	Require(t)
	base := os.Getenv(Env)
	var b [6]byte
	rand.Read(b[:])
	schema := "jt_test_" + hex.EncodeToString(b[:])
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema in %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
