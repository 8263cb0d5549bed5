package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/domain"
)

// VoiceUpload is the multipart form of POST /v1/voice.
type VoiceUpload struct {
	// The declared content type is not trusted: the format is sniffed.
	Audio          huma.FormFile `form:"audio" contentType:"audio/wav,audio/x-wav,audio/mpeg,audio/mp4,audio/x-m4a,audio/ogg,audio/webm,video/webm,application/octet-stream" required:"true" doc:"The recording: WAV, MP3, M4A, OGG/Opus or WebM, up to 2 minutes."`
	Lang           string        `form:"lang" required:"false" enum:"en,zh,yue," doc:"Language hint; empty to detect."`
	ConversationID string        `form:"conversation_id" required:"false" maxLength:"64" doc:"Continue this conversation; empty starts a new one."`
}

// VoiceReply is the transcript with the assistant's reply to it.
type VoiceReply struct {
	Transcript string      `json:"transcript"`
	Lang       string      `json:"lang,omitempty" doc:"The language the recogniser reported or was told."`
	Reply      agent.Reply `json:"reply"`
}

// voiceRoutes registers POST /v1/voice: speech in, exactly as chat after
// transcription, with the transcript returned so the user sees what was heard.
func (s *server) voiceRoutes(a huma.API) {
	register(s, a, huma.Operation{OperationID: "voice", Method: http.MethodPost, Path: "/v1/voice", Tags: []string{"assistant"}, MaxBodyBytes: s.voiceBodyLimit(),
		Summary: "Speak to the assistant",
		Description: "Transcribes the recording (an OpenAI-compatible speech server when BANLI_STT_BASE_URL is set, else the offline English recogniser), " +
			"then continues exactly as POST /v1/chat. Bad audio is 415 (not audio), 413 (too long or large) or 422 (damaged, silent); 503 says what to configure."},
		func(ctx context.Context, actor domain.Actor, in *struct {
			RawBody huma.MultipartFormFiles[VoiceUpload]
		}) (*out[VoiceReply], error) {
			if s.opts.Voice == nil {
				return nil, domain.Errorf(domain.EUnavailable, "speech recognition is not configured on this server: set BANLI_STT_BASE_URL to a Whisper-compatible server")
			}
			form := in.RawBody.Data()
			// One byte over the limit lets the voice check answer 413 itself.
			data, err := readUpload(form.Audio, "audio", "a recording", s.opts.Voice.Limits.MaxBytes+1)
			if err != nil {
				return nil, err
			}
			tr, err := s.opts.Voice.Transcribe(ctx, data, form.Lang)
			if err != nil {
				return nil, err
			}
			r, err := s.agent.Converse(ctx, actor, agent.Message{ConversationID: form.ConversationID, Text: tr.Text, Via: domain.ViaVoice})
			if err != nil {
				return nil, err
			}
			return reply(VoiceReply{Transcript: tr.Text, Lang: string(tr.Lang), Reply: r})
		})
}

// voiceBodyLimit is the recording's own limit plus room for the multipart
// framing; uploads are refused anyway (503) without a recogniser.
func (s *server) voiceBodyLimit() int64 {
	if s.opts.Voice == nil {
		return s.opts.MaxUpload
	}
	return max(s.opts.MaxUpload, s.opts.Voice.Limits.MaxBytes+1<<20)
}
