// Calls into the standard library: package functions and methods of stdlib types
// (strings.Builder, bytes.Buffer, *os.File, *sync.Mutex via value, errors).
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
)

func main() {
	var sb strings.Builder
	sb.WriteString("a")
	_ = sb.String()
	buf := new(bytes.Buffer)
	buf.WriteByte('x')
	var b2 bytes.Buffer
	_, _ = b2.Write([]byte("y"))
	f, err := os.Open("/dev/null")
	if err == nil {
		defer f.Close()
		_, _ = f.Stat()
	}
	_, _ = os.Stdout.WriteString("z\n")
	e := errors.New("e")
	_ = fmt.Errorf("w: %w", e)
	_ = strings.Split("a,b", ",")
	_ = fmt.Sprint(sb.Len())
	r := strings.NewReader("q")
	_ = r.Len()
}

// WANT:
// example.com/stdlib_calls.main -> (*strings.Builder).WriteString  [static]
// example.com/stdlib_calls.main -> (*strings.Builder).String  [static]
// example.com/stdlib_calls.main -> (*bytes.Buffer).WriteByte  [static]
// example.com/stdlib_calls.main -> (*bytes.Buffer).Write  [static]
// example.com/stdlib_calls.main -> os.Open  [static]
// example.com/stdlib_calls.main -> (*os.File).Close  [static]
// example.com/stdlib_calls.main -> (*os.File).Stat  [static]
// example.com/stdlib_calls.main -> (*os.File).WriteString  [static]
// example.com/stdlib_calls.main -> errors.New  [static]
// example.com/stdlib_calls.main -> fmt.Errorf  [static]
// example.com/stdlib_calls.main -> strings.Split  [static]
// example.com/stdlib_calls.main -> fmt.Sprint  [static]
// example.com/stdlib_calls.main -> (*strings.Builder).Len  [static]
// example.com/stdlib_calls.main -> strings.NewReader  [static]
// example.com/stdlib_calls.main -> (*strings.Reader).Len  [static]
