package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/credentials"
)

func main() { os.Exit(cli.Main(credentials.Step)) }
