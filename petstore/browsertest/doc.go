// Package browsertest holds the pet store's end-to-end browser tests: they
// drive headless Chromium (with chromedp) through a customer's whole
// journey — sign up, sign in, browse, search, add to the cart, purchase,
// see the order — once through the monolith's server-rendered pages and
// once through the single-page app of the serverless split, on the real
// split: the emulator's auth service, product store under IAM, API
// gateway and functions.
//
// The package has tests only; nothing imports it. Run them with
//
//	go test ./petstore/browsertest
//
// They need Chromium at /usr/bin/chromium (or chromium on $PATH): without
// it they are skipped, or fail when the environment variable CI is set,
// because .ci/run installs it. With PETSTORE_SCREENSHOTS=<dir> they save
// full-page PNG screenshots of the key pages of both deployments there
// (docs/img holds a set).
package browsertest
