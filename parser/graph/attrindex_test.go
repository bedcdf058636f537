package graph

// appendKeyOf appends the key of entry i to dst, rebuilding it from the last entry whose
// key is stored whole. The index itself never needs a key back (keyIs and commonPrefix
// compare the stored parts in place), so only the tests rebuild one, to check the index
// against what was recorded.
func (x *attrIndex) appendKeyOf(dst []byte, i int) []byte {
	base := len(dst)
	for j := i - i%restartEvery; j <= i; j++ {
		shared, rest, _ := x.keyPart(j)
		dst = append(dst[:base+shared], rest...)
	}
	return dst
}
