"""Readers for the files a pupil administration exports. Each returns a `records.SourceData`: plain rows
with their line numbers, plus a Dutch reason for every row that cannot be read."""
