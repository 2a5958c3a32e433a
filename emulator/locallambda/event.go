package locallambda

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
)

// ErrZeroReservedConcurrency is [EventResult.Err] for an asynchronous
// invocation of a function whose reserved concurrency is 0: as Lambda does
// (reporting the condition ZeroReservedConcurrency), the Service accepts
// the event and drops it without running the function.
var ErrZeroReservedConcurrency = errors.New("locallambda: event dropped: the function's reserved concurrency is 0 (ZeroReservedConcurrency)")

// invokeEvent accepts an asynchronous invocation and runs it in the
// background, retrying function errors after the configured delays.
func (s *Service) invokeEvent(f *function, arn string, payload []byte, trace string) (*InvokeResult, error) {
	if len(payload) > MaxEventSize {
		return nil, &InvokeError{StatusCode: 413, Type: RequestEntityTooLargeException,
			Message: strconv.Itoa(len(payload)) + " byte payload is too large for the Event invocation type (limit " +
				strconv.Itoa(MaxEventSize) + " bytes)"}
	}
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return nil, &InvokeError{StatusCode: 500, Type: ServiceException, Message: ErrClosed.Error()}
	}
	if s.queued >= s.maxQueued || s.queuedBytes+len(payload) > s.maxBytes {
		s.mu.Unlock()
		return nil, throttled("")
	}
	s.queued++
	s.queuedBytes += len(payload)
	s.events.Add(1)
	s.mu.Unlock()

	id := newRequestID()
	go s.runEvent(f, arn, id, bytes.Clone(payload), trace)
	return &InvokeResult{StatusCode: 202, RequestID: id}, nil
}

// runEvent runs an accepted Event invocation to its end.
func (s *Service) runEvent(f *function, arn, id string, payload []byte, trace string) {
	res := EventResult{FunctionName: f.name, RequestID: id}
	defer func() {
		s.mu.Lock()
		s.queued--
		s.queuedBytes -= len(payload)
		s.mu.Unlock()
		if s.onEventDone != nil {
			s.onEventDone(res)
		}
		s.events.Done()
	}()
	dropped := func(err error) {
		res.Err = err
		f.logger.LogAttrs(context.Background(), slog.LevelWarn, "locallambda: asynchronous invocation dropped",
			slog.String("request_id", id), slog.Int("attempts", res.Attempts), slog.String("error", err.Error()))
	}
	if f.reserved == 0 {
		// Lambda accepts the event and discards it at once: no
		// execution can ever run it.
		dropped(ErrZeroReservedConcurrency)
		return
	}
	for {
		if err := s.acquireWait(f); err != nil {
			dropped(err)
			return
		}
		r, _ := s.start(f, arn, id, payload, true, false, nil, trace).wait(context.Background(), 0) // payload is invokeEvent's copy
		res.Attempts++
		res.Result = r
		if r.FunctionError == "" {
			return
		}
		if res.Attempts > len(s.retryDelays) {
			f.logger.LogAttrs(context.Background(), slog.LevelWarn, "locallambda: asynchronous invocation failed",
				slog.String("request_id", id), slog.Int("attempts", res.Attempts), slog.String("error", string(r.Payload)))
			return
		}
		t := s.clock.NewTimer(s.retryDelays[res.Attempts-1])
		select {
		case <-t.C():
		case <-s.quit:
			t.Stop()
			dropped(ErrClosed)
			return
		}
	}
}
