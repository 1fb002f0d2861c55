"""The open folder: scanning, the index, the column table and its queries, loading, any field of
a selection, and the Workspace with its edits, undo steps, saves and review. Builds on `site` and
`document`."""
