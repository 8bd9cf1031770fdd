package scraper_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/jobtrends/jobtrends/scraper"
)

// A replay transport serves saved pages under their real URLs; anything
// else, robots.txt included, is a 404.
func ExampleNewReplay() {
	rt := scraper.NewReplay(map[string]scraper.Replayed{
		"https://news.ycombinator.com/item?id=1&p=2": {Body: []byte("<p>page 2</p>")},
	})
	for _, u := range []string{"https://news.ycombinator.com/item?id=1&p=2", "https://news.ycombinator.com/robots.txt"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		resp, _ := rt.RoundTrip(req)
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, len(body) > 0)
	}
	// Output:
	// 200 true
	// 404 true
}
