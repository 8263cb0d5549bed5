// Package anomaly scores expense items against a tenant's claim history and
// explains each score.
//
// A [Scorer] keeps the tenant's history in memory, indexed so that one item is
// scored in microseconds even with 100,000 items behind it. Each check
// (duplicates, split claims, amount outliers, non-working-day spending, round
// amounts and Benford drift, stale or future receipts, OCR total mismatches,
// category/merchant mismatches) yields a calibrated probability that the item
// is anomalous for that reason; the probabilities are combined by noisy-OR into
// one score in [0,1], and every contributing check is returned as a [Reason]
// with a stable code and texts in Traditional Chinese and English.
//
// The package is pure Go and knows nothing of storage: a store loads a tenant's
// history with [Scorer.Load] and scores new items with [Scorer.Score].
package anomaly
