package handlers

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/store"
)

// formValues reads a rendered form's fields, as a browser would submit
// them (hidden inputs and the selected option), plus extra.
func formValues(form *goquery.Selection, extra ...string) url.Values {
	v := url.Values{}
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		if name, ok := in.Attr("name"); ok {
			v.Set(name, in.AttrOr("value", ""))
		}
	})
	form.Find("select").Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.Find("option").First().AttrOr("value", ""))
	})
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

// TestPinFromTraceAndLogsPages pins through the forms the pages render:
// the failing span from the trace page, then a line from the logs page
// (its button submits the page's one shared form with its own fields).
func TestPinFromTraceAndLogsPages(t *testing.T) {
	a := newInvApp(t)
	d := doc(t, a.get(t, "/traces/"+traceHex+"?span=00000000000000b2"))
	spanForm := d.Find("#span-details form.pin-form")
	if spanForm.Length() != 1 {
		t.Fatal("the span details have no pin form")
	}
	if d.Find(".trace-links form.pin-form input[name=kind]").AttrOr("value", "") != "trace" {
		t.Error("no whole-trace pin form")
	}
	w := a.post(t, "/pins", formValues(spanForm, "new_title", "Checkout failures"))
	wantCode(t, w, 303)
	if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/traces/"+traceHex+"?span=00000000000000b2") {
		t.Errorf("after pinning the span the browser goes to %q", loc)
	}

	lp := doc(t, a.get(t, "/logs?trace_id="+traceHex+"&from=2026-11-26T09:59:00Z&to=2026-11-26T10:01:00Z"))
	shared := lp.Find("form#pin-lines")
	if shared.Find("select option").First().Text() != "Checkout failures" {
		t.Fatalf("the lines' pin form does not offer the new investigation: %q", shared.Text())
	}
	// A line's Pin button comes with its expanded view, fetched when the
	// line is opened (as logs.js does) or on the line's own page.
	var linePage string
	lp.Find(".logline").Each(func(_ int, r *goquery.Selection) {
		if strings.Contains(r.Find(".msg").Text(), "charge failed") {
			linePage = r.Find(".logbody > .line-more > a").AttrOr("href", "")
		}
	})
	if linePage == "" {
		t.Fatal("no link to the failing line's expanded view")
	}
	ref := doc(t, a.get(t, links.LogLineBody(linePage))).Find("button.pin-line[form=pin-lines]").AttrOr("value", "")
	if !strings.Contains(ref, "charge+failed") {
		t.Fatalf("the failing line's Pin line button carries %q", ref)
	}
	// Without JavaScript: the line's page has its own shared form.
	own := doc(t, a.get(t, linePage))
	if own.Find("form#pin-lines select option").First().Text() != "Checkout failures" || !strings.Contains(own.Find("button.pin-line").AttrOr("value", ""), "charge+failed") {
		t.Errorf("the line's page cannot pin it: %q", own.Find("main").Text())
	}
	if lp.Find(`form.pin-form input[name=kind][value=log_query]`).Length() != 1 {
		t.Error("no pin form for the whole query")
	}
	form := formValues(shared, "pin_ref", ref)
	wantCode(t, a.post(t, "/pins", form), 303)
	wantCode(t, a.post(t, "/pins", form), 303) // a double click lands once

	list := onlyOne(a.st.List(t.Context(), store.Filter{}))(t)
	items, err := a.st.Items(t.Context(), list.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, it := range items {
		kinds = append(kinds, it.Kind)
	}
	if strings.Join(kinds, ",") != "span,log_line" {
		t.Errorf("items %v, want span then log_line", kinds)
	}
}
