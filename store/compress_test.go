package store

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestCompressInterop checks that the raw-page bodies stay readable both
// ways: compress (klauspost/compress) is read by compress/gzip, which
// wrote the rows of earlier builds, and decompress reads compress/gzip's
// output at every level.
func TestCompressInterop(t *testing.T) {
	bodies := map[string][]byte{
		"empty": nil,
		"small": []byte("<html><body><p>hello</p></body></html>"),
		"page":  []byte(strings.Repeat("<li><a href=\"https://example.com/jobs/1\">Senior Go engineer</a> – €80,000</li>\n", 3000)),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			zipped, err := compress(body)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := stdgzip.NewReader(bytes.NewReader(zipped))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("compress/gzip read %d bytes of compress's output, want %d", len(got), len(body))
			}
			for _, level := range []int{stdgzip.BestSpeed, stdgzip.DefaultCompression, stdgzip.BestCompression} {
				var buf bytes.Buffer
				zw, err := stdgzip.NewWriterLevel(&buf, level)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := zw.Write(body); err != nil {
					t.Fatal(err)
				}
				if err := zw.Close(); err != nil {
					t.Fatal(err)
				}
				got, err := decompress("gzip", buf.Bytes(), int64(len(body)))
				if err != nil {
					t.Fatalf("level %d: %v", level, err)
				}
				if !bytes.Equal(got, body) {
					t.Fatalf("level %d: decompress read %d bytes, want %d", level, len(got), len(body))
				}
			}
		})
	}
}
