package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/voice"
)

const chatHelp = `Type a request in any language (or start with --audio FILE); banli proposes, you confirm.
  /new   start a new conversation     /quit  leave (or Ctrl-D)
`

// assistant is what the chat loop talks to: the service in-process, or a
// banli server over HTTP.
type assistant interface {
	chat(ctx context.Context, conversation, message string) (agent.Reply, error)
	// speak sends a recording; it returns what was heard and the reply.
	speak(ctx context.Context, conversation string, audio []byte, lang string) (string, agent.Reply, error)
	confirm(ctx context.Context, p agent.Proposal, code string) (agent.Outcome, error)
	cancel(ctx context.Context, p agent.Proposal) error
}

func cmdChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("chat")
	server := fs.String("server", os.Getenv("BANLI_SERVER"), "banli server URL, e.g. http://127.0.0.1:8080 (default: in-process on DATABASE_URL)")
	token := fs.String("token", os.Getenv("BANLI_TOKEN"), "API token for --server")
	emp := fs.String("employee", "", "employee id to chat as, in-process")
	slug := fs.String("tenant", "", "company slug, in-process (default: the only one)")
	audio := fs.String("audio", "", "start with this recording (WAV, MP3, M4A, OGG/Opus, WebM) instead of typing")
	lang := fs.String("lang", "", "language hint for --audio: en, zh or yue (default: detect)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var a assistant
	switch {
	case *server != "":
		if *token == "" {
			return errors.New("--server needs --token (or BANLI_TOKEN); `banli dev` prints demo tokens")
		}
		a = &httpAssistant{base: strings.TrimRight(*server, "/"), token: *token, hc: &http.Client{Timeout: 3 * time.Minute}}
	case *emp == "":
		return errors.New("give --employee ID to chat in-process on DATABASE_URL, or --server URL --token T")
	default:
		pool, st, sys, err := operator(ctx, *slug)
		if err != nil {
			return err
		}
		defer pool.Close()
		planner, desc, err := plannerFromEnv(os.Getenv, logger(io.Discard))
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "planner: %s\n", desc)
		local := &localAssistant{svc: agent.New(st, agent.Options{Planner: planner}),
			actor: domain.Actor{TenantID: sys.TenantID, EmployeeID: *emp, Via: domain.ViaChat}}
		if *audio != "" {
			if local.voice, err = voice.FromEnv(os.Getenv); err != nil {
				return err
			}
		}
		a = local
	}
	var first *recording
	if *audio != "" {
		data, err := os.ReadFile(*audio)
		if err != nil {
			return fmt.Errorf("read the recording: %w", err)
		}
		first = &recording{data: data, lang: *lang}
	}
	return chatLoop(ctx, a, first, stdin, stdout)
}

// recording is spoken input for the chat loop's first turn.
type recording struct {
	data []byte
	lang string
}

// chatLoop reads messages line by line, shows each reply and asks before
// confirming each proposal; a high-risk one also asks for a one-time code.
func chatLoop(ctx context.Context, a assistant, first *recording, stdin io.Reader, stdout io.Writer) error {
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 0, 64<<10), 64<<10)
	ask := func(prompt string) (string, bool) {
		fmt.Fprint(stdout, prompt)
		if !in.Scan() {
			return "", false
		}
		return strings.TrimSpace(in.Text()), true
	}
	fmt.Fprint(stdout, chatHelp)
	conversation := ""
	// answer shows a reply and asks about each of its proposals; false
	// means the input ended.
	answer := func(r agent.Reply) bool {
		conversation = r.ConversationID
		fmt.Fprintln(stdout, "banli> "+strings.ReplaceAll(r.Text, "\n", "\n       "))
		for _, p := range r.Proposals {
			yes, ok := ask(fmt.Sprintf("confirm %q? [y/N] ", p.Preview))
			if !ok {
				return false
			}
			if !strings.EqualFold(yes, "y") && !strings.EqualFold(yes, "yes") && yes != "好" && yes != "是" {
				if err := a.cancel(ctx, p); err != nil {
					fmt.Fprintln(stdout, "banli: "+message(err))
				} else {
					fmt.Fprintln(stdout, "banli> cancelled.")
				}
				continue
			}
			code := ""
			if p.Risk == "high" {
				if code, ok = ask("one-time code from your authenticator: "); !ok {
					return false
				}
			}
			o, err := a.confirm(ctx, p, code)
			if err != nil {
				fmt.Fprintln(stdout, "banli: "+message(err))
				continue
			}
			fmt.Fprintln(stdout, "banli> done: "+o.Text)
		}
		return true
	}
	if first != nil {
		heard, r, err := a.speak(ctx, conversation, first.data, first.lang)
		if err != nil {
			fmt.Fprintln(stdout, "banli: "+message(err))
		} else {
			fmt.Fprintln(stdout, "you (heard)> "+heard)
			if !answer(r) {
				return in.Err()
			}
		}
	}
	for {
		line, ok := ask("\nyou> ")
		if !ok {
			fmt.Fprintln(stdout)
			return in.Err()
		}
		switch line {
		case "":
			continue
		case "/quit", "/exit":
			return nil
		case "/new":
			conversation = ""
			fmt.Fprintln(stdout, "(new conversation)")
			continue
		}
		r, err := a.chat(ctx, conversation, line)
		if err != nil {
			fmt.Fprintln(stdout, "banli: "+message(err))
			continue
		}
		if !answer(r) {
			return in.Err()
		}
	}
}

// localAssistant runs the agent in-process as one employee.
type localAssistant struct {
	svc   *agent.Service
	voice *voice.Service // set when there is a recording to transcribe
	actor domain.Actor
}

func (l *localAssistant) chat(ctx context.Context, conversation, message string) (agent.Reply, error) {
	return l.svc.Chat(ctx, l.actor, conversation, message)
}

func (l *localAssistant) speak(ctx context.Context, conversation string, audio []byte, lang string) (string, agent.Reply, error) {
	if l.voice == nil {
		return "", agent.Reply{}, errors.New("speech recognition is not set up")
	}
	tr, err := l.voice.Transcribe(ctx, audio, lang)
	if err != nil {
		return "", agent.Reply{}, err
	}
	r, err := l.svc.Converse(ctx, l.actor, agent.Message{ConversationID: conversation, Text: tr.Text, Via: domain.ViaVoice})
	return tr.Text, r, err
}

func (l *localAssistant) confirm(ctx context.Context, p agent.Proposal, code string) (agent.Outcome, error) {
	return l.svc.Confirm(ctx, l.actor, p.ID, p.Digest, code)
}

func (l *localAssistant) cancel(ctx context.Context, p agent.Proposal) error {
	return l.svc.Cancel(ctx, l.actor, p.ID)
}

// httpAssistant talks to a banli server's /v1/chat and proposal routes.
type httpAssistant struct {
	base, token string
	hc          *http.Client
}

func (h *httpAssistant) chat(ctx context.Context, conversation, message string) (agent.Reply, error) {
	var r agent.Reply
	err := h.post(ctx, "/v1/chat", map[string]any{"conversation_id": conversation, "message": message}, &r)
	return r, err
}

func (h *httpAssistant) speak(ctx context.Context, conversation string, audio []byte, lang string) (string, agent.Reply, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("audio", "recording")
	if err == nil {
		_, err = fw.Write(audio)
	}
	for k, v := range map[string]string{"lang": lang, "conversation_id": conversation} {
		if err == nil && v != "" {
			err = mw.WriteField(k, v)
		}
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return "", agent.Reply{}, fmt.Errorf("encode recording: %w", err)
	}
	var out struct {
		Transcript string      `json:"transcript"`
		Reply      agent.Reply `json:"reply"`
	}
	err = h.send(ctx, "/v1/voice", mw.FormDataContentType(), &body, &out)
	return out.Transcript, out.Reply, err
}

func (h *httpAssistant) confirm(ctx context.Context, p agent.Proposal, code string) (agent.Outcome, error) {
	var o agent.Outcome
	err := h.post(ctx, "/v1/proposals/"+p.ID+"/confirm", map[string]any{"digest": p.Digest, "code": code}, &o)
	return o, err
}

func (h *httpAssistant) cancel(ctx context.Context, p agent.Proposal) error {
	return h.post(ctx, "/v1/proposals/"+p.ID+"/cancel", nil, nil)
}

// post sends a JSON request; a problem document becomes an error carrying
// its detail, so the user reads the server's own sentence.
func (h *httpAssistant) post(ctx context.Context, path string, body, out any) error {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	return h.send(ctx, path, "application/json", rd, out)
}

// send POSTs a body of the given content type and decodes the answer.
func (h *httpAssistant) send(ctx context.Context, path, contentType string, rd io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.base+path, rd)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", contentType)
	res, err := h.hc.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w", h.base, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	if res.StatusCode >= 300 {
		var p struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		}
		if json.Unmarshal(b, &p) == nil && (p.Detail != "" || p.Title != "") {
			if p.Detail != "" {
				return errors.New(p.Detail)
			}
			return errors.New(p.Title)
		}
		return fmt.Errorf("server answered %s", res.Status)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}
