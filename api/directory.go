package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
)

// Me is the authenticated employee and their company.
type Me struct {
	Employee domain.Employee `json:"employee"`
	Tenant   TenantInfo      `json:"tenant"`
}

// TenantInfo is the public face of a company.
type TenantInfo struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	Locale   string `json:"locale"`
	Currency string `json:"currency"`
}

// EmployeeBody creates or updates a directory entry.
type EmployeeBody struct {
	Name       string   `json:"name" minLength:"1" maxLength:"200"`
	NameEn     string   `json:"name_en,omitempty" maxLength:"200"`
	Aliases    []string `json:"aliases,omitempty"`
	Email      string   `json:"email,omitempty" maxLength:"320"`
	Department string   `json:"department,omitempty"`
	Manager    string   `json:"manager,omitempty"`
	Roles      []string `json:"roles,omitempty" doc:"employee, hr, finance, cfo, admin, auditor"`
	Title      string   `json:"title,omitempty" maxLength:"200"`
}

// DepartmentBody creates or updates a department.
type DepartmentBody struct {
	Name   string `json:"name" minLength:"1" maxLength:"200"`
	NameEn string `json:"name_en,omitempty" maxLength:"200"`
	Head   string `json:"head,omitempty" doc:"Employee id of the head."`
}

// ResourceBody creates or updates a room or piece of equipment.
type ResourceBody struct {
	Name     string `json:"name" minLength:"1" maxLength:"200"`
	NameEn   string `json:"name_en,omitempty" maxLength:"200"`
	Kind     string `json:"kind" enum:"room,equipment"`
	Capacity int    `json:"capacity,omitempty" minimum:"0" maximum:"9999"`
}

// RuleBody is a routing rule of the approval matrix.
type RuleBody struct {
	Kind      string            `json:"kind" enum:"leave,expense"`
	Position  int               `json:"position" doc:"Rules of a kind are tried in ascending position."`
	Condition string            `json:"condition" doc:"An expr condition over days, leave_type, total, category, categories, department, urgent, anomaly_score, e.g. 'days > 3'."`
	Steps     []domain.StepSpec `json:"steps" minItems:"1" maxItems:"10"`
}

// IDPath is the {id} path parameter.
type IDPath struct {
	ID string `path:"id" maxLength:"128"`
}

func (s *server) meRoutes(a huma.API) {
	register(s, a, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/v1/me", Summary: "The authenticated employee", Tags: []string{"directory"}},
		func(ctx context.Context, actor domain.Actor, _ *struct{}) (*out[Me], error) {
			t, err := s.st.Settings(ctx, actor)
			if err != nil {
				return nil, err
			}
			emps, _, _, err := s.st.Directory(ctx, actor)
			if err != nil {
				return nil, err
			}
			me := Me{Tenant: TenantInfo{ID: t.ID, Name: t.Name, Timezone: t.Settings.Timezone, Locale: t.Settings.Locale, Currency: t.Settings.Currency}}
			for _, e := range emps {
				if e.ID == actor.EmployeeID {
					me.Employee = e
				}
			}
			return reply(me)
		})
}

func (s *server) directoryRoutes(a huma.API) {
	tags := []string{"directory"}
	type listEmployees struct {
		PageParams
		Department string `query:"department" doc:"Only this department."`
	}
	register(s, a, huma.Operation{OperationID: "list-employees", Method: http.MethodGet, Path: "/v1/employees", Summary: "List employees", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listEmployees) (*out[Page[domain.Employee]], error) {
			emps, _, _, err := s.st.Directory(ctx, actor)
			if err != nil {
				return nil, err
			}
			var sel []domain.Employee
			for _, e := range emps {
				if in.Department == "" || e.Department == in.Department {
					sel = append(sel, e)
				}
			}
			return reply(sortedPage(sel, in.PageParams, func(e domain.Employee) string { return e.ID }))
		})
	register(s, a, huma.Operation{OperationID: "put-employee", Method: http.MethodPut, Path: "/v1/employees/{id}", Summary: "Create or update an employee (administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body EmployeeBody
		}) (*out[domain.Employee], error) {
			b := in.Body
			e := domain.Employee{ID: in.ID, Name: b.Name, NameEn: b.NameEn, Aliases: b.Aliases, Email: b.Email, Department: b.Department,
				Manager: b.Manager, Roles: b.Roles, Title: b.Title}
			if err := s.st.SaveEmployees(ctx, actor, []domain.Employee{e}); err != nil {
				return nil, err
			}
			emps, _, _, err := s.st.Directory(ctx, actor)
			if err != nil {
				return nil, err
			}
			for _, x := range emps {
				if x.ID == in.ID {
					return reply(x)
				}
			}
			return nil, domain.Errorf(domain.ENotFound, "no employee %q", in.ID)
		})
	register(s, a, huma.Operation{OperationID: "list-departments", Method: http.MethodGet, Path: "/v1/departments", Summary: "List departments", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[domain.Department]], error) {
			_, depts, _, err := s.st.Directory(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(sortedPage(depts, *in, func(d domain.Department) string { return d.ID }))
		})
	register(s, a, huma.Operation{OperationID: "put-department", Method: http.MethodPut, Path: "/v1/departments/{id}", Summary: "Create or update a department (administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body DepartmentBody
		}) (*out[domain.Department], error) {
			d := domain.Department{ID: in.ID, Name: in.Body.Name, NameEn: in.Body.NameEn, Head: in.Body.Head}
			if err := s.st.SaveDepartment(ctx, actor, d); err != nil {
				return nil, err
			}
			return reply(d)
		})
	register(s, a, huma.Operation{OperationID: "list-resources", Method: http.MethodGet, Path: "/v1/resources", Summary: "List rooms and equipment", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[domain.Resource]], error) {
			_, _, res, err := s.st.Directory(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(sortedPage(res, *in, func(r domain.Resource) string { return r.ID }))
		})
	register(s, a, huma.Operation{OperationID: "put-resource", Method: http.MethodPut, Path: "/v1/resources/{id}", Summary: "Create or update a room or equipment (administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body ResourceBody
		}) (*out[domain.Resource], error) {
			r := domain.Resource{ID: in.ID, Name: in.Body.Name, NameEn: in.Body.NameEn, Kind: in.Body.Kind, Capacity: in.Body.Capacity}
			if err := s.st.SaveResource(ctx, actor, r); err != nil {
				return nil, err
			}
			return reply(r)
		})

	stags := []string{"settings"}
	register(s, a, huma.Operation{OperationID: "get-settings", Method: http.MethodGet, Path: "/v1/settings", Summary: "Company settings", Tags: stags},
		func(ctx context.Context, actor domain.Actor, _ *struct{}) (*out[domain.Settings], error) {
			t, err := s.st.Settings(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(t.Settings)
		})
	register(s, a, huma.Operation{OperationID: "put-settings", Method: http.MethodPut, Path: "/v1/settings", Summary: "Replace company settings (administrators)", Tags: stags},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body domain.Settings }) (*out[domain.Settings], error) {
			if err := s.st.UpdateSettings(ctx, actor, in.Body); err != nil {
				return nil, err
			}
			return reply(in.Body)
		})
	register(s, a, huma.Operation{OperationID: "list-approval-rules", Method: http.MethodGet, Path: "/v1/approval-rules", Summary: "The approval routing matrix, in order", Tags: stags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[domain.Rule]], error) {
			rules, err := s.st.Rules(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(positionalPage(rules, *in, func(r domain.Rule) string { return r.ID }))
		})
	saveRule := func(ctx context.Context, actor domain.Actor, id string, b RuleBody) (*out[domain.Rule], error) {
		r, err := s.st.SaveRule(ctx, actor, domain.Rule{ID: id, Kind: b.Kind, Position: b.Position, Condition: b.Condition, Steps: b.Steps})
		if err != nil {
			return nil, err
		}
		return reply(r)
	}
	register(s, a, huma.Operation{OperationID: "create-approval-rule", Method: http.MethodPost, Path: "/v1/approval-rules", Summary: "Add a routing rule (administrators)", Tags: stags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body RuleBody }) (*out[domain.Rule], error) {
			return saveRule(ctx, actor, "", in.Body)
		})
	register(s, a, huma.Operation{OperationID: "put-approval-rule", Method: http.MethodPut, Path: "/v1/approval-rules/{id}", Summary: "Create or replace a routing rule (administrators)", Tags: stags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body RuleBody
		}) (*out[domain.Rule], error) {
			return saveRule(ctx, actor, in.ID, in.Body)
		})
	register(s, a, huma.Operation{OperationID: "delete-approval-rule", Method: http.MethodDelete, Path: "/v1/approval-rules/{id}", Summary: "Delete a routing rule (administrators)", Tags: stags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*struct{}, error) {
			return nil, s.st.DeleteRule(ctx, actor, in.ID)
		})
}
