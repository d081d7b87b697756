package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWhyIsThisTraceSlow is #18's journey on the demo's data: a failing
// checkout's trace page names the payment provider's call as its most
// unusual span with its ratio to the baseline; "compare with" a fast
// checkout from the similar traces shows the diff; the failing traces'
// search results lead to what they have in common, which ranks first the
// marks the demo's failing checkouts share (the timed-out charge's 504,
// the cancelled order); and the span quality panel lists the demo's
// deliberate offenders, /quality the gateway's three.
func TestWhyIsThisTraceSlow(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)
	start := time.Now()
	step := func(name string, since time.Time) { t.Logf("%s: %s", name, time.Since(since).Round(time.Millisecond)) }

	// 1. The failing checkout against similar checkouts.
	t0 := time.Now()
	baselinePanel := `section.panel-done[data-panel="Compared with similar traces"]`
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+"/traces/"+id),
		chromedp.WaitVisible(chromedp.ID("waterfall")),
		chromedp.WaitReady(chromedp.CSS(baselinePanel)),
	); err != nil {
		t.Fatal(err)
	}
	step("trace page with its baseline", t0)
	note, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(baselinePanel+" p.muted")))
	listed, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+"`"+baselinePanel+` .unusual li`+"`"+`)).map(li => li.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	// The charge that timed out is among the most unusual spans, with its
	// ratio: the payment provider's call (/v1/charges) or, when timeouts
	// are common in the window (the similar traces' p99 is then the
	// timeout itself, so the call is not beyond it), payments' /charge
	// that waited on it. It is usually first; during a spike the lock
	// wait that slows every order can rank above it, and the baseline is
	// right to say so.
	charge := ""
	for _, li := range listed {
		li = strings.Join(strings.Fields(li), " ")
		if strings.Contains(strings.ToLower(li), "/charge") && strings.Contains(li, "payment") && strings.Contains(li, "×") {
			charge = li
			break
		}
	}
	if charge == "" {
		t.Errorf("most unusual spans %q, want the payment provider's call among them with its ratio (%s)", listed, note)
	}
	t.Logf("baseline: %s; most unusual: %q", note, listed)
	qualityPanel := `section.panel-done[data-panel="Span quality"]`
	for _, rule := range []string{"pii", "deprecated-attribute"} {
		n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+qualityPanel+` #rule-`+rule+`').length`))
		if n != 1 {
			q, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(qualityPanel)))
			t.Errorf("the span quality panel does not list rule %s: %q", rule, q)
		}
	}
	detail, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(qualityPanel+" #rule-pii")))
	if !strings.Contains(detail, "user.email") {
		t.Errorf("the personal data rule does not name user.email: %q", detail)
	}

	// 2. "Compare with" the fastest checkout that did not fail, from the
	// similar traces offered.
	t0 = time.Now()
	fast, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
		const ms = s => { const m = s.match(/^([\d.]+)\s*(µs|ms|s)/); return m ? parseFloat(m[1]) * ({"µs": 0.001, "ms": 1, "s": 1000})[m[2]] : Infinity; };
		const ok = Array.from(document.querySelectorAll("#compare-choices option")).filter(o => !o.textContent.includes("failed"));
		ok.sort((x, y) => ms(x.textContent) - ms(y.textContent));
		if (!ok.length) return "";
		document.getElementById("compare-b").value = ok[0].value;
		return ok[0].value + " " + ok[0].textContent;
	})()`))
	if err != nil || fast == "" {
		t.Fatalf("no fast checkout among the similar traces (%v)", err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`form.compare-with button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/diff")
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`.diff-summary`))); err != nil {
		t.Fatal(err)
	}
	step("diff with "+fast, t0)
	summary, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`.diff-summary`)))
	changed, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.diff-row.changed").length`))
	if !strings.Contains(summary, "B took") || changed == 0 {
		t.Errorf("diff: %q, %d changed spans", summary, changed)
	}
	screenshot(t, b, "trace-diff")

	// 3. From the failing traces' search: what do they have in common?
	t0 = time.Now()
	b.searchErrors(t, a.URL, "tempo", "payments")
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Results"] a.common-link`)),
		chromedp.Click(chromedp.CSS(`section.panel-done[data-panel="Results"] a.common-link`))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/compare")
	// Failures are a few percent of checkouts: until five are stored the
	// page says it is too small to judge; reload until it ranks.
	deadline := time.Now().Add(90 * time.Second)
	for {
		if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`.compare-sides`))); err != nil {
			t.Fatal(err)
		}
		small, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(".compare-small") || {}).textContent || ""`))
		if small == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still too small to judge after 90 s: %s", small)
		}
		time.Sleep(2 * time.Second)
		if err := chromedp.Do(b.ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
	}
	step("what failing payments traces have in common", t0)
	sample, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`.compare-sample`)))
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".compare-table tbody tr")).slice(0, 8).map(r => r.innerText.replace(/\s+/g, " "))`))
	if err != nil || len(rows) == 0 {
		main, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("no ranking (%v): %s", err, main)
	}
	t.Logf("%s\n%s", sample, strings.Join(rows, "\n"))
	// The demo's failing checkouts are charges the provider did not answer
	// within 800 ms: the payments call ends in a deadline error, payments
	// answers 504, orders cancels the order (its UPDATE) and answers 502,
	// as the gateway does. No successful checkout has any of these, so
	// they tie at 100% against 0%, first (ties by key, so the cancelling
	// UPDATE leads); the 504 is among them.
	type row struct{ Attr, Sel, Base string }
	top, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]row](`Array.from(document.querySelectorAll(".compare-table tbody tr")).map(r => ({
		Attr: r.querySelector("td.attr").textContent.trim(), Sel: r.querySelector("td.sel").textContent.trim(), Base: r.querySelector("td.base").textContent.trim()}))`))
	if err != nil || len(top) == 0 {
		t.Fatalf("rows: %v", err)
	}
	failure := func(attr string) bool {
		for _, p := range []string{"db.query.text=UPDATE orders SET status = 'cancelled'", "db.statement=UPDATE orders SET status = 'cancelled'",
			"error.type=", "http.response.status_code=502", "http.response.status_code=504"} {
			if strings.HasPrefix(attr, p) {
				return true
			}
		}
		return false
	}
	if f := top[0]; !failure(f.Attr) || f.Sel != "100%" || f.Base != "0%" {
		t.Errorf("ranked first: %+v, want a mark of the timed-out charge on every failing trace and no other", f)
	}
	has504 := false
	for _, r := range top {
		if r.Sel != top[0].Sel || r.Base != top[0].Base {
			break
		}
		has504 = has504 || r.Attr == "http.response.status_code=504"
	}
	if !has504 {
		t.Errorf("payments' 504 is not among the values ranked first: %v", top)
	}
	href, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".compare-table tbody tr:first-child td.attr a").getAttribute("href")`))
	if !strings.Contains(href, "attr=span.") || !strings.Contains(href, "service=payments") || !strings.Contains(href, "errors=1") {
		t.Errorf("the value's search %q", href)
	}
	screenshot(t, b, "trace-compare")

	// 4. The gateway's span quality over a sample of its traces: the
	// order look-up's name with its ID, the e-mail, the old http.method.
	t0 = time.Now()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/quality?service=gateway&from=now-15m&to=now"),
		chromedp.WaitVisible(chromedp.CSS(`.quality-form`))); err != nil {
		t.Fatal(err)
	}
	step("span quality of gateway", t0)
	for _, rule := range []string{"id-in-name", "pii", "deprecated-attribute"} {
		n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#rule-`+rule+`").length`))
		if n != 1 {
			main, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`main`)))
			t.Errorf("/quality lacks rule %s: %s", rule, main)
		}
	}
	b.assertClean(t)
	t.Logf("journey: %s", time.Since(start).Round(time.Millisecond))
}
