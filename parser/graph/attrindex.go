package graph

import (
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
// So the records are stored by value in one slice, their keys end to end in a few byte
// slices, their files as indexes into a short list of distinct files and their positions
// as int32; the origins, unknown reasons and partial values the few others have are kept
// in a side list. A small open-addressing hash table over the records finds a key.
// Recording an attribute then costs no allocation of its own, only the amortized growth
// of those slices.
//
// Everything is built as attributes are recorded: looking up never changes the index, so
// concurrent look-ups are safe once the resource is built.
type attrIndex struct {
	// keys holds the keys of all entries, in entry order, end to end, in chunks: when a
	// key does not fit in the last chunk a new one is started rather than the last one
	// regrown, so that no key is ever copied again.
	keys    [][]byte
	entries []attrEntry
	// slots is the hash table: each slot holds 1 + the index of an entry, or 0 when
	// empty. Its length is a power of two and at least twice the number of entries, so
	// that probing always ends at an empty slot.
	slots []int32
	// files are the distinct files of the entries' ranges, usually only one.
	files []string
	// extras are the side records of the entries that have more than a Range.
	extras []attrExtra

	// The first entries, key chunk and hash table are part of the index, so that a
	// resource with few attributes takes one allocation.
	entries0 [4]attrEntry
	keys0    [4][]byte
	chunk0   [firstKeyChunk]byte
	slots0   [16]int32
}

func newAttrIndex() *attrIndex {
	x := &attrIndex{}
	x.entries = x.entries0[:0]
	x.keys = x.keys0[:0]
	x.slots = x.slots0[:]
	return x
}

// attrEntry is the record of one path.
type attrEntry struct {
	hash uint32
	// The entry's key is in keys[chunk] and ends at keyEnd; it starts where the
	// previous entry's ends when that is in the same chunk, else at 0. A chunk holds at
	// most maxKeyChunk bytes or one longer key, far below 4 GiB.
	chunk, keyEnd uint32
	// file is the index in files of Range.File.
	file uint32
	// extra is 1 + the index in extras of the entry's side record, or 0 when it has
	// none. A record that replaced one with a side record keeps it, possibly empty.
	extra      uint32
	start, end pos32
}

type pos32 struct{ line, col int32 }

// attrExtra holds what an entry records beyond a Range that fits its int32 fields.
type attrExtra struct {
	origins []Related
	unknown []string
	partial cty.Value
	// wide is the whole range when a position does not fit in an int32.
	wide *Range
}

// seed is the hash seed of every position index: the hashes are only compared among
// themselves in one process.
var seed = maphash.MakeSeed()

func hashKey(key []byte) uint32 {
	h := maphash.Bytes(seed, key)
	return uint32(h) ^ uint32(h>>32)
}

// key returns the key of entry i.
func (x *attrIndex) key(i int) []byte {
	e := &x.entries[i]
	start := uint32(0)
	if i > 0 && x.entries[i-1].chunk == e.chunk {
		start = x.entries[i-1].keyEnd
	}
	return x.keys[e.chunk][start:e.keyEnd]
}

// appendKey stores key after the last one and returns its chunk and where it ends.
func (x *attrIndex) appendKey(key []byte) (chunk, end uint32) {
	last := len(x.keys) - 1
	if last < 0 && len(key) <= len(x.chunk0) {
		x.keys = append(x.keys, x.chunk0[:0])
		last++
	} else if last < 0 || len(x.keys[last])+len(key) > cap(x.keys[last]) {
		// Chunks double up to a size where the waste at the end of the last one no
		// longer matters, so that small resources take little and large ones few.
		n := firstKeyChunk
		if last >= 0 {
			n = min(2*cap(x.keys[last]), maxKeyChunk)
		}
		x.keys = append(x.keys, make([]byte, 0, max(n, len(key))))
		last++
	}
	x.keys[last] = append(x.keys[last], key...)
	return uint32(last), uint32(len(x.keys[last]))
}

const (
	firstKeyChunk = 64
	maxKeyChunk   = 1024
)

// find returns the index of the entry of key, whose hash is h, or -1.
func (x *attrIndex) find(key []byte, h uint32) int {
	if len(x.slots) == 0 {
		return -1
	}
	mask := uint32(len(x.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		e := x.slots[s]
		if e == 0 {
			return -1
		}
		i := int(e - 1)
		if x.entries[i].hash == h && string(x.key(i)) == string(key) {
			return i
		}
	}
}

// lookup returns the index of the entry of key, or -1.
func (x *attrIndex) lookup(key []byte) int {
	if x == nil || len(x.entries) == 0 {
		return -1
	}
	return x.find(key, hashKey(key))
}

// set records info for key, replacing what was recorded for it before.
func (x *attrIndex) set(key []byte, info *AttrInfo) {
	h := hashKey(key)
	i := x.find(key, h)
	if i < 0 {
		if 2*(len(x.entries)+1) > len(x.slots) {
			x.grow()
		}
		i = len(x.entries)
		chunk, end := x.appendKey(key)
		x.entries = append(x.entries, attrEntry{hash: h, chunk: chunk, keyEnd: end})
		x.insert(h, i)
	}
	e := &x.entries[i]
	e.file = x.fileIndex(info.Range.File)
	start, sok := toPos32(info.Range.Start)
	end, eok := toPos32(info.Range.End)
	e.start, e.end = start, end
	var wide *Range
	if !sok || !eok {
		r := info.Range
		wide = &r
	}
	ex := attrExtra{origins: info.Origins, unknown: info.Unknown, partial: info.Partial, wide: wide}
	switch {
	case e.extra != 0:
		// The replaced record's side record is overwritten, even with nothing, so that
		// replacing a record never adds one.
		x.extras[e.extra-1] = ex
	case ex.origins != nil || ex.unknown != nil || ex.partial != cty.NilVal || ex.wide != nil:
		x.extras = append(x.extras, ex)
		e.extra = uint32(len(x.extras))
	}
}

// grow doubles the hash table (or makes the first one) and puts every entry back in it.
func (x *attrIndex) grow() {
	n := 2 * len(x.slots)
	if n == 0 {
		n = 16
	}
	x.slots = make([]int32, n)
	for i := range x.entries {
		x.insert(x.entries[i].hash, i)
	}
}

// insert puts entry i, whose hash is h, in the first empty slot of its probe sequence.
func (x *attrIndex) insert(h uint32, i int) {
	mask := uint32(len(x.slots) - 1)
	s := h & mask
	for x.slots[s] != 0 {
		s = (s + 1) & mask
	}
	x.slots[s] = int32(i + 1)
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

func toPos32(p Pos) (pos32, bool) {
	ok := p.Line >= math.MinInt32 && p.Line <= math.MaxInt32 && p.Column >= math.MinInt32 && p.Column <= math.MaxInt32
	if !ok {
		return pos32{}, false
	}
	return pos32{int32(p.Line), int32(p.Column)}, true
}

// rangeOf returns the Range of entry i.
func (x *attrIndex) rangeOf(i int) Range {
	e := &x.entries[i]
	if e.extra != 0 {
		if w := x.extras[e.extra-1].wide; w != nil {
			return *w
		}
	}
	return Range{
		File:  x.files[e.file],
		Start: Pos{Line: int(e.start.line), Column: int(e.start.col)},
		End:   Pos{Line: int(e.end.line), Column: int(e.end.col)},
	}
}

// extraOf returns the side record of entry i, or nil.
func (x *attrIndex) extraOf(i int) *attrExtra {
	if e := x.entries[i].extra; e != 0 {
		return &x.extras[e-1]
	}
	return nil
}

// info returns the whole record of entry i.
func (x *attrIndex) info(i int) AttrInfo {
	info := AttrInfo{Range: x.rangeOf(i)}
	if ex := x.extraOf(i); ex != nil {
		info.Origins, info.Unknown, info.Partial = ex.origins, ex.unknown, ex.partial
	}
	return info
}
