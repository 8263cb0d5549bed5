// Package knowledge is banli's knowledge search. Documents (policies,
// handbooks) and meeting transcripts and summaries are split into passages
// (chunks), embedded, and found again by meaning and by keyword at once; the
// two rankings are fused and every result cites its source.
//
// Chunking (Split), keyword terms (Terms), snippets and the embedders (the
// offline Hashed one and an OpenAI-compatible client) are plain Go. The Index
// keeps chunks in PostgreSQL's knowledge_chunks table (migration 00007) and
// has two backends that behave alike: pgvector (HNSW, cosine) where the
// vector extension can be installed, and an exact scan on plain PostgreSQL.
// Open chooses one at start-up; both pass the same conformance tests.
//
// Visibility is data on every chunk: a list of reader principals (Everyone,
// Employee(id), Role(name)); a search passes the actor's principals and
// sees only chunks sharing one of them. The store computes both sides from
// the authorization rules.
package knowledge
