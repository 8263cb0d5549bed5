package voice

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/banlihq/banli/domain"
)

// Format is an accepted audio container, named by its usual file extension.
type Format string

// The accepted formats: what browsers' MediaRecorder (WebM, OGG/Opus, M4A),
// phones (M4A) and desktop recorders (WAV, MP3) produce.
const (
	FormatWAV  Format = "wav"
	FormatMP3  Format = "mp3"
	FormatM4A  Format = "m4a"
	FormatOGG  Format = "ogg" // Ogg with Opus (or Vorbis)
	FormatWebM Format = "webm"
)

// name is how messages spell the format.
func (f Format) name() string {
	switch f {
	case FormatOGG:
		return "Ogg"
	case FormatWebM:
		return "WebM"
	}
	return strings.ToUpper(string(f))
}

// accepted is named in every unsupported-format message.
const accepted = "WAV, MP3, M4A, OGG/Opus or WebM"

// Limits bound what Check accepts.
type Limits struct {
	// MaxBytes is the largest upload (default 25 MiB, what hosted Whisper
	// takes in one request).
	MaxBytes int64
	// MaxDuration is the longest recording (default 2 minutes: a spoken
	// request, not a meeting).
	MaxDuration time.Duration
	// MinDuration is the shortest (default 300 ms); shorter is a slip of
	// the record button.
	MinDuration time.Duration
	// DecodeTimeout bounds decoding with ffmpeg (default 30 s).
	DecodeTimeout time.Duration
}

// DefaultLimits returns the limits used when a field is zero.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 25 << 20, MaxDuration: 2 * time.Minute, MinDuration: 300 * time.Millisecond, DecodeTimeout: 30 * time.Second}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxDuration <= 0 {
		l.MaxDuration = d.MaxDuration
	}
	if l.MinDuration <= 0 {
		l.MinDuration = d.MinDuration
	}
	if l.DecodeTimeout <= 0 {
		l.DecodeTimeout = d.DecodeTimeout
	}
	return l
}

// Audio is a checked recording. Only Check makes one.
type Audio struct {
	// Data is the upload as received.
	Data []byte
	// Format is the container found by its content.
	Format Format
	// Duration is the decoded length of the first audio stream.
	Duration time.Duration
	// pcm is the audio decoded to 16 kHz mono signed 16-bit little-endian
	// samples: what the recognisers are given.
	pcm []byte
}

// sampleRate is the rate Check decodes to: what pocketsphinx's en-us model
// was trained on, and enough for speech.
const sampleRate = 16000

// Check validates an upload: its format by content (the client's
// Content-Type is not trusted), its size, and, by decoding it with ffmpeg,
// that it is sound of an acceptable length. Errors are *domain.Error:
// ETooLarge (size or duration), EUnsupported (not one of the accepted
// formats), EInvalid (empty, corrupt, no audio track, too short), and
// EUnavailable when ffmpeg is missing.
//
// Decoding rather than reading durations from headers is deliberate: the
// WebM that browsers record carries no duration, MP3 headers only estimate
// it, and a truncated or corrupt file is only found by decoding it. The cost
// is small (a minute of Opus takes ffmpeg about 0.13 s of CPU), and the
// recognisers are given the samples.
func Check(ctx context.Context, data []byte, lim Limits) (Audio, error) {
	lim = lim.withDefaults()
	if len(data) == 0 {
		return Audio{}, domain.Invalid("audio", "the upload is empty: send a recording ("+accepted+")")
	}
	if int64(len(data)) > lim.MaxBytes {
		return Audio{}, domain.Errorf(domain.ETooLarge, "the recording is %s; the limit is %s", sizeString(int64(len(data))), sizeString(lim.MaxBytes))
	}
	f, err := Sniff(data)
	if err != nil {
		return Audio{}, err
	}
	pcm, err := decode(ctx, data, f, lim)
	if err != nil {
		return Audio{}, err
	}
	d := time.Duration(len(pcm)/2) * time.Second / sampleRate
	switch {
	case d > lim.MaxDuration:
		return Audio{}, domain.Errorf(domain.ETooLarge, "the recording is longer than the limit of %s", durString(lim.MaxDuration))
	case len(pcm) == 0:
		return Audio{}, domain.Invalid("audio", "the %s file holds no sound", f.name())
	case d < lim.MinDuration:
		return Audio{}, domain.Invalid("audio", "the recording lasts only %s; speak for at least %s", durString(d), durString(lim.MinDuration))
	}
	return Audio{Data: data, Format: f, Duration: d, pcm: pcm}, nil
}

// Sniff names the container of data by its first bytes, or returns an
// EUnsupported error that says what the data looks like instead.
func Sniff(data []byte) (Format, error) {
	b := data
	switch {
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return FormatWAV, nil
	case len(b) >= 3 && string(b[0:3]) == "ID3", mp3Frame(b):
		return FormatMP3, nil
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return FormatM4A, nil
	case len(b) >= 4 && string(b[0:4]) == "OggS":
		// The first page of an Ogg stream holds the codec's identification
		// header at byte 28.
		switch {
		case len(b) >= 36 && string(b[28:36]) == "OpusHead", len(b) >= 35 && string(b[28:35]) == "\x01vorbis":
			return FormatOGG, nil
		}
		return "", domain.Errorf(domain.EUnsupported, "the Ogg file holds neither Opus nor Vorbis audio; send "+accepted)
	case len(b) >= 4 && string(b[0:4]) == "\x1a\x45\xdf\xa3":
		// EBML: WebM and Matroska differ by the DocType near the start.
		head := b[:min(len(b), 64)]
		if bytes.Contains(head, []byte("webm")) {
			return FormatWebM, nil
		}
		return "", domain.Errorf(domain.EUnsupported, "Matroska files are not accepted; send "+accepted)
	}
	return "", domain.Errorf(domain.EUnsupported, "the upload is not audio in a supported format (it looks like %s); send %s", lookslike(b), accepted)
}

// mp3Frame reports whether b starts with an MPEG audio frame header: an
// 11-bit sync, a valid version and layer (not ADTS AAC, whose layer bits are
// 00), and a valid bitrate and sample rate index.
func mp3Frame(b []byte) bool {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return false
	}
	version, layer := (b[1]>>3)&3, (b[1]>>1)&3
	bitrate, rate := b[2]>>4, (b[2]>>2)&3
	return version != 1 && layer != 0 && bitrate != 15 && rate != 3
}

// lookslike names the kind of a rejected upload for the error message.
func lookslike(b []byte) string {
	switch {
	case len(b) >= 4 && string(b[0:4]) == "fLaC":
		return "FLAC audio"
	case len(b) >= 6 && string(b[0:6]) == "#!AMR\n":
		return "AMR audio"
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xF6 == 0xF0:
		return "raw AAC (ADTS) audio"
	}
	ct := http.DetectContentType(b)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if ct == "application/octet-stream" {
		return "unknown binary data"
	}
	return ct
}

// decode runs ffmpeg to turn the first audio stream of data into 16 kHz mono
// 16-bit PCM, reading no further than just past the duration limit.
func decode(ctx context.Context, data []byte, f Format, lim Limits) ([]byte, error) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "audio cannot be decoded on this server: ffmpeg is not installed (apt-get install ffmpeg)")
	}
	// A file, not a pipe: MP4 files often keep their index at the end,
	// which ffmpeg can only reach by seeking.
	in, err := os.CreateTemp("", "banli-voice-*."+string(f))
	if err != nil {
		return nil, fmt.Errorf("voice: temporary file: %w", err)
	}
	defer os.Remove(in.Name())
	if _, err := in.Write(data); err != nil {
		in.Close()
		return nil, fmt.Errorf("voice: temporary file: %w", err)
	}
	if err := in.Close(); err != nil {
		return nil, fmt.Errorf("voice: temporary file: %w", err)
	}
	dctx, cancel := context.WithTimeout(ctx, lim.DecodeTimeout)
	defer cancel()
	limit := lim.MaxDuration + time.Second
	cmd := exec.CommandContext(dctx, ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
		"-i", in.Name(), "-map", "0:a:0", "-t", strconv.FormatFloat(limit.Seconds(), 'f', 3, 64),
		"-ac", "1", "-ar", strconv.Itoa(sampleRate), "-f", "s16le", "-")
	cmd.WaitDelay = time.Second
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("voice: decoding: %w", ctx.Err())
		}
		if dctx.Err() != nil {
			return nil, domain.Invalid("audio", "decoding the recording took longer than %s; it may be damaged", durString(lim.DecodeTimeout))
		}
		return nil, decodeError(f, stderr.String(), in.Name())
	}
	// ffmpeg skips what it cannot decode and says so: a damaged or
	// truncated upload would otherwise pass as a shorter recording.
	if strings.TrimSpace(stderr.String()) != "" {
		return nil, decodeError(f, stderr.String(), in.Name())
	}
	return out.Bytes(), nil
}

// decodeError turns ffmpeg's complaint into a sentence for the uploader,
// without the server's file names.
func decodeError(f Format, stderr, path string) error {
	msg := strings.TrimSpace(strings.ReplaceAll(stderr, path, "input"))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	// "[mp3float @ 0x55d0c0] Header missing": the bracket names ffmpeg's
	// decoder instance, noise to the uploader.
	if strings.HasPrefix(msg, "[") {
		if i := strings.Index(msg, "] "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	name := f.name()
	switch {
	case strings.Contains(stderr, "matches no streams"):
		return domain.Invalid("audio", "the %s file has no audio track", name)
	case msg == "":
		return domain.Invalid("audio", "the %s file could not be decoded; it may be damaged or cut short", name)
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return domain.Invalid("audio", "the %s file could not be decoded; it may be damaged or cut short (%s)", name, msg)
}

// durString prints d for people: "2 min", "45 s", "1.2 s".
func durString(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d >= 10*time.Second:
		return fmt.Sprintf("%.0f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// sizeString prints n bytes in the largest fitting unit.
func sizeString(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
