package api

import (
	_ "embed"
	"net/http"
)

// docsPage renders /openapi.json in the browser with plain JavaScript and no
// external resources, so the docs work on an offline network.
//
//go:embed static/docs.html
var docsPage []byte

func serveDocs(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
	_, _ = w.Write(docsPage)
}
