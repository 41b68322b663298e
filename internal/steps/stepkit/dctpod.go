package stepkit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// DCTPod is a data pod on DCT: a VDB group (several sources, or an imported
// Self-Service container), or one VDB when no group has the pod's name.
type DCTPod struct {
	Name, ID string
	Group    *dct.VDBGroup // nil: the pod is the VDB VDBs[0]
	VDBs     []*dct.VDB
}

// FindDCTPod returns the VDB group named exactly name with its VDBs, or
// else the VDB of that name. None is a *dct.NameError with the closest
// group and VDB names; several of either is an error too.
func FindDCTPod(ctx context.Context, c *dct.Client, name string) (*DCTPod, error) {
	g, err := c.VDBGroups.FindByName(ctx, name)
	var groupMiss, vdbMiss *dct.NameError
	if err == nil {
		return loadGroup(ctx, c, g)
	}
	if !errors.As(err, &groupMiss) || len(groupMiss.Matches) > 0 {
		return nil, err
	}
	v, err := c.VDBs.FindByName(ctx, name)
	if err == nil {
		return &DCTPod{Name: v.Name, ID: v.ID, VDBs: []*dct.VDB{v}}, nil
	}
	if !errors.As(err, &vdbMiss) || len(vdbMiss.Matches) > 0 {
		return nil, err
	}
	return nil, &dct.NameError{Kind: "VDB group or VDB", Name: name,
		Suggestions: httpapi.Closest(name, append(groupMiss.Suggestions, vdbMiss.Suggestions...), 3)}
}

func loadGroup(ctx context.Context, c *dct.Client, g *dct.VDBGroup) (*DCTPod, error) {
	p := &DCTPod{Name: g.Name, ID: g.ID, Group: g}
	for _, id := range g.VDBIDs {
		v, err := c.VDBs.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("VDB %s of VDB group %q: %w", id, g.Name, err)
		}
		p.VDBs = append(p.VDBs, v)
	}
	if len(p.VDBs) == 0 {
		return nil, cli.Usagef("VDB group %q holds no VDB", g.Name)
	}
	return p, nil
}

// Reload reads the pod again (after an operation, or to see its lock).
func (p *DCTPod) Reload(ctx context.Context, c *dct.Client) (*DCTPod, error) {
	if p.Group == nil {
		v, err := c.VDBs.Get(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		return &DCTPod{Name: v.Name, ID: v.ID, VDBs: []*dct.VDB{v}}, nil
	}
	g, err := c.VDBGroups.Get(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return loadGroup(ctx, c, g)
}

// Targets are the ids a job on the pod may have as its target: the group's
// and its VDBs'.
func (p *DCTPod) Targets() []string {
	ids := []string{p.ID}
	for _, v := range p.VDBs {
		if v.ID != p.ID {
			ids = append(ids, v.ID)
		}
	}
	return ids
}

// Enabled says whether every VDB of the pod is enabled.
func (p *DCTPod) Enabled() bool {
	for _, v := range p.VDBs {
		if !v.Enabled {
			return false
		}
	}
	return true
}

// LockedBy is the name of the account holding the pod's lock, or "".
func (p *DCTPod) LockedBy() string {
	locked, by, id := p.VDBs[0].IsLocked, p.VDBs[0].LockedByName, p.VDBs[0].LockedBy
	if p.Group != nil {
		locked, by, id = p.Group.IsLocked, p.Group.LockedByName, p.Group.LockedBy
	}
	switch {
	case !locked:
		return ""
	case by != "":
		return by
	}
	return "#" + strconv.FormatInt(id, 10)
}

// DCTConnection is how a tool reaches a VDB, from what DCT shows of it:
// the host (fqdn, else ip_address), the database name, type, version and
// instance, the mount point, the JDBC URL, and the port from the
// PostgreSQL toolkit's parameters or else from the JDBC URL. DCT shows no
// database user, so DX_DB_USER stays unset. The platform is named as the
// engine names it (see DCTPlatform).
func DCTConnection(v *dct.VDB) Connection {
	host := v.FQDN
	if host == "" {
		host = v.IPAddress
	}
	port := jdbcPort(v.JDBCConnectionString)
	switch p := v.AppDataSourceParams["postgresPort"].(type) {
	case float64:
		port = int(p)
	case string:
		if n, err := strconv.Atoi(p); err == nil {
			port = n
		}
	}
	return Connection{Platform: DCTPlatform(v.DatabaseType, v.JDBCConnectionString), Host: host, Port: port, Database: v.DatabaseName,
		JDBC: v.JDBCConnectionString, Instance: v.InstanceName, Path: v.MountPoint, Version: v.DatabaseVersion}
}

// DCTPlatform names a VDB's platform as the engine's connection info does
// (oracle, mssql, ase, mysql, postgres, appdata): by the JDBC URL's driver
// where DCT gives one (the engine shows PostgreSQL reached through the
// AppData toolkit as postgres, while DCT's database_type says AppData),
// else by database_type ("Oracle", "MSSQL", "POSTGRES" in the spec's
// examples), lower-cased.
func DCTPlatform(databaseType, jdbc string) string {
	drivers := map[string]string{"oracle": "oracle", "sqlserver": "mssql", "sybase": "ase", "mysql": "mysql", "postgresql": "postgres"}
	if rest, ok := strings.CutPrefix(jdbc, "jdbc:"); ok {
		driver, _, _ := strings.Cut(rest, ":")
		if p, ok := drivers[driver]; ok {
			return p
		}
	}
	t := strings.ToLower(databaseType)
	switch t {
	case "sqlserver":
		return "mssql"
	case "sybase":
		return "ase"
	case "postgresql":
		return "postgres"
	}
	if p, ok := drivers[t]; ok {
		return p
	}
	return t
}

// jdbcPort is the port of a JDBC URL's first host:port ("//h:5432/",
// "@h:1521/", "Tds:h:5000/"), or 0.
func jdbcPort(jdbc string) int {
	rest, ok := strings.CutPrefix(jdbc, "jdbc:")
	if !ok {
		return 0
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] != '/' && rest[i] != '@' && rest[i] != ':' {
			continue
		}
		host := rest[i+1:]
		h, port, ok := strings.Cut(host, ":")
		if !ok || h == "" || strings.ContainsAny(h, "/@:()=") {
			continue
		}
		end := strings.IndexFunc(port, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(port)
		}
		if n, err := strconv.Atoi(port[:end]); err == nil && n > 0 && n < 65536 {
			return n
		}
	}
	return 0
}
