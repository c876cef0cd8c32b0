package rest

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// Response compression: a response body bigger than gzipMin is sent
// gzip-encoded when the request's Accept-Encoding allows gzip (Node's fetch
// and Python's requests send it and decode transparently). Small bodies are
// sent as they are: compressing them costs more than it saves. SSE streams
// are never compressed (each event must reach the client at once).

// gzipMin is the smallest body that is compressed.
const gzipMin = 1024

// gzipOK marks a ResponseWriter whose request accepts gzip; send reads it.
// Unwrap keeps http.ResponseController working on the SSE routes.
type gzipOK struct{ http.ResponseWriter }

func (g gzipOK) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// acceptsGzip reports whether an Accept-Encoding header allows gzip: a
// "gzip" coding (any case) whose q is not 0.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			q, hasQ := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q=")
			return !hasQ || strings.Trim(q, "0.") != ""
		}
	}
	return false
}

type gzipBuf struct {
	buf bytes.Buffer
	zw  *gzip.Writer
}

var gzipBufs = sync.Pool{New: func() any {
	g := &gzipBuf{}
	g.zw, _ = gzip.NewWriterLevel(&g.buf, gzip.BestSpeed) // a valid level never fails
	return g
}}

// compress returns body gzip-encoded in a pooled buffer; release gives the
// buffer back once the response is written.
func compress(body []byte) (out []byte, release func()) {
	g := gzipBufs.Get().(*gzipBuf)
	g.buf.Reset()
	g.zw.Reset(&g.buf)
	_, _ = g.zw.Write(body) // writes to a bytes.Buffer cannot fail
	_ = g.zw.Close()
	return g.buf.Bytes(), func() {
		if g.buf.Cap() <= 1<<20 { // do not keep huge buffers alive
			gzipBufs.Put(g)
		}
	}
}
