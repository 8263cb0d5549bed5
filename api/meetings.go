package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/voice"
)

// MeetingBody records a meeting.
type MeetingBody struct {
	Title        string   `json:"title" minLength:"1" maxLength:"300"`
	Date         string   `json:"date" doc:"YYYY-MM-DD; relative deadlines in the transcript resolve from it."`
	Participants []string `json:"participants,omitempty" doc:"Employee ids; speakers the directory recognises are added."`
	Transcript   string   `json:"transcript" minLength:"1" doc:"\"speaker: text\" lines, WebVTT or SubRip."`
	Format       string   `json:"format,omitempty" enum:"text,vtt,srt," doc:"The transcript's format; detected when empty."`
}

// meetingRoutes registers the meetings operations.
func (s *server) meetingRoutes(a huma.API) {
	tags := []string{"meetings"}
	svc := meeting.NewService(s.st, s.opts.MeetingSummarizer)
	register(s, a, huma.Operation{OperationID: "create-meeting", Method: http.MethodPost, Path: "/v1/meetings",
		Summary: "Record a meeting and summarise its transcript", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "Stores the meeting with its transcript (normalised to \"speaker: text\" lines) and its summary: key points, " +
			"decisions and action items with owners resolved to employees and due dates resolved from the meeting date. " +
			"Participants, the organizer (the caller), administrators and auditors may read it."},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body MeetingBody }) (*out[domain.Meeting], error) {
			m, err := svc.Record(ctx, actor, meeting.Record{Title: in.Body.Title, Date: in.Body.Date, Participants: in.Body.Participants,
				Transcript: in.Body.Transcript, Format: in.Body.Format})
			if err != nil {
				return nil, err
			}
			return reply(m)
		})
	type listMeetings struct {
		PageParams
		Participant string `query:"participant" doc:"Meetings this employee took part in."`
		From        string `query:"from" doc:"Earliest date, YYYY-MM-DD."`
		To          string `query:"to" doc:"Latest date, YYYY-MM-DD."`
	}
	register(s, a, huma.Operation{OperationID: "list-meetings", Method: http.MethodGet, Path: "/v1/meetings",
		Summary: "List visible meetings, most recent first (without transcripts)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listMeetings) (*out[Page[domain.Meeting]], error) {
			items, err := s.st.ListMeetings(ctx, actor, domain.MeetingFilter{Participant: in.Participant, From: in.From, To: in.To,
				After: in.After, Limit: in.limit() + 1})
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(m domain.Meeting) string { return m.ID }))
		})
	register(s, a, huma.Operation{OperationID: "get-meeting", Method: http.MethodGet, Path: "/v1/meetings/{id}",
		Summary: "Get a meeting with its transcript and summary", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.Meeting], error) {
			m, err := s.st.Meeting(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(m)
		})
	register(s, a, huma.Operation{OperationID: "summarize-meeting", Method: http.MethodPost, Path: "/v1/meetings/{id}/summarize",
		Summary: "Summarise a meeting again (organizer or administrator)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.Meeting], error) {
			m, err := svc.Resummarize(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(m)
		})
}

// RecordingUpload is the multipart form of POST /v1/meetings/recordings.
type RecordingUpload struct {
	Audio        huma.FormFile `form:"audio" contentType:"audio/wav,audio/x-wav,audio/mpeg,audio/mp4,audio/x-m4a,audio/ogg,audio/webm,video/webm,application/octet-stream" required:"true" doc:"The recording: WAV, MP3, M4A, OGG/Opus or WebM, up to an hour."`
	Title        string        `form:"title" required:"true" maxLength:"300"`
	Date         string        `form:"date" required:"true" doc:"YYYY-MM-DD; relative deadlines resolve from it."`
	Participants string        `form:"participants" required:"false" doc:"Employee ids, separated by commas."`
	Lang         string        `form:"lang" required:"false" enum:"en,zh,yue," doc:"Language hint; empty to detect."`
}

// recordingRoutes registers meetings from recordings: the upload is stored
// and a job transcribes it (window by window, through the voice path) and
// records the meeting with its summary; the recording shows the job's
// status and then the meeting it became.
func (s *server) recordingRoutes(a huma.API) {
	tags := []string{"meetings"}
	register(s, a, huma.Operation{OperationID: "upload-meeting-recording", Method: http.MethodPost, Path: "/v1/meetings/recordings", Tags: tags,
		// The recording's own limit, plus room for the multipart framing.
		MaxBodyBytes:  max(s.opts.MaxUpload, voice.RecordingLimits().MaxBytes+1<<20),
		Summary:       "Record a meeting from its audio",
		Description:   "Stores the recording and queues its transcription; poll GET /v1/meetings/recordings/{id} until status is done (meeting_id set) or failed (error).",
		DefaultStatus: http.StatusAccepted},
		func(ctx context.Context, actor domain.Actor, in *struct {
			RawBody huma.MultipartFormFiles[RecordingUpload]
		}) (*out[postgres.Recording], error) {
			form := in.RawBody.Data()
			data, err := readUpload(form.Audio, "audio", "a recording", voice.RecordingLimits().MaxBytes)
			if err != nil {
				return nil, err
			}
			var ps []string
			for _, p := range strings.Split(form.Participants, ",") {
				if p = strings.TrimSpace(p); p != "" {
					ps = append(ps, p)
				}
			}
			r, err := s.st.UploadRecording(ctx, actor, postgres.RecordingInput{Title: form.Title, Date: form.Date, Participants: ps, Lang: form.Lang}, data)
			if err != nil {
				return nil, err
			}
			return reply(r)
		})
	register(s, a, huma.Operation{OperationID: "get-meeting-recording", Method: http.MethodGet, Path: "/v1/meetings/recordings/{id}", Tags: tags,
		Summary: "A meeting recording's transcription status"},
		func(ctx context.Context, actor domain.Actor, in *struct {
			ID string `path:"id" maxLength:"64"`
		}) (*out[postgres.Recording], error) {
			r, err := s.st.GetRecording(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(r)
		})
}
