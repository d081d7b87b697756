package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Spikes is the latency-spike schedule: every Every, for Length, the
// inventory lock waits most of the time, and the load sends Load times
// its rate (1 or less: the same rate). AtStart puts the first spike at
// the start (tests need one in seconds, not minutes).
type Spikes struct {
	Every   time.Duration
	Length  time.Duration
	AtStart bool
	Load    float64
}

// Active reports whether elapsed (time since the world started) falls in
// a spike.
func (s Spikes) Active(elapsed time.Duration) bool {
	if s.Every <= 0 || s.Length <= 0 || elapsed < 0 {
		return false
	}
	pos := elapsed % s.Every
	if s.AtStart {
		return pos < s.Length
	}
	// Otherwise the spike sits at the end of each period, so a fresh demo
	// starts calm and the first spike comes after one period.
	return pos >= s.Every-s.Length
}

// Faults decides how slow and broken each request is, from the spike
// schedule. Probabilities are per request.
type Faults struct {
	Spikes Spikes
	start  time.Time
	now    func() time.Time
	once   sync.Once
}

// Fault rates outside and during spikes.
const (
	slowRate         = 0.03
	slowRateSpike    = 0.6
	timeoutRate      = 0.02
	timeoutRateSpike = 0.08
)

func (f *Faults) init() {
	f.once.Do(func() {
		if f.now == nil {
			f.now = time.Now
		}
		f.start = f.now()
	})
}

// InSpike reports whether the world is in a spike now.
func (f *Faults) InSpike() bool {
	f.init()
	return f.Spikes.Active(f.now().Sub(f.start))
}

func (f *Faults) slowInventory() bool {
	if f.InSpike() {
		return rand.Float64() < slowRateSpike
	}
	return rand.Float64() < slowRate
}

func (f *Faults) providerTimeout() bool {
	if f.InSpike() {
		return rand.Float64() < timeoutRateSpike
	}
	return rand.Float64() < timeoutRate
}

// Load sends a realistic mix of requests to the gateway at Rate per second:
// mostly order look-ups, some checkouts (the path that can be slow or fail).
// While InSpike says so, it sends SpikeFactor times as many (a factor
// of 1 or less, or no InSpike, keeps the rate).
type Load struct {
	GatewayURL  string
	Rate        float64
	SpikeFactor float64
	InSpike     func() bool
	Sent        atomic.Int64
	Failed      atomic.Int64
}

// perTick is how many requests to send on a tick of the base rate: one,
// and during a spike SpikeFactor-1 more, the fractions carried in credit.
func (l *Load) perTick(credit *float64) int {
	if l.SpikeFactor <= 1 || l.InSpike == nil || !l.InSpike() {
		return 1
	}
	*credit += l.SpikeFactor - 1
	extra := int(*credit)
	*credit -= float64(extra)
	return 1 + extra
}

// Run sends requests until ctx ends. Requests run concurrently so a slow
// one never holds the rate down.
func (l *Load) Run(ctx context.Context) {
	if l.Rate <= 0 {
		return
	}
	client := &http.Client{Timeout: 10 * time.Second}
	interval := time.Duration(float64(time.Second) / l.Rate)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	users := []string{"ada@example.com", "grace@example.com", "linus@example.com", "barbara@example.com", "ken@example.com"}
	skus := []string{"SKU-RED-MUG", "SKU-BLUE-TEE", "SKU-GREEN-CAP", "SKU-LAMP-01"}
	var credit float64
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for range l.perTick(&credit) {
			wg.Add(1)
			go l.send(ctx, client, &wg, users, skus)
		}
	}
}

// send sends one request of the mix.
func (l *Load) send(ctx context.Context, client *http.Client, wg *sync.WaitGroup, users, skus []string) {
	defer wg.Done()
	var req *http.Request
	if rand.Float64() < 0.35 {
		body := fmt.Sprintf(`{"user":%q,"sku":%q,"qty":%d}`, users[rand.IntN(len(users))], skus[rand.IntN(len(skus))], 1+rand.IntN(3))
		req, _ = http.NewRequestWithContext(ctx, "POST", l.GatewayURL+"/api/checkout", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, _ = http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/orders/ord-%06d", l.GatewayURL, rand.IntN(1_000_000)), nil)
	}
	l.Sent.Add(1)
	resp, err := client.Do(req)
	if err != nil {
		l.Failed.Add(1)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		l.Failed.Add(1)
	}
}
