// Package locallambda is a local stand-in for AWS Lambda: it runs Go
// functions ([faas.Function]) in emulated execution environments, in
// process or as function executables run through the Lambda Runtime API,
// with Lambda's cold starts, concurrency limits, timeouts, error payloads,
// log lines and asynchronous retries, and it serves the Lambda Invoke API
// over HTTP so that unmodified clients (aws-sdk-go-v2, the AWS CLI) can
// call those functions.
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
// starts a new one. An in-process function's environment runs its
// invocations on a goroutine of its own, kept while the environment is
// (its stack grows once to what the function needs); Close ends those of
// idle environments.
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
// # Function executables
//
// [Process] runs a built function executable unmodified, such as the
// bootstrap of a provided.al2023 function that calls aws-lambda-go's
// lambda.Start:
//
//	svc.RegisterInit(faas.Config{Name: "api"}, locallambda.Process{Path: "./bootstrap"}.Init)
//
// Each execution environment is then one child process with a Runtime API
// server of its own on 127.0.0.1: the process gets Lambda's environment
// variables, its first GET /2018-06-01/runtime/invocation/next ends the
// cold start, each invocation is handed to it with Lambda's headers
// (request id, deadline, function ARN, trace id), and what it posts to
// /response or /error is the invocation's result. A process that exits
// ends its environment: during an invocation, that invocation fails with
// Runtime.ExitError; the next one is a cold start. A timeout or
// [Service.Close] kills the process and its process group. The process's
// standard output and error are logged line by line with the request id
// of the invocation in progress.
//
// # Differences from AWS
//
// In-process functions run in the emulator's own process, as goroutines:
//
//   - A timed-out invocation's goroutine cannot be killed. Its context is
//     cancelled and its environment discarded, but the goroutine runs on
//     until the function returns; its result is ignored. Functions that
//     ignore their context therefore keep running after a timeout.
//   - A panic ends the invocation (with aws-lambda-go's error payload and
//     stack trace, and in the log tail the lines aws-lambda-go and Lambda
//     write when a runtime gives up) and discards the environment, but not
//     the process: the Service keeps serving. The stack trace starts at
//     runtime.gopanic and stops at the function's Invoke, where
//     aws-lambda-go's also shows its own frames above and below.
//   - Environments share the process's memory, globals and environment
//     variables; faas.Config.Environment is not applied to os.Environ. It
//     reaches the function on its faas.Invocation instead, with the
//     variables Lambda sets per function (AWS_LAMBDA_FUNCTION_NAME,
//     AWS_REGION, …), where faas.Getenv reads it; os.Getenv does not see
//     it.
//     MemoryMB limits nothing. "Max Memory Used" in REPORT lines is the Go
//     runtime's memory in use by the whole process at the end of the
//     invocation (runtime/metrics, read at most every 10 ms), capped at
//     the function's memory size: an honest figure, but not a
//     per-function maximum.
//   - On a cold start the init function runs inside the first invocation
//     and counts against its timeout; Lambda gives init a separate
//     10-second budget. Kept so that an injected clock decides timeouts
//     alone: with init outside the timeout, a test advancing a fake clock
//     while init runs would move the deadline by however far it got,
//     depending on when the environment's goroutine ran. Give a function
//     with a slow init a timeout that covers it. Log lines written during
//     init go to the logger but not into that invocation's log tail.
//   - Idle environments are never reclaimed, and there is no burst or
//     scaling-rate limit: only concurrency limits throttle.
//   - Only the unqualified function and the $LATEST qualifier exist;
//     versions and aliases are not emulated, and any other qualifier is
//     ResourceNotFoundException.
//   - The Service verifies no request signatures (SigV4) and knows no IAM:
//     every caller may invoke every function, unless Options.Authorize
//     decides otherwise (the emulator's does, with IAM policies).
//   - In-process functions find their invocation in aws-lambda-go's
//     lambdacontext as on Lambda (request id, invoked ARN, and the client
//     context of a synchronous invocation), but lambdacontext's package
//     variables (FunctionName, MemoryLimitInMB, …), which aws-lambda-go
//     reads from the environment when a process starts, are the emulator
//     process's: read faas.FromContext instead. There is no Cognito
//     identity. X-Amz-Tenant-Id and durable execution headers are ignored.
//   - An empty payload is passed to the function as {}; that AWS does the
//     same is not verified.
//   - Asynchronous (Event) invocations are held in memory, at most
//     Options.MaxQueuedEvents at once holding at most
//     Options.MaxQueuedEventSize bytes of payload; beyond that Invoke is
//     throttled. A
//     throttled event waits for free concurrency without an age limit
//     (Lambda keeps events up to 6 hours), and events still waiting when
//     the Service is closed are dropped. (An event for a function with
//     reserved concurrency 0 is dropped at once, as Lambda drops it.)
//     There are no destinations or dead-letter queues: a failed event is
//     logged and reported to Options.OnEventDone.
//   - Some error messages are the emulator's own wording where AWS's
//     exact text is not documented (notably for invalid payloads and
//     client contexts); the error types and status codes are AWS's. A
//     synchronous request over 6 MB is RequestTooLargeException, as the
//     Invoke API reference names it; users' logs show AWS answering it as
//     RequestEntityTooLargeException, with the same message.
//   - The HTTP API serves only the Invoke operation; every other path is
//     UnknownOperationException.
//
// Function executables ([Process]) run as ordinary child processes:
//
//   - There is no sandbox and no Amazon Linux image: the executable must
//     be built for the host's operating system and architecture (a
//     bootstrap built with GOOS=linux GOARCH=arm64 for Lambda runs only on
//     such a host), it sees the host's file system and network, runs in
//     the directory it is in (not /var/task), and inherits the host's
//     PATH. MemoryMB, /tmp size and file descriptor limits are not
//     enforced, and "Max Memory Used" is the emulator's, not the
//     process's.
//   - The environment holds Lambda's variables but no credentials
//     (AWS_ACCESS_KEY_ID, …; pass them in Process.Env:
//     faas.Config.Environment, like Lambda's, refuses reserved names), and AWS_LAMBDA_RUNTIME_API is a TCP port on 127.0.0.1,
//     one per environment. LAMBDA_RUNTIME_DIR, AWS_XRAY_* and
//     AWS_LAMBDA_MAX_CONCURRENCY are not set. _HANDLER is the
//     executable's file name, as faas.Config names no handler.
//   - The Lambda-Runtime-Deadline-Ms header is the deadline by the
//     Service's clock: use a real clock with executables, which time
//     themselves by the system's.
//   - Lambda-Runtime-Cognito-Identity is never sent. The trace id
//     continues the caller's X-Amzn-Trace-Id (InvokeRequest.TraceID; the
//     gateway passes its own) with a fresh Parent, or is a fresh,
//     unsampled one; nothing reaches X-Ray. In-process functions get it as
//     aws-lambda-go gives it, under the context key "x-amzn-trace-id".
//   - An invocation ends, and Invoke returns its result, when the runtime
//     asks for the next event (or exits), not as soon as it posts its
//     response; for aws-lambda-go that is a few microseconds later. A
//     runtime that posts an error and then exits, as aws-lambda-go does
//     after a panic, fails the invocation with the error it posted.
//   - /error bodies are passed to the caller as posted; the
//     Lambda-Runtime-Function-Error-Type header is not used, except in a
//     streamed response's trailers. Response streaming
//     (Lambda-Runtime-Function-Response-Mode) is not emulated: the
//     response is buffered.
//   - The Extensions, Logs and Telemetry APIs are not served (404), so
//     extensions and aws-lambda-go's WithEnableSIGTERM option do not
//     work; processes are killed with SIGKILL, never sent SIGTERM.
//   - Output lines are attributed to the invocation in progress, or the
//     last one, when they are read: a line written just before a response
//     may reach the log after that invocation's END line, and miss its log
//     tail. Init runs within the first invocation's timeout, as for
//     in-process functions.
package locallambda
