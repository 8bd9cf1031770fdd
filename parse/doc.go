// Package parse is the extraction step of the pipeline: it turns one
// fetched page (its URL and body, already decoded to UTF-8) into
// jobtrends.Postings, the links it lists and its next page. It knows
// nothing of HTTP: the scraper fetches, this package reads. It imports the
// shared vocabulary (package jobtrends), goquery and the standard library,
// never scraper/, store/, analyze/ or charts/.
//
// Extract (or ExtractDocument, for a page the crawler has already parsed)
// chooses the parser by URL:
//
//	news.ycombinator.com/item?id=…      HNThread   every top-level comment of a "Who is hiring?" thread
//	jobs.ashbyhq.com/<org>              AshbyBoard the job page URLs of an Ashby board
//	anything else (Ashby job pages too) JSONLD     schema.org JobPosting JSON-LD blocks
//
// A parser fills every field the page itself states (title, company,
// location, remote, employment type, date, description as plain text,
// salary with its provenance) and leaves Source to the caller and Role,
// Seniority, Skills and annualized pay to the enrichment step. A page that
// cannot be read, or a part of it that cannot (one invalid JSON-LD block),
// is a *ParseError naming the parser, the URL and the field; the other
// parts of the page are still returned.
//
// Files:
//
//	doc.go      this overview
//	extract.go  Result, ParseError, Extract/ExtractDocument and the dispatch by URL;
//	            URL canonicalization, employment types, country codes
//	hn.go       HNThread: HN comment rows across markup generations, the header
//	            convention "Company | Role | Location | REMOTE | $salary", places
//	jsonld.go   JSONLD: ld+json blocks, JobPosting fields, baseSalary shapes, dates
//	ashby.go    AshbyBoard (window.__appData of a board page) and Ashby job ids
//	text.go     PlainText and the HTML-to-text writer the parsers share
//	salary.go   ParseSalary, SalaryFromAmounts, ParsePeriod: pay in text and fields
package parse
