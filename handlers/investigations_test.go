package handlers

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/store"
)

// pinCheckout pins the failing span and its error line into a new
// investigation and returns its path.
func pinCheckout(t *testing.T, a *invApp) (int64, string) {
	t.Helper()
	wantCode(t, a.post(t, "/pins", pinFields("span", "k-span", "trace_id", traceHex, "span_id", spanB2, "new_title", "Checkout 502s")), http.StatusSeeOther)
	inv := onlyOne(a.st.List(context.Background(), store.Filter{}))(t)
	wantCode(t, a.post(t, "/pins", pinFields("log_line", "k-line", "investigation_id", invItoa(inv.ID), "time_ns", failNs, "labels", failLbls, "line", failLine)), http.StatusSeeOther)
	return inv.ID, links.Investigation(inv.ID)
}

func TestInvestigationPageRendersSnapshots(t *testing.T) {
	a := newInvApp(t)
	_, path := pinCheckout(t, a)
	w := a.get(t, path)
	wantCode(t, w, http.StatusOK)
	d := doc(t, w)
	if got := d.Find("h1").First().Text(); !strings.Contains(got, "Checkout 502s") || !strings.Contains(got, "open") {
		t.Errorf("heading %q", got)
	}
	items := d.Find(".timeline > li")
	if items.Length() != 2 {
		t.Fatalf("%d timeline items, want 2", items.Length())
	}
	span := items.Eq(0)
	if got := span.Find(".span-row.focus .span-name").Text(); !strings.Contains(got, "POST /charge") {
		t.Errorf("focused row %q", got)
	}
	if got := span.Find(".span-row.focus .span-detail").Text(); !strings.Contains(got, "payment provider did not answer within 800ms") {
		t.Errorf("focused span detail lacks the exception: %q", got)
	}
	// The live link asks the backend the span was pinned from first.
	if href, _ := span.Find("a.live").Attr("href"); href != "/traces/"+traceHex+"?backend=tempo&span="+spanB2+"#s-"+spanB2 {
		t.Errorf("live link %q", href)
	}
	// A span's card is that span's path, not the whole trace (#20 item 9):
	// the inventory span beside it is not repeated there.
	if strings.Contains(span.Find(".waterfall").Text(), "SELECT") {
		t.Error("the span's card repeats an unrelated span of the trace")
	}
	line := items.Eq(1)
	if got := line.Find("td.line").Text(); got != failLine {
		t.Errorf("log line %q", got)
	}
	if cls, _ := line.Find("tr").Attr("class"); cls != "lvl-error" {
		t.Errorf("line class %q", cls)
	}
	if href, _ := line.Find("a.live").Attr("href"); !strings.HasPrefix(href, "/logs?") || !strings.Contains(href, "from=2026-11-26T09%3A55%3A00Z") {
		t.Errorf("line live link %q", href)
	}
	acts := d.Find(".inv-activity li").Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text())[3:], " ") })
	want := []string{"local pinned log line “charge failed: payment provider did not answer”", "local pinned span “payments: POST /charge”", "local created “Checkout 502s”"}
	if strings.Join(acts, "|") != strings.Join(want, "|") {
		t.Errorf("activity %q, want %q", acts, want)
	}
}

func TestEditsAndConflicts(t *testing.T) {
	a := newInvApp(t)
	id, path := pinCheckout(t, a)
	ctx := context.Background()
	items, _ := a.st.Items(ctx, id)
	span := items[0]
	editPath := path + "/items/" + invItoa(span.ID) + "/edit"

	// Alice edits from version 1.
	wantCode(t, a.post(t, editPath, url.Values{"version": {"1"}, "title": {"Charge timed out"}, "note": {"Provider SLA is **800ms**."}}), http.StatusSeeOther)
	// Bob still has version 1 on screen.
	w := a.post(t, editPath, url.Values{"version": {"1"}, "title": {"Bob's title"}, "note": {"Bob's note"}})
	wantCode(t, w, http.StatusConflict)
	d := doc(t, w)
	yours, current := d.Find(".conflict section").Eq(0).Text(), d.Find(".conflict section").Eq(1).Text()
	if !strings.Contains(yours, "Bob's note") || !strings.Contains(current, "Provider SLA is **800ms**.") {
		t.Errorf("conflict page: yours %q, current %q", yours, current)
	}
	if msg := d.Find("main p[role=alert]").Text(); !strings.Contains(msg, "local edited “Charge timed out”") {
		t.Errorf("conflict message %q", msg)
	}
	if v, _ := d.Find(`form input[name=version]`).Attr("value"); v != "2" {
		t.Errorf("retry form carries version %q, want 2", v)
	}
	if got := d.Find(`textarea[name=note]`).Text(); got != "Bob's note" {
		t.Errorf("retry form note %q, want Bob's", got)
	}
	it, _ := a.st.Items(ctx, id)
	if it[0].Note != "Provider SLA is **800ms**." {
		t.Errorf("stale edit overwrote: %q", it[0].Note)
	}
	// Bob saves his over the current version on purpose.
	wantCode(t, a.post(t, editPath, url.Values{"version": {"2"}, "title": {"Bob's title"}, "note": {"Bob's note"}}), http.StatusSeeOther)

	// Rename, then a stale status change.
	wantCode(t, a.post(t, path+"/rename", url.Values{"version": {"1"}, "title": {"Checkout 502s (payments)"}}), http.StatusSeeOther)
	w = a.post(t, path+"/status", url.Values{"version": {"1"}, "status": {"resolved"}})
	wantCode(t, w, http.StatusConflict)
	if cur := doc(t, w).Find(".conflict section").Eq(1).Text(); !strings.Contains(cur, "Checkout 502s (payments)") {
		t.Errorf("status conflict shows %q", cur)
	}
	wantCode(t, a.post(t, path+"/status", url.Values{"version": {"2"}, "status": {"resolved"}}), http.StatusSeeOther)

	// Move the line up (version 3 now), stale move refused.
	line := it[1]
	wantCode(t, a.post(t, path+"/items/"+invItoa(line.ID)+"/move", url.Values{"version": {"3"}, "dir": {"up"}}), http.StatusSeeOther)
	wantCode(t, a.post(t, path+"/items/"+invItoa(line.ID)+"/move", url.Values{"version": {"3"}, "dir": {"down"}}), http.StatusConflict)
	d = doc(t, a.get(t, path))
	if got := d.Find(".timeline .item h3").First().Text(); got != "charge failed: payment provider did not answer" {
		t.Errorf("first item after move %q", got)
	}
	if got := d.Find("h1 .inv-status").Text(); got != "resolved" {
		t.Errorf("status %q", got)
	}

	// Delete from a stale version is refused; from the current one works.
	wantCode(t, a.post(t, path+"/items/"+invItoa(span.ID)+"/delete", url.Values{"version": {"2"}}), http.StatusConflict)
	wantCode(t, a.post(t, path+"/items/"+invItoa(span.ID)+"/delete", url.Values{"version": {"3"}}), http.StatusSeeOther)
	onlyOne(a.st.Items(ctx, id))(t)
	wantCode(t, a.post(t, path+"/items/"+invItoa(span.ID)+"/delete", url.Values{"version": {"3"}}), http.StatusNotFound)
	wantCode(t, a.get(t, "/investigations/99999"), http.StatusNotFound)
	wantCode(t, a.get(t, "/investigations/nope"), http.StatusNotFound)
}

func TestListCreateSearch(t *testing.T) {
	a := newInvApp(t)
	for _, title := range []string{"Checkout 502s", "Slow inventory"} {
		w := a.post(t, "/investigations", url.Values{"title": {title}, "idempotency_key": {"create-" + title}})
		wantCode(t, w, http.StatusSeeOther)
	}
	// A double-submitted create lands once.
	wantCode(t, a.post(t, "/investigations", url.Values{"title": {"Slow inventory"}, "idempotency_key": {"create-Slow inventory"}}), http.StatusSeeOther)
	wantCode(t, a.post(t, "/investigations", url.Values{"title": {"  "}}), http.StatusBadRequest)
	rows := func(target string) []string {
		return doc(t, a.get(t, target)).Find(".inv-list tbody td:first-child a").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	}
	tests := []struct{ target, want string }{
		{"/investigations", "Slow inventory|Checkout 502s"},
		{"/investigations?q=checkout", "Checkout 502s"},
		{"/investigations?status=resolved", ""},
		{"/investigations?status=open&q=slow", "Slow inventory"},
	}
	for _, tt := range tests {
		if got := strings.Join(rows(tt.target), "|"); got != tt.want {
			t.Errorf("%s lists %q, want %q", tt.target, got, tt.want)
		}
	}
}

// Every state-changing route refuses a request without the CSRF token,
// and nothing changes.
func TestInvestigationPostsNeedCSRF(t *testing.T) {
	a := newInvApp(t)
	id, path := pinCheckout(t, a)
	items, _ := a.st.Items(context.Background(), id)
	item := path + "/items/" + invItoa(items[0].ID)
	for _, target := range []string{"/investigations", "/pins", path + "/rename", path + "/status", path + "/notes",
		item + "/move", item + "/edit", item + "/delete", path + "/shares", path + "/shares/1/revoke"} {
		r := newFormRequest(target, url.Values{"title": {"pwned"}, "note": {"pwned"}, "version": {"1"}, "kind": {"note"}, "idempotency_key": {"x"}})
		for _, c := range a.cookies { // the victim's cookies ride along; the token does not
			r.AddCookie(c)
		}
		if w := a.do(t, r); w.Code != http.StatusBadRequest && w.Code != http.StatusForbidden {
			t.Errorf("POST %s without a token: %d", target, w.Code)
		}
	}
	inv, _ := a.st.Get(context.Background(), id)
	after, _ := a.st.Items(context.Background(), id)
	links, _ := a.st.ShareLinks(context.Background(), id)
	if inv.Version != 1 || len(after) != 2 || after[0].Version != 1 || len(links) != 0 {
		t.Errorf("a forged request changed something: %+v, %d items, %d links", inv, len(after), len(links))
	}
}

func TestNotesRenderInert(t *testing.T) {
	a := newInvApp(t)
	id, path := pinCheckout(t, a)
	evil := "**Root cause**: provider timeout.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) " +
		"<a href=\"javascript:alert(3)\">raw</a> <img src=x onerror=alert(4)> [ok](https://status.example/incident)\n\n" +
		"[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==) <iframe src=\"https://evil.example\"></iframe>"
	wantCode(t, a.post(t, path+"/notes", url.Values{"note": {evil}, "idempotency_key": {"n1"}}), http.StatusSeeOther)
	wantCode(t, a.post(t, path+"/notes", url.Values{"note": {evil}, "idempotency_key": {"n1"}}), http.StatusSeeOther)
	if items, _ := a.st.Items(context.Background(), id); len(items) != 3 {
		t.Fatalf("%d items after a note posted twice with one key, want 3", len(items))
	}
	token := shareLink(t, a, path)
	for name, target := range map[string]string{"investigation page": path, "share page": "/s/" + token} {
		d := doc(t, a.get(t, target))
		note := d.Find(".item.kind-note .note")
		if note.Length() != 1 {
			t.Fatalf("%s: %d notes", name, note.Length())
		}
		if got := note.Find("strong").Text(); got != "Root cause" {
			t.Errorf("%s: Markdown not rendered: strong %q", name, got)
		}
		html, _ := note.Html()
		for _, bad := range []string{"<script", "javascript:", "onerror", "<iframe", "data:text/html"} {
			if strings.Contains(strings.ToLower(html), bad) {
				t.Errorf("%s: note HTML contains %q: %s", name, bad, html)
			}
		}
		if href, _ := note.Find(`a[href^="https://status.example"]`).Attr("rel"); !strings.Contains(href, "noreferrer") {
			t.Errorf("%s: external link rel %q, want noreferrer", name, href)
		}
	}
}

var shareURLPattern = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})$`)

// shareLink creates a share link through the page and returns its token.
func shareLink(t *testing.T, a *invApp, path string) string {
	t.Helper()
	w := a.post(t, path+"/shares", nil)
	wantCode(t, w, http.StatusCreated)
	if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("share-created headers %v", w.Header())
	}
	u, _ := doc(t, w).Find("input.share-url").Attr("value")
	m := shareURLPattern.FindStringSubmatch(u)
	if m == nil {
		t.Fatalf("share URL %q", u)
	}
	return m[1]
}

// A pinned trace's card draws its rows, names from spans as text (one is
// called <script>).
func TestTraceCardEscapesSpanNames(t *testing.T) {
	a := newInvApp(t)
	_, path := pinCheckout(t, a)
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/investigations/"), 10, 64)
	wantCode(t, a.post(t, "/pins", pinFields("trace", "k-trace", "trace_id", traceHex, "investigation_id", invItoa(id))), http.StatusSeeOther)
	d := doc(t, a.get(t, path))
	card := d.Find(".timeline > li").Last()
	if !strings.Contains(card.Find(".waterfall").Text(), "SELECT <script>alert(1)</script>") || d.Find(".waterfall script").Length() != 0 {
		t.Errorf("span name was not rendered as text: %q", card.Find(".waterfall").Text())
	}
}
