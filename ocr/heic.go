package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// heicSize returns the largest image extent declared in a HEIF file's 'ispe'
// (image spatial extent) properties, read from the container without decoding.
// Phone photos are grids of 512×512 tiles: the grid item's ispe is the whole
// picture, so the largest one bounds what decoding allocates.
func heicSize(data []byte) (w, h int, ok bool) {
	best := int64(0)
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("ispe"))
		if i < 0 {
			break
		}
		p := off + i
		off = p + 4
		// A box is size(4) type(4) version+flags(4) width(4) height(4).
		if p < 4 || p+16 > len(data) || binary.BigEndian.Uint32(data[p-4:]) != 20 {
			continue
		}
		bw, bh := binary.BigEndian.Uint32(data[p+8:]), binary.BigEndian.Uint32(data[p+12:])
		if px := int64(bw) * int64(bh); px > best {
			best, w, h, ok = px, int(bw), int(bh), true
		}
	}
	return w, h, ok
}

// decodeHEIC checks a HEIC image's declared size against the pixel limit, then
// converts it to PNG with libheif's heif-convert (Debian: libheif-examples) and
// decodes that. Go has no HEVC decoder; the tool runs in its own process, so a
// crash on a hostile file costs that process only.
func (c Config) decodeHEIC(ctx context.Context, data []byte) (image.Image, error) {
	w, h, ok := heicSize(data)
	if !ok || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("ocr: HEIC without an image size: %w", ErrCorrupt)
	}
	if int64(w)*int64(h) > int64(c.MaxPixels) {
		return nil, fmt.Errorf("ocr: heic of %dx%d pixels exceeds the limit of %d: %w", w, h, c.MaxPixels, ErrTooLarge)
	}
	tool, err := exec.LookPath(c.HeifConvert)
	if err != nil {
		return nil, fmt.Errorf("ocr: HEIC images need %s (Debian package libheif-examples): %w", c.HeifConvert, ErrUnsupported)
	}
	ctx, cancel := context.WithTimeout(ctx, c.PDFTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "banli-heic-")
	if err != nil {
		return nil, fmt.Errorf("ocr: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.heic"), filepath.Join(dir, "out.png")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("ocr: writing HEIC: %w", err)
	}
	cmd := exec.CommandContext(ctx, tool, in, out)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ocr: converting HEIC: %w", ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("ocr: heif-convert: %s: %w", lastLine(stderr.String()), ErrCorrupt)
		}
		return nil, fmt.Errorf("ocr: running heif-convert: %w", err)
	}
	// A file with several top-level images is written as out-1.png, out-2.png...;
	// the first is the primary image.
	png, err := os.ReadFile(out)
	if errors.Is(err, os.ErrNotExist) {
		png, err = os.ReadFile(filepath.Join(dir, "out-1.png"))
	}
	if err != nil {
		return nil, fmt.Errorf("ocr: heif-convert wrote no image: %w", ErrCorrupt)
	}
	return decodeImage(png, KindPNG, c.MaxPixels)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
