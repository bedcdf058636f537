// Package fileio holds the file reading the parsers share.
package fileio

import "io"

// ReadSized reads r to the end into a buffer sized for the size its file was stat-ed at,
// plus the byte that lets the final read see EOF without growing it: io.ReadAll starts at
// 512 bytes and grows (and copies) several times for an ordinary file. A file that has
// grown since is still read whole; a negative size is taken as 0. The result is never
// nil, as io.ReadAll's is not, and holds what was read before an error.
func ReadSized(r io.Reader, size int64) ([]byte, error) {
	if size < 0 {
		size = 0
	}
	buf := make([]byte, 0, size+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
