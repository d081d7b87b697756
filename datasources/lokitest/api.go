package lokitest

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/loki/api/v1/query_range", s.handleQueryRange)
	mux.HandleFunc("/loki/api/v1/query", s.handleQuery)
	mux.HandleFunc("/loki/api/v1/labels", s.handleLabels)
	mux.HandleFunc("/loki/api/v1/label", s.handleLabels)
	mux.HandleFunc("/loki/api/v1/label/{name}/values", s.handleLabelValues)
	mux.HandleFunc("/loki/api/v1/series", s.handleSeries)
	mux.HandleFunc("/loki/api/v1/detected_fields", s.handleDetectedFields)
	mux.HandleFunc("/loki/api/v1/detected_field/{name}/values", s.handleDetectedFieldValues)
	mux.HandleFunc("/loki/api/v1/tail", s.handleTail)
	mux.HandleFunc("/loki/api/v1/push", s.handlePush)
	mux.HandleFunc("/api/prom/push", s.handleLegacyPush)
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ready\n"))
	})
	return mux
}

// textError answers as Loki does: a status and a plain-text message.
func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write([]byte(msg))
}

// fail maps our error types to Loki's statuses.
func fail(w http.ResponseWriter, err error) {
	var pe *parseError
	var br badRequest
	var push *pushError
	switch {
	case errors.As(err, &pe), errors.As(err, &br):
		textError(w, http.StatusBadRequest, err.Error())
	case errors.As(err, &push):
		textError(w, push.status, push.msg)
	default:
		textError(w, http.StatusInternalServerError, err.Error())
	}
}

func writeJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(b)
}

// begin checks the method, resolves the tenant and, for queries, parses
// the form (query string or url-encoded POST body).
func (s *Server) begin(w http.ResponseWriter, r *http.Request, form bool, methods ...string) (string, bool) {
	if !slices.Contains(methods, r.Method) {
		w.Header().Set("Allow", strings.Join(methods, ", "))
		textError(w, http.StatusMethodNotAllowed, "method not allowed")
		return "", false
	}
	tenant := DefaultTenant
	if s.multiTenant {
		if tenant = r.Header.Get("X-Scope-OrgID"); tenant == "" {
			textError(w, http.StatusUnauthorized, "no org id")
			return "", false
		}
	}
	if form && !s.parseForm(w, r) {
		return "", false
	}
	return tenant, true
}

func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		textError(w, http.StatusBadRequest, err.Error())
		return false
	}
	return true
}

func categorized(r *http.Request) bool {
	for _, v := range r.Header.Values("X-Loki-Response-Encoding-Flags") {
		for _, f := range strings.Split(v, ",") {
			if strings.TrimSpace(f) == "categorize-labels" {
				return true
			}
		}
	}
	return false
}

func (s *Server) handleQueryRange(w http.ResponseWriter, r *http.Request) {
	tenant, ok := s.begin(w, r, true, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	began := time.Now()
	lq, se, err := parseQuery(r.Form.Get("query"))
	if err != nil {
		fail(w, err)
		return
	}
	p, err := s.parseRange(r, lq != nil)
	if err != nil {
		fail(w, err)
		return
	}
	if lq != nil {
		cat := categorized(r)
		streams, st := s.evalLogs(tenant, lq, p.start, p.end, p.limit, p.forward, cat)
		writeJSON(w, appendStreams(nil, streams, cat, st, time.Since(began).Seconds()))
		return
	}
	sp := steps{start: p.start, step: int64(p.step), n: int((p.end-p.start)/int64(p.step)) + 1}
	res := s.evalSample(tenant, se, sp)
	if len(res.series) > s.maxSeries {
		fail(w, s.tooManySeries())
		return
	}
	writeJSON(w, appendMetric(nil, res, sp, false, time.Since(began).Seconds()))
}

func (s *Server) tooManySeries() error {
	return badRequest(fmt.Sprintf("maximum number of series (%d) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()", s.maxSeries))
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	tenant, ok := s.begin(w, r, true, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	began := time.Now()
	lq, se, err := parseQuery(r.Form.Get("query"))
	if err != nil {
		fail(w, err)
		return
	}
	if lq != nil {
		// Loki ≥ 3.2 (grafana/loki#13421).
		fail(w, badRequest("log queries are not supported as an instant query type, please change your query to a range query type"))
		return
	}
	at, err := parseTime(r, "time", s.now().UnixNano())
	if err != nil {
		fail(w, err)
		return
	}
	sp := steps{start: at, step: 1, n: 1}
	res := s.evalSample(tenant, se, sp)
	if len(res.series) > s.maxSeries {
		fail(w, s.tooManySeries())
		return
	}
	writeJSON(w, appendMetric(nil, res, sp, true, time.Since(began).Seconds()))
}

// labelRange reads start/end for the label endpoints (default: 6 hours).
func (s *Server) labelRange(r *http.Request) (int64, int64, error) {
	end, err := parseTime(r, "end", s.now().UnixNano())
	if err != nil {
		return 0, 0, err
	}
	start, err := parseTime(r, "start", end-int64(6*time.Hour))
	return start, end, err
}

func (s *Server) selectorParam(r *http.Request) ([]*matcher, error) {
	q := r.Form.Get("query")
	if q == "" {
		return nil, nil
	}
	return parseSelector(q)
}

func (s *Server) handleLabels(w http.ResponseWriter, r *http.Request) {
	s.labelList(w, r, "")
}

func (s *Server) handleLabelValues(w http.ResponseWriter, r *http.Request) {
	s.labelList(w, r, r.PathValue("name"))
}

// labelList answers /labels (name "") or /label/<name>/values.
func (s *Server) labelList(w http.ResponseWriter, r *http.Request, name string) {
	tenant, ok := s.begin(w, r, true, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	start, end, err := s.labelRange(r)
	if err == nil && end < start {
		err = badRequest("end timestamp must not be before or equal to start time")
	}
	var ms []*matcher
	if err == nil {
		ms, err = s.selectorParam(r)
	}
	if err != nil {
		fail(w, err)
		return
	}
	seen := map[string]bool{}
	for _, st := range s.store.streamsIn(tenant, ms, start, end+1) {
		for _, l := range st.labels {
			switch {
			case name == "":
				seen[l.Name] = true
			case l.Name == name:
				seen[l.Value] = true
			}
		}
	}
	// Loki leaves "data" out of an empty answer.
	if len(seen) == 0 {
		writeJSON(w, []byte(`{"status":"success"}`))
		return
	}
	list := make([]string, 0, len(seen))
	for k := range seen {
		list = append(list, k)
	}
	slices.Sort(list)
	b := []byte(`{"status":"success","data":[`)
	for i, v := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, v)
	}
	writeJSON(w, append(b, "]}"...))
}

func (s *Server) handleSeries(w http.ResponseWriter, r *http.Request) {
	tenant, ok := s.begin(w, r, true, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	start, end, err := s.labelRange(r)
	if err != nil {
		fail(w, err)
		return
	}
	selectors := r.Form["match[]"]
	if len(selectors) == 0 {
		selectors = r.Form["match"]
	}
	if len(selectors) == 0 {
		fail(w, badRequest("at least one match[] argument must be provided"))
		return
	}
	seen := map[string]bool{}
	b := []byte(`{"status":"success","data":[`)
	n := 0
	for _, sel := range selectors {
		ms, err := parseSelector(sel)
		if err != nil {
			fail(w, err)
			return
		}
		for _, st := range s.store.streamsIn(tenant, ms, start, end+1) {
			if seen[st.key] {
				continue
			}
			seen[st.key] = true
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = appendLabels(b, st.labels)
		}
	}
	writeJSON(w, append(b, "]}"...))
}
