//go:build !embedecharts

package charts

// embeddedECharts is empty without -tags embedecharts: LoadECharts looks
// for the library on disk.
var embeddedECharts []byte
