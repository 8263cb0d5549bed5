package voice

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
)

// TestCheckFormats checks that every accepted container is recognised by
// content and measured by decoding, whatever its headers say.
func TestCheckFormats(t *testing.T) {
	wav := speak(t, synth{"espeak-ng", "en-us"}, "create an urgent task to review the contract")
	ref, err := Check(context.Background(), wav, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Format != FormatWAV || ref.Duration < time.Second || ref.Duration > 5*time.Second {
		t.Fatalf("reference: %s of %s", ref.Duration, ref.Format)
	}
	for _, f := range []Format{FormatWAV, FormatMP3, FormatM4A, FormatOGG, FormatWebM} {
		t.Run(string(f), func(t *testing.T) {
			data := encode(t, wav, f)
			a, err := Check(context.Background(), data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Format != f {
				t.Errorf("format %s, want %s", a.Format, f)
			}
			// Codecs pad the start (encoder delay), by tens of milliseconds.
			if d := math.Abs((a.Duration - ref.Duration).Seconds()); d > 0.1 {
				t.Errorf("duration %s, reference %s", a.Duration, ref.Duration)
			}
			if len(a.pcm) != int(a.Duration*sampleRate/time.Second)*2 {
				t.Errorf("%d bytes of samples for %s", len(a.pcm), a.Duration)
			}
		})
	}
	// Vorbis in Ogg is accepted as well as Opus.
	if a, err := Check(context.Background(), encode(t, wav, FormatOGG, "-c:a", "libvorbis"), Limits{}); err != nil || a.Format != FormatOGG {
		t.Errorf("ogg/vorbis: %v %v", a.Format, err)
	}
}

// TestCheckRejects checks that each kind of bad upload gets the right code
// and a message that says what is wrong.
func TestCheckRejects(t *testing.T) {
	wav := speak(t, synth{"espeak-ng", "en-us"}, "show me my pending approvals")
	corrupt := func(data []byte) []byte {
		b := append([]byte(nil), data...)
		for i := len(b) / 4; i < len(b); i++ {
			b[i] = b[i]*7 + 13
		}
		return b
	}
	mp3, m4a, ogg, webm := encode(t, wav, FormatMP3), encode(t, wav, FormatM4A), encode(t, wav, FormatOGG), encode(t, wav, FormatWebM)
	png := ffmpegMake(t, "png", "-f", "lavfi", "-i", "color=c=red:s=8x8", "-frames:v", "1")
	cases := []struct {
		name  string
		data  []byte
		lim   Limits
		code  domain.Code
		words []string
	}{
		{"empty", nil, Limits{}, domain.EInvalid, []string{"empty"}},
		{"text", []byte("book a meeting room tomorrow at three"), Limits{}, domain.EUnsupported, []string{"text/plain", accepted}},
		{"png image", png, Limits{}, domain.EUnsupported, []string{"image/png"}},
		{"flac", ffmpegMake(t, "flac", "-f", "lavfi", "-i", "sine=d=1"), Limits{}, domain.EUnsupported, []string{"FLAC"}},
		{"ogg flac", ffmpegMake(t, "oga", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "flac"), Limits{}, domain.EUnsupported, []string{"neither Opus nor Vorbis"}},
		{"matroska", ffmpegMake(t, "mka", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "libopus"), Limits{}, domain.EUnsupported, []string{"Matroska"}},
		{"too big", wav, Limits{MaxBytes: 1000}, domain.ETooLarge, []string{"limit is 1000 bytes"}},
		{"too long", wav, Limits{MaxDuration: time.Second}, domain.ETooLarge, []string{"limit of 1.0 s"}},
		{"too short", ffmpegMake(t, "wav", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0.1"), Limits{}, domain.EInvalid, []string{"only 0.1 s"}},
		{"header only", wav[:44], Limits{}, domain.EInvalid, []string{"no sound"}},
		{"video only webm", ffmpegMake(t, "webm", "-f", "lavfi", "-i", "color=c=blue:s=32x32:d=1", "-c:v", "libvpx"), Limits{}, domain.EInvalid, []string{"no audio track"}},
		{"corrupt mp3", corrupt(mp3), Limits{}, domain.EInvalid, []string{"MP3", "damaged"}},
		{"corrupt m4a", corrupt(m4a), Limits{}, domain.EInvalid, []string{"M4A", "damaged"}},
		{"corrupt ogg", corrupt(ogg), Limits{}, domain.EInvalid, []string{"Ogg", "damaged"}},
		{"corrupt webm", corrupt(webm), Limits{}, domain.EInvalid, []string{"WebM", "damaged"}},
		{"truncated m4a", m4a[:len(m4a)/3], Limits{}, domain.EInvalid, []string{"M4A"}},
		{"truncated ogg", ogg[:200], Limits{}, domain.EInvalid, []string{"Ogg"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Check(context.Background(), c.data, c.lim)
			if err == nil {
				t.Fatalf("accepted as %s of %s", a.Duration, a.Format)
			}
			wantCode(t, err, c.code, c.words...)
			if strings.Contains(err.Error(), "banli-voice-") || strings.Contains(err.Error(), " @ 0x") {
				t.Errorf("message leaks server details: %q", err)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	cases := []struct {
		name string
		head string
		want Format
	}{
		{"wav", "RIFF\x24\x00\x00\x00WAVEfmt ", FormatWAV},
		{"mp3 id3", "ID3\x04\x00\x00\x00\x00\x00\x00", FormatMP3},
		{"mp3 frame", "\xff\xfb\x90\x64\x00\x00\x00\x00", FormatMP3},
		{"m4a", "\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", FormatM4A},
		{"mp4 isom", "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", FormatM4A},
		{"ogg opus", "OggS\x00\x02" + strings.Repeat("\x00", 22) + "OpusHead\x01\x01", FormatOGG},
		{"ogg vorbis", "OggS\x00\x02" + strings.Repeat("\x00", 22) + "\x01vorbis\x00\x00", FormatOGG},
		{"webm", "\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm", FormatWebM},
		{"adts aac", "\xff\xf1\x50\x80\x02\x1f\xfc", ""},
		{"reserved mpeg version", "\xff\xeb\x90\x64", ""},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", ""},
		{"short", "RIF", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Sniff([]byte(c.head))
			if got != c.want {
				t.Errorf("Sniff = %q, want %q (err %v)", got, c.want, err)
			}
			if c.want == "" {
				wantCode(t, err, domain.EUnsupported, accepted)
			}
		})
	}
}
