package views

// The logs page's Live mode: the control above the lines, and the
// fragments the live stream sends (rows, newest first, and what Loki
// dropped).

import (
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
)

// LiveKeep is how many lines a live page keeps; older ones are dropped.
const LiveKeep = 1000

// LiveRefreshSeconds is how often the page without JavaScript reloads in
// its "refresh" mode.
const LiveRefreshSeconds = 5

// LiveControl is the Live section of the logs page. StreamURL is what the
// page's script follows; without JavaScript, RefreshURL reloads the page
// with its newest lines every few seconds (and StopURL ends that).
type LiveControl struct {
	StreamURL  string
	RefreshURL string
	StopURL    string
	Refreshing bool
	Keep       string // lines kept in the page, for the script
	Every      string // "5 s"
}

// BuildLiveControl fills the control; refreshing says the page is in its
// no-JavaScript reload mode.
func BuildLiveControl(streamURL, refreshURL, stopURL string, refreshing bool) LiveControl {
	return LiveControl{StreamURL: streamURL, RefreshURL: refreshURL, StopURL: stopURL, Refreshing: refreshing,
		Keep: strconv.Itoa(LiveKeep), Every: strconv.Itoa(LiveRefreshSeconds) + " s"}
}

// BuildLiveRows turns one live frame's lines (oldest first, as Loki
// sends them) into rows newest first, with anchors unique in the page:
// seq numbers the frames of one stream.
func BuildLiveRows(lines []datasources.LogLine, in LogRowsInput, seq int) []LogRow {
	rows := BuildLogRows(lines, in)
	out := make([]LogRow, len(rows))
	for i := range rows {
		r := rows[len(rows)-1-i]
		r.ID = "live-" + strconv.Itoa(seq) + "-" + strconv.Itoa(len(rows)-1-i)
		out[i] = r
	}
	return out
}

// LiveDropped is Loki's report of lines it could not send: how many, and
// each one's time and stream (the first few).
type LiveDropped struct {
	Summary string
	Entries []LiveDroppedEntry
	More    string // "and 12 more", when the list is cut
}

// LiveDroppedEntry is one dropped line as Loki names it.
type LiveDroppedEntry struct {
	Time, TimeTitle string
	Stream          string
}

// liveDroppedShown bounds the entries listed in one report.
const liveDroppedShown = 20

// DroppedLine is what Loki says of a line it dropped.
type DroppedLine struct {
	Labels map[string]string
	TimeNs int64
}

// BuildLiveDropped words one report of dropped lines.
func BuildLiveDropped(d []DroppedLine, zone *time.Location) LiveDropped {
	n := len(d)
	out := LiveDropped{Summary: "Loki dropped " + plural(n, "line") + " here: they arrived faster than this page could be sent them. The query's page has them."}
	for i, e := range d {
		if i == liveDroppedShown {
			out.More = "and " + strconv.Itoa(n-i) + " more"
			break
		}
		t := time.Unix(0, e.TimeNs).In(zone)
		out.Entries = append(out.Entries, LiveDroppedEntry{
			Time:      t.Format("15:04:05.000"),
			TimeTitle: t.Format("2006-01-02 15:04:05.000000000 MST"),
			Stream:    logline.CleanLine(datasources.FormatLabels(e.Labels)),
		})
	}
	return out
}
