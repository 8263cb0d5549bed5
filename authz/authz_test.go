package authz

import "testing"

func TestPolicies(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	staff := Principal{TenantID: "t1", ID: "e-3", Roles: []string{"employee"}, ManagerPath: []string{"e-2", "e-1"}}
	mgr := Principal{TenantID: "t1", ID: "e-2", Roles: []string{"employee"}, ManagerPath: []string{"e-1"}}
	boss := Principal{TenantID: "t1", ID: "e-1", Roles: []string{"employee"}}
	hr := Principal{TenantID: "t1", ID: "e-7", Roles: []string{"employee", "hr"}, ManagerPath: []string{"e-1"}}
	fin := Principal{TenantID: "t1", ID: "e-5", Roles: []string{"employee", "finance"}, ManagerPath: []string{"e-1"}}
	peer := Principal{TenantID: "t1", ID: "e-4", Roles: []string{"employee"}, ManagerPath: []string{"e-2", "e-1"}}
	stranger := Principal{TenantID: "t2", ID: "e-2", Roles: []string{"employee", "hr", "admin"}}
	leave := Resource{Type: TypeLeaveRequest, ID: "lr-1", TenantID: "t1", Owner: "e-3", OwnerPath: []string{"e-2", "e-1"}, Approvers: []string{"e-2"}, Deciders: []string{"e-2"}}
	claim := Resource{Type: TypeExpenseClaim, ID: "ec-1", TenantID: "t1", Owner: "e-3", OwnerPath: []string{"e-2", "e-1"}, Approvers: []string{"e-2"}, Deciders: []string{}}
	selfApprove := Resource{Type: TypeLeaveRequest, ID: "lr-2", TenantID: "t1", Owner: "e-2", OwnerPath: []string{"e-1"}, Deciders: []string{"e-2"}}
	tests := []struct {
		name   string
		p      Principal
		action string
		r      Resource
		want   bool
	}{
		{"owner reads", staff, Read, leave, true},
		{"owner private", staff, ReadPrivate, leave, true},
		{"manager reads report", mgr, Read, leave, true},
		{"skip-level reads", boss, Read, leave, true},
		{"skip-level no private", boss, ReadPrivate, leave, false},
		{"approver private", mgr, ReadPrivate, leave, true},
		{"peer cannot read", peer, Read, leave, false},
		{"hr reads private", hr, ReadPrivate, leave, true},
		{"finance cannot read leave", fin, Read, leave, false},
		{"finance reads claims", fin, Read, claim, true},
		{"hr cannot read claims", hr, Read, claim, false},
		{"decider decides", mgr, Decide, leave, true},
		{"owner cannot decide own", staff, Decide, leave, false},
		{"no self-approval even as decider", mgr, Decide, selfApprove, false},
		{"non-decider cannot decide", boss, Decide, leave, false},
		{"other tenant denied", stranger, Read, leave, false},
		{"other tenant hr denied", stranger, ReadPrivate, leave, false},
		{"anyone creates tasks", peer, Create, Resource{Type: TypeTask, ID: "new", TenantID: "t1", Owner: "e-3"}, true},
		{"admin configures", Principal{TenantID: "t1", ID: "e-9", Roles: []string{"admin"}}, Configure, Resource{Type: TypeTenant, ID: "t1", TenantID: "t1"}, true},
		{"staff cannot configure", staff, Configure, Resource{Type: TypeTenant, ID: "t1", TenantID: "t1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.Allowed(tt.p, tt.action, tt.r); got != tt.want {
				t.Fatalf("Allowed = %v, want %v", got, tt.want)
			}
		})
	}
}
