package lokitest_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// levels pushes checkout lines in logfmt: minute 0 has 3 info + 1 error,
// minute 1 nothing, minute 2 has 2 info; payment has 1 error in minute 0.
func levels(t *testing.T, srv *lokitest.Server) {
	t.Helper()
	ck := map[string]string{"service_name": "checkout", "namespace": "shop"}
	mustPush(t, srv, ck,
		lokitest.Entry{Time: at(10), Line: "level=info msg=a"},
		lokitest.Entry{Time: at(20), Line: "level=info msg=bb"},
		lokitest.Entry{Time: at(30), Line: "level=error msg=ccc"},
		lokitest.Entry{Time: at(40), Line: "level=info msg=d"},
		lokitest.Entry{Time: at(130), Line: "level=info msg=e"},
		lokitest.Entry{Time: at(140), Line: "not logfmt \"at all"},
	)
	mustPush(t, srv, map[string]string{"service_name": "payment", "namespace": "shop"},
		lokitest.Entry{Time: at(50), Line: "level=error msg=x"})
}

func ms(sec float64) int64 { return at(sec).UnixMilli() }

func seriesString(ss []datasources.Series) string {
	out := ""
	for _, s := range ss {
		out += datasources.FormatLabels(s.Labels) + ":"
		for _, p := range s.Points {
			out += fmt.Sprintf(" %d=%g", (p.TMs-t0.UnixMilli())/1000, p.V)
		}
		out += "\n"
	}
	return out
}

func TestMetricQueryRange(t *testing.T) {
	srv, c := newPair(t)
	levels(t, srv)
	tests := []struct {
		expr string
		want string // series: labels: <seconds after t0>=value …
	}{
		// Windows (t-1m, t] at t = 0, 60, 120, 180: empty windows have no point.
		{`sum by (level) (count_over_time({service_name="checkout"} | logfmt | drop __error__ [1m]))`,
			"{}: 180=1\n{level=\"error\"}: 60=1\n{level=\"info\"}: 60=3 180=1\n"},
		{`sum by (level) (count_over_time({service_name="checkout"} | logfmt | __error__="" [1m]))`,
			"{level=\"error\"}: 60=1\n{level=\"info\"}: 60=3 180=1\n"},
		{`count_over_time({service_name="checkout"} |= "error" [1m])`,
			"{namespace=\"shop\", service_name=\"checkout\"}: 60=1\n"},
		{`sum by (service_name) (rate({namespace="shop"} |= "error" [1m]))`,
			fmt.Sprintf("{service_name=\"checkout\"}: 60=%g\n{service_name=\"payment\"}: 60=%g\n", 1.0/60, 1.0/60)},
		{`sum(count_over_time({namespace="shop"}[1m])) by (namespace)`,
			"{namespace=\"shop\"}: 60=5 180=2\n"},
		{`sum without (service_name) (count_over_time({namespace="shop"}[1m]))`,
			"{namespace=\"shop\"}: 60=5 180=2\n"},
		// Grafana's histogram groups by labels that are absent: one series {}.
		{`sum by (level, detected_level) (count_over_time({service_name="payment"} | drop __error__[1m]))`,
			"{}: 60=1\n"},
		{`bytes_over_time({service_name="checkout"} |= "msg=" [1m])`,
			"{namespace=\"shop\", service_name=\"checkout\"}: 60=68 180=16\n"},
		{`max by (service_name) (count_over_time({namespace="shop"}[1m]))`,
			"{service_name=\"checkout\"}: 60=4 180=2\n{service_name=\"payment\"}: 60=1\n"},
		{`count(count_over_time({namespace="shop"}[1m]))`, "{}: 60=2 180=1\n"},
		{`topk(1, sum by (service_name) (count_over_time({namespace="shop"}[1m])))`,
			"{service_name=\"checkout\"}: 60=4 180=2\n"},
		{`sum(count_over_time({namespace="shop"}[1m])) * 2 + 1`, "{}: 60=11 180=5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			res, err := c.QueryRange(context.Background(), loki.Query{Expr: tt.expr, Start: t0, End: at(180), Step: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if res.Type != loki.ResultMatrix {
				t.Fatalf("type %q", res.Type)
			}
			if got := seriesString(res.Series); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
		})
	}
}

func TestInstantQueries(t *testing.T) {
	srv, c := newPair(t)
	levels(t, srv)
	// What Grafana's "Save & test" sends: time=4000000000 is read as seconds.
	res, err := c.Query(context.Background(), `vector(1)+vector(1)`, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Type != loki.ResultVector || len(res.Vector) != 1 || res.Vector[0].Points[0].V != 2 || len(res.Vector[0].Labels) != 0 {
		t.Fatalf("health check = %+v", res)
	}
	res, err = c.Query(context.Background(), `sum by (level) (count_over_time({service_name="checkout"} | logfmt [1h]))`, at(3600), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, s := range res.Vector {
		got[s.Labels["level"]+s.Labels["__error__"]] = s.Points[0].V
		if s.Points[0].TMs != ms(3600) {
			t.Errorf("sample time %d, want the query time %d", s.Points[0].TMs, ms(3600))
		}
	}
	// by (level) drops __error__: the line that did not parse counts in {}.
	want := map[string]float64{"info": 4, "error": 1, "": 1}
	if !maps.Equal(got, want) {
		t.Errorf("instant = %v, want %v", got, want)
	}
	res, err = c.Query(context.Background(), `vector(1) / 0`, at(60), 0)
	if err != nil || !math.IsInf(res.Vector[0].Points[0].V, 1) {
		t.Errorf("vector(1)/0 = %+v, %v; want +Inf", res, err)
	}
}

func TestHealthCheckTimeAsGrafanaSendsIt(t *testing.T) {
	srv, _ := newPair(t)
	resp, body := get(t, srv.URL+"/loki/api/v1/query?query=vector(1)%2Bvector(1)&time=4000000000")
	want := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[4000000000,"2"]}],`
	if resp != 200 || len(body) < len(want) || body[:len(want)] != want {
		t.Errorf("got %d %s", resp, body)
	}
}
