package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
)

// salaryJSON is the output of `jobtrends salary`: the parser's reading of
// one text, with null numbers when the text states no pay.
type salaryJSON struct {
	Text       string            `json:"text"`
	Min        *float64          `json:"min"`
	Max        *float64          `json:"max"`
	Currency   *string           `json:"currency"`
	Period     *string           `json:"period"`
	Provenance string            `json:"provenance,omitempty"`
	Ranges     []jobtrends.Range `json:"ranges,omitempty"`
	AnnualUSD  *[2]*float64      `json:"annual_usd,omitempty"`
	Flags      []string          `json:"flags,omitempty"`
}

func (a *app) cmdSalary(ctx context.Context, args []string) error {
	fs := a.newFlags("salary", "[TEXT...]",
		"Parse salary text with the same parser the crawler uses. Each argument is one text;\nwith no arguments, each line of standard input is one text. Prints one JSON object per text:\n{\"text\", \"min\", \"max\", \"currency\" (ISO 4217), \"period\" (hour, day, week, month, year)},\nwith null numbers when the text states no pay.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	norm := jobtrends.DefaultNormalizer()
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	emit := func(text string) error {
		out := salaryJSON{Text: text}
		if s := parse.ParseSalary(text); s != nil {
			norm.Normalize(s)
			out.Min, out.Max = s.Min, s.Max
			if s.Currency != "" {
				out.Currency = &s.Currency
			}
			if s.Period != "" {
				p := string(s.Period)
				out.Period = &p
			}
			out.Provenance = string(s.Provenance)
			if len(s.Ranges) > 1 {
				out.Ranges = s.Ranges
			}
			if s.AnnualMinUSD != nil || s.AnnualMaxUSD != nil {
				out.AnnualUSD = &[2]*float64{s.AnnualMinUSD, s.AnnualMaxUSD}
			}
			out.Flags = s.Flags
		}
		return enc.Encode(out)
	}
	if fs.NArg() > 0 {
		for _, t := range fs.Args() {
			if err := emit(t); err != nil {
				return err
			}
		}
		return nil
	}
	sc := bufio.NewScanner(a.stdin)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(sc.Text()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("salary: read standard input: %w", err)
	}
	return nil
}
