package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
)

// Log writes lines for people to stderr, each prefixed with the step name,
// plain text (a Jenkins log shows no terminal colours).
type Log struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
}

// NewLog returns a Log writing to w.
func NewLog(w io.Writer, step string) *Log { return &Log{w: w, prefix: step + ": "} }

// Printf writes one line.
func (l *Log) Printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s%s\n", l.prefix, strings.TrimRight(fmt.Sprintf(format, args...), "\n"))
}

// Writer returns a writer that logs each line it is given with prefix, for
// a child process's output; Flush logs a last unterminated line.
func (l *Log) Writer(prefix string) *LineWriter { return &LineWriter{log: l, prefix: prefix} }

// LineWriter is the io.Writer Log.Writer returns.
type LineWriter struct {
	log     *Log
	prefix  string
	pending []byte
}

func (w *LineWriter) Write(p []byte) (int, error) {
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.log.Printf("%s%s", w.prefix, w.pending[:i])
		w.pending = w.pending[i+1:]
	}
}

// Flush writes a last line without a newline, if any.
func (w *LineWriter) Flush() {
	if len(w.pending) > 0 {
		w.log.Printf("%s%s", w.prefix, w.pending)
		w.pending = nil
	}
}

// Progress returns a delphix wait callback that prints the job's percent
// and each new engine event on its own line.
func (l *Log) Progress(job string) func(delphix.Progress) {
	last := -1.0
	return func(p delphix.Progress) {
		for _, e := range p.NewEvents {
			msg := strings.Join(strings.Fields(e.MessageDetails), " ")
			if msg == "" {
				msg = e.MessageCode
			}
			l.Printf("  %s %3.0f%% %-7s %s", job, e.PercentComplete, e.EventType, msg)
			last = e.PercentComplete
		}
		if p.Job.PercentComplete != last {
			l.Printf("  %s %3.0f%%", job, p.Job.PercentComplete)
			last = p.Job.PercentComplete
		}
	}
}

// DCTProgress returns a DCT wait callback that prints what Progress prints
// on the engine: each new task message, then the job's percent when it
// moved since the last line. DCT's task events carry no percent of their
// own: a message is printed with the job's. The task's title prefixes a
// message only when the job has several tasks, to say which one speaks.
func (l *Log) DCTProgress(job string) func(dct.Progress) {
	last := -1
	return func(p dct.Progress) {
		for _, m := range p.NewEvents {
			msg := strings.Join(strings.Fields(m.Message), " ")
			if msg == "" {
				continue
			}
			if title := strings.TrimSuffix(strings.Join(strings.Fields(m.Task), " "), "."); len(p.Job.Tasks) > 1 && title != "" && !strings.HasPrefix(msg, title) {
				msg = title + ": " + msg
			}
			l.Printf("  %s %3d%% %s", job, p.Job.PercentComplete, msg)
			last = p.Job.PercentComplete
		}
		if p.Job.PercentComplete != last {
			l.Printf("  %s %3d%%", job, p.Job.PercentComplete)
			last = p.Job.PercentComplete
		}
	}
}
