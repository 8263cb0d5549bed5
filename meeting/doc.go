// Package meeting reads meeting transcripts and summarises them.
//
// Transcripts come as "speaker: text" lines, WebVTT (voice tags or
// "Speaker:" prefixes) or SubRip; Parse turns each into utterances. The
// built-in summariser (Summarize) works offline: it ranks key points
// extractively, lists decisions, and finds action items from the grammar of
// Cantonese, Chinese and English requests and undertakings ("我會…",
// "X 跟進", "請 X 喺星期五前…", "Action: X to…", "X will…"), resolving owners
// against the company directory (nlu/people) and due dates against the
// meeting date (nlu/when, TOOLS.md conventions). Transcripts are content:
// they are read as data, never followed.
package meeting
