package views

import (
	"html"
	"strconv"
	"strings"
)

func slotClass(slot int) string { return "slot-" + strconv.Itoa(slot) }

func panelsOpenTag(wide bool) string {
	if wide {
		return `<div class="panels wide">`
	}
	return `<div class="panels">`
}

func rowClass(r TraceRow) string {
	c := "row " + r.SvcClass
	if r.Error {
		c += " error"
	}
	if r.Critical {
		c += " critical"
	}
	if r.Selected {
		c += " selected"
	}
	if r.Found {
		c += " found"
	}
	return c
}

// detailsOpen starts a subtree. It is raw HTML because templ elements must
// close where they open, and a subtree closes rows later (see Close).
// The only interpolated value is the span ID, escaped all the same.
func detailsOpen(r TraceRow) string {
	s := `<details class="sp" id="s-` + html.EscapeString(r.SpanID) + `"`
	if r.Open {
		s += " open"
	}
	return s + ">"
}

func closeDetails(n int) string {
	return strings.Repeat("</details>", n)
}

func firstService(chips []ServiceChip) string {
	if len(chips) == 0 {
		return "this service"
	}
	return chips[0].Name
}
