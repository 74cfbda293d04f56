// Command exprcheck evaluates one ArgoCD notification trigger condition the way ArgoCD does.
//
// ArgoCD (notifications-engine) compiles a trigger's `when` with github.com/expr-lang/expr, without
// an environment, and runs it against the variables `app` (the Application as a plain map),
// `context`, `appProject` and the helper namespaces `time` and `strings`. A condition that fails to
// run, or returns something other than a boolean, is silently treated as false there; here it is an
// error, so that a typo fails the tests instead of muting an alert.
//
// Input (stdin, JSON):
//
//	{"expression": "app.status.health.status == 'Degraded'", "app": {...}, "now": "2026-01-01T00:00:00Z"}
//
// `now` (RFC 3339, optional) fixes what `time.Now()` returns, so that time-based conditions are
// reproducible. `context` and `appProject` are optional objects.
//
// Output: `true` or `false` on stdout and exit 0; a message on stderr and exit 1 when the expression
// does not compile, fails at run time or is not boolean; exit 2 when the input is unreadable.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/expr-lang/expr"
)

type input struct {
	Expression string         `json:"expression"`
	App        map[string]any `json:"app"`
	Now        string         `json:"now"`
	Context    map[string]any `json:"context"`
	AppProject map[string]any `json:"appProject"`
}

// timeHelpers mirrors util/notification/expression/time of ArgoCD v3.5: Parse accepts RFC 3339 only
// and panics otherwise (expr turns the panic into a run-time error).
func timeHelpers(now func() time.Time) map[string]any {
	return map[string]any{
		"Parse": func(timestamp string) time.Time {
			parsed, err := time.Parse(time.RFC3339, timestamp)
			if err != nil {
				panic(err)
			}
			return parsed
		},
		"Now":         now,
		"Nanosecond":  time.Nanosecond,
		"Microsecond": time.Microsecond,
		"Millisecond": time.Millisecond,
		"Second":      time.Second,
		"Minute":      time.Minute,
		"Hour":        time.Hour,
		"Layout":      time.Layout,
		"ANSIC":       time.ANSIC,
		"UnixDate":    time.UnixDate,
		"RubyDate":    time.RubyDate,
		"RFC822":      time.RFC822,
		"RFC822Z":     time.RFC822Z,
		"RFC850":      time.RFC850,
		"RFC1123":     time.RFC1123,
		"RFC1123Z":    time.RFC1123Z,
		"RFC3339":     time.RFC3339,
		"RFC3339Nano": time.RFC3339Nano,
		"Kitchen":     time.Kitchen,
		"Stamp":       time.Stamp,
		"StampMilli":  time.StampMilli,
		"StampMicro":  time.StampMicro,
		"StampNano":   time.StampNano,
	}
}

// stringHelpers mirrors util/notification/expression/strings of ArgoCD v3.5.
func stringHelpers() map[string]any {
	return map[string]any{
		"ReplaceAll": strings.ReplaceAll,
		"ToUpper":    strings.ToUpper,
		"ToLower":    strings.ToLower,
	}
}

func orEmpty(value map[string]any) map[string]any {
	if value == nil {
		return map[string]any{}
	}
	return value
}

func evaluate(in input) (bool, error) {
	if strings.TrimSpace(in.Expression) == "" {
		return false, fmt.Errorf("expression is empty")
	}
	now := time.Now
	if in.Now != "" {
		fixed, err := time.Parse(time.RFC3339, in.Now)
		if err != nil {
			return false, fmt.Errorf("now: %w", err)
		}
		now = func() time.Time { return fixed }
	}
	// Compiled exactly as notifications-engine does: no environment, no options.
	program, err := expr.Compile(in.Expression)
	if err != nil {
		return false, fmt.Errorf("does not compile: %w", err)
	}
	vars := map[string]any{
		"app":        orEmpty(in.App),
		"context":    orEmpty(in.Context),
		"appProject": orEmpty(in.AppProject),
		"time":       timeHelpers(now),
		"strings":    stringHelpers(),
	}
	result, err := expr.Run(program, vars)
	if err != nil {
		return false, fmt.Errorf("fails at run time (ArgoCD would treat it as false): %w", err)
	}
	value, ok := result.(bool)
	if !ok {
		return false, fmt.Errorf("returns %T %v, not a boolean (ArgoCD would treat it as false)", result, result)
	}
	return value, nil
}

// decode reads the input as Kubernetes reads an object into a map: whole numbers become int64 and
// others float64 (encoding/json alone would make every number a float64).
func decode(raw []byte) (input, error) {
	var in input
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	if err := decoder.Decode(&in); err != nil {
		return in, err
	}
	in.App = numbersOf(in.App).(map[string]any)
	in.Context = numbersOf(in.Context).(map[string]any)
	in.AppProject = numbersOf(in.AppProject).(map[string]any)
	return in, nil
}

func numbersOf(value any) any {
	switch typed := value.(type) {
	case map[string]any:
		for key, element := range typed {
			typed[key] = numbersOf(element)
		}
		return typed
	case []any:
		for index, element := range typed {
			typed[index] = numbersOf(element)
		}
		return typed
	case json.Number:
		if whole, err := typed.Int64(); err == nil {
			return whole
		}
		float, _ := typed.Float64()
		return float
	default:
		return value
	}
}

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "exprcheck: cannot read stdin: %v\n", err)
		os.Exit(2)
	}
	in, err := decode(raw)
	if err != nil {
		fmt.Fprintf(os.Stderr, "exprcheck: input is not the expected JSON object: %v\n", err)
		os.Exit(2)
	}
	value, err := evaluate(in)
	if err != nil {
		fmt.Fprintf(os.Stderr, "exprcheck: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(value)
}
