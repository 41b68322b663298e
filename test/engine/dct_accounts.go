package engine

// DCTAccount is one engine user as a DCT account, with the API key the local engine accepts for it.
type DCTAccount struct {
	ID    int
	Name  string
	Admin bool
	Key   string // DCTKey(ID, Name)
}

// DCTAccounts lists the DCT accounts, one per engine user, in account id order.
func (e *Engine) DCTAccounts() []DCTAccount {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	accounts := make([]DCTAccount, 0, len(e.Users))
	for _, u := range e.Users {
		id := e.accountID(u)
		accounts = append(accounts, DCTAccount{ID: id, Name: u.Name, Admin: u.Admin, Key: DCTKey(id, u.Name)})
	}
	return accounts
}
