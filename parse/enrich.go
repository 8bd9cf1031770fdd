package parse

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jobtrends/jobtrends"
)

// Enricher fills the derived fields of a posting after a page parser has
// read what the page states: role family, seniority, skills, education,
// industry, and the annualized and USD salary amounts. It runs once per
// posting, for every source, so the rules are the same everywhere.
type Enricher struct {
	Classifier *Classifier
	Normalizer *jobtrends.Normalizer
}

// NewEnricher returns an Enricher with the default rules and rates.
func NewEnricher() *Enricher {
	return &Enricher{Classifier: DefaultClassifier(), Normalizer: jobtrends.DefaultNormalizer()}
}

// rolePriority orders role families when a post advertises several roles:
// the posting counts as the most ML-specific one it offers.
var rolePriority = map[string]int{
	jobtrends.RoleMLEngineer:       6,
	jobtrends.RoleMLScientist:      5,
	jobtrends.RoleDataScientist:    4,
	jobtrends.RoleDataEngineer:     3,
	jobtrends.RoleSoftwareEngineer: 2,
	jobtrends.RoleOther:            1,
}

// Posting fills p's derived fields in place.
func (e *Enricher) Posting(p *jobtrends.Posting) {
	c := e.Classifier
	titles := p.Roles
	if len(titles) == 0 && p.Title != "" {
		titles = []string{p.Title}
	}
	p.Role, p.Seniority = jobtrends.RoleOther, jobtrends.SeniorityUnknown
	best := 0
	for _, t := range titles {
		r := c.Role(t)
		if rolePriority[r] > best {
			best = rolePriority[r]
			p.Role = r
			p.Seniority = c.Seniority(t)
		}
	}
	text := p.Title + "\n" + strings.Join(p.Roles, "\n") + "\n" + p.Description
	p.Skills = c.Skills(text)
	p.Education = c.Education(p.Description)
	p.Industry = c.Industry(p.Description, p.Industry)
	if p.Remote == "" {
		p.Remote = jobtrends.RemoteUnknown
	}
	if p.Salary != nil {
		e.Normalizer.Normalize(p.Salary)
	}
}

// Postings enriches every posting of ps in place, spreading the work over
// the available cores (the classifier and the salary normalizer are safe
// for concurrent use): enrichment costs more than parsing the page.
func (e *Enricher) Postings(ps []jobtrends.Posting) {
	workers := min(runtime.GOMAXPROCS(0), len(ps)/4)
	if workers <= 1 {
		for i := range ps {
			e.Posting(&ps[i])
		}
		return
	}
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ps) {
					return
				}
				e.Posting(&ps[i])
			}
		}()
	}
	wg.Wait()
}
