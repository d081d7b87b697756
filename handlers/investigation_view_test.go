package handlers

import (
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// A pinned line is coloured by the same reading of levels as the logs
// page: crit, panic and fatal are errors on both.
func TestPinnedLineLevelsMatchTheLogsPage(t *testing.T) {
	tests := []struct {
		name string
		line snapshot.Line
		want string
	}{
		{"crit label", snapshot.Line{Labels: map[string]string{"level": "crit"}, Line: "disk full"}, "lvl-error"},
		{"panic in JSON", snapshot.Line{Line: `{"level":"panic","msg":"nil map"}`}, "lvl-error"},
		{"FATAL in logfmt", snapshot.Line{Line: `ts=1 level=FATAL msg="cannot bind"`}, "lvl-error"},
		{"critical", snapshot.Line{Labels: map[string]string{"level": "critical"}}, "lvl-error"},
		{"warning", snapshot.Line{Line: `{"level":"warning"}`}, "lvl-warn"},
		{"info", snapshot.Line{Line: `level=info msg=ok`}, "lvl-info"},
		{"no level", snapshot.Line{Line: "plain text"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := invLevelClass(tt.line)
			page := views.LevelClass(logline.LineLevel(&datasources.LogLine{Line: tt.line.Line, Labels: tt.line.Labels}))
			if got != tt.want || got != page {
				t.Errorf("card class %q, logs page class %q, want %q", got, page, tt.want)
			}
		})
	}
}
