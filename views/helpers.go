package views

import "strconv"

func slotClass(slot int) string { return "slot-" + strconv.Itoa(slot) }

func panelsOpenTag(wide bool) string {
	if wide {
		return `<div class="panels wide">`
	}
	return `<div class="panels">`
}
