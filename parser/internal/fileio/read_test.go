package fileio

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadSizedReadsEverythingWhateverTheStatedSize(t *testing.T) {
	text := strings.Repeat("resource \"x\" \"y\" {}\n", 100)
	for _, size := range []int64{-1, 0, 1, int64(len(text)) - 1, int64(len(text)), int64(len(text)) + 10} {
		got, err := ReadSized(iotest.HalfReader(strings.NewReader(text)), size)
		if err != nil || string(got) != text {
			t.Errorf("size %d: got %d bytes, %v; want the whole text", size, len(got), err)
		}
	}
}

func TestReadSizedNeverGrowsForTheStatedSize(t *testing.T) {
	text := strings.Repeat("a", 4096)
	got, err := ReadSized(strings.NewReader(text), int64(len(text)))
	if err != nil || cap(got) != len(text)+1 {
		t.Errorf("got cap %d, %v; want one buffer of size+1 (%d)", cap(got), err, len(text)+1)
	}
}

func TestReadSizedReturnsAnEmptyBufferAndTheError(t *testing.T) {
	boom := errors.New("boom")
	got, err := ReadSized(io.MultiReader(bytes.NewReader([]byte("ab")), iotest.ErrReader(boom)), 10)
	if !errors.Is(err, boom) || string(got) != "ab" {
		t.Errorf("got %q, %v; want what was read and the error", got, err)
	}
	got, err = ReadSized(strings.NewReader(""), 0)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty input: got %#v, %v; want an empty, non-nil buffer", got, err)
	}
}
