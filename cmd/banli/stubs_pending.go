package main

import (
	"context"
	"errors"
	"io"
)

// These commands need the HTTP API and token store, which land next.
func cmdDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("banli dev is not available in this build yet")
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("banli serve is not available in this build yet")
}

func cmdToken(ctx context.Context, args []string, stdout io.Writer) error {
	return errors.New("banli token is not available in this build yet")
}
