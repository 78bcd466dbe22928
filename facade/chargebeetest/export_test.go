package chargebeetest

// Delayed reports how many requests the delay holds now, so that a test can
// act while one is held rather than guess with a sleep.
func (h *Handler) Delayed() int { return int(h.delayed.Load()) }
