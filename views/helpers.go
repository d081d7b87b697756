package views

import (
	"strconv"
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
	switch {
	case !r.Parent:
		c += " leaf"
	case !r.Open:
		c += " closed"
	}
	return c
}

func firstService(chips []ServiceChip) string {
	if len(chips) == 0 {
		return "this service"
	}
	return chips[0].Name
}
