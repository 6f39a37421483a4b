"""Loading, cleaning, chunking and indexing of news sources into the newsdesk store."""
