package handlers

import "sync"

// Bounds of live tails: each holds a WebSocket to Loki and a response
// open for as long as the browser watches.
const (
	DefaultLiveTailsPerUser = 3
	DefaultLiveTails        = 50
)

// liveSlots counts open live tails per user and in all.
type liveSlots struct {
	mu      sync.Mutex
	perUser int
	total   int
	open    int
	byUser  map[string]int
}

func newLiveSlots(perUser, total int) *liveSlots {
	if perUser <= 0 {
		perUser = DefaultLiveTailsPerUser
	}
	if total <= 0 {
		total = DefaultLiveTails
	}
	return &liveSlots{perUser: perUser, total: total, byUser: map[string]int{}}
}

// acquire takes a slot for user; release gives it back (once). full
// names the bound that refused: "user" or "total".
func (s *liveSlots) acquire(user string) (release func(), full string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.byUser[user] >= s.perUser:
		return nil, "user"
	case s.open >= s.total:
		return nil, "total"
	}
	s.byUser[user]++
	s.open++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.open--
			if s.byUser[user]--; s.byUser[user] == 0 {
				delete(s.byUser, user)
			}
		})
	}, ""
}

// counts reports the open tails in all and per user, for tests.
func (s *liveSlots) counts() (int, map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int, len(s.byUser))
	for k, v := range s.byUser {
		m[k] = v
	}
	return s.open, m
}
