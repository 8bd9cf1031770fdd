// Package parse is the extraction step of the pipeline: it turns one
// fetched page or API response (its URL and body, already decoded to
// UTF-8) into jobtrends.Postings, the links it lists and its next page,
// and fills the fields derived from them. It knows nothing of HTTP: the
// scraper fetches, this package reads. It imports the shared vocabulary
// (package jobtrends), goquery, golang.org/x/net/html and x/text and the
// standard library; it must not import scraper/, store/, analyze/ or
// charts/.
//
// Extract (or ExtractDocument, for an HTML page the crawler has already
// parsed) chooses the parser by URL:
//
//	ATS job-board APIs (Greenhouse, Lever, Ashby)  ExtractAPI     the jobs of a JSON response
//	news.ycombinator.com/item?id=…                 HNThread       every top-level comment of a "Who is hiring?" thread
//	news.ycombinator.com/submitted?id=…            HNSubmissions  the thread URLs of the whoishiring listing
//	jobs.ashbyhq.com/<org>                         AshbyBoard     the job page URLs of an Ashby board
//	anything else (Ashby job pages too)            JSONLD         schema.org JobPosting JSON-LD blocks
//
// Selectors (CSS rules from the config), HNDumpMonth and ReadTable (saved
// dumps and tables) are called directly by their users.
//
// A page parser fills every field the page itself states (title, company,
// location, remote, employment type, date, description as plain text,
// salary with its provenance) and leaves Source to the caller; the
// Enricher then fills Role, Seniority, Skills, Education and annualized
// pay for every posting, whatever parser read it. A page that cannot be
// read, or a part of it that cannot (one invalid JSON-LD block), is a
// *ParseError naming the parser, the URL and the field; the other parts
// of the page are still returned.
//
// Files:
//
//	doc.go         this overview
//	extract.go     Result, ParseError, Extract/ExtractDocument and the dispatch by URL;
//	               URL canonicalization, employment types, country codes
//	text.go        PlainText and the HTML-to-text writer the parsers share
//	hn.go          HNThread: HN comment rows across markup generations; the header
//	               convention "Company | Role | Location | REMOTE | $salary"; places
//	hnlist.go      HNSubmissions, HNThreadMonth: the whoishiring submissions listing
//	hndump.go      HNDumpMonth: saved monthly dumps of HN comments
//	jsonld.go      JSONLD: ld+json blocks, JobPosting fields, baseSalary shapes, dates
//	ashby.go       AshbyBoard (window.__appData of a board page) and Ashby job ids
//	greenhouse.go  ExtractAPI and GreenhouseJobs (Greenhouse job board API)
//	lever.go       LeverPostings (Lever postings API)
//	ashbyapi.go    AshbyJobBoard (Ashby posting API)
//	selectors.go   Selectors: postings read with configured CSS selectors
//	table.go       ReadTable: postings from CSV/JSON tables
//	detect.go      PageURL: the URL of a saved page, from the page
//	salary.go      ParseSalary, SalaryFromAmounts, ParsePeriod, ParsePrice: pay in text and fields
//	date.go        ParseDate: posting dates, absolute and relative
//	location.go    ParseLocation, CountryCode: place texts
//	classify.go    Rules and Classifier: role, seniority, education, industry
//	wordindex.go   the classifier's one-pass matching: a trie of the patterns' first
//	               words lists each pattern's candidates, its regexp runs only there
//	skills.go      the skill dictionary matcher
//	enrich.go      Enricher: the derived fields of every posting
package parse
