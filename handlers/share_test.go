package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/store"
)

func TestSharePageNeedsOnlySnapshots(t *testing.T) {
	a := newInvApp(t)
	_, path := pinCheckout(t, a)
	token := shareLink(t, a, path)
	// Retention or an outage: neither backend answers any more.
	a.tempo.Close()
	a.loki.Close()

	w := a.get(t, "/s/"+token)
	wantCode(t, w, http.StatusOK)
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"} {
		if got := w.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	d := doc(t, w)
	if got := d.Find(".span-row.focus").Text(); !strings.Contains(got, "POST /charge") || !strings.Contains(got, "payment provider did not answer") {
		t.Errorf("shared span row %q", got)
	}
	if got := d.Find("td.line").Text(); got != failLine {
		t.Errorf("shared line %q", got)
	}
	og := func(p string) string { v, _ := d.Find(`meta[property="` + p + `"]`).Attr("content"); return v }
	if og("og:title") != "Checkout 502s" || !strings.HasPrefix(og("og:description"), "open investigation opened by local · 2 pinned items") {
		t.Errorf("OpenGraph title %q description %q", og("og:title"), og("og:description"))
	}
	// Read-only: no forms, no way into live pages or the app's navigation.
	if n := d.Find("form, a.live, nav, .item-tools").Length(); n != 0 {
		t.Errorf("share page has %d forms, live links or navigation", n)
	}
	if strings.Contains(a.logs.String(), token) {
		t.Error("the share token is in the server log")
	}
}

func TestRevokedAndUnknownTokensLookTheSame(t *testing.T) {
	a := newInvApp(t)
	id, path := pinCheckout(t, a)
	token := shareLink(t, a, path)
	wantCode(t, a.get(t, "/s/"+token), http.StatusOK)
	link := onlyOne(a.st.ShareLinks(context.Background(), id))(t)
	wantCode(t, a.post(t, path+"/shares/"+invItoa(link.ID)+"/revoke", nil), http.StatusSeeOther)
	// Revoking twice is a 404, not a second activity entry.
	wantCode(t, a.post(t, path+"/shares/"+invItoa(link.ID)+"/revoke", nil), http.StatusNotFound)

	reqID := regexp.MustCompile(`request <code>[^<]*</code>`)
	answer := func(tok string) (int, string, http.Header) {
		w := a.get(t, "/s/"+tok)
		return w.Code, reqID.ReplaceAllString(w.Body.String(), ""), w.Header()
	}
	unknown := strings.Repeat("A", len(token))
	rc, rb, rh := answer(token)
	uc, ub, uh := answer(unknown)
	if rc != http.StatusNotFound || uc != rc || rb != ub {
		t.Errorf("revoked: %d, unknown: %d; bodies equal: %v", rc, uc, rb == ub)
	}
	for _, h := range []string{"Referrer-Policy", "Cache-Control", "Content-Type"} {
		if rh.Get(h) != uh.Get(h) {
			t.Errorf("%s differs: %q vs %q", h, rh.Get(h), uh.Get(h))
		}
	}
	// Same path, same time: the medians of both stay within a few ms.
	median := func(tok string) time.Duration {
		var ds []time.Duration
		for range 25 {
			start := time.Now()
			a.get(t, "/s/"+tok)
			ds = append(ds, time.Since(start))
		}
		return invMedian(ds)
	}
	mr, mu := median(token), median(unknown)
	t.Logf("median 404: revoked %s, unknown %s", mr, mu)
	if diff := mr - mu; diff > 3*time.Millisecond || diff < -3*time.Millisecond {
		t.Errorf("revoked and unknown tokens differ in time: %s vs %s", mr, mu)
	}
	acts, _ := a.st.Activity(context.Background(), id, 10)
	if acts[0].Action != "revoked" || acts[1].Action != "shared" {
		t.Errorf("activity %+v", acts[:2])
	}
	if strings.Contains(a.logs.String(), token) {
		t.Error("the share token is in the server log")
	}
}

func TestShareUnknownInvestigation(t *testing.T) {
	a := newInvApp(t)
	wantCode(t, a.post(t, "/investigations/424242/shares", nil), http.StatusNotFound)
	if list, _ := a.st.List(context.Background(), store.Filter{}); len(list) != 0 {
		t.Errorf("%d investigations", len(list))
	}
}

func invMedian(ds []time.Duration) time.Duration {
	for i := range ds {
		for j := i + 1; j < len(ds); j++ {
			if ds[j] < ds[i] {
				ds[i], ds[j] = ds[j], ds[i]
			}
		}
	}
	return ds[len(ds)/2]
}

// The share page is cached per fingerprint: every change shows at once,
// and a revoked link stops even though its page is cached.
func TestSharePageFollowsEveryChange(t *testing.T) {
	a := newInvApp(t)
	id, path := pinCheckout(t, a)
	token := shareLink(t, a, path)
	items, _ := a.st.Items(context.Background(), id)
	titles := func() string {
		w := a.get(t, "/s/"+token)
		wantCode(t, w, http.StatusOK)
		d := doc(t, w)
		return strings.Join(d.Find(".item h3").Map(func(_ int, s *goquery.Selection) string { return s.Text() }), "|") +
			" " + d.Find("h1").Text()
	}
	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"initial", func() {}, "payments: POST /charge|charge failed: payment provider did not answer Checkout 502s open"},
		{"edit", func() {
			a.post(t, path+"/items/"+invItoa(items[0].ID)+"/edit", url.Values{"version": {"1"}, "title": {"Charge timed out"}})
		}, "Charge timed out|charge failed: payment provider did not answer Checkout 502s open"},
		{"move", func() {
			a.post(t, path+"/items/"+invItoa(items[1].ID)+"/move", url.Values{"version": {"1"}, "dir": {"up"}})
		}, "charge failed: payment provider did not answer|Charge timed out Checkout 502s open"},
		{"status", func() { a.post(t, path+"/status", url.Values{"version": {"2"}, "status": {"resolved"}}) },
			"charge failed: payment provider did not answer|Charge timed out Checkout 502s resolved"},
		{"delete", func() { a.post(t, path+"/items/"+invItoa(items[1].ID)+"/delete", url.Values{"version": {"1"}}) },
			"Charge timed out Checkout 502s resolved"},
	}
	for _, s := range steps {
		s.change()
		if got := titles(); got != s.want {
			t.Errorf("after %s: %q, want %q", s.name, got, s.want)
		}
	}
	link := onlyOne(a.st.ShareLinks(context.Background(), id))(t)
	wantCode(t, a.post(t, path+"/shares/"+invItoa(link.ID)+"/revoke", nil), http.StatusSeeOther)
	wantCode(t, a.get(t, "/s/"+token), http.StatusNotFound)
}

// A share link is given to other people, so its host is never the one the
// request named (Host: evil.example would send them elsewhere): it is
// ARIADNE_PUBLIC_URL, or the link is relative and the page says so.
func TestShareLinkIgnoresTheHostHeader(t *testing.T) {
	a := newInvApp(t)
	_, path := pinCheckout(t, a)
	create := func() (string, *goquery.Document) {
		form := url.Values{"_csrf": {a.csrf}}
		r := httptest.NewRequest(http.MethodPost, path+"/shares", strings.NewReader(form.Encode()))
		r.Host = "evil.example"
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Forwarded-Host", "evil.example")
		for _, c := range a.cookies {
			r.AddCookie(c)
		}
		w := a.do(t, r)
		wantCode(t, w, http.StatusCreated)
		d := doc(t, w)
		u, _ := d.Find("input.share-url").Attr("value")
		return u, d
	}
	u, d := create()
	if strings.Contains(u, "evil.example") || !shareURLPattern.MatchString(u) || !strings.HasPrefix(u, "/s/") {
		t.Errorf("without a public URL: link %q, want the relative /s/<token>", u)
	}
	if !strings.Contains(d.Text(), "ARIADNE_PUBLIC_URL") {
		t.Error("a relative link does not say how to get full links")
	}
	a.h.opt.PublicURL = "https://ariadne.example.com"
	u, d = create()
	if !strings.HasPrefix(u, "https://ariadne.example.com/s/") || !shareURLPattern.MatchString(u) {
		t.Errorf("with ARIADNE_PUBLIC_URL: link %q", u)
	}
	if strings.Contains(d.Text(), "ARIADNE_PUBLIC_URL") {
		t.Error("a full link still carries the hint")
	}
}

// TestShareExpiryAndConfirmations: a link is created with a lifetime the
// form offers (7 days unless chosen), the share page and the
// investigation say when it ends, an expired link is refused like a
// revoked one, and revoke and delete ask first and then say what they did
// (#20 item 9).
func TestShareExpiryAndConfirmations(t *testing.T) {
	a := newInvApp(t)
	id, path := pinCheckout(t, a)
	page := doc(t, a.get(t, path))
	if got := page.Find(`select[name="expires"] option[selected]`).AttrOr("value", ""); got != "7d" {
		t.Errorf("the share form's default lifetime is %q, want 7d", got)
	}
	wantCode(t, a.post(t, path+"/shares", url.Values{"expires": {"forever"}}), http.StatusBadRequest)
	w := a.post(t, path+"/shares", url.Values{"expires": {"1d"}})
	wantCode(t, w, http.StatusCreated)
	if txt := doc(t, w).Find("main").Text(); !strings.Contains(txt, "It expires ") {
		t.Errorf("the created page does not say when the link expires: %q", txt)
	}
	day := shareURLPattern.FindStringSubmatch(doc(t, w).Find("input.share-url").AttrOr("value", ""))[1]
	week := shareLink(t, a, path) // no choice sent: the default
	if txt := doc(t, a.get(t, "/s/"+day)).Find(".inv-head").Text(); !strings.Contains(txt, "expires ") {
		t.Errorf("the share page does not say when it expires: %q", txt)
	}
	list := doc(t, a.get(t, path)).Find(".inv-shares li")
	if list.Length() != 2 || !strings.Contains(list.Text(), "expires") || list.Find("details.confirm summary").Length() != 2 {
		t.Errorf("share list %q: want two links with expiry and a confirming revoke", list.Text())
	}
	links, _ := a.st.ShareLinks(context.Background(), id)
	if got := links[1].ExpiresAt.Sub(links[1].CreatedAt); got != 24*time.Hour {
		t.Errorf("a 1-day link lives %v", got)
	}
	if got := links[0].ExpiresAt.Sub(links[0].CreatedAt); got != 7*24*time.Hour {
		t.Errorf("the default link lives %v", got)
	}
	if _, err := a.pool.Exec(context.Background(), "UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1", links[1].ID); err != nil {
		t.Fatal(err)
	}
	if w := a.get(t, "/s/"+day); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("expired link: %d", w.Code)
	}
	wantCode(t, a.get(t, "/s/"+week), http.StatusOK)
	if txt := doc(t, a.get(t, path)).Find(".inv-shares li").Last().Text(); !strings.Contains(txt, "expired") {
		t.Errorf("the expired link is listed as %q", txt)
	}

	wantCode(t, a.post(t, path+"/shares/"+invItoa(links[0].ID)+"/revoke", nil), http.StatusSeeOther)
	if msg := doc(t, a.get(t, path)).Find(".banner.ok").Text(); !strings.Contains(msg, "Revoked share link #"+invItoa(links[0].ID)) {
		t.Errorf("after revoking, the page says %q", msg)
	}
	items, _ := a.st.Items(context.Background(), id)
	card := doc(t, a.get(t, path)).Find("#item-" + invItoa(items[0].ID))
	if card.Find("details.confirm form[action$=\"/delete\"]").Length() != 1 {
		t.Error("delete does not ask first")
	}
	wantCode(t, a.post(t, path+"/items/"+invItoa(items[0].ID)+"/delete", url.Values{"version": {invItoa(int64(items[0].Version))}}), http.StatusSeeOther)
	if msg := doc(t, a.get(t, path)).Find(".banner.ok").Text(); !strings.Contains(msg, "Deleted ") {
		t.Errorf("after deleting, the page says %q", msg)
	}
}

// A share page is served compressed to clients that accept gzip, from
// bytes compressed once, and plain to those that do not: the same page.
func TestSharePageIsServedPrecompressed(t *testing.T) {
	a := newInvApp(t)
	_, path := pinCheckout(t, a)
	token := shareLink(t, a, path)
	get := func(accept string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/s/"+token, nil)
		if accept != "" {
			r.Header.Set("Accept-Encoding", accept)
		}
		w := a.do(t, r)
		if w.Code != 200 {
			t.Fatalf("%q: %d %s", accept, w.Code, w.Body)
		}
		return w
	}
	plain := get("")
	if ce := plain.Header().Get("Content-Encoding"); ce != "" {
		t.Fatalf("no Accept-Encoding, Content-Encoding %q", ce)
	}
	if get("gzip;q=0").Header().Get("Content-Encoding") != "" {
		t.Fatal("gzip;q=0 was answered with gzip")
	}
	for range 2 { // rendered, then from the cache
		w := get("br, gzip;q=0.8")
		if w.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Encoding") {
			t.Fatalf("headers %v", w.Header())
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, plain.Body.Bytes()) {
			t.Fatalf("gzipped page differs from the plain one (%d vs %d bytes)", len(body), plain.Body.Len())
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip;q=1.0, *;q=0.5": true, "br": false,
		"gzip;q=0": false, "gzip; q=0.0": false, "*": true, "identity": false, "x-gzip": true, "br;q=1, gzip;q=0.001": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
