package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/domain"
)

// RecordingProcessor turns a meeting recording into a meeting. cmd wires it
// to the voice package (transcription) and the meeting package (summary).
type RecordingProcessor interface {
	// Check refuses what is not a recording this server can read, before
	// anything is stored.
	Check(ctx context.Context, audio []byte) error
	// Transcribe returns the recording's transcript as WebVTT.
	Transcribe(ctx context.Context, audio []byte, lang string) (string, error)
	// Record stores a meeting with its summary, as actor, through the
	// store's commands.
	Record(ctx context.Context, actor domain.Actor, in domain.MeetingInput) (domain.Meeting, error)
}

// Recording is an uploaded meeting recording and what became of it.
type Recording struct {
	ID           string    `json:"id"`
	UploadedBy   string    `json:"uploaded_by"`
	Title        string    `json:"title"`
	Date         string    `json:"date"`
	Participants []string  `json:"participants"`
	Lang         string    `json:"lang,omitempty"`
	Status       string    `json:"status" enum:"queued,processing,done,failed"`
	Error        string    `json:"error,omitempty"`
	MeetingID    string    `json:"meeting_id,omitempty" doc:"The meeting the recording became, once done."`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// RecordingInput describes a recording's meeting.
type RecordingInput struct {
	Title        string
	Date         string
	Participants []string
	Lang         string
}

type recordingArgs struct {
	TenantID    string `json:"tenant_id"`
	RecordingID string `json:"recording_id"`
}

func (recordingArgs) Kind() string { return "meeting_recording" }

// InsertOpts runs transcription on the OCR queue: both are long CPU work
// sized to the cores, and neither should hold up deadlines and webhooks.
func (recordingArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueOCR, MaxAttempts: 3}
}

type recordingWorker struct {
	river.WorkerDefaults[recordingArgs]
	s *Store
}

// Timeout bounds one transcription: an hour of audio offline.
func (w *recordingWorker) Timeout(*river.Job[recordingArgs]) time.Duration { return 30 * time.Minute }

func (w *recordingWorker) Work(ctx context.Context, job *river.Job[recordingArgs]) error {
	return w.s.processRecording(ctx, job.Args.TenantID, job.Args.RecordingID, job.Attempt >= job.MaxAttempts)
}

const recordingCols = `id, uploaded_by, title, to_char(date, 'YYYY-MM-DD'), participants, lang, status, error, coalesce(meeting_id, ''), created_at, updated_at`

func scanRecording(r pgx.Row) (Recording, error) {
	var x Recording
	err := r.Scan(&x.ID, &x.UploadedBy, &x.Title, &x.Date, &x.Participants, &x.Lang, &x.Status, &x.Error, &x.MeetingID, &x.CreatedAt, &x.UpdatedAt)
	return x, err
}

// UploadRecording stores a meeting recording and queues its transcription;
// the meeting is recorded (with the uploader as organiser) when the job is
// done. The recording is checked first; nothing is stored for one refused.
func (s *Store) UploadRecording(ctx context.Context, actor domain.Actor, in RecordingInput, audio []byte) (Recording, error) {
	var out Recording
	if s.recordings == nil {
		return out, domain.Errorf(domain.EUnavailable, "meeting recordings are not transcribed on this server")
	}
	if err := s.recordings.Check(ctx, audio); err != nil {
		return out, err
	}
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a recording is uploaded by an employee")
		}
		// The meeting's own rules, with a stand-in for the transcript to come.
		mi := domain.MeetingInput{Title: in.Title, Date: in.Date, Participants: in.Participants, Transcript: "-", Format: "text"}
		if err := domain.NormalizeMeeting(&mi, tx.loc); err != nil {
			return err
		}
		if _, err := ParseLangHint(in.Lang); err != nil {
			return err
		}
		var known int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM employees WHERE tenant_id = $1 AND id = ANY($2)`, tx.tenant.ID, mi.Participants).Scan(&known); err != nil {
			return fmt.Errorf("check participants: %w", err)
		}
		if known != len(mi.Participants) {
			return domain.Invalid("participants", "lists someone who is not in the directory")
		}
		out = Recording{ID: newID("rec"), UploadedBy: tx.me.ID, Title: mi.Title, Date: mi.Date, Participants: mi.Participants, Lang: in.Lang,
			Status: "queued", CreatedAt: tx.now, UpdatedAt: tx.now}
		if out.Participants == nil {
			out.Participants = []string{}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_recordings (tenant_id, id, uploaded_by, title, date, participants, lang, audio, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)`, tx.tenant.ID, out.ID, out.UploadedBy, out.Title, out.Date, out.Participants, out.Lang, audio, tx.now); err != nil {
			return fmt.Errorf("store recording: %w", err)
		}
		if _, err := tx.s.river.InsertTx(ctx, tx.Tx, recordingArgs{TenantID: tx.tenant.ID, RecordingID: out.ID}, nil); err != nil {
			return fmt.Errorf("queue transcription: %w", err)
		}
		tx.audit("recording.upload", "recording:"+out.ID, nil, map[string]any{"title": out.Title, "date": out.Date, "size": len(audio)})
		return nil
	})
	return out, err
}

// ParseLangHint accepts the language hints of recordings: en, zh, yue or
// empty (detect).
func ParseLangHint(s string) (string, error) {
	switch s {
	case "", "en", "zh", "yue":
		return s, nil
	}
	return "", domain.Invalid("lang", "must be en, zh or yue (or empty to detect)")
}

// GetRecording returns one of the actor's recordings (an administrator's
// or auditor's view of any).
func (s *Store) GetRecording(ctx context.Context, actor domain.Actor, id string) (Recording, error) {
	var out Recording
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, err = scanRecording(tx.QueryRow(ctx, `SELECT `+recordingCols+` FROM meeting_recordings WHERE tenant_id = $1 AND id = $2
			AND ($3 OR uploaded_by = $4)`, tx.tenant.ID, id, tx.actor.System || tx.me.HasRole(domain.RoleAdmin) || tx.me.HasRole(domain.RoleAuditor), tx.me.ID))
		return notFound(err, "recording", id)
	})
	return out, err
}

// processRecording transcribes a queued recording and records its meeting
// as the uploader. The meeting and the recording's new status commit
// together, so a retry after a crash cannot record the meeting twice. A
// recording that cannot be read fails at once; other errors are retried,
// and fail for good on the last attempt.
func (s *Store) processRecording(ctx context.Context, tenant, id string, last bool) error {
	sys := domain.Actor{TenantID: tenant, System: true, Via: domain.ViaJob}
	var rec Recording
	var audio []byte
	err := s.run(ctx, sys, func(tx *Tx) error {
		var err error
		rec, err = scanRecording(tx.QueryRow(ctx, `UPDATE meeting_recordings SET status = 'processing', updated_at = $3
			WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'processing') RETURNING `+recordingCols, tx.tenant.ID, id, tx.now))
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT audio FROM meeting_recordings WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id).Scan(&audio)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // done or failed already
	}
	if err != nil {
		return fmt.Errorf("load recording %s: %w", id, err)
	}
	fail := func(reason string) error {
		return s.run(ctx, sys, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE meeting_recordings SET status = 'failed', error = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2`,
				tx.tenant.ID, id, reason, tx.now); err != nil {
				return fmt.Errorf("record failure: %w", err)
			}
			tx.audit("recording.fail", "recording:"+id, nil, map[string]any{"error": reason})
			return nil
		})
	}
	retryOrFail := func(err error) error {
		var de *domain.Error
		if errors.As(err, &de) && de.Code != domain.EInternal && de.Code != domain.EUnavailable {
			return fail(de.Message)
		}
		if last {
			return fail(domain.ErrorMessage(err))
		}
		return err
	}
	vtt, err := s.recordings.Transcribe(ctx, audio, rec.Lang)
	if err != nil {
		return retryOrFail(err)
	}
	uploader := domain.Actor{TenantID: tenant, EmployeeID: rec.UploadedBy, Via: domain.ViaJob}
	err = s.Atomically(ctx, func(ctx context.Context) error {
		m, err := s.recordings.Record(ctx, uploader, domain.MeetingInput{Title: rec.Title, Date: rec.Date, Participants: rec.Participants, Transcript: vtt, Format: "vtt"})
		if err != nil {
			return err
		}
		return s.run(ctx, sys, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE meeting_recordings SET status = 'done', meeting_id = $3, error = '', updated_at = $4 WHERE tenant_id = $1 AND id = $2`,
				tx.tenant.ID, id, m.ID, tx.now); err != nil {
				return fmt.Errorf("finish recording: %w", err)
			}
			tx.audit("recording.done", "recording:"+id, nil, map[string]any{"meeting": m.ID})
			return nil
		})
	})
	if err != nil {
		return retryOrFail(err)
	}
	return nil
}
