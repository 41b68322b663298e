// Command gen writes the files generated from the step binaries'
// contracts (make contract). Run it from the repository root.
package main

import (
	"fmt"
	"os"

	"github.com/dxsteps/dxsteps/internal/contract"
)

func main() {
	files, err := contract.Generate(".")
	if err == nil {
		for _, f := range files {
			if err = os.WriteFile(f.Path, f.Content, 0o644); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		os.Exit(1)
	}
}
