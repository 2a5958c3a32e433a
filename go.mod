module github.com/faasport/faasport

go 1.26

require (
	github.com/aws/aws-lambda-go v1.55.1
	github.com/google/go-cmp v0.7.0
)

require github.com/gorilla/mux v1.8.1 // indirect
