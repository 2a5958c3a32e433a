// Package emulatortest starts faasport's emulator for a test, as
// httptest.NewServer starts a server: the emulator logs to the test's
// output and is closed when the test ends.
package emulatortest

import (
	"log/slog"
	"testing"

	"github.com/faasport/faasport/emulator"
)

// New starts an emulator configured by opts (nil for the defaults),
// logging to t unless opts sets a Logger, and closes it with t.Cleanup.
// It fails the test if the emulator cannot start.
func New(t testing.TB, opts *emulator.Options) *emulator.Emulator {
	t.Helper()
	o := emulator.Options{}
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	e, err := emulator.New(&o)
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("emulatortest: closing the emulator: %v", err)
		}
	})
	return e
}
