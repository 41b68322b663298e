package main

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
)

func main() { os.Exit(cli.Main(bookmark.Step)) }
