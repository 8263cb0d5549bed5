package voice

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/banlihq/banli/domain"
)

// RecordingLimits bound a meeting recording: longer and larger than a
// spoken request (an hour, 200 MiB by default), decoded with more time.
func RecordingLimits() Limits {
	return Limits{MaxBytes: 200 << 20, MaxDuration: time.Hour, MinDuration: time.Second, DecodeTimeout: 10 * time.Minute}
}

// recordingWindow is how much audio one recognition gets: short enough for
// any speech server's request limit and for pocketsphinx's search, long
// enough to hold sentences.
const recordingWindow = 30 * time.Second

// Segment is what was heard in one window of a recording.
type Segment struct {
	Start, End time.Duration
	Text       string
}

// TranscribeRecording transcribes a long recording (a meeting) window by
// window, reporting progress before the first window and after each;
// windows with no speech are left out. Errors are *domain.Error as for
// Transcribe; the recording is checked against lim.
func (s *Service) TranscribeRecording(ctx context.Context, data []byte, lang string, lim Limits, progress func(done, total int)) ([]Segment, error) {
	hint, err := ParseLang(lang)
	if err != nil {
		return nil, err
	}
	a, err := Check(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	step := int(recordingWindow.Seconds()) * sampleRate * 2
	total := (len(a.pcm) + step - 1) / step
	var out []Segment
	if progress != nil {
		progress(0, total)
	}
	for i := 0; i*step < len(a.pcm); i++ {
		pcm := a.pcm[i*step : min((i+1)*step, len(a.pcm))]
		d := time.Duration(len(pcm)/2) * time.Second / sampleRate
		start := time.Duration(i) * recordingWindow
		if d >= DefaultLimits().MinDuration {
			w := Audio{Data: append(wavHeader(len(pcm)), pcm...), Format: FormatWAV, Duration: d, pcm: pcm}
			t, err := s.Transcriber.Transcribe(ctx, w, hint)
			switch {
			case err != nil && domain.ErrorCode(err) == domain.EInvalid:
				// A window the recogniser rejects (silence, noise) holds no words.
			case err != nil:
				return nil, fmt.Errorf("voice: window at %s: %w", durString(start), err)
			case strings.TrimSpace(t.Text) != "":
				out = append(out, Segment{Start: start, End: start + d, Text: strings.TrimSpace(t.Text)})
			}
		}
		if progress != nil {
			progress(i+1, total)
		}
	}
	if len(out) == 0 {
		return nil, domain.Invalid("audio", "no speech was recognised in the %s of the recording", durString(a.Duration))
	}
	return out, nil
}

// WebVTT renders segments as a WebVTT transcript, the form meetings take;
// the speakers are unknown, so cues carry no voice tags.
func WebVTT(segs []Segment) string {
	var b strings.Builder
	b.WriteString("WEBVTT\n")
	for _, s := range segs {
		fmt.Fprintf(&b, "\n%s --> %s\n%s\n", vttTime(s.Start), vttTime(s.End), s.Text)
	}
	return b.String()
}

func vttTime(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
