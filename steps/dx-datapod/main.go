package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
)

func main() { os.Exit(cli.Main(datapod.Step)) }
