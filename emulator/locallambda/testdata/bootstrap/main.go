// Bootstrap is the function executable of locallambda's Process tests: an
// aws-lambda-go function whose behaviour the payload chooses.
//
// With TEST_INIT=exit it exits before starting the runtime loop, and with
// TEST_INIT=error it reports an init error to the Runtime API first.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// request is the payload.
type request struct {
	Op    string `json:"op"`    // echo, error, panic, exit, sleep (answers the pid), log, info, post, spawn (answers the child's pid), big
	Msg   string `json:"msg"`   // for error, panic and log
	Code  int    `json:"code"`  // for exit
	Sleep string `json:"sleep"` // for sleep, a time.Duration
	Size  int    `json:"size"`  // for big
}

// info is what op "info" answers.
type info struct {
	PID             int               `json:"pid"`
	Env             map[string]string `json:"env"`
	RequestID       string            `json:"requestId"`
	FunctionARN     string            `json:"functionArn"`
	DeadlineMs      int64             `json:"deadlineMs"`
	TraceID         string            `json:"traceId"`
	FunctionName    string            `json:"functionName"`
	MemoryLimitInMB int               `json:"memoryLimitInMB"`
	FunctionVersion string            `json:"functionVersion"`
	LogGroupName    string            `json:"logGroupName"`
	LogStreamName   string            `json:"logStreamName"`
	Cwd             string            `json:"cwd"`

	ClientContext *lambdacontext.ClientContext `json:"clientContext,omitempty"` // when the invocation has one
}

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	switch req.Op {
	case "echo":
		return raw, nil
	case "error":
		return nil, errors.New(req.Msg)
	case "panic":
		panic(req.Msg)
	case "exit":
		os.Exit(req.Code)
	case "sleep":
		d, _ := time.ParseDuration(req.Sleep)
		time.Sleep(d) // ignoring ctx, as a function that outruns its timeout does
		return os.Getpid(), nil
	case "log":
		fmt.Println("stdout: " + req.Msg)
		fmt.Fprintln(os.Stderr, "stderr: "+req.Msg)
		return "logged", nil
	case "post":
		// A stray post to the Runtime API, at path Msg under runtime/.
		url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/" + req.Msg
		resp, err := http.Post(url, "application/json", strings.NewReader(`{}`))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return fmt.Sprintf("%d %s", resp.StatusCode, body), nil
	case "spawn":
		// A child process, which outlives the function unless its
		// process group is killed.
		cmd := exec.Command("sleep", "60")
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		return cmd.Process.Pid, nil
	case "big":
		return strings.Repeat("a", req.Size), nil
	case "info":
		lc, _ := lambdacontext.FromContext(ctx)
		d, _ := ctx.Deadline()
		env := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		cwd, _ := os.Getwd()
		return info{
			PID: os.Getpid(), Env: env, RequestID: lc.AwsRequestID, FunctionARN: lc.InvokedFunctionArn,
			DeadlineMs: d.UnixMilli(), TraceID: ctx.Value("x-amzn-trace-id").(string),
			FunctionName: lambdacontext.FunctionName, MemoryLimitInMB: lambdacontext.MemoryLimitInMB,
			FunctionVersion: lambdacontext.FunctionVersion, LogGroupName: lambdacontext.LogGroupName,
			LogStreamName: lambdacontext.LogStreamName, Cwd: cwd, ClientContext: clientContext(lc),
		}, nil
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

// clientContext returns lc's client context, or nil when it has none.
func clientContext(lc *lambdacontext.LambdaContext) *lambdacontext.ClientContext {
	if lc == nil {
		return nil
	}
	cc := lc.ClientContext
	if cc.Client == (lambdacontext.ClientApplication{}) && cc.Env == nil && cc.Custom == nil {
		return nil
	}
	return &cc
}

func main() {
	switch os.Getenv("TEST_INIT") {
	case "exit":
		fmt.Fprintln(os.Stderr, "init: giving up")
		os.Exit(3)
	case "error":
		url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/init/error"
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"errorMessage":"no config","errorType":"InitError"}`))
		req.Header.Set("Lambda-Runtime-Function-Error-Type", "Unhandled")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		os.Exit(1)
	}
	lambda.Start(handle)
}
