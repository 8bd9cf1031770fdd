package parse

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jobtrends/jobtrends"
)

// apiJobs decodes each raw job of an ATS API response into T and turns it
// into a posting, appending postings and their ids to res. A job that does
// not decode, or lacks a required field, is a *ParseError naming the URL
// and the job ("<noun> <id>", else "<noun> <n>"); the other jobs are kept.
// skip (may be nil) drops unlisted jobs silently.
func apiJobs[T any](res *Result, raws []json.RawMessage, kind, pageURL, noun string,
	id func(*T) string, skip func(*T) bool, posting func(*T) (jobtrends.Posting, string)) []error {
	var errs []error
	for i, raw := range raws {
		item := fmt.Sprintf("%s %d", noun, i+1)
		var j T
		if err := json.Unmarshal(raw, &j); err != nil {
			errs = append(errs, &ParseError{Source: kind, URL: pageURL, Item: item, Field: "json", Err: err})
			continue
		}
		if skip != nil && skip(&j) {
			continue
		}
		if s := strings.TrimSpace(id(&j)); s != "" {
			item = noun + " " + s
		}
		p, field := posting(&j)
		if field != "" {
			errs = append(errs, &ParseError{Source: kind, URL: pageURL, Item: item, Field: field, Err: ErrMissing})
			continue
		}
		res.Postings = append(res.Postings, p)
		res.ItemIDs = append(res.ItemIDs, p.ExternalID)
	}
	return errs
}
