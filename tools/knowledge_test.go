package tools_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/tools"
)

// searchOnly is a backend that can only search (tools.KnowledgeSource).
type searchOnly struct {
	tools.Backend // nil: any other call would fail the test loudly
	docs          []domain.Document
}

func (b searchOnly) SearchDocuments(context.Context, domain.Actor, string, int) ([]domain.Document, error) {
	return b.docs, nil
}

// answering also answers (tools.KnowledgeAnswerer), as the store does.
type answering struct {
	searchOnly
	ans domain.KnowledgeAnswer
}

func (b answering) AnswerKnowledge(context.Context, domain.Actor, string, int) (domain.KnowledgeAnswer, error) {
	return b.ans, nil
}

func TestSearchKnowledgeRendersCitations(t *testing.T) {
	cat := tools.NewCatalog()
	tool, ok := cat.Tool(tools.SearchKnowledge)
	if !ok {
		t.Fatal("no search_knowledge tool")
	}
	env := tools.NewEnv(time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC), domain.DefaultSettings(), "e-107", nil, nil, nil)
	args, err := tool.Decode(env, map[string]any{"query": "meal cap"})
	if err != nil {
		t.Fatal(err)
	}
	expense := domain.Document{ID: "doc-expense", Title: "Expense policy", Text: "Meals are capped at HKD 300.", Kind: "document"}
	meeting := domain.Document{ID: "m-1", Title: "Q3 review", Text: "Meal budgets stay.", Kind: "meeting"}
	actor := domain.Actor{TenantID: "t", EmployeeID: "e-107"}
	for _, c := range []struct {
		name    string
		b       tools.Backend
		want    []string
		notWant []string
	}{
		{"model answer with sources", answering{ans: domain.KnowledgeAnswer{Answer: "Meals are capped at HKD 300 [1].", Passages: []domain.Document{expense, meeting}, Cited: []int{1}}},
			[]string{"Meals are capped at HKD 300 [1].", "Sources:", "[1] “Expense policy”"}, []string{"Q3 review"}},
		{"offline passages", answering{ans: domain.KnowledgeAnswer{Passages: []domain.Document{expense, meeting}}},
			[]string{"Relevant documents:", "“Expense policy”\n> Meals are capped at HKD 300.", "“Q3 review” (meeting transcript)"}, nil},
		{"search only", searchOnly{docs: []domain.Document{expense}},
			[]string{"“Expense policy”\n> Meals are capped"}, nil},
		{"nothing found", answering{ans: domain.KnowledgeAnswer{Passages: []domain.Document{}}},
			[]string{"Nothing relevant found."}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := tool.Execute(context.Background(), c.b, actor, env, "en", args)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(res.Text, w) {
					t.Errorf("missing %q in:\n%s", w, res.Text)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(res.Text, w) {
					t.Errorf("uncited %q shown in:\n%s", w, res.Text)
				}
			}
		})
	}
	_, err = tool.Execute(context.Background(), struct{ tools.Backend }{}, actor, env, "en", args)
	if domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("without a knowledge base: %v", err)
	}
}
