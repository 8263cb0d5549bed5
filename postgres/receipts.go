package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

// ReceiptReader checks and reads receipt files. The store has no OCR of its
// own (Tesseract is cgo); cmd wires this to the ocr and receipt packages
// (scan.Reader). Input errors are domain errors (ETooLarge, EUnsupported,
// EInvalid for a corrupt file); any other error is taken as worth a retry.
type ReceiptReader interface {
	// Check validates a file before it is stored and returns its media type.
	Check(ctx context.Context, data []byte) (mime string, err error)
	// Read recognises a file and extracts its fields. currency is assumed
	// for a bare "$"; dayFirst reads 05/03/2026 as 5 March.
	Read(ctx context.Context, data []byte, currency string, dayFirst bool) (text string, scan domain.ReceiptScan, err error)
	// Workers is how many reads may run at once.
	Workers() int
}

// queueOCR is the River queue of OCR jobs, sized to the reader's workers so
// that CPU-bound recognitions do not crowd out approval deadlines and webhooks.
const queueOCR = "ocr"

// ocrAttempts bounds the runs of one OCR job; input errors are not retried.
const ocrAttempts = 3

// ocrArgs reads one uploaded receipt.
type ocrArgs struct {
	TenantID  string `json:"tenant_id"`
	ReceiptID string `json:"receipt_id"`
}

func (ocrArgs) Kind() string { return "ocr_receipt" }

// InsertOpts puts OCR jobs on their own queue with bounded retries.
func (ocrArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueOCR, MaxAttempts: ocrAttempts}
}

type ocrWorker struct {
	river.WorkerDefaults[ocrArgs]
	s *Store
}

// Timeout bounds one recognition (a 20-page scanned PDF at 300 dpi is the worst case).
func (w *ocrWorker) Timeout(*river.Job[ocrArgs]) time.Duration { return 5 * time.Minute }

// NextRetry retries within seconds (2 s, then 8 s): what fails transiently
// here is a busy or restarting engine, and the uploader is waiting.
func (w *ocrWorker) NextRetry(job *river.Job[ocrArgs]) time.Time {
	return time.Now().Add(time.Duration(2*job.Attempt*job.Attempt) * time.Second)
}

func (w *ocrWorker) Work(ctx context.Context, job *river.Job[ocrArgs]) error {
	return w.s.readReceipt(ctx, job.Args.TenantID, job.Args.ReceiptID, job.Attempt >= job.MaxAttempts)
}

const maxFilename = 200

// cleanFilename keeps the base name of an uploaded file, for display only.
func cleanFilename(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" || !utf8.ValidString(name) {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	for len(name) > maxFilename {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// UploadReceipt stores a receipt file for the actor and queues it for OCR in
// the same transaction. The file is checked first (format sniffed from the
// content, size, pixel count, corruption): a refused file stores nothing. An
// employee's second upload of the same file returns the first receipt with
// Duplicate set, and queues nothing.
func (s *Store) UploadReceipt(ctx context.Context, actor domain.Actor, filename string, data []byte) (domain.Receipt, error) {
	var out domain.Receipt
	if s.receipts == nil {
		return out, domain.Errorf(domain.EConflict, "receipt scanning is not available on this server")
	}
	if len(data) == 0 {
		return out, domain.Invalid("file", "the file is empty")
	}
	// Decoding is CPU work: done before the transaction, not inside it.
	mime, err := s.receipts.Check(ctx, data)
	if err != nil {
		return out, err
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	filename = cleanFilename(filename)
	err = s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a receipt is uploaded by an employee")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO receipt_files (tenant_id, sha256, mime, size, data) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
			tx.tenant.ID, digest, mime, len(data), data); err != nil {
			return fmt.Errorf("store receipt file: %w", err)
		}
		id := newID("rc")
		tag, err := tx.Exec(ctx, `INSERT INTO receipts (tenant_id, id, uploaded_by, sha256, filename, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$6)
			ON CONFLICT (tenant_id, uploaded_by, sha256) DO NOTHING`, tx.tenant.ID, id, tx.me.ID, digest, filename, tx.now)
		if err != nil {
			return fmt.Errorf("store receipt: %w", err)
		}
		if tag.RowsAffected() == 0 {
			// Uploaded before by this employee (perhaps concurrently): return that one.
			if err := tx.QueryRow(ctx, `SELECT id FROM receipts WHERE tenant_id = $1 AND uploaded_by = $2 AND sha256 = $3`,
				tx.tenant.ID, tx.me.ID, digest).Scan(&id); err != nil {
				return fmt.Errorf("find earlier upload: %w", err)
			}
			out, _, err = tx.receipt(ctx, id, false, false)
			out.Duplicate = true
			return err
		}
		if _, err := tx.s.river.InsertTx(ctx, tx.Tx, ocrArgs{TenantID: tx.tenant.ID, ReceiptID: id}, nil); err != nil {
			return fmt.Errorf("queue OCR: %w", err)
		}
		out = domain.Receipt{ID: id, UploadedBy: tx.me.ID, Filename: filename, SHA256: digest, MIME: mime, Size: len(data),
			Status: domain.ReceiptQueued, CreatedAt: tx.now}
		tx.audit("receipt.upload", "receipt:"+id, nil, map[string]any{"sha256": digest, "mime": mime, "size": len(data), "filename": filename})
		return nil
	})
	return out, err
}

const receiptColumns = `r.id, r.uploaded_by, r.filename, r.sha256, f.mime, f.size, r.status, r.error, r.attempts, r.extracted, r.corrections, r.created_at, r.processed_at`

func scanReceipt(row pgx.Row, withText bool) (domain.Receipt, error) {
	var r domain.Receipt
	dst := []any{&r.ID, &r.UploadedBy, &r.Filename, &r.SHA256, &r.MIME, &r.Size, &r.Status, &r.Error, &r.Attempts, &r.Extracted, &r.Corrections, &r.CreatedAt, &r.ProcessedAt}
	if withText {
		dst = append(dst, &r.Text)
	}
	if err := row.Scan(dst...); err != nil {
		return r, err
	}
	r.Effective()
	return r, nil
}

// receipt loads a receipt the actor may read: the uploader, their managers,
// finance, and the approvers of claims that use it. With forUpdate it locks
// the row and requires update rights (the uploader).
func (tx *Tx) receipt(ctx context.Context, id string, withText, forUpdate bool) (domain.Receipt, authz.Resource, error) {
	q := `SELECT ` + receiptColumns
	if withText {
		q += `, r.ocr_text`
	}
	q += ` FROM receipts r JOIN receipt_files f ON f.tenant_id = r.tenant_id AND f.sha256 = r.sha256 WHERE r.tenant_id = $1 AND r.id = $2`
	if forUpdate {
		q += ` FOR UPDATE OF r`
	}
	r, err := scanReceipt(tx.QueryRow(ctx, q, tx.tenant.ID, id), withText)
	if err := notFound(err, "receipt", id); err != nil {
		return r, authz.Resource{}, err
	}
	res, err := tx.receiptResource(ctx, r)
	if err != nil {
		return r, res, err
	}
	action := authz.Read
	if forUpdate {
		action = authz.Update
	}
	if !tx.allowed(authz.Read, res) {
		return r, res, domain.Errorf(domain.ENotFound, "no receipt %q", id)
	}
	if err := tx.can(action, res); err != nil {
		return r, res, err
	}
	return r, res, nil
}

func (tx *Tx) receiptResource(ctx context.Context, r domain.Receipt) (authz.Resource, error) {
	emp, err := tx.employee(ctx, r.UploadedBy)
	if err != nil {
		return authz.Resource{}, err
	}
	var approvers []string
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT x), '{}') FROM expense_items i
		JOIN approval_steps s ON s.tenant_id = i.tenant_id AND s.request_id = i.claim_id, unnest(s.approvers) x
		WHERE i.tenant_id = $1 AND i.receipt_id = $2`, tx.tenant.ID, r.ID).Scan(&approvers); err != nil {
		return authz.Resource{}, fmt.Errorf("receipt approvers: %w", err)
	}
	return authz.Resource{Type: authz.TypeReceipt, ID: r.ID, Owner: r.UploadedBy, OwnerPath: emp.ManagerPath, Approvers: approvers}, nil
}

// GetReceipt returns a receipt with its recognised text and status.
func (s *Store) GetReceipt(ctx context.Context, actor domain.Actor, id string) (domain.Receipt, error) {
	var out domain.Receipt
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, _, err = tx.receipt(ctx, id, true, false)
		return err
	})
	return out, err
}

// ReceiptFile returns a receipt's file and media type, for whoever may read the receipt.
func (s *Store) ReceiptFile(ctx context.Context, actor domain.Actor, id string) (string, []byte, error) {
	var mime string
	var data []byte
	err := s.run(ctx, actor, func(tx *Tx) error {
		r, _, err := tx.receipt(ctx, id, false, false)
		if err != nil {
			return err
		}
		mime = r.MIME
		return tx.QueryRow(ctx, `SELECT data FROM receipt_files WHERE tenant_id = $1 AND sha256 = $2`, tx.tenant.ID, r.SHA256).Scan(&data)
	})
	return mime, data, err
}

// ReceiptFilter narrows the actor's receipts.
type ReceiptFilter struct {
	Status string
	After  string // cursor: id of the last receipt of the previous page
	Limit  int
}

// ListReceipts lists the actor's own receipts, by id.
func (s *Store) ListReceipts(ctx context.Context, actor domain.Actor, f ReceiptFilter) ([]domain.Receipt, error) {
	var out []domain.Receipt
	err := s.run(ctx, actor, func(tx *Tx) error {
		if f.Limit <= 0 || f.Limit > 500 {
			f.Limit = 100
		}
		rows, err := tx.Query(ctx, `SELECT `+receiptColumns+` FROM receipts r JOIN receipt_files f ON f.tenant_id = r.tenant_id AND f.sha256 = r.sha256
			WHERE r.tenant_id = $1 AND r.uploaded_by = $2 AND ($3 = '' OR r.status = $3) AND ($4 = '' OR r.id > $4)
			ORDER BY r.id LIMIT $5`, tx.tenant.ID, tx.me.ID, f.Status, f.After, f.Limit)
		if err != nil {
			return fmt.Errorf("list receipts: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Receipt, error) { return scanReceipt(r, false) })
		if err != nil {
			return fmt.Errorf("list receipts: %w", err)
		}
		return nil
	})
	return out, err
}

// CorrectReceipt records the uploader's corrections of a receipt's fields
// (audited). Corrections take precedence over what OCR read, also for a
// receipt OCR could not read at all.
func (s *Store) CorrectReceipt(ctx context.Context, actor domain.Actor, id string, p domain.ReceiptPatch) (domain.Receipt, error) {
	var out domain.Receipt
	err := s.run(ctx, actor, func(tx *Tx) error {
		r, _, err := tx.receipt(ctx, id, true, true)
		if err != nil {
			return err
		}
		before := r.Corrections
		if err := p.Apply(&r.Corrections); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE receipts SET corrections = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
			tx.tenant.ID, id, jsonb(r.Corrections)); err != nil {
			return fmt.Errorf("correct receipt: %w", err)
		}
		tx.audit("receipt.correct", "receipt:"+id, before, r.Corrections)
		r.Effective()
		out = r
		return nil
	})
	return out, err
}

// ScanReceipt returns the fields of a receipt the actor may read: what OCR
// read with the uploader's corrections. It fails with a conflict while the
// receipt is still being read, or when it could not be read and nothing was
// corrected. It serves the agent's scan_receipt tool.
func (s *Store) ScanReceipt(ctx context.Context, actor domain.Actor, id string) (domain.ReceiptFields, error) {
	var out domain.ReceiptFields
	err := s.run(ctx, actor, func(tx *Tx) error {
		r, _, err := tx.receipt(ctx, id, false, false)
		if err != nil {
			return err
		}
		switch {
		case r.Status == domain.ReceiptQueued || r.Status == domain.ReceiptProcessing:
			return domain.Errorf(domain.EConflict, "receipt %s is still being read; try again in a moment", id)
		case r.Status == domain.ReceiptFailed && r.Corrections == (domain.ReceiptFields{}):
			return domain.Errorf(domain.EConflict, "receipt %s could not be read (%s); enter its fields by hand", id, r.Error)
		}
		out = r.Fields
		return nil
	})
	return out, err
}

// readReceipt is the OCR job: it marks the receipt processing, reads it
// outside any transaction (seconds of CPU), and records the fields or the
// failure. A receipt already done or failed is left alone, so a repeated job
// changes nothing. Input errors fail at once; other errors are retried by
// River and recorded as the failure on the last attempt.
func (s *Store) readReceipt(ctx context.Context, tenantID, id string, last bool) error {
	if s.receipts == nil {
		return errors.New("no receipt reader configured")
	}
	actor := domain.Actor{TenantID: tenantID, System: true, Via: domain.ViaJob}
	var data []byte
	var currency string
	var dayFirst, skip bool
	err := s.run(ctx, actor, func(tx *Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT r.status, f.data FROM receipts r JOIN receipt_files f ON f.tenant_id = r.tenant_id AND f.sha256 = r.sha256
			WHERE r.tenant_id = $1 AND r.id = $2 FOR UPDATE OF r`, tenantID, id).Scan(&status, &data)
		if errors.Is(err, pgx.ErrNoRows) || status == domain.ReceiptDone || status == domain.ReceiptFailed {
			skip = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("load receipt: %w", err)
		}
		currency = tx.tenant.Settings.Currency
		dayFirst = !strings.EqualFold(tx.tenant.Settings.Locale, "en-US")
		_, err = tx.Exec(ctx, `UPDATE receipts SET status = 'processing', attempts = attempts + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, tenantID, id)
		return err
	})
	if err != nil || skip {
		return err
	}
	text, scan, readErr := s.receipts.Read(ctx, data, currency, dayFirst)
	permanent := readErr != nil && domain.ErrorCode(readErr) != domain.EInternal
	// Record with a fresh context: the job's may have run out.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err = s.run(rctx, actor, func(tx *Tx) error {
		switch {
		case readErr == nil:
			if _, err := tx.Exec(rctx, `UPDATE receipts SET status = 'done', error = '', ocr_text = $3, extracted = $4, processed_at = $5, updated_at = now()
				WHERE tenant_id = $1 AND id = $2`, tenantID, id, text, jsonb(scan), tx.now); err != nil {
				return fmt.Errorf("record receipt fields: %w", err)
			}
			tx.audit("receipt.read", "receipt:"+id, nil, map[string]any{"fields": scan.Values(), "kind": scan.Kind, "pages": scan.Pages})
		case permanent || last:
			msg := domain.ErrorMessage(readErr)
			if !permanent {
				msg = "could not be read after several attempts: " + readErr.Error()
			}
			if _, err := tx.Exec(rctx, `UPDATE receipts SET status = 'failed', error = $3, processed_at = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
				tenantID, id, msg, tx.now); err != nil {
				return fmt.Errorf("record receipt failure: %w", err)
			}
			tx.audit("receipt.failed", "receipt:"+id, nil, map[string]any{"error": msg})
		default:
			// Back in the queue; River retries with backoff.
			if _, err := tx.Exec(rctx, `UPDATE receipts SET status = 'queued', error = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
				tenantID, id, "retrying: "+readErr.Error()); err != nil {
				return fmt.Errorf("record receipt retry: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if permanent {
		return river.JobCancel(readErr)
	}
	return readErr
}

// claimReceipts checks that the receipts items refer to were uploaded by the
// claimant.
func (tx *Tx) claimReceipts(ctx context.Context, employee string, items []domain.ExpenseItem) error {
	var ids []string
	for _, it := range items {
		if it.ReceiptID != "" {
			ids = append(ids, it.ReceiptID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id FROM receipts WHERE tenant_id = $1 AND uploaded_by = $2 AND id = ANY($3)`, tx.tenant.ID, employee, ids)
	if err != nil {
		return fmt.Errorf("claim receipts: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("claim receipts: %w", err)
	}
	have := map[string]bool{}
	for _, id := range found {
		have[id] = true
	}
	var v domain.Validator
	for i, it := range items {
		v.Check(it.ReceiptID == "" || have[it.ReceiptID], fmt.Sprintf("items[%d].receipt_id", i), "is not a receipt uploaded by the claimant: "+it.ReceiptID)
	}
	return v.Err()
}
