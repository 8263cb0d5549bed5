package domain

import "time"

// DocumentInput adds a document to the knowledge base.
type DocumentInput struct {
	Title    string
	Text     string
	MIME     string // text/plain (default), text/markdown or application/pdf
	Filename string
	// Roles restrict who may read it to employees holding one of them (and
	// administrators and its author); empty: everyone in the company.
	Roles []string
}

// DocumentInfo describes a stored document.
type DocumentInfo struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	MIME     string   `json:"mime"`
	Filename string   `json:"filename,omitempty"`
	Roles    []string `json:"roles" nullable:"false" doc:"Roles that may read it; empty: everyone."`
	// Status is indexing (its passages wait for embeddings: keyword search
	// finds them already), ready, or failed (Error says why).
	Status    string    `json:"status" enum:"indexing,ready,failed"`
	Error     string    `json:"error,omitempty"`
	Chunks    int       `json:"chunks" doc:"Number of passages."`
	Embedded  int       `json:"embedded" doc:"Passages embedded with the current model."`
	Chars     int       `json:"chars" doc:"Length of the text in characters."`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Text is the document's text; only a single document's read fills it.
	Text string `json:"text,omitempty"`
}

// KnowledgeAnswer answers a question from the knowledge base.
type KnowledgeAnswer struct {
	// Answer is the model's answer citing passages as [n]; empty when no
	// model is configured (the passages are the answer then).
	Answer string `json:"answer,omitempty"`
	// Passages are what the search found, in rank order; [n] in Answer is
	// Passages[n-1].
	Passages []Document `json:"passages" nullable:"false"`
	// Cited lists the 1-based passage numbers the answer cites.
	Cited []int `json:"cited,omitempty"`
}
