package loadtest

import (
	"os"
	"testing"
)

func TestProcess_ReadsOwnCPUAndMemory(t *testing.T) {
	x := 0
	for i := range 50_000_000 { // spend some CPU so it is measurable
		x += i
	}
	_ = x
	cpu, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if cpu < 0 {
		t.Errorf("CPU seconds = %v, want at least 0", cpu)
	}
	rss, err := processRSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if rss <= 0 {
		t.Errorf("RSS = %d, want more than 0", rss)
	}
	if _, err := processCPU(-1); err == nil {
		t.Error("processCPU(-1): got no error")
	}
}
