// Package locallambda is an in-process stand-in for AWS Lambda: it runs
// Go functions ([faas.Function]) in emulated execution environments, with
// Lambda's cold starts, concurrency limits, timeouts, error payloads, log
// lines and asynchronous retries, and it serves the Lambda Invoke API over
// HTTP so that unmodified clients (aws-sdk-go-v2, the AWS CLI) can call
// those functions.
//
// Programs and tests create a [Service] with [New], add functions with
// [Service.Register] or [Service.RegisterInit], and call them with
// [Service.Invoke] or through [Service.Handler]. The API gateway emulator
// calls [Service.Invoke] directly. Whoever creates a Service must call
// [Service.Close].
//
// # Execution environments
//
// Each function has a pool of execution environments. An environment is
// initialised once, on the invocation that needs it (a cold start, whose
// init time is reported as "Init Duration"), and is then reused for later
// invocations (warm starts), the most recently used first. An environment
// serves one invocation at a time. It is discarded when an invocation
// times out, panics or fails to initialise; the next invocation then
// starts a new one.
//
// Concurrency is limited as on Lambda: a function with reserved
// concurrency runs at most that many invocations at once; functions
// without a reservation share the account's concurrency less all
// reservations. An invocation beyond the limit is throttled at once
// (TooManyRequestsException, 429); nothing is queued. A reservation that
// would leave fewer than 100 unreserved executions is refused, as AWS
// refuses it.
//
// Each invocation gets a new request id and a context carrying a
// [faas.Invocation] whose Logger writes, with "function" and "request_id"
// attributes, to the Service's logger, and into the invocation's log tail
// when the caller asked for one (LogType Tail). The Service logs Lambda's
// own lines (START, END, REPORT, and "Task timed out") the same way, in
// Lambda's exact text.
//
// # Differences from AWS
//
// Functions run in the emulator's own process, as goroutines:
//
//   - A timed-out invocation's goroutine cannot be killed. Its context is
//     cancelled and its environment discarded, but the goroutine runs on
//     until the function returns; its result is ignored. Functions that
//     ignore their context therefore keep running after a timeout.
//   - A panic ends the invocation (with aws-lambda-go's error payload and
//     stack trace) and discards the environment, but not the process: the
//     Service keeps serving.
//   - Environments share the process's memory, globals and environment
//     variables; faas.Config.Environment is not applied to os.Environ.
//     MemoryMB limits nothing. "Max Memory Used" in REPORT lines is the Go
//     runtime's memory in use by the whole process at the end of the
//     invocation (runtime/metrics, read at most every 10 ms), capped at
//     the function's memory size: an honest figure, but not a
//     per-function maximum.
//   - On a cold start the init function runs inside the first invocation
//     and counts against its timeout; Lambda gives init a separate
//     10-second budget. Log lines written during init go to the logger but
//     not into that invocation's log tail.
//   - Idle environments are never reclaimed, and there is no burst or
//     scaling-rate limit: only concurrency limits throttle.
//   - Only the unqualified function and the $LATEST qualifier exist;
//     versions and aliases are not emulated, and any other qualifier is
//     ResourceNotFoundException.
//   - Request signatures (SigV4) are accepted without being verified, and
//     there is no IAM: every caller may invoke every function.
//   - A ClientContext is validated but not passed to the function, since
//     faas.Invocation has no field for it. X-Amz-Tenant-Id and durable
//     execution headers are ignored.
//   - An empty payload is passed to the function as {}; that AWS does the
//     same is not verified.
//   - Asynchronous (Event) invocations are held in memory, at most
//     Options.MaxQueuedEvents at once; beyond that Invoke is throttled. A
//     throttled event waits for free concurrency without an age limit
//     (Lambda keeps events up to 6 hours), and events still waiting when
//     the Service is closed are dropped. There are no destinations or
//     dead-letter queues: a failed event is logged and reported to
//     Options.OnEventDone.
//   - Some error messages are the emulator's own wording where AWS's
//     exact text is not documented (notably for invalid payloads and
//     client contexts); the error types and status codes are AWS's.
//   - The HTTP API serves only the Invoke operation; every other path is
//     UnknownOperationException.
package locallambda
