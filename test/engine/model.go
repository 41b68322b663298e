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
	// RequestRecord is one API request as the engine received it, passwords redacted.
	RequestRecord = model.RequestRecord
	// CatalogEntry is one bookmark with what its data holds.
	CatalogEntry = model.CatalogEntry
	// ContainerStateFault puts a container in a state.
	ContainerStateFault = model.ContainerStateFault
)
