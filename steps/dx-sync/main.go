package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
)

func main() { os.Exit(cli.Main(dbsync.Step)) }
