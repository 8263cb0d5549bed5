package voice

import (
	"testing"
	"time"
)

func TestWebVTT(t *testing.T) {
	tests := []struct {
		name string
		segs []Segment
		want string
	}{
		{"one cue", []Segment{{Start: 0, End: 30 * time.Second, Text: "show my tasks"}}, "WEBVTT\n\n00:00:00.000 --> 00:00:30.000\nshow my tasks\n"},
		{"past the hour", []Segment{{Start: time.Hour + 90*time.Second, End: time.Hour + 101500*time.Millisecond, Text: "bye"}}, "WEBVTT\n\n01:01:30.000 --> 01:01:41.500\nbye\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WebVTT(tt.segs); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTranscribeRecordingByWindows speaks two commands 40 s apart and checks
// that each lands in its own window with its start time.
func TestTranscribeRecordingByWindows(t *testing.T) {
	need(t, "flite", "ffmpeg")
	first := pcmOf(t, speak(t, synth{"flite", "slt"}, "show my tasks"))
	second := pcmOf(t, speak(t, synth{"flite", "slt"}, "book a meeting room tomorrow at three"))
	pcm := append(append(first, make([]byte, 40*sampleRate*2-len(first))...), second...)
	wav := append(wavHeader(len(pcm)), pcm...)
	s, err := FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	segs, err := s.TranscribeRecording(t.Context(), wav, "en", RecordingLimits(), func(done, total int) {
		calls++
		if total != 2 || done > total {
			t.Errorf("progress %d/%d", done, total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 3 || len(segs) != 2 || segs[0].Start != 0 || segs[1].Start != 30*time.Second {
		t.Fatalf("%d progress calls, segments %+v", calls, segs)
	}
}

// pcmOf decodes a WAV to the 16 kHz mono samples recognisers get.
func pcmOf(t *testing.T, wav []byte) []byte {
	t.Helper()
	a, err := Check(t.Context(), wav, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return a.pcm
}
