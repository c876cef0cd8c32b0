package protocol

import (
	"sync"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/protocol/resp"
)

// pushQueue carries a subscribed connection's output. Once a client
// subscribes, publishers on other goroutines push messages to it, so all of
// its output — replies and messages — goes through this queue and one
// writer goroutine, and a slow reader never blocks a publisher.
//
// Order: while the connection runs a batch of commands (busy), pushes are
// held and queued after the batch's replies, so a SUBSCRIBE's confirmation
// always precedes the messages it lets in.
type pushQueue struct {
	c    *conn
	mu   sync.Mutex
	buf  []byte // ready to write, in order
	held []byte // pushed during the current batch
	busy bool
	gone bool      // dropped (limit, write error) or closing
	over time.Time // when the queue first passed the soft limit
	wake chan struct{}
	done chan struct{}
}

// Start implements command.Pusher: it switches the connection to queued
// output. It runs on the connection's goroutine, inside a batch.
func (c *conn) Start() { c.startQueue(true) }

// startQueue switches the connection to queued output once: busy when
// called inside one of its batches (Start), idle when another session's
// push starts it (an invalidation redirected to a connection that neither
// subscribed nor tracks: it is written at once, between replies).
func (c *conn) startQueue(busy bool) *pushQueue {
	if q := c.pq.Load(); q != nil {
		return q
	}
	q := &pushQueue{c: c, busy: busy, wake: make(chan struct{}, 1), done: make(chan struct{})}
	if !c.pq.CompareAndSwap(nil, q) {
		return c.pq.Load()
	}
	go q.writer()
	return q
}

// Push implements command.Pusher: it queues m, encoded in the
// connection's protocol, without blocking, and drops the client past the
// pubsub output buffer limits.
func (c *conn) Push(m *command.Message) {
	frame := m.Frame(int(c.s.PushProto.Load()), encodePush)
	q := c.startQueue(false)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.gone {
		return
	}
	if q.busy {
		q.held = append(q.held, frame...)
	} else {
		q.buf = append(q.buf, frame...)
		q.signal()
	}
	if reason := q.overLimit(int64(len(q.buf) + len(q.held))); reason != "" {
		q.gone = true
		c.sv.log.Warn().Int64("conn_id", c.s.ID).Str("addr", c.s.Addr).Str("limit", reason).
			Msg("closing subscriber over its output buffer limit")
		_ = c.nc.Close()
	}
}

// encodePush is m on the wire: a message as a push (an array in RESP2) of
// its kind's name and its parts, a MONITOR line as a simple string.
func encodePush(m *command.Message, proto int) []byte {
	if m.Kind == command.PushMonitor {
		return resp.AppendSimple(make([]byte, 0, len(m.Line)+3), m.Line)
	}
	switch m.Kind {
	case command.PushInvalidate:
		return encodeInvalidate(m, proto)
	case command.PushRedirBroken:
		b := resp.AppendPush(make([]byte, 0, 48), 2, proto)
		b = resp.AppendBulkString(b, m.Kind.String())
		return resp.AppendInt(b, m.ID)
	}
	kind := m.Kind.String()
	b := make([]byte, 0, 64+len(kind)+len(m.Pattern)+len(m.Channel)+len(m.Payload))
	if m.Kind == command.PushPMessage {
		b = resp.AppendPush(b, 4, proto)
		b = resp.AppendBulkString(b, kind)
		b = resp.AppendBulk(b, m.Pattern)
	} else {
		b = resp.AppendPush(b, 3, proto)
		b = resp.AppendBulkString(b, kind)
	}
	b = resp.AppendBulk(b, m.Channel)
	return resp.AppendBulk(b, m.Payload)
}

// encodeInvalidate is a CLIENT TRACKING invalidation: a push of
// "invalidate" and the keys in RESP3, a message on __redis__:invalidate
// in RESP2 (a redirect target in Pub/Sub mode); a flush's null is the
// tracking client's, as in Redis.
func encodeInvalidate(m *command.Message, proto int) []byte {
	b := make([]byte, 0, 64+16*len(m.Keys))
	if proto >= 3 {
		b = resp.AppendPush(b, 2, proto)
		b = resp.AppendBulkString(b, m.Kind.String())
	} else {
		b = resp.AppendPush(b, 3, proto)
		b = resp.AppendBulkString(b, "message")
		b = resp.AppendBulk(b, m.Channel)
	}
	switch {
	case m.Null && m.NullProto >= 3:
		return append(b, "_\r\n"...)
	case m.Null:
		return append(b, "$-1\r\n"...)
	}
	b = resp.AppendArray(b, len(m.Keys))
	for _, k := range m.Keys {
		b = resp.AppendBulk(b, k)
	}
	return b
}

// overLimit applies client-output-buffer-limit pubsub to a queue of size
// bytes: the hard limit at once, the soft one after its seconds.
func (q *pushQueue) overLimit(size int64) string {
	hard, soft, secs := q.c.sv.d.Config().OutputLimit("pubsub")
	switch {
	case hard > 0 && size > hard:
		return "hard"
	case soft > 0 && size > soft:
		if q.over.IsZero() {
			q.over = time.Now()
		} else if time.Since(q.over) > time.Duration(secs)*time.Second {
			return "soft"
		}
	default:
		q.over = time.Time{}
	}
	return ""
}

func (q *pushQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// begin marks the start of a batch of commands.
func (q *pushQueue) begin() {
	q.mu.Lock()
	q.busy = true
	q.mu.Unlock()
}

// flush queues a batch's replies, then what was pushed during it. It
// reports false when the client was dropped.
func (q *pushQueue) flush(replies []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.buf = append(q.buf, replies...)
	q.buf = append(q.buf, q.held...)
	q.held, q.busy = q.held[:0], false
	q.signal()
	return !q.gone
}

// writer writes the queue until the connection ends.
func (q *pushQueue) writer() {
	defer close(q.done)
	var out []byte
	for {
		_, open := <-q.wake
		q.mu.Lock()
		out, q.buf = q.buf, out[:0]
		gone := q.gone
		q.mu.Unlock()
		if len(out) > 0 {
			if _, err := q.c.nc.Write(out); err != nil {
				q.mu.Lock()
				q.gone = true
				q.mu.Unlock()
				_ = q.c.nc.Close()
				return
			}
		}
		if !open || gone {
			return
		}
	}
}

// close stops the writer after it has written what is queued (a QUIT's
// reply, say), waiting at most a few seconds for a stuck client.
func (q *pushQueue) close() {
	q.mu.Lock()
	q.gone = true
	q.mu.Unlock()
	close(q.wake)
	select {
	case <-q.done:
	case <-time.After(5 * time.Second):
		_ = q.c.nc.Close()
		<-q.done
	}
}
