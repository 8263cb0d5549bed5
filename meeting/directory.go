package meeting

import (
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/nlu/people"
)

// Directory indexes a company directory for resolving speakers and owners.
// Inactive employees are left out: work is not given to them.
func Directory(emps []domain.Employee, depts []domain.Department) *people.Directory {
	ps := make([]people.Employee, 0, len(emps))
	for _, e := range emps {
		if !e.Active {
			continue
		}
		ps = append(ps, people.Employee{ID: e.ID, Name: e.Name, NameEn: e.NameEn, Aliases: e.Aliases, Email: e.Email,
			Department: e.Department, Manager: e.Manager, Title: e.Title})
	}
	ds := make([]people.Department, 0, len(depts))
	for _, d := range depts {
		ds = append(ds, people.Department{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Head: d.Head})
	}
	return people.New(ps, ds, nil)
}
