package analyze

import (
	"slices"
	"testing"

	"github.com/jobtrends/jobtrends"
)

// ml returns an ML-engineer posting of date with edit applied.
func ml(tb testing.TB, date string, edit func(*jobtrends.Posting)) jobtrends.Posting {
	tb.Helper()
	p := jobtrends.Posting{Source: "x", DatePosted: day(tb, date), Role: jobtrends.RoleMLEngineer}
	if edit != nil {
		edit(&p)
	}
	return p
}

func withSkills(s ...string) func(*jobtrends.Posting) {
	return func(p *jobtrends.Posting) { p.Skills = s }
}

func skillsFixture(t *testing.T) []jobtrends.Posting {
	ds := ml(t, "2020-05-01", withSkills("python"))
	ds.Role = jobtrends.RoleDataScientist
	return []jobtrends.Posting{
		ml(t, "2020-01-01", withSkills("Python", "pytorch")),
		ml(t, "2020-02-01", withSkills("python")),
		ml(t, "2020-03-01", withSkills("python", "TensorFlow")),
		ml(t, "2020-04-01", withSkills("tensorflow", "tensorflow")),
		ml(t, "2021-01-01", withSkills("PyTorch", "Python")),
		ml(t, "2021-02-01", withSkills("pytorch")),
		ds,
	}
}

func TestSkills(t *testing.T) {
	sk := Build(skillsFixture(t), nil, Options{}).Skills
	if sk.Postings != 6 {
		t.Fatalf("postings = %d, want 6", sk.Postings)
	}
	wantOverall := []struct {
		name  string
		n     int
		share float64
		row   []float64
	}{
		{"Python", 4, 4.0 / 6, []float64{0.75, 0.5}},
		{"pytorch", 3, 0.5, []float64{0.25, 1}},
		{"TensorFlow", 2, 2.0 / 6, []float64{0.5, 0}},
	}
	if len(sk.Overall) != len(wantOverall) || !slices.Equal(sk.Years, []int{2020, 2021}) || !slices.Equal(sk.YearPostings, []int{4, 2}) {
		t.Fatalf("overall %+v years %v %v", sk.Overall, sk.Years, sk.YearPostings)
	}
	for i, w := range wantOverall {
		t.Run("overall "+w.name, func(t *testing.T) {
			if sk.Overall[i].Skill != w.name || sk.Overall[i].N != w.n {
				t.Errorf("got %+v", sk.Overall[i])
			}
			checkNum(t, "share", sk.Overall[i].Share, num(w.share))
			for j, v := range w.row {
				checkNum(t, "matrix", sk.Matrix[i][j], num(v))
			}
		})
	}
	t.Run("rising and falling between the first and last year", func(t *testing.T) {
		if sk.FromYear != 2020 || sk.ToYear != 2021 || sk.FromPostings != 4 || sk.ToPostings != 2 {
			t.Fatalf("compare %d (%d) → %d (%d)", sk.FromYear, sk.FromPostings, sk.ToYear, sk.ToPostings)
		}
		// TensorFlow has 2 mentions in the two years: too few to call.
		if len(sk.Rising) != 1 || sk.Rising[0].Skill != "pytorch" || len(sk.Falling) != 1 || sk.Falling[0].Skill != "Python" {
			t.Fatalf("rising %+v falling %+v", sk.Rising, sk.Falling)
		}
		checkNum(t, "pytorch change", sk.Rising[0].Change, num(0.75))
		checkNum(t, "pytorch relative", sk.Rising[0].RelativeRise, num(3))
		checkNum(t, "python change", sk.Falling[0].Change, num(-0.25))
	})
	t.Run("asked-for years without postings give no comparison", func(t *testing.T) {
		sk := Build(skillsFixture(t), nil, Options{CompareFrom: 2020, CompareTo: 2022}).Skills
		if sk.FromYear != 0 || sk.Rising != nil || sk.Falling != nil {
			t.Errorf("compare %d→%d rising %v", sk.FromYear, sk.ToYear, sk.Rising)
		}
	})
	t.Run("empty", func(t *testing.T) {
		sk := Build(nil, nil, Options{}).Skills
		if sk.Postings != 0 || sk.Overall != nil || sk.Matrix != nil || sk.FromYear != 0 {
			t.Errorf("got %+v", sk)
		}
	})
}

func TestCompareYears(t *testing.T) {
	tests := []struct {
		name         string
		years        []int
		n            map[int]int
		from, to     int
		wantA, wantB int
	}{
		{"first and last big years", []int{2015, 2016, 2020, 2021}, map[int]int{2015: 5, 2016: MinCompareN, 2020: MinCompareN + 10, 2021: MinCompareN - 1}, 0, 0, 2016, 2020},
		{"fall back to first and last", []int{2015, 2016}, map[int]int{2015: 5, 2016: 6}, 0, 0, 2015, 2016},
		{"single year", []int{2015}, map[int]int{2015: 50}, 0, 0, 0, 0},
		{"asked for", []int{2015, 2016, 2017}, map[int]int{2015: 1, 2016: 1, 2017: 1}, 2015, 2016, 2015, 2016},
		{"no years", nil, nil, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := compareYears(tt.years, tt.n, tt.from, tt.to)
			if a != tt.wantA || b != tt.wantB {
				t.Errorf("got %d, %d", a, b)
			}
		})
	}
}

func TestEducation(t *testing.T) {
	edu := func(e ...string) func(*jobtrends.Posting) { return func(p *jobtrends.Posting) { p.Education = e } }
	in := []jobtrends.Posting{
		ml(t, "2020-01-01", edu("masters:required")),
		ml(t, "2020-01-01", edu("phd:preferred", "bachelors:required")),
		ml(t, "2020-01-01", edu("bachelors:required")),
		ml(t, "2020-01-01", nil),
	}
	e := Build(in, nil, Options{}).Education
	if e.Postings != 4 || e.Graduate != 2 || e.GraduateRequired != 1 || e.PhD != 1 {
		t.Errorf("got %+v", e)
	}
	checkNum(t, "graduate share", e.GraduateShare, num(0.5))
	checkNum(t, "required share", e.RequiredShare, num(0.25))
	checkNum(t, "phd share", e.PhDShare, num(0.25))
	wantLevels := []string{"bachelors:required", "masters:required", "phd:preferred"}
	var got []string
	for _, l := range e.Levels {
		got = append(got, l.Skill)
	}
	if !slices.Equal(got, wantLevels) || e.Levels[0].N != 2 {
		t.Errorf("levels = %+v", e.Levels)
	}
	if len(e.Years) != 1 {
		t.Fatalf("years = %+v", e.Years)
	}
	checkNum(t, "2020 any degree", e.Years[0].Some, num(0.75))
	checkNum(t, "2020 graduate", e.Years[0].GraduateShare, num(0.5))
}

func TestIndustry(t *testing.T) {
	ind := func(s string) func(*jobtrends.Posting) { return func(p *jobtrends.Posting) { p.Industry = s } }
	in := []jobtrends.Posting{
		ml(t, "2020-01-01", ind("healthcare")),
		ml(t, "2020-06-01", ind("Healthcare")),
		ml(t, "2021-01-01", ind("finance")),
		ml(t, "2021-01-01", nil),
	}
	got := Build(in, nil, Options{}).Industry
	if got.Postings != 4 || got.Known != 3 || !slices.Equal(got.Years, []int{2020, 2021}) {
		t.Fatalf("got %+v", got)
	}
	tests := []struct {
		name   string
		n      int
		counts []int
		shares []float64
	}{
		{"healthcare", 2, []int{2, 0}, []float64{1, 0}},
		{"finance", 1, []int{0, 1}, []float64{0, 0.5}},
		{"unknown", 1, []int{0, 1}, []float64{0, 0.5}},
	}
	if len(got.Industries) != len(tests) {
		t.Fatalf("industries = %+v", got.Industries)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got.Industries[i].Skill != tt.name || got.Industries[i].N != tt.n || !slices.Equal(got.Counts[i], tt.counts) {
				t.Errorf("got %+v %v", got.Industries[i], got.Counts[i])
			}
			for j, s := range tt.shares {
				checkNum(t, "share", got.Shares[i][j], num(s))
			}
		})
	}
}

func TestRanking(t *testing.T) {
	co := func(s string) func(*jobtrends.Posting) { return func(p *jobtrends.Posting) { p.Company = s } }
	in := []jobtrends.Posting{
		ml(t, "2020-01-01", co("Acme  Inc")),
		ml(t, "2020-01-01", co("acme inc")),
		ml(t, "2020-01-01", co("Acme Inc")),
		ml(t, "2020-01-01", co("Beta")),
		ml(t, "2020-01-01", co(" ")),
	}
	r := Build(in, nil, Options{}).Companies
	if r.Postings != 5 || r.Known != 4 || r.Distinct != 2 || len(r.Top) != 2 {
		t.Fatalf("got %+v", r)
	}
	if r.Top[0].Name != "Acme Inc" || r.Top[0].N != 3 || r.Top[1].Name != "Beta" {
		t.Errorf("top = %+v", r.Top)
	}
	checkNum(t, "share", r.Top[0].Share, num(0.6))
	if got := Build(nil, nil, Options{}).Companies; got.Top != nil || got.Postings != 0 {
		t.Errorf("empty ranking = %+v", got)
	}
}

func TestRemote(t *testing.T) {
	rem := func(r jobtrends.Remote) func(*jobtrends.Posting) { return func(p *jobtrends.Posting) { p.Remote = r } }
	in := []jobtrends.Posting{
		ml(t, "2020-01-01", rem(jobtrends.RemoteFull)),
		ml(t, "2020-01-01", rem(jobtrends.RemoteFull)),
		ml(t, "2020-01-01", rem(jobtrends.RemoteOnsite)),
		ml(t, "2020-01-01", nil),
		ml(t, "2021-01-01", rem(jobtrends.RemoteHybrid)),
	}
	r := Build(in, nil, Options{}).Remote
	if len(r.Years) != 2 || r.Total.Postings != 5 {
		t.Fatalf("got %+v", r)
	}
	y := r.Years[0]
	if y.Year != 2020 || y.Remote != 2 || y.Onsite != 1 || y.Unknown != 1 || y.Hybrid != 0 {
		t.Errorf("2020 = %+v", y)
	}
	checkNum(t, "remote share", y.RemoteShare, num(0.5))
	checkNum(t, "remote of known", y.RemoteOfKnown, num(2.0/3))
	checkNum(t, "2021 hybrid", r.Years[1].HybridShare, num(1))
	checkNum(t, "2021 remote of known", r.Years[1].RemoteOfKnown, num(0))
}
