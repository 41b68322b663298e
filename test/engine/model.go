package engine

import "github.com/dxsteps/dxsteps/test/engine/internal/model"

// The data model and the test API's values, as tests of other packages name them.
type (
	// Row is one row of the small table that stands in for an application's data.
	Row = model.Row
	// Account is a database account of a dataset.
	Account = model.Account
	// Contents is what a dataset holds: the data a test can check for meaning.
	Contents = model.Contents
	// Connection says how an application would connect to a dataset's database.
	Connection = model.Connection
	// Dataset is one named dataset as the test API shows it.
	Dataset = model.Dataset
	// DatasetRef names a dataset in the test API's list.
	DatasetRef = model.DatasetRef
	// JobFault makes the next matching job fail.
	JobFault = model.JobFault
	// HTTPFault answers matching API requests with an HTTP error, as a proxy would.
	HTTPFault = model.HTTPFault
	// RandomFaults does faults to API requests at random, with a rate and a seed.
	RandomFaults = model.RandomFaults
	// FaultRecord is one fault the engine did.
	FaultRecord = model.FaultRecord
	// RequestRecord is one API request as the engine received it, passwords redacted.
	RequestRecord = model.RequestRecord
	// CatalogEntry is one bookmark with what its data holds.
	CatalogEntry = model.CatalogEntry
	// ContainerStateFault puts a container in a state.
	ContainerStateFault = model.ContainerStateFault

	// Seed is the estate an engine starts with (see model.Seed for the YAML form).
	Seed = model.Seed
	// SeedUser is a user of a seed.
	SeedUser = model.SeedUser
	// SeedDatabase is a dSource or VDB of a seed.
	SeedDatabase = model.SeedDatabase
	// SeedData is what a seed database holds.
	SeedData = model.SeedData
	// SeedAccount is a database account of a seed database.
	SeedAccount = model.SeedAccount
	// SeedHook is a hook of a seed database.
	SeedHook = model.SeedHook
	// SeedTemplate is a self-service template of a seed.
	SeedTemplate = model.SeedTemplate
	// SeedContainer is a self-service container of a seed.
	SeedContainer = model.SeedContainer
)

// LoadSeed reads a YAML seed file (format: see Seed). Unknown keys are errors.
func LoadSeed(path string) (*Seed, error) { return model.LoadSeed(path) }

// WorkshopSeed is the Delphix Toolchain Workshop estate, the default of Options.Seed.
func WorkshopSeed() *Seed { return model.WorkshopSeed() }

// FaultKinds are the kinds of HTTP fault (HTTPFault.Kind; see model.HTTPFault).
var FaultKinds = model.FaultKinds
