module github.com/faasport/faasport

go 1.26
