package webhook

import (
	"container/list"
	"context"
	"sync"
)

// Deduper remembers the ids of processed events, so that a Handler given
// WithDeduper answers a repeated delivery with 200 without calling back.
//
// It is a shortcut, not the guarantee. Seen and the callback are two steps:
// two deliveries of one event that arrive together both pass Seen, and a
// crash between the callback's effect and Processed forgets the id. To
// process an event once, record its id in the same database transaction as
// its effect, under a unique key, and treat a conflict on that key as
// done (return nil). A Deduper backed by that same table then spares the
// callback the work of finding out.
type Deduper interface {
	// Seen reports whether Processed recorded id. An error makes the
	// Handler answer 500, so Chargebee delivers the event again.
	Seen(ctx context.Context, id string) (bool, error)
	// Processed records that the callback returned nil for id. An error is
	// logged; the delivery is still answered 200, as the event was processed.
	Processed(ctx context.Context, id string) error
}

// DefaultMemoryDeduperSize is how many ids a MemoryDeduper keeps unless
// told otherwise.
const DefaultMemoryDeduperSize = 10000

// MemoryDeduper is a Deduper that keeps the newest ids in memory, the
// oldest forgotten first. It is for tests and for a single process that
// can afford to process an event twice after a restart; a service with
// more than one instance needs a Deduper its instances share, or the
// unique key described at Deduper. Safe for concurrent use.
type MemoryDeduper struct {
	mu    sync.Mutex
	max   int
	ids   map[string]*list.Element
	order *list.List // of string ids, oldest at the front
}

// NewMemoryDeduper returns a MemoryDeduper that keeps up to size ids
// (DefaultMemoryDeduperSize when size is zero or less).
func NewMemoryDeduper(size int) *MemoryDeduper {
	if size <= 0 {
		size = DefaultMemoryDeduperSize
	}
	return &MemoryDeduper{max: size, ids: map[string]*list.Element{}, order: list.New()}
}

// Seen reports whether id was recorded and not forgotten since.
func (d *MemoryDeduper) Seen(_ context.Context, id string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.ids[id]
	return ok, nil
}

// Processed records id, forgetting the oldest id when full.
func (d *MemoryDeduper) Processed(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := d.ids[id]; ok {
		d.order.MoveToBack(el)
		return nil
	}
	d.ids[id] = d.order.PushBack(id)
	if d.order.Len() > d.max {
		oldest := d.order.Front()
		d.order.Remove(oldest)
		delete(d.ids, oldest.Value.(string))
	}
	return nil
}
