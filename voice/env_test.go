package voice

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
)

func TestParseLang(t *testing.T) {
	cases := map[string]Lang{
		"": LangAuto, "auto": LangAuto, "en": LangEnglish, "en-GB": LangEnglish, "English": LangEnglish,
		"zh": LangChinese, "zh-Hant": LangChinese, "zh-Hans": LangChinese, "chinese": LangChinese,
		"yue": LangCantonese, "zh-HK": LangCantonese, "Cantonese": LangCantonese,
	}
	for in, want := range cases {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ParseLang("fr")
	wantCode(t, err, domain.EInvalid, `"fr"`, "en, zh or yue")
}

func TestFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}

	svc, err := FromEnv(env(EnvBaseURL, "http://127.0.0.1:8000/v1", EnvTimeout, "45s", EnvMaxSeconds, "30"))
	if err != nil {
		t.Fatal(err)
	}
	o, ok := svc.Transcriber.(*OpenAI)
	if !ok || o.cfg.Model != "whisper-1" || o.cfg.Timeout != 45*time.Second || o.cfg.ResponseFormat != "verbose_json" {
		t.Errorf("server transcriber: %#v", svc.Transcriber)
	}
	if svc.Limits.MaxDuration != 30*time.Second || svc.Limits.MaxBytes != 25<<20 {
		t.Errorf("limits %+v", svc.Limits)
	}

	need(t, "pocketsphinx_continuous")
	svc, err = FromEnv(env())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.Transcriber.(*Offline); !ok {
		t.Errorf("with no server and pocketsphinx installed: %s", svc.Transcriber)
	}

	for _, bad := range [][]string{
		{EnvBaseURL, "127.0.0.1:8000"},
		{EnvBaseURL, "http://x/v1", EnvTimeout, "soon"},
		{EnvBaseURL, "http://x/v1", EnvResponseFormat, "srt"},
		{EnvMaxSeconds, "-5"},
	} {
		if _, err := FromEnv(env(bad...)); err == nil || !strings.Contains(err.Error(), bad[len(bad)-2]) {
			t.Errorf("FromEnv(%q): %v; want an error naming %s", bad, err, bad[len(bad)-2])
		}
	}
}

// TestFromEnvWithoutRecogniser: with no server configured and no
// pocketsphinx on PATH, the service still starts and every request gets a
// sentence saying what to configure.
func TestFromEnvWithoutRecogniser(t *testing.T) {
	wav := speak(t, synth{"espeak-ng", "en-us"}, "show me my pending approvals")
	ffmpeg := mustLookPath(t, "ffmpeg")
	// A PATH with ffmpeg and no pocketsphinx.
	dir := t.TempDir()
	linkInto(t, dir, ffmpeg)
	t.Setenv("PATH", dir)
	svc, err := FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svc.String(), "pocketsphinx") {
		t.Errorf("String() = %q does not say what is missing", svc.String())
	}
	_, err = svc.Transcribe(context.Background(), wav, "")
	wantCode(t, err, domain.EUnavailable, EnvBaseURL, "Whisper", "pocketsphinx-en-us")
}
