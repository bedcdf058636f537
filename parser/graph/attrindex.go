package graph

import (
	"encoding/binary"
	"hash/maphash"
	"math"

	"github.com/zclconf/go-cty/cty"
)

// attrIndex is the position index of one resource: an AttrInfo for each recorded path,
// keyed by the path's rendering (Path.String).
//
// It is the largest structure a scan keeps alive, so it is laid out for size rather than
// as a map of records: almost every attribute has only a Range, in the resource's own
// file, and is looked up rarely (by checks reporting findings and a few parser passes).
// So each record is a few bytes in one byte slice: its key, front-coded against the key
// recorded before it (the paths of a resource are recorded in tree order, so a key
// mostly repeats the previous one's prefix), then its file as an index into a short list
// of distinct files and its positions as varints. The origins, unknown reasons and
// partial values the few others have are kept in side lists. An entry per record is
// where it starts; a small open-addressing hash table over the entries finds a key once
// there are more than a few. Recording an attribute then costs no allocation of its own,
// only the amortized growth of those slices.
//
// Everything is built as attributes are recorded: looking up never changes the index, so
// concurrent look-ups are safe once the resource is built.
type attrIndex struct {
	// data holds the records, laid out as described below.
	data []byte
	// entries are where the records start in data. A record never moves once written
	// (a replaced one may be written anew elsewhere), and data is far below 4 GiB (see
	// set).
	entries []uint32
	// slots is the hash table, nil while there are at most scanEntries entries: each
	// slot holds 1 + the index of an entry in the bits of mask (its length - 1) and the
	// other bits of the key's hash, which spare most key comparisons; 0 is an empty
	// slot. Its length is a power of two and at least 4/3 of the number of entries, so
	// that probing always ends at an empty slot and an index fits the mask. Probing
	// compares those bits alone, in one cache line for the most part, so the table is
	// kept that full.
	slots []uint32
	// files are the distinct files of the entries' ranges, usually only one.
	files []string
	// side holds what the entries that have more than a Range have, nil while none has.
	side *attrSide

	// The first entries, records and file are part of the index, so that a resource
	// with few attributes takes one allocation (of 352 bytes, a size class).
	entries0 [scanEntries]uint32
	files0   [1]string
	data0    [firstData]byte
}

const (
	// scanEntries is how many entries are found by comparing their keys one by one
	// rather than through a hash table: as quick (most differ in length or in their
	// last bytes), and the table would be larger than them.
	scanEntries = 8
	// restartEvery is how often a key is stored whole rather than front-coded, which
	// bounds the work of rebuilding a key to that many records.
	restartEvery = 16
	// firstData is the room for records inside the index (about 12 records). Measured
	// on the records of a generated 1k corpus with Go's slice growth, it is where the
	// bytes kept and allocated, and the allocations, are lowest: a smaller index
	// makes more resources outgrow it, a larger one is mostly empty.
	firstData = 200
)

func newAttrIndex() *attrIndex {
	x := &attrIndex{}
	x.entries = x.entries0[:0]
	x.files = x.files0[:0]
	x.data = x.data0[:0]
	return x
}

// A record is, in data:
//
//	uvarint shared    length of the prefix the key shares with the previous entry's
//	                  key (0 for every restartEvery-th entry)
//	uvarint n, n bytes the rest of the key
//	uvarint file<<3 | sides
//	                  the index in files of Range.File, and which of the side lists
//	                  hold something of the entry: a bit for each of origins,
//	                  unknown and partial (0 for most)
//	uvarint ×bits     the index in each of those lists, in that order
//	uvarint ×4        Start.Line, Start.Column, End.Line - Start.Line, End.Column,
//	                  as uint64 (a negative one, which no parser makes, takes 10
//	                  bytes)
//
// Replacing a record with one whose encoding has another length writes the new one at
// the end of data and leaves the old one unused (the parsers replace few: an origin
// added to every attribute of a resource, at most). When such a replacement would grow
// data and more than half of it is unused, the live records are rewritten instead (see
// compact), so data stays within a small multiple (4) of the live records.

// attrSide holds what entries record beyond a Range, a list per kind: an entry mostly has
// one kind, origins or unknown reasons, and rarely a partial value.
type attrSide struct {
	origins [][]Related
	unknown [][]string
	partial []cty.Value
}

// The bits of a record's sides.
const (
	hasOriginsBit = 1 << iota
	hasUnknownBit
	hasPartialBit
)

// attrExtra is what an entry records beyond a Range.
type attrExtra struct {
	origins []Related
	unknown []string
	partial cty.Value
}

// seed is the hash seed of every position index: the hashes are only compared among
// themselves in one process.
var seed = maphash.MakeSeed()

func hashKey(key []byte) uint32 {
	h := maphash.Bytes(seed, key)
	return uint32(h) ^ uint32(h>>32)
}

// keyPart returns the part of entry i's key its record holds: the length of the prefix
// it shares with entry i-1's key and the bytes after it; info is where the rest of the
// record starts.
func (x *attrIndex) keyPart(i int) (shared int, rest []byte, info int) {
	p := int(x.entries[i])
	s, n := binary.Uvarint(x.data[p:])
	p += n
	l, n := binary.Uvarint(x.data[p:])
	p += n
	return int(s), x.data[p : p+int(l)], p + int(l)
}

// keyIs reports whether entry i's key is key. It compares the stored parts from the end,
// each against the part of key it stands for, so that it needs no buffer.
func (x *attrIndex) keyIs(i int, key []byte) bool {
	shared, rest, _ := x.keyPart(i)
	if shared+len(rest) != len(key) || string(rest) != string(key[shared:]) {
		return false
	}
	// key[:limit] is what is left to compare, against the keys of the entries before.
	for j, limit := i-1, shared; limit > 0; j-- {
		shared, rest, _ := x.keyPart(j)
		if shared < limit {
			if string(rest[:limit-shared]) != string(key[shared:limit]) {
				return false
			}
			limit = shared
		}
	}
	return true
}

// commonPrefix returns the length of the prefix entry i's key shares with key. Like
// keyIs, it compares the stored parts from the end, each against the part of key it
// stands for: a mismatch in a part bounds the answer, and the parts before decide
// whether an earlier mismatch bounds it further.
func (x *attrIndex) commonPrefix(i int, key []byte) int {
	shared, rest, _ := x.keyPart(i)
	limit := min(shared, len(key))
	n := limit
	if len(key) > shared {
		n = shared + commonLen(rest, key[shared:])
	}
	// key[:limit] is what is left to compare, against the keys of the entries before.
	for j := i - 1; limit > 0; j-- {
		shared, rest, _ := x.keyPart(j)
		if shared < limit {
			if c := commonLen(rest[:limit-shared], key[shared:limit]); c < limit-shared {
				n = shared + c
			}
			limit = shared
		}
	}
	return n
}

// commonLen returns the length of the common prefix of a and b.
func commonLen(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// find returns the index of the entry of key, or -1, and the hash of key when there is
// a hash table.
func (x *attrIndex) find(key []byte) (int, uint32) {
	if x.slots == nil {
		for i := range x.entries {
			if x.keyIs(i, key) {
				return i, 0
			}
		}
		return -1, 0
	}
	h := hashKey(key)
	mask := uint32(len(x.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		e := x.slots[s]
		if e == 0 {
			return -1, h
		}
		if e&^mask == h&^mask && x.keyIs(int(e&mask-1), key) {
			return int(e&mask - 1), h
		}
	}
}

// lookup returns the index of the entry of key, or -1.
func (x *attrIndex) lookup(key []byte) int {
	if x == nil || len(x.entries) == 0 {
		return -1
	}
	i, _ := x.find(key)
	return i
}

// set records info for key, replacing what was recorded for it before.
func (x *attrIndex) set(key []byte, info *AttrInfo) {
	// A record's offset must fit its entry; no resource comes near, but a record that
	// does not fit is dropped rather than stored wrong.
	if uint64(len(x.data))+uint64(len(key))+8*binary.MaxVarintLen64 > math.MaxUint32 || len(x.entries) >= 1<<30 {
		return
	}
	i, h := x.find(key)
	var ri recordInfo
	if i >= 0 {
		_, _, p := x.keyPart(i)
		ri, _ = x.decodeInfo(p)
	}
	x.setSides(&ri, info)
	ri.file = x.fileIndex(info.Range.File)
	ri.r = info.Range

	if i >= 0 {
		x.replace(i, &ri)
		return
	}
	i = len(x.entries)
	shared := 0
	if i%restartEvery != 0 {
		shared = x.commonPrefix(i-1, key)
	}
	off := len(x.data)
	x.data = binary.AppendUvarint(x.data, uint64(shared))
	x.data = binary.AppendUvarint(x.data, uint64(len(key)-shared))
	x.data = append(x.data, key[shared:]...)
	x.data = appendInfo(x.data, &ri)
	x.entries = append(x.entries, uint32(off))
	switch {
	case len(x.entries) == scanEntries+1:
		x.grow()
	case x.slots != nil && 4*len(x.entries) > 3*len(x.slots):
		x.grow()
	case x.slots != nil:
		x.insert(h, i)
	}
}

// setSides puts what info has beyond a Range in the side lists and notes where in ri,
// which holds the sides of the record info replaces, if any. A kind the replaced record
// had keeps its place, overwritten even with nothing, so that replacing a record never
// adds to the lists.
func (x *attrIndex) setSides(ri *recordInfo, info *AttrInfo) {
	if ri.sides == 0 && info.Origins == nil && info.Unknown == nil && info.Partial == cty.NilVal {
		return
	}
	if x.side == nil {
		x.side = &attrSide{}
	}
	s := x.side
	switch {
	case ri.sides&hasOriginsBit != 0:
		s.origins[ri.at[0]] = info.Origins
	case info.Origins != nil:
		s.origins = append(s.origins, info.Origins)
		ri.sides |= hasOriginsBit
		ri.at[0] = uint32(len(s.origins) - 1)
	}
	switch {
	case ri.sides&hasUnknownBit != 0:
		s.unknown[ri.at[1]] = info.Unknown
	case info.Unknown != nil:
		s.unknown = append(s.unknown, info.Unknown)
		ri.sides |= hasUnknownBit
		ri.at[1] = uint32(len(s.unknown) - 1)
	}
	switch {
	case ri.sides&hasPartialBit != 0:
		s.partial[ri.at[2]] = info.Partial
	case info.Partial != cty.NilVal:
		s.partial = append(s.partial, info.Partial)
		ri.sides |= hasPartialBit
		ri.at[2] = uint32(len(s.partial) - 1)
	}
}

// replace rewrites the record of entry i with ri: in place when the new encoding has the
// length of the old one, else at the end of data.
func (x *attrIndex) replace(i int, ri *recordInfo) {
	var buf [8 * binary.MaxVarintLen64]byte
	enc := appendInfo(buf[:0], ri)
	_, _, info := x.keyPart(i)
	if _, end := x.decodeInfo(info); end-info == len(enc) {
		copy(x.data[info:], enc)
		return
	}
	start := int(x.entries[i])
	if need := info - start + len(enc); len(x.data)+need > cap(x.data) && x.compact() {
		start = int(x.entries[i])
		_, _, info = x.keyPart(i)
	}
	off := len(x.data)
	x.data = append(x.data, x.data[start:info]...)
	x.data = append(x.data, enc...)
	x.entries[i] = uint32(off)
}

// recordEnd returns where the record of entry i ends in data.
func (x *attrIndex) recordEnd(i int) int {
	_, _, info := x.keyPart(i)
	_, end := x.decodeInfo(info)
	return end
}

// compact rewrites the live records, in entry order, into a new data of the same
// capacity when more than half of data is records that were replaced, and reports
// whether it did. It is called only when a replacement is about to grow data, so that
// counting the live bytes costs amortized constant time per replacement, and the new
// data is no larger than the one growing would have made. Records are only written
// while the resource is built, before it is shared, so no reader sees them move.
func (x *attrIndex) compact() bool {
	live := 0
	for i := range x.entries {
		live += x.recordEnd(i) - int(x.entries[i])
	}
	if 2*live >= len(x.data) {
		return false
	}
	// A new slice rather than in place: a replaced entry's record lies after records
	// of later entries, which copying in entry order would overwrite.
	data := make([]byte, 0, cap(x.data))
	for i := range x.entries {
		start, end := int(x.entries[i]), x.recordEnd(i)
		x.entries[i] = uint32(len(data))
		data = append(data, x.data[start:end]...)
	}
	x.data = data
	return true
}

// appendInfo appends the part of a record after the key.
func appendInfo(dst []byte, ri *recordInfo) []byte {
	r := &ri.r
	dst = binary.AppendUvarint(dst, uint64(ri.file)<<3|uint64(ri.sides))
	for k, at := range ri.at {
		if ri.sides&(1<<k) != 0 {
			dst = binary.AppendUvarint(dst, uint64(at))
		}
	}
	dst = binary.AppendUvarint(dst, uint64(int64(r.Start.Line)))
	dst = binary.AppendUvarint(dst, uint64(int64(r.Start.Column)))
	dst = binary.AppendUvarint(dst, uint64(int64(r.End.Line)-int64(r.Start.Line)))
	dst = binary.AppendUvarint(dst, uint64(int64(r.End.Column)))
	return dst
}

// recordInfo is the part of a record after the key, decoded.
type recordInfo struct {
	file, sides uint32
	// at holds the index in each side list the record has a bit for in sides.
	at [3]uint32
	r  Range
}

// decodeInfo decodes the part of a record after the key, which starts at p, and returns
// it with where it ends.
func (x *attrIndex) decodeInfo(p int) (recordInfo, int) {
	var ri recordInfo
	v, n := binary.Uvarint(x.data[p:])
	p += n
	sides := v & 7
	ri.file, ri.sides = uint32(v>>3), uint32(sides)
	for k := range ri.at {
		if sides&(1<<k) != 0 {
			at, n := binary.Uvarint(x.data[p:])
			p += n
			ri.at[k] = uint32(at)
		}
	}
	var pos [4]int64
	for k := range pos {
		u, n := binary.Uvarint(x.data[p:])
		p += n
		pos[k] = int64(u)
	}
	ri.r.Start = Pos{Line: int(pos[0]), Column: int(pos[1])}
	ri.r.End = Pos{Line: int(pos[0] + pos[2]), Column: int(pos[3])}
	return ri, p
}

// grow doubles the hash table (or makes the first one) and puts every entry back in it.
// The keys are rebuilt in entry order, each from the one before, to hash them again.
func (x *attrIndex) grow() {
	n := 2 * len(x.slots)
	if n == 0 {
		n = 2 * scanEntries
	}
	x.slots = make([]uint32, n)
	var buf [maxStackKey]byte
	key := buf[:0]
	for i := range x.entries {
		shared, rest, _ := x.keyPart(i)
		key = append(key[:shared], rest...)
		x.insert(hashKey(key), i)
	}
}

// insert puts entry i, whose hash is h, in the first empty slot of its probe sequence.
func (x *attrIndex) insert(h uint32, i int) {
	mask := uint32(len(x.slots) - 1)
	s := h & mask
	for x.slots[s] != 0 {
		s = (s + 1) & mask
	}
	x.slots[s] = uint32(i+1) | h&^mask
}

// fileIndex returns the index of file in files, adding it when it is new. A resource's
// attributes are written in one file, or very few, so a scan is quickest.
func (x *attrIndex) fileIndex(file string) uint32 {
	for i, f := range x.files {
		if f == file {
			return uint32(i)
		}
	}
	x.files = append(x.files, file)
	return uint32(len(x.files) - 1)
}

// rangeOf returns the Range of entry i.
func (x *attrIndex) rangeOf(i int) Range {
	_, _, info := x.keyPart(i)
	ri, _ := x.decodeInfo(info)
	ri.r.File = x.files[ri.file]
	return ri.r
}

// extraOf returns what entry i records beyond its Range.
func (x *attrIndex) extraOf(i int) attrExtra {
	_, _, info := x.keyPart(i)
	ri, _ := x.decodeInfo(info)
	var ex attrExtra
	if ri.sides&hasOriginsBit != 0 {
		ex.origins = x.side.origins[ri.at[0]]
	}
	if ri.sides&hasUnknownBit != 0 {
		ex.unknown = x.side.unknown[ri.at[1]]
	}
	if ri.sides&hasPartialBit != 0 {
		ex.partial = x.side.partial[ri.at[2]]
	}
	return ex
}

// info returns the whole record of entry i.
func (x *attrIndex) info(i int) AttrInfo {
	ex := x.extraOf(i)
	return AttrInfo{Range: x.rangeOf(i), Origins: ex.origins, Unknown: ex.unknown, Partial: ex.partial}
}
