package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
)

func main() { os.Exit(cli.Main(refresh.Step)) }
