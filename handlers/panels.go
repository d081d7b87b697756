package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/a-h/templ"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/telemetry"
	"github.com/ariadne-dev/ariadne/views"
)

// panel is one backend-backed box of a page. Every page with backend data
// uses this one pattern: the shell answers at once, panels load in
// parallel, each is bounded by its timeout and fails alone.
//
// Load runs on its own goroutine and may outlive the request (a panel that
// times out keeps running until its context ends), by when Echo has
// recycled the request's echo.Context: Load must not touch it. Read what
// it needs (zone, URL, parameters) before starting the panels.
type panel struct {
	Title string
	// Backend names who is slow when the panel times out ("Prometheus");
	// empty means the title says it (the home page's backend panels).
	Backend string
	Load    func(ctx context.Context) (panelOut, error)
}

// panelOut is what a successful load renders.
type panelOut struct {
	Body       templ.Component
	State      string
	StateClass string
}

type panelDone struct {
	slot int
	out  panelOut
	err  error
}

// panelSet runs its panels' loads as soon as it is created, so they overlap
// with rendering the page shell.
type panelSet struct {
	panels  []panel
	results chan panelDone
	timeout time.Duration
	log     *slog.Logger
	metrics *telemetry.Metrics
}

func (h *Handler) startPanels(ctx context.Context, log *slog.Logger, panels ...panel) *panelSet {
	s := &panelSet{panels: panels, results: make(chan panelDone, len(panels)), timeout: h.opt.PanelTimeout, log: log, metrics: h.tel.Metrics}
	for i, p := range panels {
		go s.run(ctx, i+1, p)
	}
	return s
}

func (s *panelSet) run(parent context.Context, slot int, p panel) {
	ctx, cancel := context.WithTimeout(parent, s.timeout)
	defer cancel()
	done := make(chan panelDone, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panel panicked", "panel", p.Title, "panic", r)
				done <- panelDone{slot: slot, err: fmt.Errorf("panel %s failed", p.Title)}
			}
		}()
		out, err := p.Load(ctx)
		done <- panelDone{slot: slot, out: out, err: err}
	}()
	// A load that ignores its context still cannot hold the page.
	select {
	case d := <-done:
		s.results <- d
	case <-ctx.Done():
		who := p.Backend
		if who == "" {
			who = p.Title
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// Not a client that went away: a panel that gave up waiting.
			s.metrics.PanelTimeout(who)
		}
		s.results <- panelDone{slot: slot, err: &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: who,
			Message: fmt.Sprintf("%s did not answer within %s.", who, s.timeout)}}
	}
}

// Heads are the loading placeholders, in page order.
func (s *panelSet) Heads() []views.PanelHead {
	heads := make([]views.PanelHead, len(s.panels))
	for i, p := range s.panels {
		heads[i] = views.PanelHead{Slot: i + 1, Title: p.Title}
	}
	return heads
}

// Render flushes what the page has so far (shell and placeholders), then
// writes each panel as it finishes, one flushed chunk per panel.
func (s *panelSet) Render(ctx context.Context, w io.Writer) error {
	if err := flush(w); err != nil {
		return err
	}
	for range s.panels {
		var d panelDone
		select {
		case d = <-s.results:
		case <-ctx.Done():
			return ctx.Err()
		}
		p := s.panels[d.slot-1]
		res := views.PanelResult{Slot: d.slot, Title: p.Title, State: d.out.State, StateClass: d.out.StateClass}
		body := d.out.Body
		if d.err != nil {
			r := replyTo(d.err)
			res.Error = r.Message
			if r.Unexpected {
				// Not one of ours: log it; the user reads nothing meant for developers.
				s.log.Error("panel failed", "panel", p.Title, "err", d.err)
			} else if e := (*datasources.Error)(nil); errors.As(d.err, &e) && e.Err != nil {
				s.log.Warn("panel failed", "panel", p.Title, "err", d.err)
			}
			if res.State == "" {
				res.State, res.StateClass = "failed", "status-down"
			}
		}
		if body == nil {
			body = templ.NopComponent
		}
		if err := views.Panel(res).Render(templ.WithChildren(ctx, body), w); err != nil {
			return err
		}
		if err := flush(w); err != nil {
			return err
		}
	}
	return nil
}

func flush(w io.Writer) error {
	switch f := w.(type) {
	case interface{ Flush() error }:
		return f.Flush()
	case interface{ Flush() }:
		f.Flush()
	}
	return nil
}
