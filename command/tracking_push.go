package command

// trackingChannel is the channel a RESP2 redirect target hears
// invalidations on, as a Pub/Sub message.
const trackingChannel = "__redis__:invalidate"

// sendInvalidation is Redis's sendTrackingMessage: tracker's invalidation
// of keys (null: a flush) goes to its redirect target, or to itself. A
// RESP3 receiver gets an invalidate push; a RESP2 redirect target in
// Pub/Sub mode a message on __redis__:invalidate; anyone else nothing.
// A redirect target that is gone marks tracker broken and, in RESP3,
// tells it so. Called under tracking.mu.
func (d *Dispatcher) sendInvalidation(tracker *Session, keys [][]byte, null bool) {
	to, redirected := tracker, false
	if id := tracker.trk.redirect; id != 0 {
		to = d.clients.get(id)
		if to == nil {
			tracker.trk.broken = true
			if tracker.PushProto.Load() > 2 && tracker.Pusher != nil {
				tracker.Pusher.Push(&Message{Kind: PushRedirBroken, ID: id})
			}
			return
		}
		redirected = true
	}
	if to.Pusher == nil || to.FrontEnd != "tcp" {
		return
	}
	if to.PushProto.Load() < 3 {
		if !redirected {
			return
		}
		d.pubsub.mu.RLock()
		subscribed := to.Subscribed()
		d.pubsub.mu.RUnlock()
		if !subscribed {
			return
		}
	}
	to.Pusher.Push(&Message{Kind: PushInvalidate, Channel: []byte(trackingChannel),
		Keys: keys, Null: null, NullProto: int(tracker.PushProto.Load())})
}

// get returns the registered session with id, or nil.
func (cl *clients) get(id int64) *Session {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.byID[id]
}

// ClientExists reports whether a client with id is connected (CLIENT
// TRACKING's REDIRECT).
func (d *Dispatcher) ClientExists(id int64) bool { return d.clients.get(id) != nil }
