"""Import of regulations and job descriptions from text, Markdown and Word files.

Pipeline: read (bytes → SourceLine list) → clean (boilerplate, page markers, pinyin, wraps) →
split (one file → many documents, titles found) → structure (chapters, articles, clauses) →
metadata and job descriptions → ParsedDocument. Writing pages is the service's job.
"""
