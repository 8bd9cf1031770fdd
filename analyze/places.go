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

// rank counts key(p) over ML-engineer postings; a name is shown in its
// most frequent spelling.
func rank(items []item, n int, method string, key func(*jobtrends.Posting) string) Ranking {
	r := Ranking{Method: method}
	counts := map[string]int{}
	spell := map[string]map[string]int{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		r.Postings++
		v := strings.Join(strings.Fields(key(it.p)), " ")
		k := foldKey(v)
		if k == "" {
			continue
		}
		r.Known++
		counts[k]++
		if spell[k] == nil {
			spell[k] = map[string]int{}
		}
		spell[k][v]++
	}
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

func (r *RemoteYear) add(v jobtrends.Remote) {
	r.Postings++
	switch v {
	case jobtrends.RemoteFull:
		r.Remote++
	case jobtrends.RemoteHybrid:
		r.Hybrid++
	case jobtrends.RemoteOnsite:
		r.Onsite++
	default:
		r.Unknown++
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

func buildRemote(items []item) RemoteShare {
	rs := RemoteShare{Method: remoteMethod}
	byYear := map[int]*RemoteYear{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		y := it.month.Year()
		if byYear[y] == nil {
			byYear[y] = &RemoteYear{Year: y}
		}
		byYear[y].add(it.p.Remote)
		rs.Total.add(it.p.Remote)
	}
	for _, ry := range byYear {
		ry.finish()
		rs.Years = append(rs.Years, *ry)
	}
	rs.Total.finish()
	slices.SortFunc(rs.Years, func(a, b RemoteYear) int { return cmp.Compare(a.Year, b.Year) })
	return rs
}
