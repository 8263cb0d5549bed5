package meeting

import (
	"context"
	"errors"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/voice"
)

// Recordings turns meeting recordings into meetings for the store's job
// (postgres.RecordingProcessor): transcription window by window through the
// voice service, then this service's summary and record. Meetings is set
// once the store it writes through exists.
type Recordings struct {
	Speech   *voice.Service
	Meetings *Service
}

// Check refuses what is not audio in an accepted format, or too large.
func (r *Recordings) Check(ctx context.Context, audio []byte) error {
	if int64(len(audio)) > voice.RecordingLimits().MaxBytes {
		return domain.Errorf(domain.ETooLarge, "the recording is larger than the limit of %d MiB", voice.RecordingLimits().MaxBytes>>20)
	}
	_, err := voice.Sniff(audio)
	return err
}

// Transcribe returns the recording's transcript as WebVTT, one cue per
// window with speech.
func (r *Recordings) Transcribe(ctx context.Context, audio []byte, lang string) (string, error) {
	segs, err := r.Speech.TranscribeRecording(ctx, audio, lang, voice.RecordingLimits(), nil)
	if err != nil {
		return "", err
	}
	return voice.WebVTT(segs), nil
}

// Record summarises and stores the meeting as actor.
func (r *Recordings) Record(ctx context.Context, actor domain.Actor, in domain.MeetingInput) (domain.Meeting, error) {
	if r.Meetings == nil {
		return domain.Meeting{}, errors.New("meeting recordings: no meeting service")
	}
	return r.Meetings.Record(ctx, actor, Record{Title: in.Title, Date: in.Date, Participants: in.Participants, Transcript: in.Transcript, Format: in.Format})
}
