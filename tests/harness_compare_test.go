package tests

// Comparing replies: the difference report and sorting for unordered replies.

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/larder-db/larder/protocol/resp"
)

// diffReplies returns "" when the replies are byte-for-byte equal, and
// otherwise a report: argv, both replies quoted, the first differing byte and
// both replies in redis-cli form.
func diffReplies(argv []string, redis, larder []byte) string {
	if bytes.Equal(redis, larder) {
		return ""
	}
	at := 0
	for at < len(redis) && at < len(larder) && redis[at] == larder[at] {
		at++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "replies differ\nargv:   %s\n", quoteArgv(argv))
	fmt.Fprintf(&b, "redis:  %s\nlarder: %s\n", quoteAround(redis, at), quoteAround(larder, at))
	fmt.Fprintf(&b, "first difference at byte %d (redis %d bytes, larder %d bytes)\n", at, len(redis), len(larder))
	fmt.Fprintf(&b, "redis reply:\n%s\nlarder reply:\n%s", readable(redis), readable(larder))
	return b.String()
}

func quote(b []byte) string { return strconv.Quote(string(b)) }

func quoteArgv(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}

// quoteAround quotes b whole when it is short, or else a window around byte
// at, so a difference deep in a long reply stays visible.
func quoteAround(b []byte, at int) string {
	const whole, before, after = 2048, 256, 768
	if len(b) <= whole {
		return quote(b)
	}
	from, to := max(0, at-before), min(len(b), at+after)
	return fmt.Sprintf("[bytes %d..%d of %d] %s", from, to, len(b), quote(b[from:to]))
}

// readable renders a raw reply as redis-cli would, indented, truncated.
func readable(raw []byte) string {
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return "  (not a well-formed reply: " + err.Error() + ")"
	}
	s := v.String()
	if len(s) > 1024 {
		s = s[:1024] + "\n… (" + strconv.Itoa(len(s)-1024) + " more characters)"
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// sortedReply returns raw with the elements of its top-level array, set,
// map or push sorted by their raw bytes; other replies come back unchanged.
// Map entries, and with pairs every two array elements, sort as one unit.
func sortedReply(raw []byte, pairs bool) ([]byte, error) {
	if len(raw) == 0 || !strings.ContainsRune("*~%>", rune(raw[0])) {
		return raw, nil
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	head, err := br.ReadBytes('\n') // a copy: ReadSlice's would be overwritten by the reads below
	if err != nil {
		return nil, fmt.Errorf("reply header: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(string(head[1:]), "\r\n"))
	if err != nil || n < 0 {
		return raw, nil // a null array: nothing to sort
	}
	unit := 1
	nested := len(raw) > len(head) && raw[len(head)] == '*' // RESP3 [member, score] pairs
	if raw[0] == '%' || (pairs && !nested) {
		unit = 2
	}
	if raw[0] == '%' {
		n *= 2
	}
	if n%unit != 0 {
		return nil, fmt.Errorf("%d elements cannot be sorted as pairs", n)
	}
	units := make([][]byte, 0, n/unit)
	for i := 0; i < n; i += unit {
		var u []byte
		for j := 0; j < unit; j++ {
			elem, _, err := resp.ReadReply(br)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i+j, err)
			}
			u = append(u, elem...)
		}
		units = append(units, u)
	}
	sort.Slice(units, func(i, j int) bool { return bytes.Compare(units[i], units[j]) < 0 })
	return append(append([]byte{}, head...), bytes.Join(units, nil)...), nil
}
