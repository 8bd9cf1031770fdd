// Package jobtrends holds the shared vocabulary of the pipeline: the Posting
// every source is turned into, its Salary, and the small enumerations both
// carry. It imports only the standard library, so that analyze/ and charts/
// never depend on Colly, goquery or the database.
//
// Pipeline: config → scraper/ (fetch) → parse/ (extract Postings) → store/
// (SQLite) → analyze/ (statistics) → charts/ (HTML report). Every package
// may import this one; this one imports none of them.
package jobtrends

import (
	"time"
)

// Remote says where the work is done.
type Remote string

// The values of Remote.
const (
	RemoteUnknown Remote = "unknown"
	RemoteFull    Remote = "remote"
	RemoteHybrid  Remote = "hybrid"
	RemoteOnsite  Remote = "onsite"
)

// Period is the time unit a pay amount is quoted in.
type Period string

// The values of Period. The empty Period means "not stated".
const (
	PeriodHour  Period = "hour"
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
	PeriodYear  Period = "year"
)

// Provenance says who stated a salary.
type Provenance string

// The values of Provenance.
const (
	// ProvenanceStructured is pay the employer gave as structured data
	// (JSON-LD baseSalary, an ATS API compensation field).
	ProvenanceStructured Provenance = "employer-structured"
	// ProvenanceText is pay found in the employer's own free text (a job
	// description, an HN comment).
	ProvenanceText Provenance = "employer-text"
	// ProvenanceEstimate is a figure a platform estimated (Glassdoor est.,
	// JSON-LD estimatedSalary). It is never mixed into employer pay
	// statistics unless asked for.
	ProvenanceEstimate Provenance = "platform-estimate"
)

// Role families (Posting.Role).
const (
	RoleMLEngineer       = "ml_engineer"
	RoleMLScientist      = "ml_scientist"
	RoleDataScientist    = "data_scientist"
	RoleDataEngineer     = "data_engineer"
	RoleSoftwareEngineer = "software_engineer"
	RoleOther            = "other"
)

// Seniority levels (Posting.Seniority).
const (
	SeniorityIntern    = "intern"
	SeniorityJunior    = "junior"
	SeniorityMid       = "mid"
	SenioritySenior    = "senior"
	SeniorityStaff     = "staff"
	SeniorityPrincipal = "principal"
	SeniorityLead      = "lead"
	SeniorityManager   = "manager"
	SeniorityDirector  = "director-or-above"
	SeniorityUnknown   = "unknown"
)

// Location is where a posting says the job is.
type Location struct {
	Text    string `json:"text,omitempty"`    // as the page gave it
	City    string `json:"city,omitempty"`    // where determinable
	Region  string `json:"region,omitempty"`  // state, province
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2 where determinable
}

// Range is one pay range as stated in a text or a structured field. A nil
// bound is open: "up to X" has a nil Min, "from X" a nil Max.
type Range struct {
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
	Currency string   `json:"currency,omitempty"` // ISO 4217, "" when not stated
	Period   Period   `json:"period,omitempty"`   // "" when not stated
}

// Salary is the base pay of a posting: what was stated, how it was read and
// how it was normalized. Amounts are in full units of Currency.
type Salary struct {
	Raw string `json:"raw"` // the text or structured value it came from

	Min      *float64 `json:"min"` // envelope of Ranges (lowest min)
	Max      *float64 `json:"max"` // envelope of Ranges (highest max)
	Currency string   `json:"currency"`
	Period   Period   `json:"period"`
	// PeriodInferred is true when the text did not state the period and it
	// was inferred from the size of the amounts.
	PeriodInferred bool `json:"period_inferred,omitempty"`
	// Ranges lists every range found, when there were several.
	Ranges []Range `json:"ranges,omitempty"`

	// Multiplier is what one Period's amount was multiplied by to annualize
	// it (2080 for an hour by default); 0 when not annualized.
	Multiplier   float64  `json:"multiplier,omitempty"`
	AnnualMin    *float64 `json:"annual_min"` // in Currency, per year
	AnnualMax    *float64 `json:"annual_max"`
	USDRate      float64  `json:"usd_rate,omitempty"` // 1 Currency = USDRate USD
	RateDate     string   `json:"rate_date,omitempty"`
	AnnualMinUSD *float64 `json:"annual_min_usd"`
	AnnualMaxUSD *float64 `json:"annual_max_usd"`

	Provenance Provenance `json:"provenance"`
	// Flags name anything doubtful: "implausible", "min_gt_max",
	// "unknown_currency", "no_period", "mixed_currency".
	Flags []string `json:"flags,omitempty"`
}

// HasFlag reports whether s carries the named flag.
func (s *Salary) HasFlag(name string) bool {
	if s == nil {
		return false
	}
	for _, f := range s.Flags {
		if f == name {
			return true
		}
	}
	return false
}

// AddFlag adds a flag once.
func (s *Salary) AddFlag(name string) {
	if !s.HasFlag(name) {
		s.Flags = append(s.Flags, name)
	}
}

// Posting is one job advertisement, whatever source it came from.
type Posting struct {
	Source     string `json:"source"`      // source name from the config (e.g. "hn")
	SourceType string `json:"source_type"` // hn, jsonld, ashby, greenhouse, ...
	ExternalID string `json:"external_id"` // stable id within the source
	URL        string `json:"url"`         // canonical URL of the posting

	Title   string   `json:"title"`
	Roles   []string `json:"roles,omitempty"` // every role a post advertises (HN)
	Company string   `json:"company"`

	Location       Location  `json:"location"`
	Remote         Remote    `json:"remote"`
	EmploymentType string    `json:"employment_type,omitempty"`
	DatePosted     time.Time `json:"date_posted"` // zero when unknown
	// DateApprox is true when DatePosted was resolved from relative text
	// ("3 days ago") or from a thread's month.
	DateApprox bool      `json:"date_approx,omitempty"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	Closed     time.Time `json:"closed,omitempty"`

	Description string  `json:"description"` // plain text, never markup
	Salary      *Salary `json:"salary"`

	Role      string   `json:"role"`      // one of the Role* families
	Seniority string   `json:"seniority"` // one of the Seniority* levels
	Skills    []string `json:"skills,omitempty"`
	Education []string `json:"education,omitempty"` // e.g. "masters:required"
	Industry  string   `json:"industry,omitempty"`

	// Thread is the month of the HN thread a comment belongs to (YYYY-MM).
	Thread string `json:"thread,omitempty"`
	// Origin says where an imported posting came from (a file path); empty
	// for crawled ones.
	Origin string `json:"origin,omitempty"`
}

// Key returns the identity of a posting in the store.
func (p *Posting) Key() string { return p.Source + "\x00" + p.ExternalID }

// Page is one fetched page or API response, as the scraper hands it on and
// the store keeps it (raw, so it can be parsed again later).
type Page struct {
	URL         string    // final URL after redirects
	Source      string    // source name from the config
	Fetched     time.Time // when it was fetched (UTC)
	Status      int       // HTTP status
	ContentType string
	Body        []byte // decoded to UTF-8 for text pages
}
