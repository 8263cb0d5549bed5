package ocr

import (
	"os"
	"sync"
	"testing"
)

// TestStartingEnginesLeavesStderrAlone starts engines with several clients,
// two at once: Tesseract's initialisation swaps stderr for /dev/null and
// back, and concurrent swaps once left the process's stderr at /dev/null.
func TestStartingEnginesLeavesStderrAlone(t *testing.T) {
	before, err := os.Readlink("/proc/self/fd/2")
	if err != nil {
		t.Skipf("cannot read fd 2: %v", err)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			eng, err := New(Config{Workers: 2})
			if err != nil {
				t.Error(err)
				return
			}
			eng.Close()
		})
	}
	wg.Wait()
	after, err := os.Readlink("/proc/self/fd/2")
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("stderr was %s before starting the engines and is %s after", before, after)
	}
}
