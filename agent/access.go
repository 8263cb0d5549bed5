package agent

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/tools"
)

// planCheck is the planner's Request.Check: the same catalog lookup and
// Decode that Chat applies to every planned call.
func (s *Service) planCheck(env *tools.Env) func(tool string, args map[string]any) error {
	return func(name string, args map[string]any) error {
		tool, ok := s.catalog.Tool(name)
		if !ok {
			return domain.Errorf(domain.EInvalid, "unknown tool %q", name)
		}
		_, err := tool.Decode(env, normalise(args))
		return err
	}
}

// planRead is the planner's Request.Read: a read-only tool run as the actor
// through the tools' Execute, as Chat runs read calls, so that a model sees
// only what the actor may read. Mutating tools are refused: they only ever
// become proposals.
func (s *Service) planRead(actor domain.Actor, env *tools.Env) func(ctx context.Context, tool string, args map[string]any) (string, error) {
	return func(ctx context.Context, name string, args map[string]any) (string, error) {
		tool, ok := s.catalog.Tool(name)
		if !ok {
			return "", domain.Errorf(domain.EInvalid, "unknown tool %q", name)
		}
		if tool.Mutating {
			return "", domain.Errorf(domain.EForbidden, "%s changes data: it is proposed to the user, never run by the planner", name)
		}
		a, err := tool.Decode(env, normalise(args))
		if err != nil {
			return "", err
		}
		// English text: the reader is a model; names stay as written.
		res, err := tool.Execute(ctx, s.backend, actor, env, "en", a)
		if err != nil {
			return "", err
		}
		if res.Data == nil {
			return res.Text, nil
		}
		b, err := json.Marshal(res.Data)
		if err != nil {
			return "", fmt.Errorf("agent: encode %s result: %w", name, err)
		}
		return res.Text + "\n\ndata: " + string(b), nil
	}
}
