package analyze

import (
	"cmp"
	"slices"
	"strings"

	"github.com/jobtrends/jobtrends"
)

// Ranking is the most frequent values of one field of ML-engineer postings.
type Ranking struct {
	Method   string
	Postings int // ML-engineer postings in the window
	Known    int // of which the field is set
	Distinct int // distinct values
	Top      []Ranked
}

// Ranked is one value of a Ranking.
type Ranked struct {
	Name  string
	N     int
	Share Num // N over all ML-engineer postings
}

// foldKey folds case and spacing so that "Acme  Inc" and "acme inc" count
// as one name.
func foldKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// rankAcc counts one field of ML-engineer postings, in the second pass;
// a name is shown in its most frequent spelling.
type rankAcc struct {
	postings, known int
	counts          map[string]int
	spell           map[string]map[string]int
}

func newRankAcc() rankAcc {
	return rankAcc{counts: map[string]int{}, spell: map[string]map[string]int{}}
}

// add counts the field's value v of one ML-engineer posting.
func (a *rankAcc) add(v string, n int) {
	a.postings += n
	v = strings.Join(strings.Fields(v), " ")
	k := foldKey(v)
	if k == "" {
		return
	}
	a.known += n
	a.counts[k] += n
	if a.spell[k] == nil {
		a.spell[k] = map[string]int{}
	}
	a.spell[k][v] += n
}

// finish ranks the values counted, keeping the n most frequent.
func (a *rankAcc) finish(n int, method string) Ranking {
	r := Ranking{Method: method, Postings: a.postings, Known: a.known}
	counts, spell := a.counts, a.spell
	r.Distinct = len(counts)
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	for i, k := range keys {
		if i == n {
			break
		}
		r.Top = append(r.Top, Ranked{Name: mostCommon(spell[k]), N: counts[k], Share: Ratio(float64(counts[k]), float64(r.Postings))})
	}
	return r
}

// RemoteShare is the split of ML-engineer postings into remote, hybrid,
// onsite and unknown, per year.
type RemoteShare struct {
	Method string
	Years  []RemoteYear
	Total  RemoteYear // all years together (Year 0)
}

// RemoteYear is one year of RemoteShare. The shares are over all the
// year's ML-engineer postings, unknown included.
type RemoteYear struct {
	Year                                  int
	Postings                              int
	Remote, Hybrid, Onsite, Unknown       int
	RemoteShare, HybridShare, OnsiteShare Num
	UnknownShare                          Num
	RemoteOfKnown                         Num // Remote / (Remote+Hybrid+Onsite)
}

const remoteMethod = "Share of ML-engineer postings marked remote, hybrid or onsite by the parser, per year; 'unknown' where the posting does not say."

func (r *RemoteYear) add(v jobtrends.Remote, n int) {
	r.Postings += n
	switch v {
	case jobtrends.RemoteFull:
		r.Remote += n
	case jobtrends.RemoteHybrid:
		r.Hybrid += n
	case jobtrends.RemoteOnsite:
		r.Onsite += n
	default:
		r.Unknown += n
	}
}

func (r *RemoteYear) finish() {
	n := float64(r.Postings)
	r.RemoteShare = Ratio(float64(r.Remote), n)
	r.HybridShare = Ratio(float64(r.Hybrid), n)
	r.OnsiteShare = Ratio(float64(r.Onsite), n)
	r.UnknownShare = Ratio(float64(r.Unknown), n)
	r.RemoteOfKnown = Ratio(float64(r.Remote), float64(r.Remote+r.Hybrid+r.Onsite))
}

// remoteAcc counts ML-engineer postings per remote mode and year, in the
// second pass.
type remoteAcc struct {
	byYear map[int]*RemoteYear
	total  RemoteYear
}

func newRemoteAcc() remoteAcc { return remoteAcc{byYear: map[int]*RemoteYear{}} }

// add counts one ML-engineer posting of year y.
func (a *remoteAcc) add(v jobtrends.Remote, y, n int) {
	if a.byYear[y] == nil {
		a.byYear[y] = &RemoteYear{Year: y}
	}
	a.byYear[y].add(v, n)
	a.total.add(v, n)
}

func (a *remoteAcc) finish() RemoteShare {
	rs := RemoteShare{Method: remoteMethod, Total: a.total}
	for _, y := range a.byYear {
		ry := *y
		ry.finish()
		rs.Years = append(rs.Years, ry)
	}
	rs.Total.finish()
	slices.SortFunc(rs.Years, func(a, b RemoteYear) int { return cmp.Compare(a.Year, b.Year) })
	return rs
}
