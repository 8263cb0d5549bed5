package main

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/agent/builtin"
	"github.com/banlihq/banli/agent/llm"
)

// plannerFromEnv returns the assistant's planner: with BANLI_LLM_BASE_URL
// and BANLI_LLM_MODEL set, the model-backed planner with the built-in one
// as its fall-back; otherwise the built-in planner. desc says which, for
// the operator. A configuration that cannot work is an error.
func plannerFromEnv(getenv func(string) string, log *slog.Logger) (p agent.Planner, desc string, err error) {
	cfg, err := llm.FromEnv(getenv)
	if errors.Is(err, llm.ErrNotConfigured) {
		return builtin.New(), "built-in (set BANLI_LLM_BASE_URL and BANLI_LLM_MODEL for a model)", nil
	}
	if err != nil {
		return nil, "", err
	}
	cfg.Logger = log
	lp, err := llm.New(cfg, builtin.New())
	if err != nil {
		return nil, "", err
	}
	return lp, fmt.Sprintf("%s, the built-in planner as fall-back", cfg), nil
}

// llmPlanner returns the model-backed planner for `banli eval agent
// --planner llm`, which has no meaning without a model.
func llmPlanner(getenv func(string) string, log *slog.Logger) (*llm.Planner, error) {
	cfg, err := llm.FromEnv(getenv)
	if errors.Is(err, llm.ErrNotConfigured) {
		return nil, errors.New("--planner llm needs a model: set BANLI_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1) and BANLI_LLM_MODEL")
	}
	if err != nil {
		return nil, err
	}
	cfg.Logger = log
	return llm.New(cfg, builtin.New())
}
