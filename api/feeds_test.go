package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestCalendarFeedURL(t *testing.T) {
	e := newEnv(t, envOpts{})
	var feed struct {
		URL string `json:"url"`
	}
	e.req("POST", "/v1/me/calendar-feed", "e-103", nil).want(t, 201).json(t, &feed)
	if !strings.HasPrefix(feed.URL, e.srv.URL+"/feeds/cf_") || !strings.HasSuffix(feed.URL, ".ics") {
		t.Fatalf("feed url %q", feed.URL)
	}
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url) // a calendar app sends no token
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	status, body := get(feed.URL)
	if status != 200 || !strings.Contains(body, "BEGIN:VCALENDAR") || !strings.Contains(body, "營運週會") {
		t.Fatalf("feed: %d %s", status, body)
	}
	// A new URL replaces the old one; revoking stops it.
	var again struct {
		URL string `json:"url"`
	}
	e.req("POST", "/v1/me/calendar-feed", "e-103", nil).want(t, 201).json(t, &again)
	if status, _ := get(feed.URL); status != 404 {
		t.Fatalf("replaced feed URL still answers: %d", status)
	}
	e.req("DELETE", "/v1/me/calendar-feed", "e-103", nil).want(t, 204)
	if status, _ := get(again.URL); status != 404 {
		t.Fatalf("revoked feed URL still answers: %d", status)
	}
	for _, bad := range []string{"/feeds/cf_x.ics", "/feeds/nothing", "/feeds/" + strings.Repeat("a", 46) + ".ics"} {
		if status, _ := get(e.srv.URL + bad); status != 404 {
			t.Fatalf("%s: %d", bad, status)
		}
	}
}
