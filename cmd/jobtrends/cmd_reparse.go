package main

import (
	"context"
	"fmt"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/store"
)

func (a *app) cmdReparse(ctx context.Context, args []string) error {
	fs := a.newFlags("reparse", "[--config FILE]",
		"Run the current parsers again over every stored raw page (the latest body of each URL),\nwithout fetching anything, and update the postings: use it after a parser improvement.\nFirst/last seen are kept. Takes the run lock like a crawl.")
	cfgPath := fs.String("config", "", "config file (default: the embedded config.yaml)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	enr, err := newEnricher(cfg)
	if err != nil {
		return err
	}
	return a.withStore(ctx, cfg.Database, true, func(st *store.Store) error {
		prog := a.progress("reparse")
		defer prog.done()
		var pages, failed int
		var total store.PageCounts
		err := st.RawPages(ctx, func(page jobtrends.Page) error {
			res, err := parse.Extract(page.URL, page.Body, page.Fetched)
			if err != nil {
				failed++
				a.log.Error("reparse failed", "source", page.Source, "url", page.URL, "err", err)
				return nil
			}
			for i := range res.Postings {
				res.Postings[i].Source = page.Source
			}
			enr.Postings(res.Postings)
			c, err := st.SavePage(ctx, 0, page, res.Postings)
			if err != nil {
				return fmt.Errorf("reparse %s: %w", page.URL, err)
			}
			total.New += c.New
			total.Updated += c.Updated
			total.Unchanged += c.Unchanged
			pages++
			prog.add(1)
			return nil
		})
		if err != nil {
			return err
		}
		a.log.Info("reparse done", "pages", pages, "failed", failed, "new", total.New, "updated", total.Updated, "unchanged", total.Unchanged)
		if failed > 0 {
			return &runFailedError{fmt.Sprintf("reparse: %d of %d pages failed", failed, pages+failed)}
		}
		return nil
	})
}
