package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
)

// failingSpan waits for the demo to store a failed payments span and one
// log line of its trace.
func failingSpan(t *testing.T, a *app) (traceID, spanID, spanName string, line datasources.LogLine) {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		now := time.Now()
		res, err := a.Tempo.Search(ctx, `{ resource.service.name = "payments" && status = error }`, now.Add(-15*time.Minute), now, 20, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range res.Traces {
			if len(tr.SpanSets) == 0 || len(tr.SpanSets[0].Spans) == 0 {
				continue
			}
			sp := tr.SpanSets[0].Spans[0]
			lines, err := a.Loki.QueryRange(ctx, loki.Query{Expr: `{service_name="payments"} |= "` + tr.TraceID + `"`,
				Start: now.Add(-15 * time.Minute), End: now.Add(time.Minute), Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(lines.Lines) > 0 {
				return tr.TraceID, sp.SpanID, sp.Name, lines.Lines[0]
			}
		}
	}
	t.Fatal("no failed payments span with logs within 90s")
	return
}

// submitForm posts fields to action from the current page, as a form the
// page could have rendered (the CSRF token is read from the page).
func submitForm(action string, fields map[string]string) chromedp.Action[chromedp.Void] {
	var b strings.Builder
	fmt.Fprintf(&b, `(() => { const f = document.createElement("form"); f.method = "post"; f.action = %q;
		const add = (n, v) => { const i = document.createElement("input"); i.type = "hidden"; i.name = n; i.value = v; f.appendChild(i); };
		add("_csrf", document.querySelector('input[name="_csrf"]').value);`, action)
	for k, v := range fields {
		fmt.Fprintf(&b, "add(%q, %q);", k, v)
	}
	b.WriteString(`document.body.appendChild(f); f.submit(); })()`)
	return chromedp.Evaluate[chromedp.Void](b.String())
}

// TestInvestigationShareJourney: create an investigation, pin the failing
// span and one of its log lines, add a note, share, and read the share
// link in a fresh browser that has never seen Ariadne.
func TestInvestigationShareJourney(t *testing.T) {
	a := demoApp(t)
	traceID, spanID, spanName, line := failingSpan(t, a)
	b := newBrowser(t)

	title := "Checkout failures " + time.Now().Format("15:04:05.000")
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+"/investigations"),
		chromedp.WaitVisible(chromedp.CSS(`#inv-title`)),
		chromedp.SendKeys(chromedp.CSS(`#inv-title`), title),
		chromedp.Click(chromedp.CSS(`.inv-create button`)),
		chromedp.WaitVisible(chromedp.CSS(`.inv-head h1`)),
	); err != nil {
		t.Fatal(err)
	}
	path, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(path, "/investigations/") {
		t.Fatalf("after create the browser is at %q (%v)", path, err)
	}
	id := strings.TrimPrefix(path, "/investigations/")

	// The two pins other pages' PinForm would post.
	if err := chromedp.Do(b.ctx, submitForm("/pins", map[string]string{"kind": "span", "investigation_id": id,
		"idempotency_key": "e2e-span-" + traceID, "trace_id": traceID, "span_id": spanID, "return_to": path})); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, path)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`.banner.ok`)),
		submitForm("/pins", map[string]string{"kind": "log_line", "investigation_id": id, "idempotency_key": "e2e-line-" + traceID,
			"time_ns": fmt.Sprint(line.TimeNs), "labels": labelText(line.Labels), "line": line.Line, "return_to": path})); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, path)
	if err := chromedp.Do(b.ctx,
		chromedp.WaitVisible(chromedp.CSS(`.item.kind-log_line`)),
		chromedp.SendKeys(chromedp.CSS(`#note-new`), "Root cause: **payment provider** timed out."),
		chromedp.Click(chromedp.CSS(`.inv-note-new button`)),
		chromedp.WaitVisible(chromedp.CSS(`.item.kind-note .note strong`)),
		chromedp.Click(chromedp.CSS(`.inv-side form button`)),
		chromedp.WaitVisible(chromedp.CSS(`input.share-url`)),
	); err != nil {
		t.Fatal(err)
	}
	shareURL, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(`input.share-url`)))
	if err != nil || !strings.Contains(shareURL, "/s/") {
		t.Fatalf("share URL %q (%v)", shareURL, err)
	}
	b.assertClean(t)

	// A colleague opens the link in a browser of their own.
	fresh := newBrowser(t)
	if err := chromedp.Do(fresh.ctx, chromedp.Navigate(shareURL), chromedp.WaitVisible(chromedp.CSS(`.timeline`))); err != nil {
		t.Fatal(err)
	}
	focus, err := chromedp.Run(fresh.ctx, chromedp.Text(chromedp.CSS(`.span-row.focus .span-name`)))
	if err != nil || !strings.Contains(focus, spanName) {
		t.Errorf("shared focused span %q, want %q (%v)", focus, spanName, err)
	}
	got, err := chromedp.Run(fresh.ctx, chromedp.Text(chromedp.CSS(`.item.kind-log_line td.line`)))
	if err != nil || strings.TrimSpace(got) != strings.TrimSpace(line.Line) {
		t.Errorf("shared line %q, want %q (%v)", got, line.Line, err)
	}
	if os.Getenv("ARIADNE_SCREENSHOTS") != "" {
		shot := func(br *browser, name, scheme string) {
			if _, err := chromedp.Call(br.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(br.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile("/tmp/ariadne-"+name+"-"+scheme+".png", png, 0o644)
		}
		if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+path), chromedp.WaitVisible(chromedp.CSS(`.timeline`))); err != nil {
			t.Fatal(err)
		}
		for _, scheme := range []string{"light", "dark"} {
			shot(fresh, "share", scheme)
			shot(b, "investigation", scheme)
		}
	}
	fresh.assertClean(t)
}

func labelText(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
