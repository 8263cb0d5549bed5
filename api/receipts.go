package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// ReceiptUpload is the multipart form of POST /v1/receipts.
type ReceiptUpload struct {
	// The declared content type is not trusted: the format is sniffed from the content.
	File huma.FormFile `form:"file" contentType:"image/jpeg,image/png,image/heic,image/webp,application/pdf,application/octet-stream" required:"true" doc:"The receipt: JPEG, PNG, HEIC, WebP, GIF, BMP, TIFF or PDF."`
}

// receiptOut answers an upload: 201 for a new receipt, 200 when the caller
// had uploaded the same file before (the earlier receipt, duplicate: true).
type receiptOut struct {
	Status int
	Body   domain.Receipt
}

// fileOut is a receipt's file.
type fileOut struct {
	ContentType string `header:"Content-Type"`
	// The file is served as an attachment so that a browser never renders
	// uploaded content in the API's origin.
	ContentDisposition string `header:"Content-Disposition"`
	NoSniff            string `header:"X-Content-Type-Options"`
	Body               []byte
}

func (s *server) receiptRoutes(a huma.API) {
	tags := []string{"receipts"}
	register(s, a, huma.Operation{OperationID: "upload-receipt", Method: http.MethodPost, Path: "/v1/receipts", Tags: tags, MaxBodyBytes: s.opts.MaxUpload,
		Summary: "Upload a receipt to be read by OCR",
		Description: "Stores the file (once per company, by SHA-256) and queues OCR; poll GET /v1/receipts/{id} until status is done or failed. " +
			"Uploading the same file again returns the earlier receipt with 200 and duplicate: true. " +
			"A file over the size (20 MiB), pixel (40 MP) or page (20) limits is refused with 413, a format that is not read with 415, a damaged file with 422; nothing is stored then.",
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct {
			RawBody huma.MultipartFormFiles[ReceiptUpload]
		}) (*receiptOut, error) {
			f := in.RawBody.Data().File
			data, err := readUpload(f, "file", "a receipt file", s.opts.MaxUpload)
			if err != nil {
				return nil, err
			}
			r, err := s.st.UploadReceipt(ctx, actor, f.Filename, data)
			if err != nil {
				return nil, err
			}
			status := http.StatusCreated
			if r.Duplicate {
				status = http.StatusOK
			}
			return &receiptOut{Status: status, Body: r}, nil
		})
	type listReceipts struct {
		PageParams
		Status string `query:"status" enum:"queued,processing,done,failed,"`
	}
	register(s, a, huma.Operation{OperationID: "list-receipts", Method: http.MethodGet, Path: "/v1/receipts", Summary: "List the caller's receipts", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listReceipts) (*out[Page[domain.Receipt]], error) {
			items, err := s.st.ListReceipts(ctx, actor, postgres.ReceiptFilter{Status: in.Status, After: in.After, Limit: in.limit() + 1})
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(r domain.Receipt) string { return r.ID }))
		})
	register(s, a, huma.Operation{OperationID: "get-receipt", Method: http.MethodGet, Path: "/v1/receipts/{id}", Tags: tags,
		Summary:     "A receipt: OCR status, fields read with confidences, corrections, text",
		Description: "Readable by the uploader, their managers, finance and the approvers of claims that use it."},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.Receipt], error) {
			r, err := s.st.GetReceipt(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(r)
		})
	register(s, a, huma.Operation{OperationID: "get-receipt-file", Method: http.MethodGet, Path: "/v1/receipts/{id}/file", Summary: "Download a receipt's file", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*fileOut, error) {
			mime, data, err := s.st.ReceiptFile(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &fileOut{ContentType: mime, ContentDisposition: `attachment; filename="` + in.ID + `"`, NoSniff: "nosniff", Body: data}, nil
		})
	register(s, a, huma.Operation{OperationID: "correct-receipt", Method: http.MethodPatch, Path: "/v1/receipts/{id}", Tags: tags,
		Summary:     "Correct a receipt's fields (the uploader)",
		Description: "Fields given replace what OCR read; an empty string withdraws a correction. Audited."},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body domain.ReceiptPatch
		}) (*out[domain.Receipt], error) {
			r, err := s.st.CorrectReceipt(ctx, actor, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return reply(r)
		})
}
