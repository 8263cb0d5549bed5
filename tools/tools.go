// Package tools is banli's typed tool catalog (shared TOOLS.md): one Go
// argument struct per tool, its JSON Schema generated from the struct (the
// one source for validation, the LLM and the OpenAPI), descriptions, the
// mutating flag, the risk level, the permission it needs, a preview that
// renders exactly what will happen, and an Execute that calls domain
// commands only. It depends on domain alone.
package tools

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/banlihq/banli/domain"
)

// Risk is how much a tool can hurt when misused.
type Risk string

// Risk levels. High-risk tools need a step-up confirmation.
const (
	RiskLow  Risk = "low"
	RiskHigh Risk = "high"
)

// Description is a tool's description in English and Traditional Chinese.
type Description struct {
	En     string `json:"en"`
	ZhHant string `json:"zh-Hant"`
}

// Result is what a tool execution returns: a rendered answer in the
// user's language and structured data.
type Result struct {
	Text string `json:"text"`
	Data any    `json:"data,omitempty"`
}

// Env is what validation, previews and execution need to know about the
// tenant and the request: the clock, the time zone and calendar settings,
// the acting employee and the directory (to check and name employee ids).
type Env struct {
	Now         time.Time
	Settings    domain.Settings
	Actor       string // employee id of the actor
	Employees   map[string]domain.Employee
	Departments map[string]domain.Department
	Resources   map[string]domain.Resource
}

// NewEnv builds an Env from a directory listing.
func NewEnv(now time.Time, settings domain.Settings, actor string, emps []domain.Employee, depts []domain.Department, res []domain.Resource) *Env {
	e := &Env{Now: now.In(settings.Location()), Settings: settings, Actor: actor,
		Employees: map[string]domain.Employee{}, Departments: map[string]domain.Department{}, Resources: map[string]domain.Resource{}}
	for _, x := range emps {
		e.Employees[x.ID] = x
	}
	for _, x := range depts {
		e.Departments[x.ID] = x
	}
	for _, x := range res {
		e.Resources[x.ID] = x
	}
	return e
}

// Loc is the tenant's time zone.
func (e *Env) Loc() *time.Location { return e.Settings.Location() }

// Args is a decoded, validated argument struct of one tool.
type Args interface {
	// check validates values beyond their JSON types and applies defaults.
	check(e *Env, v *domain.Validator)
	// preview renders what executing will do, in lang.
	preview(e *Env, lang string) string
	// execute runs the tool through domain commands as actor.
	execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error)
}

// Tool is one entry of the catalog.
type Tool struct {
	Name        string             `json:"name"`
	Description Description        `json:"description"`
	Mutating    bool               `json:"mutating"`
	Risk        Risk               `json:"risk"`
	Permission  string             `json:"permission"`
	Schema      *jsonschema.Schema `json:"parameters"`
	zero        func() Args
}

// Catalog is the immutable tool catalog; build it once with NewCatalog.
type Catalog struct {
	tools  []Tool
	byName map[string]int
}

func def[A Args](name string, mutating bool, risk Risk, perm, en, zh string, zero func() A) Tool {
	r := &jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true}
	s := r.Reflect(zero())
	s.Version = ""
	s.Description = en
	return Tool{Name: name, Description: Description{En: en, ZhHant: zh}, Mutating: mutating, Risk: risk, Permission: perm,
		Schema: s, zero: func() Args { return zero() }}
}

// NewCatalog returns the whole TOOLS.md catalog.
func NewCatalog() *Catalog {
	c := &Catalog{tools: catalog(), byName: map[string]int{}}
	for i, t := range c.tools {
		c.byName[t.Name] = i
	}
	return c
}

// Tools returns the tools in catalog order.
func (c *Catalog) Tools() []Tool { return slices.Clone(c.tools) }

// Tool returns a tool by name.
func (c *Catalog) Tool(name string) (Tool, bool) {
	i, ok := c.byName[name]
	if !ok {
		return Tool{}, false
	}
	return c.tools[i], true
}

// Decode checks raw arguments (as proposed by a planner) against the tool's
// schema and the value conventions, applies defaults and returns the typed
// arguments. Errors are domain EInvalid errors naming the fields.
func (t Tool) Decode(e *Env, raw map[string]any) (Args, error) {
	var v domain.Validator
	present := map[string]bool{}
	for k, val := range raw {
		if val != nil {
			present[k] = true
		}
	}
	for _, req := range t.Schema.Required {
		v.Check(present[req], req, "is required")
	}
	for k, val := range raw {
		p, ok := t.Schema.Properties.Get(k)
		if !ok {
			v.Check(false, k, "is not an argument of "+t.Name)
			continue
		}
		if len(p.Enum) > 0 && val != nil {
			v.Check(slices.ContainsFunc(p.Enum, func(x any) bool { return fmt.Sprint(x) == fmt.Sprint(val) }), k, "must be one of "+enumList(p.Enum))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, domain.Errorf(domain.EInvalid, "arguments of %s: %v", t.Name, err)
	}
	a := t.zero()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(a); err != nil {
		return nil, domain.Errorf(domain.EInvalid, "arguments of %s: %v", t.Name, err)
	}
	a.check(e, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// DecodeCanonical rebuilds arguments from their canonical JSON (as stored on
// a proposal) and checks them again against the current directory.
func (t Tool) DecodeCanonical(e *Env, canonical []byte) (Args, error) {
	var raw map[string]any
	if err := json.Unmarshal(canonical, &raw); err != nil {
		return nil, fmt.Errorf("canonical arguments of %s: %w", t.Name, err)
	}
	return t.Decode(e, raw)
}

func enumList(xs []any) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// Canonical returns the canonical JSON of decoded arguments: defaults
// applied, empty optional fields dropped, keys sorted at every level.
func Canonical(a Args) ([]byte, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("canonical arguments: %w", err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("canonical arguments: %w", err)
	}
	// encoding/json writes map keys sorted, which makes the form canonical.
	return json.Marshal(m)
}

// Digest is the SHA-256 (hex) a proposal is bound to: the tool name and its
// canonical arguments.
func Digest(tool string, canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(tool))
	h.Write([]byte{0})
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// preparer is implemented by arguments whose proposal must show and bind
// data the actor reads when it is made (the tasks a meeting's action items
// become).
type preparer interface {
	prepare(ctx context.Context, b Backend, actor domain.Actor, e *Env) error
}

// Prepare completes a mutating call's arguments with what its proposal must
// show and its digest bind, read as the actor, before Canonical and
// Preview. Arguments that need nothing are left as they are.
func (t Tool) Prepare(ctx context.Context, b Backend, actor domain.Actor, e *Env, a Args) error {
	if p, ok := a.(preparer); ok {
		if err := p.prepare(ctx, b, actor, e); err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
	}
	return nil
}

// Preview renders what executing a will do, in the user's language.
func (t Tool) Preview(e *Env, lang string, a Args) string { return a.preview(e, Lang(lang)) }

// Execute runs the tool as actor. Read-only tools return an answer text in
// lang; mutating tools return what they changed. Authorization is the
// domain command's: it runs under the actor's permissions.
func (t Tool) Execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string, a Args) (Result, error) {
	r, err := a.execute(ctx, b, actor, e, Lang(lang))
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", t.Name, err)
	}
	return r, nil
}

// Lang maps a detected language to a rendering language: zh-Hant, zh-Hans
// or en. Cantonese users read Traditional Chinese.
func Lang(l string) string {
	switch strings.ToLower(l) {
	case "en":
		return "en"
	case "zh-hans", "zh-cn", "zh-sg":
		return "zh-Hans"
	}
	return "zh-Hant"
}

// Say picks the text for a rendering language (zh-Hant, zh-Hans or en, as
// returned by Lang); anything else reads Traditional Chinese.
func Say(lang, hant, hans, en string) string {
	switch lang {
	case "en":
		return en
	case "zh-Hans":
		return hans
	}
	return hant
}

// sortedKeys returns a map's keys sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// asDomain is errors.As for *domain.Error.
func asDomain(err error, target **domain.Error) bool { return errors.As(err, target) }
