package parse

import (
	"strings"
	"testing"

	"github.com/jobtrends/jobtrends"
)

func TestParseLocation(t *testing.T) {
	tests := []struct {
		name, text            string
		city, region, country string
		remote                jobtrends.Remote
	}{
		{"remote us only", "Remote (US only)", "", "", "US", jobtrends.RemoteFull},
		{"hybrid berlin en dash", "Hybrid – Berlin", "Berlin", "", "DE", jobtrends.RemoteHybrid},
		{"city state", "San Francisco, CA", "San Francisco", "CA", "US", jobtrends.RemoteUnknown},
		{"city country", "London, UK", "London", "", "GB", jobtrends.RemoteUnknown},
		{"nyc or remote", "NYC or REMOTE", "New York", "NY", "US", jobtrends.RemoteFull},
		{"onsite", "ONSITE", "", "", "", jobtrends.RemoteOnsite},
		{"on-site city", "On-site - Austin, TX", "Austin", "TX", "US", jobtrends.RemoteOnsite},
		{"in office", "In office, Seattle", "Seattle", "WA", "US", jobtrends.RemoteOnsite},
		{"anywhere", "Anywhere", "", "", "", jobtrends.RemoteFull},
		{"unknown city with state", "Cambridge, MA", "Cambridge", "MA", "US", jobtrends.RemoteUnknown},
		{"ambiguous city alone", "Cambridge", "", "", "", jobtrends.RemoteUnknown},
		{"province", "Toronto, ON, Canada", "Toronto", "ON", "CA", jobtrends.RemoteUnknown},
		{"ca as canada after canadian city", "Toronto, CA", "Toronto", "ON", "CA", jobtrends.RemoteUnknown},
		{"london ontario", "London, ON", "London", "ON", "CA", jobtrends.RemoteUnknown},
		{"city state no comma", "Austin TX", "Austin", "TX", "US", jobtrends.RemoteUnknown},
		{"state name and country", "California, USA", "", "CA", "US", jobtrends.RemoteUnknown},
		{"city state country", "Boston, MA, United States", "Boston", "MA", "US", jobtrends.RemoteUnknown},
		{"zip code", "Frisco, TX 75033", "Frisco", "TX", "US", jobtrends.RemoteUnknown},
		{"list of countries", "Remote, Canada; Remote, United States", "", "", "", jobtrends.RemoteFull},
		{"list in one country", "Remote, Austin, TX; Remote, Denver, CO", "", "", "US", jobtrends.RemoteFull},
		{"native country name", "München, Deutschland", "Munich", "", "DE", jobtrends.RemoteUnknown},
		{"two cities one country", "SF or NYC", "", "", "US", jobtrends.RemoteUnknown},
		{"two countries", "London or Berlin", "", "", "", jobtrends.RemoteUnknown},
		{"remote europe", "Remote - Europe", "", "", "", jobtrends.RemoteFull},
		{"hybrid remote", "Hybrid Remote, Paris", "Paris", "", "FR", jobtrends.RemoteHybrid},
		{"hybrid or remote", "Hybrid or Remote", "", "", "", jobtrends.RemoteFull},
		{"no remote", "New York, NY (no remote)", "New York", "NY", "US", jobtrends.RemoteOnsite},
		{"lone ambiguous code", "CA", "", "", "", jobtrends.RemoteUnknown},
		{"lone state code", "TX", "", "TX", "US", jobtrends.RemoteUnknown},
		{"country alone", "Germany", "", "", "DE", jobtrends.RemoteUnknown},
		{"lower case code is a word", "remote in us timezones", "", "", "", jobtrends.RemoteFull},
		{"telecommute", "TELECOMMUTE", "", "", "", jobtrends.RemoteFull},
		{"html entity", "Hybrid &amp; Remote &ndash; London", "London", "", "GB", jobtrends.RemoteFull},
		{"empty", "", "", "", "", jobtrends.RemoteUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, remote := ParseLocation(tt.text)
			if loc.City != tt.city || loc.Region != tt.region || loc.Country != tt.country || remote != tt.remote {
				t.Errorf("ParseLocation(%q) = {%q %q %q} %s, want {%q %q %q} %s",
					tt.text, loc.City, loc.Region, loc.Country, remote, tt.city, tt.region, tt.country, tt.remote)
			}
			if loc.Text != strings.TrimSpace(tt.text) {
				t.Errorf("Text = %q, want the input", loc.Text)
			}
		})
	}
}

func TestCountryCodeISO(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"english name", "United States", "US"},
		{"usa", "USA", "US"},
		{"us", "US", "US"},
		{"u.s.", "U.S.", "US"},
		{"u.s.a.", "U.S.A.", "US"},
		{"deutschland", "Deutschland", "DE"},
		{"germany", "Germany", "DE"},
		{"iso passes through", "FR", "FR"},
		{"iso lower case", "jp", "JP"},
		{"uk", "UK", "GB"},
		{"ampersand", "Bosnia and Herzegovina", "BA"},
		{"saint", "Saint Kitts and Nevis", "KN"},
		{"case", "  united kingdom ", "GB"},
		{"not iso", "ZZ", ""},
		{"unknown", "Atlantis", ""},
		{"region is no country", "California", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountryCode(tt.in); got != tt.want {
				t.Errorf("CountryCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// locRender writes a parsed location back as text, the way a page would:
// "Remote (Cambridge, MA, United States)".
func locRender(tb testing.TB, loc jobtrends.Location, remote jobtrends.Remote) string {
	tb.Helper()
	var parts []string
	country := locCountryName(loc.Country)
	if strings.ContainsAny(country, "()-&/,") {
		country = loc.Country // "Cocos (Keeling) Islands" would be split
	}
	for _, p := range []string{loc.City, loc.Region, country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	s := strings.Join(parts, ", ")
	switch remote {
	case jobtrends.RemoteFull:
		s = "Remote (" + s + ")"
	case jobtrends.RemoteHybrid:
		s = "Hybrid (" + s + ")"
	case jobtrends.RemoteOnsite:
		s = "Onsite (" + s + ")"
	}
	return s
}

func FuzzParseLocation(f *testing.F) {
	for _, s := range []string{
		"Remote (US only)", "Hybrid – Berlin", "San Francisco, CA", "London, UK", "NYC or REMOTE", "ONSITE",
		"Anywhere", "Toronto, CA", "Cambridge, MA", "München, Deutschland", "SF or NYC", "", "(((", "CA",
		"Paris, TX", "St. Kitts & Nevis", "\u202eRemote", "Hybrid &amp; Remote", "no remote, Oslo",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, remote := ParseLocation(s)
		if loc.Country != "" && CountryCode(loc.Country) != loc.Country {
			t.Fatalf("ParseLocation(%q) country %q is not an ISO code", s, loc.Country)
		}
		text := locRender(t, loc, remote)
		loc2, remote2 := ParseLocation(text)
		if loc2.City != loc.City || loc2.Region != loc.Region || loc2.Country != loc.Country || remote2 != remote {
			t.Fatalf("ParseLocation(%q) = %+v %s, rendered %q, parsed again %+v %s", s, loc, remote, text, loc2, remote2)
		}
	})
}

func BenchmarkParseLocation(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		locParse("Hybrid – San Francisco, CA or Remote (US only)")
	}
}

// TestParseLocationCache checks that a cached answer equals a fresh one.
func TestParseLocationCache(t *testing.T) {
	for _, s := range []string{"Hybrid – Berlin", "NYC or REMOTE", "Paris, TX"} {
		t.Run(s, func(t *testing.T) {
			l1, r1 := ParseLocation(s)
			l2, r2 := ParseLocation(s) // from the cache
			l3, r3 := locParse(s)
			if l1 != l2 || l1 != l3 || r1 != r2 || r1 != r3 {
				t.Errorf("ParseLocation(%q): %+v %s, cached %+v %s, fresh %+v %s", s, l1, r1, l2, r2, l3, r3)
			}
		})
	}
}

// TestCorpusLocations reads every location string of the real API
// responses and scraper outputs in the corpus. A text that says "remote"
// (not "no remote") must come out remote or hybrid, one that says "hybrid"
// hybrid, and every country must be an ISO code; the share of texts with a
// country is logged.
func TestCorpusLocations(t *testing.T) {
	dir := fieldsCorpus(t)
	keys := map[string]bool{"location": true, "name": true, "locationName": true, "formattedLocation": true, "job_location": true}
	vals := fieldsJSONValues(t, dir, []string{"api/*/*.json", "job_json/*.json"}, keys)
	total, withCountry := 0, 0
	for field, list := range vals {
		if strings.HasSuffix(field, " name") && !strings.Contains(field, "greenhouse") {
			continue // "name" is a location only in Greenhouse's location object
		}
		for _, v := range list {
			if strings.TrimSpace(v) == "" || len(v) > 200 {
				continue
			}
			total++
			loc, remote := ParseLocation(v)
			low := strings.ToLower(v)
			if loc.Country != "" {
				withCountry++
				if CountryCode(loc.Country) != loc.Country {
					t.Errorf("%s: ParseLocation(%q) country %q is not an ISO code", field, v, loc.Country)
				}
			}
			switch {
			case strings.Contains(low, "hybrid") && remote != jobtrends.RemoteHybrid && remote != jobtrends.RemoteFull:
				t.Errorf("%s: ParseLocation(%q) remote = %s, text says hybrid", field, v, remote)
			case strings.Contains(low, "remote") && !strings.Contains(low, "no remote") && !strings.Contains(low, "hybrid") &&
				remote != jobtrends.RemoteFull:
				t.Errorf("%s: ParseLocation(%q) remote = %s, text says remote", field, v, remote)
			}
		}
	}
	if total == 0 {
		t.Fatal("no location strings found in the corpus")
	}
	t.Logf("%d real location strings, %d (%.1f%%) with a country", total, withCountry, 100*float64(withCountry)/float64(total))
}
