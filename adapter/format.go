package adapter

import "fmt"

// Format is the shape of an HTTP event and of the response its source
// expects.
type Format int

// The event formats the adapter reads and writes.
const (
	FormatUnknown       Format = iota
	FormatRESTAPI              // API Gateway REST API proxy integration (payload 1.0)
	FormatHTTPAPIV1            // API Gateway HTTP API, payload format 1.0
	FormatHTTPAPIV2            // API Gateway HTTP API, payload format 2.0
	FormatALB                  // Application Load Balancer target, single-value headers
	FormatALBMultiValue        // Application Load Balancer target, multi-value headers
	FormatFunctionURL          // Lambda function URL
	FormatVPCLatticeV2         // Amazon VPC Lattice, event version 2.0
	numFormats
)

var formatNames = [...]string{
	FormatUnknown:       "unknown",
	FormatRESTAPI:       "rest-api",
	FormatHTTPAPIV1:     "http-api-v1",
	FormatHTTPAPIV2:     "http-api-v2",
	FormatALB:           "alb",
	FormatALBMultiValue: "alb-multi-value",
	FormatFunctionURL:   "function-url",
	FormatVPCLatticeV2:  "vpc-lattice-v2",
}

// String returns the format's name, such as "http-api-v2".
func (f Format) String() string {
	if f >= 0 && f < numFormats {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat returns the Format named s, as [Format.String] spells it.
func ParseFormat(s string) (Format, error) {
	for f := FormatRESTAPI; f < numFormats; f++ {
		if formatNames[f] == s {
			return f, nil
		}
	}
	return FormatUnknown, fmt.Errorf("adapter: unknown event format %q", s)
}

// multiValue reports whether the format's response carries several values
// per header.
func (f Format) multiValue() bool {
	return f == FormatRESTAPI || f == FormatHTTPAPIV1 || f == FormatALBMultiValue
}

// hasCookies reports whether the format's request and response carry
// cookies in a field of their own.
func (f Format) hasCookies() bool {
	return f == FormatHTTPAPIV2 || f == FormatFunctionURL
}

// hasStatusDescription reports whether the response carries
// statusDescription ("200 OK").
func (f Format) hasStatusDescription() bool {
	return f == FormatALB || f == FormatALBMultiValue || f == FormatVPCLatticeV2
}
