package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
)

func main() { os.Exit(cli.Main(branch.Step)) }
