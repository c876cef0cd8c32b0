package protocol

import (
	"errors"
	"os"
	"time"

	"github.com/larder-db/larder/command"
)

// maxSideInput caps what a blocked client may send while it waits; past
// it, Larder stops reading until the command ends (TCP pushes back).
const maxSideInput = 1 << 20

// blockHook implements command.BlockHook for a connection: it sends the
// replies of the commands before the blocked one, then reads the socket in
// the background so a client that disconnects is noticed and cleaned up.
// Bytes a client sends meanwhile (a pipeline behind the blocking command)
// are kept in c.side and consumed before the next socket read.
func (c *conn) blockHook() (<-chan struct{}, func()) {
	_ = c.flush() // a failed write shows up as the reader's error below
	c.mark = 0
	gone, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for len(c.side) < maxSideInput {
			n, err := c.nc.Read(buf)
			c.side = append(c.side, buf[:n]...)
			if err != nil {
				if !errors.Is(err, os.ErrDeadlineExceeded) {
					close(gone)
				}
				return
			}
		}
	}()
	return gone, func() {
		_ = c.nc.SetReadDeadline(time.Now()) // stop the reader
		<-done
		_ = c.nc.SetReadDeadline(time.Time{})
	}
}

var _ command.BlockHook = (*conn)(nil).blockHook
