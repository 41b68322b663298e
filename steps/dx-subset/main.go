package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/subset"
)

func main() { os.Exit(cli.Main(subset.Step)) }
