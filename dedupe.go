package jobtrends

import (
	"strings"
	"unicode"
)

// DedupeKey returns the key under which the same job advertised on several
// sources (an ATS board, a JSON-LD page, an HN comment) is recognized:
// company, title and location (the city when known, else the location
// text), each lower-cased with punctuation and runs of spaces folded to
// one space, joined by "|". A posting without a company or a title has no
// key ("") and is never linked to another.
func DedupeKey(p *Posting) string {
	company, title := foldKey(p.Company), foldKey(p.Title)
	if company == "" || title == "" {
		return ""
	}
	loc := p.Location.City
	if strings.TrimSpace(loc) == "" {
		loc = p.Location.Text
	}
	return company + "|" + title + "|" + foldKey(loc)
}

func foldKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Join(strings.Fields(s), " ")
}
