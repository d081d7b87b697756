package handlers

import (
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

// testBackends are the handlers tests' one wiring of backends: lokitest
// and tempotest on the fixture clock, and the clients the app reads them
// with. Every page fixture (logs, trace, investigations) starts from it.
type testBackends struct {
	loki        *lokitest.Server
	tempo       *tempotest.Server
	lokiClient  *loki.Client
	tempoClient *tempo.Client
}

// backendOptions adds to the test servers' defaults.
type backendOptions struct {
	loki  []lokitest.Option
	tempo []tempotest.Option
}

func newTestBackends(t *testing.T, o backendOptions) *testBackends {
	t.Helper()
	b := &testBackends{
		loki:  lokitest.NewTestServer(t, append([]lokitest.Option{lokitest.WithClock(fixtureClock)}, o.loki...)...),
		tempo: tempotest.NewTestServer(t, append([]tempotest.Option{tempotest.WithClock(fixtureClock)}, o.tempo...)...),
	}
	var err error
	if b.lokiClient, err = loki.New(datasources.Config{URL: b.loki.URL, Timeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if b.tempoClient, err = tempo.New(datasources.Config{URL: b.tempo.URL, Timeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	return b
}

// pushLines pushes fixture lines to one stream of lokitest.
func (b *testBackends) pushLines(t *testing.T, labels map[string]string, entries ...lokitest.Entry) {
	t.Helper()
	if err := b.loki.Push(labels, entries...); err != nil {
		t.Fatal(err)
	}
}
