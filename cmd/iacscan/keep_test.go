package main

import (
	"slices"
	"testing"
)

func TestKeepReturnsTheSliceWhenAllAreKeptAndNilWhenNone(t *testing.T) {
	even := func(n *int) bool { return *n%2 == 0 }
	all := []int{2, 4, 6}
	if got := keep(all, even); &got[0] != &all[0] || !slices.Equal(got, all) {
		t.Errorf("all kept: got %v, want the same slice", got)
	}
	if got := keep([]int{1, 3}, even); got != nil {
		t.Errorf("none kept: got %#v, want nil", got)
	}
	if got := keep([]int{}, even); got != nil {
		t.Errorf("empty: got %#v, want nil", got)
	}
	in := []int{1, 2, 3, 4, 6, 7}
	if got := keep(in, even); !slices.Equal(got, []int{2, 4, 6}) {
		t.Errorf("some kept: got %v", got)
	}
	if !slices.Equal(in, []int{1, 2, 3, 4, 6, 7}) {
		t.Errorf("input changed: %v", in)
	}
	if got := keep([]int{2, 3, 4}, even); !slices.Equal(got, []int{2, 4}) {
		t.Errorf("dropped in the middle: got %v", got)
	}
}
