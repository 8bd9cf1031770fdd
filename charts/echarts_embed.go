//go:build embedecharts

package charts

import _ "embed"

// embeddedECharts is the library copied by `go generate ./charts`.
//
//go:embed assets/echarts.min.js
var embeddedECharts []byte
