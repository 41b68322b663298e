package dctapi

// Account is one engine user as a DCT account, with the API key the server accepts for it.
type Account struct {
	ID    int
	Name  string
	Admin bool
	Key   string // Key(ID, Name)
}

// Accounts lists the DCT accounts, one per engine user, in account id order.
func (s *Server) Accounts() []Account {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	accounts := make([]Account, 0, len(s.Users))
	for _, u := range s.Users {
		id := s.accountID(u)
		accounts = append(accounts, Account{ID: id, Name: u.Name, Admin: u.Admin, Key: Key(id, u.Name)})
	}
	return accounts
}
