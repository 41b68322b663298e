package delphix

import (
	"context"
)

// User is an engine user.
type User struct {
	Type      string `json:"type"`
	Reference string `json:"reference"`
	Name      string `json:"name"`
	UserType  string `json:"userType"`
}

// UsersService reads engine users.
type UsersService service

// Current returns the logged-in user (GET /user/current).
func (s *UsersService) Current(ctx context.Context) (*User, error) {
	var u User
	if _, err := s.client.call(ctx, "GET", "/user/current", nil, &u); err != nil {
		return nil, err
	}
	return &u, nil
}
