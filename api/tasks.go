package api

import "github.com/danielgtaylor/huma/v2"

// taskRoutes registers tasks and calendar operations.
func (s *server) taskRoutes(a huma.API) {}
