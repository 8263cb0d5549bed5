package ocr

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// Sniff detects the format from the content's magic bytes, never from a file name.
// It returns "" for anything else.
func Sniff(data []byte) Kind {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return KindJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return KindWebP
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return KindGIF
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return KindBMP
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return KindTIFF
	case isPDF(data):
		return KindPDF
	case len(data) >= 12 && string(data[4:8]) == "ftyp" && isHEIFBrand(string(data[8:12])):
		return KindHEIC
	}
	return ""
}

// isPDF accepts "%PDF-" within the first KiB, as readers do: some producers put
// junk (or a BOM) before the header.
func isPDF(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("%PDF-"))
}

func isHEIFBrand(b string) bool {
	switch b {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif":
		return true
	}
	return false
}

// decodeConfig and decode per kind; registering with image.RegisterFormat would be
// package-level global state shared with the whole binary.
func codec(kind Kind) (func([]byte) (image.Config, error), func([]byte) (image.Image, error)) {
	wrap := func(cfg func(r *bytes.Reader) (image.Config, error), dec func(r *bytes.Reader) (image.Image, error)) (func([]byte) (image.Config, error), func([]byte) (image.Image, error)) {
		return func(b []byte) (image.Config, error) { return cfg(bytes.NewReader(b)) },
			func(b []byte) (image.Image, error) { return dec(bytes.NewReader(b)) }
	}
	switch kind {
	case KindJPEG:
		return wrap(func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) })
	case KindPNG:
		return wrap(func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) })
	case KindWebP:
		return wrap(func(r *bytes.Reader) (image.Config, error) { return webp.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return webp.Decode(r) })
	case KindGIF:
		return wrap(func(r *bytes.Reader) (image.Config, error) { return gif.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return gif.Decode(r) })
	case KindBMP:
		return wrap(func(r *bytes.Reader) (image.Config, error) { return bmp.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return bmp.Decode(r) })
	case KindTIFF:
		return wrap(func(r *bytes.Reader) (image.Config, error) { return tiff.DecodeConfig(r) },
			func(r *bytes.Reader) (image.Image, error) { return tiff.Decode(r) })
	}
	return nil, nil
}

// decodeImage checks the dimensions from the header before decoding anything, so a
// small file that claims a huge canvas is refused without allocating it, then
// decodes and applies the EXIF orientation.
func decodeImage(data []byte, kind Kind, maxPixels int) (img image.Image, err error) {
	cfgFn, decFn := codec(kind)
	if cfgFn == nil {
		return nil, fmt.Errorf("ocr: %s: %w", kind, ErrUnsupported)
	}
	// Decoders of untrusted data should return errors, but a panic must not take the
	// server down.
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("ocr: decoding %s: panic %v: %w", kind, r, ErrCorrupt)
		}
	}()
	cfg, err := cfgFn(data)
	if err != nil {
		return nil, fmt.Errorf("ocr: reading %s header: %v: %w", kind, err, ErrCorrupt)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("ocr: %s of %dx%d pixels: %w", kind, cfg.Width, cfg.Height, ErrCorrupt)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, fmt.Errorf("ocr: %s of %dx%d pixels exceeds the limit of %d: %w", kind, cfg.Width, cfg.Height, maxPixels, ErrTooLarge)
	}
	img, err = decFn(data)
	if err != nil {
		return nil, fmt.Errorf("ocr: decoding %s: %v: %w", kind, err, ErrCorrupt)
	}
	if kind == KindJPEG {
		img = applyOrientation(img, exifOrientation(data))
	}
	return img, nil
}

// exifOrientation reads the EXIF Orientation tag (1..8) of a JPEG; 1 when absent.
// Phones store portrait receipts as landscape pixels plus this tag.
func exifOrientation(data []byte) int {
	const none = 1
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return none
		}
		marker := data[i+1]
		if marker == 0xda || marker == 0xd9 { // start of scan: no more metadata
			return none
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if size < 2 || i+2+size > len(data) {
			return none
		}
		seg := data[i+4 : i+2+size]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + size
	}
	return none
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			v := int(bo.Uint16(t[e+8:]))
			if v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// applyOrientation returns img turned upright for an EXIF orientation value.
func applyOrientation(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // rotated 180
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // rotated 90 clockwise to view
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // rotated 90 counter-clockwise to view
				dx, dy = y, w-1-x
			}
			dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}
