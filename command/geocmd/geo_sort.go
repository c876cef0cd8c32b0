package geocmd

// The orders of search results, as Redis sorts them: glibc's qsort (a
// stable top-down merge sort for arrays this size) when every result is
// returned, Redis's pqsort (a partial Bentley-McIlroy quicksort) when
// COUNT returns fewer. Equal distances keep the order these algorithms
// leave them in, so the replies match Redis's even then.

// point is one search result.
type point struct {
	lon, lat, dist, score float64
	member                string
}

// byDist is sort_gp_asc, or sort_gp_desc when desc.
func byDist(desc bool) func(a, b *point) int {
	return func(a, b *point) int {
		r := -1
		switch {
		case a.dist > b.dist:
			r = 1
		case a.dist == b.dist:
			r = 0
		}
		if desc {
			return -r
		}
		return r
	}
}

// mergeSort sorts p as glibc's msort: halves of n/2 and n-n/2, merged
// taking from the left while cmp <= 0.
func mergeSort(p []point, cmp func(a, b *point) int) {
	tmp := make([]point, len(p))
	msort(p, tmp, cmp)
}

func msort(p, tmp []point, cmp func(a, b *point) int) {
	n := len(p)
	if n <= 1 {
		return
	}
	n1 := n / 2
	l, r := p[:n1], p[n1:]
	msort(l, tmp, cmp)
	msort(r, tmp, cmp)
	out := tmp[:0]
	i, j := 0, 0
	for i < len(l) && j < len(r) {
		if cmp(&l[i], &r[j]) <= 0 {
			out = append(out, l[i])
			i++
		} else {
			out = append(out, r[j])
			j++
		}
	}
	out = append(out, l[i:]...)
	copy(p, out) // what is left of r is already in place
}

// partialSort is Redis's pqsort: it orders p enough that ranks lo..hi
// hold what a full sort would put there.
func partialSort(p []point, cmp func(a, b *point) int, lo, hi int) {
	pqsort(p, 0, len(p), cmp, lo, hi)
}

// pqsort sorts p[a:a+n]; lo..hi are absolute indexes of the wanted ranks.
// Parts wholly outside lo..hi are left unsorted.
func pqsort(p []point, a, n int, cmp func(x, y *point) int, lo, hi int) {
	for {
		if n < 7 {
			for m := a + 1; m < a+n; m++ {
				for l := m; l > a && cmp(&p[l-1], &p[l]) > 0; l-- {
					p[l], p[l-1] = p[l-1], p[l]
				}
			}
			return
		}
		pivot(p, a, n, cmp)
		pa, pb, pc, pd := partition(p, a, n, cmp)
		pn := a + n
		r := min(pa-a, pb-pa)
		vecswap(p, a, pb-r, r)
		r = min(pd-pc, pn-pd-1)
		vecswap(p, pb, pn-r, r)
		if r = pb - pa; r > 1 && !(hi < a || lo >= a+r) {
			pqsort(p, a, r, cmp, lo, hi)
		}
		r = pd - pc
		if r <= 1 {
			return
		}
		a, n = pn-r, r
		if hi < a || lo >= a+n {
			return
		}
	}
}

// pivot moves the median (of three, or of three medians of three) to a.
func pivot(p []point, a, n int, cmp func(x, y *point) int) {
	m := a + n/2
	if n > 7 {
		l, r := a, a+n-1
		if n > 40 {
			d := n / 8
			l = med3(p, l, l+d, l+2*d, cmp)
			m = med3(p, m-d, m, m+d, cmp)
			r = med3(p, r-2*d, r-d, r, cmp)
		}
		m = med3(p, l, m, r, cmp)
	}
	p[a], p[m] = p[m], p[a]
}

// partition is Bentley-McIlroy's three-way split around the pivot at a:
// equal items gather at both ends ([a+1, pa) and (pd, a+n)), smaller ones
// in [pa, pb), larger ones in (pc, pd].
func partition(p []point, a, n int, cmp func(x, y *point) int) (pa, pb, pc, pd int) {
	pa, pb = a+1, a+1
	pc, pd = a+n-1, a+n-1
	for {
		for pb <= pc {
			r := cmp(&p[pb], &p[a])
			if r > 0 {
				break
			}
			if r == 0 {
				p[pa], p[pb] = p[pb], p[pa]
				pa++
			}
			pb++
		}
		for pb <= pc {
			r := cmp(&p[pc], &p[a])
			if r < 0 {
				break
			}
			if r == 0 {
				p[pc], p[pd] = p[pd], p[pc]
				pd--
			}
			pc--
		}
		if pb > pc {
			return pa, pb, pc, pd
		}
		p[pb], p[pc] = p[pc], p[pb]
		pb++
		pc--
	}
}

func med3(p []point, a, b, c int, cmp func(x, y *point) int) int {
	if cmp(&p[a], &p[b]) < 0 {
		switch {
		case cmp(&p[b], &p[c]) < 0:
			return b
		case cmp(&p[a], &p[c]) < 0:
			return c
		}
		return a
	}
	switch {
	case cmp(&p[b], &p[c]) > 0:
		return b
	case cmp(&p[a], &p[c]) < 0:
		return a
	}
	return c
}

// vecswap swaps the n points from i with the n points from j.
func vecswap(p []point, i, j, n int) {
	for k := 0; k < n; k++ {
		p[i+k], p[j+k] = p[j+k], p[i+k]
	}
}
