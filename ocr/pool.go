package ocr

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/otiai10/gosseract/v2"
)

// pool hands out Tesseract clients, one per concurrent recognition: a
// gosseract.Client wraps a TessBaseAPI, which must not be used from two goroutines.
type pool struct {
	free chan *gosseract.Client
	done chan struct{} // closed by close: waiters give up

	mu     sync.Mutex
	closed bool
	all    []*gosseract.Client
	wg     sync.WaitGroup // clients checked out
}

func newPool(n int, langs []string, psm int) (*pool, error) {
	avail, err := gosseract.GetAvailableLanguages()
	if err != nil {
		return nil, fmt.Errorf("listing tesseract languages: %w", err)
	}
	for _, l := range langs {
		if !slices.Contains(avail, l) {
			return nil, fmt.Errorf("tesseract language %q is not installed (have %v)", l, avail)
		}
	}
	p := &pool{free: make(chan *gosseract.Client, n), done: make(chan struct{})}
	for range n {
		c := gosseract.NewClient()
		if err := configure(c, langs, psm); err != nil {
			c.Close()
			p.close()
			return nil, err
		}
		p.all = append(p.all, c)
	}
	// Load the language models now, so that the first requests do not pay for
	// it (chi_tra+chi_sim take about a second per client). One at a time: see
	// initMu.
	var errs []error
	for _, c := range p.all {
		errs = append(errs, warmUp(c))
	}
	if err := errors.Join(errs...); err != nil {
		p.closeAll()
		return nil, fmt.Errorf("starting tesseract: %w", err)
	}
	for _, c := range p.all {
		p.free <- c
	}
	return p, nil
}

func configure(c *gosseract.Client, langs []string, psm int) error {
	if err := c.SetLanguage(langs...); err != nil {
		return fmt.Errorf("tesseract languages: %w", err)
	}
	if err := c.SetPageSegMode(gosseract.PageSegMode(psm)); err != nil {
		return fmt.Errorf("tesseract page segmentation mode: %w", err)
	}
	// Our images carry no resolution; without this Tesseract warns and guesses 70.
	if err := c.SetVariable("user_defined_dpi", "300"); err != nil {
		return fmt.Errorf("tesseract dpi: %w", err)
	}
	return nil
}

// initMu serialises Tesseract initialisation in the process. gosseract's
// Init swaps file descriptor 2 (stderr) for /dev/null and back around
// TessBaseAPI::Init; two Inits at once can each restore the other's
// /dev/null, which silenced the service's logs for good. fd 2 is global to
// the process, so this lock is too.
var initMu sync.Mutex

// warmUp initialises the client's TessBaseAPI on a blank image.
func warmUp(c *gosseract.Client) error {
	initMu.Lock()
	defer initMu.Unlock()
	if err := c.SetImageFromBytes(blankPGM(32, 32)); err != nil {
		return err
	}
	_, err := c.Text()
	return err
}

// acquire waits for a free client, the context's end or the pool's closing.
func (p *pool) acquire(ctx context.Context) (*gosseract.Client, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	p.wg.Add(1)
	p.mu.Unlock()
	select {
	case c := <-p.free:
		return c, nil
	case <-ctx.Done():
		p.wg.Done()
		return nil, ctx.Err()
	case <-p.done:
		p.wg.Done()
		return nil, ErrClosed
	}
}

func (p *pool) release(c *gosseract.Client) {
	p.free <- c // never blocks: the channel holds every client
	p.wg.Done()
}

// close waits for checked-out clients to come back, then frees them all.
func (p *pool) close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	p.mu.Unlock()
	p.wg.Wait()
	return p.closeAll()
}

func (p *pool) closeAll() error {
	var errs []error
	for _, c := range p.all {
		errs = append(errs, c.Close())
	}
	p.all = nil
	return errors.Join(errs...)
}

// recognize runs Tesseract on an encoded image (PGM or PNG) with a pooled client.
func (p *pool) recognize(ctx context.Context, img []byte) (string, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer p.release(c)
	if err := c.SetImageFromBytes(img); err != nil {
		return "", fmt.Errorf("tesseract image: %w", err)
	}
	text, err := c.Text()
	if err != nil {
		return "", fmt.Errorf("tesseract: %w", err)
	}
	return text, nil
}
