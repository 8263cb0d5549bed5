// Package voice turns a spoken request into text: it checks an uploaded
// recording (format by content, size, duration, decodability) and
// transcribes it, through an OpenAI-compatible /v1/audio/transcriptions
// server (Whisper, whisper.cpp server, faster-whisper) when one is
// configured, else through the offline pocketsphinx recogniser for English.
// What happens with the text (chat, proposals) is the caller's business.
package voice

import (
	"context"
	"fmt"
	"strings"

	"github.com/banlihq/banli/domain"
)

// Lang is a language hint for recognition, and the language a recogniser
// reports. The zero value means "detect it".
type Lang string

// The languages banli's users speak.
const (
	LangAuto      Lang = ""
	LangEnglish   Lang = "en"
	LangChinese   Lang = "zh"  // Mandarin (Putonghua)
	LangCantonese Lang = "yue" // Cantonese
)

// ParseLang reads a language hint as a client sends it: en, zh, yue, the
// BCP 47 tags banli uses elsewhere (zh-Hant, zh-Hans, en-GB) or auto/empty.
// Spoken Hong Kong Chinese (zh-HK) is Cantonese.
func ParseLang(s string) (Lang, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch {
	case t == "" || t == "auto":
		return LangAuto, nil
	case t == "en" || strings.HasPrefix(t, "en-") || t == "english":
		return LangEnglish, nil
	case t == "yue" || t == "zh-hk" || t == "zh-yue" || strings.HasPrefix(t, "yue-") || t == "cantonese":
		return LangCantonese, nil
	case t == "zh" || t == "cmn" || strings.HasPrefix(t, "zh-") || t == "chinese" || t == "mandarin":
		return LangChinese, nil
	}
	return "", domain.Invalid("lang", "unknown language hint %q: use en, zh or yue, or leave it empty to detect", s)
}

// Transcript is what a recogniser heard.
type Transcript struct {
	// Text is the recognised speech, ready for the chat service.
	Text string `json:"text"`
	// Lang is the language the recogniser reports, else the hint it was
	// given; empty when neither is known.
	Lang Lang `json:"lang,omitempty"`
}

// Transcriber turns checked audio into text.
type Transcriber interface {
	// Transcribe recognises a; hint is the expected language (LangAuto to
	// detect). Errors carry domain codes: EInvalid for audio the recogniser
	// rejects, EUnavailable when it is not configured or does not answer.
	Transcribe(ctx context.Context, a Audio, hint Lang) (Transcript, error)
	// String names the recogniser for logs.
	String() string
}

// Service checks uploads and transcribes them: the one entry point for
// POST /v1/voice and `banli chat --audio`.
type Service struct {
	Limits      Limits
	Transcriber Transcriber
}

// Transcribe checks data against the limits (see Check), parses the
// language hint (see ParseLang) and transcribes. Every failure is a
// *domain.Error with a sentence for people: ETooLarge, EUnsupported,
// EInvalid (bad hint, undecodable or silent audio), EUnavailable (no
// recogniser, or the speech server failed).
func (s *Service) Transcribe(ctx context.Context, data []byte, lang string) (Transcript, error) {
	hint, err := ParseLang(lang)
	if err != nil {
		return Transcript{}, err
	}
	a, err := Check(ctx, data, s.Limits)
	if err != nil {
		return Transcript{}, err
	}
	t, err := s.Transcriber.Transcribe(ctx, a, hint)
	if err != nil {
		return Transcript{}, err
	}
	t.Text = strings.TrimSpace(t.Text)
	if t.Text == "" {
		return Transcript{}, domain.Invalid("audio", "no speech was recognised in the %s of audio; speak closer to the microphone or type the request", durString(a.Duration))
	}
	return t, nil
}

// String describes the service for a start-up log line.
func (s *Service) String() string {
	l := s.Limits.withDefaults()
	return fmt.Sprintf("speech recognition: %s; recordings up to %s and %s", s.Transcriber, durString(l.MaxDuration), sizeString(l.MaxBytes))
}
