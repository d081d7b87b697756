package e2e

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium. Under CI=true a missing browser
// fails the test (make test installs it); elsewhere the test skips.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found: make test installs it (scripts/install.sh)")
	}
	t.Skip("chromium not found: skipping browser test (make test installs it)")
	return ""
}

// browser is one headless Chromium tab with everything the page reported:
// console errors, uncaught exceptions and CSP violations.
type browser struct {
	ctx context.Context
	mu  sync.Mutex
	msg []string
}

// cspProbe records CSP violations the page meets; it is injected through
// the DevTools protocol, so the page's own CSP does not apply to it.
const cspProbe = `window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});`

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	b := &browser{ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == "error" || m.IsException() {
				b.mu.Lock()
				b.msg = append(b.msg, m.String())
				b.mu.Unlock()
			}
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

// problems returns console errors and CSP violations seen so far.
func (b *browser) problems(t *testing.T) []string {
	t.Helper()
	csp, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Fatalf("reading CSP violations: %v", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]string{}, b.msg...)
	for _, v := range csp {
		out = append(out, "CSP violation: "+v)
	}
	return out
}

// assertClean fails the test on any console error or CSP violation.
func (b *browser) assertClean(t *testing.T) {
	t.Helper()
	// Console events arrive asynchronously; give stragglers a moment.
	time.Sleep(200 * time.Millisecond)
	if p := b.problems(t); len(p) > 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// waitPath waits until the tab's location path is path (after a redirect
// or a navigation), failing after a few seconds.
func (b *browser) waitPath(t *testing.T, path string) {
	t.Helper()
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		loc, err = chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname`))
		if err == nil && loc == path {
			return
		}
	}
	t.Fatalf("the browser is at %s, want %s", loc, path)
}

// waitFor polls a JavaScript condition until it holds, failing after a
// few seconds. (chromedp's WaitVisible misses nodes a script swapped in
// from a <template>: the page's fragments.)
func (b *browser) waitFor(t *testing.T, cond string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
	}
	t.Fatalf("still not true after 10s: %s", cond)
}

// waitSearch waits until the tab's query string contains part.
func (b *browser) waitSearch(t *testing.T, part string) {
	t.Helper()
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		loc, err = chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.search`))
		if err == nil && strings.Contains(loc, part) {
			return
		}
	}
	t.Fatalf("the browser's query is %q, want it to contain %q", loc, part)
}

// searchErrors fills in the trace search form as a user would: the
// backend chosen, a service, errors only; then it waits for the submitted
// page.
func (b *browser) searchErrors(t *testing.T, base, backend, service string) {
	t.Helper()
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(base+"/traces?from=now-15m&to=now"),
		chromedp.WaitVisible(chromedp.CSS(`.trace-search select[name="backend"]`)),
		chromedp.SetValue(chromedp.CSS(`.trace-search select[name="backend"]`), backend),
		chromedp.SendKeys(chromedp.CSS(`.trace-search input[name="service"]`), service),
		chromedp.Click(chromedp.CSS(`.trace-search input[name="errors"]`)),
		chromedp.Click(chromedp.CSS(`.trace-search button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	b.waitSearch(t, "build=1")
	b.waitSearch(t, "backend="+backend)
}

// selectFailingCharge clicks, on a trace page, the failed payments span
// ("POST /charge"), as a user selects a row.
func (b *browser) selectFailingCharge(t *testing.T) {
	t.Helper()
	clicked, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => {
		const row = Array.from(document.querySelectorAll("#waterfall .row.error"))
			.find(r => r.querySelector(".svc").textContent === "payments" && r.textContent.includes("/charge"));
		if (!row) return false;
		row.querySelector("a.nm").click();
		return true;
	})()`))
	if err != nil || !clicked {
		t.Fatalf("no failing payments span to select (%v)", err)
	}
}

// screenshot saves the page in light and dark to /tmp when
// ARIADNE_SCREENSHOTS is set, for a person to look at.
func screenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	if os.Getenv("ARIADNE_SCREENSHOTS") == "" {
		return
	}
	for _, scheme := range []string{"light", "dark"} {
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		path := "/tmp/ariadne-" + name + "-" + scheme + ".png"
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
}
