package main

import (
	"context"
	"fmt"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/charts"
)

func (a *app) cmdVersion(ctx context.Context, args []string) error {
	fs := a.newFlags("version", "", "Print the version, and where reports get the ECharts library from.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "jobtrends %s\n", jobtrends.Version)
	if _, from, err := charts.LoadECharts(); err != nil {
		fmt.Fprintf(a.stdout, "ECharts: not available: %v\n", err)
	} else {
		fmt.Fprintf(a.stdout, "ECharts: %s\n", from)
	}
	return nil
}
