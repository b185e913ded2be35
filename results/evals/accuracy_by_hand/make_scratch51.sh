#!/bin/sh
# The fifty-first by-hand round's scratch folder: a Go module with two programs under cmd/,
# an internal package with tests, and a benchmark (Go itself is not installed here).
set -e
d=${1:-/tmp/scratch51}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > go.mod <<'GO'
module github.com/example/linkcheck

go 1.22

require (
	github.com/spf13/cobra v1.8.0
	golang.org/x/net v0.25.0
)
GO
mkdir -p cmd/linkcheck cmd/linkserver internal/crawl
cat > cmd/linkcheck/main.go <<'GO'
package main

import "fmt"

func main() { fmt.Println("linkcheck") }
GO
cat > cmd/linkserver/main.go <<'GO'
package main

import "fmt"

func main() { fmt.Println("linkserver") }
GO
cat > internal/crawl/crawl.go <<'GO'
package crawl

// Links returns the links of a page.
func Links(page string) []string { return nil }
GO
cat > internal/crawl/crawl_test.go <<'GO'
package crawl

import "testing"

func TestLinks(t *testing.T) {
	if Links("") != nil {
		t.Fatal("want none")
	}
}

func TestLinksRelative(t *testing.T) {}

func BenchmarkLinks(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Links("<a href=x>")
	}
}
GO
printf '# linkcheck\n\nChecks links.\n' > README.md
