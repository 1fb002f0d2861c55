"""One file's front matter: reading it (YAML, TOML, JSON; the fast reader and the list-fields
reader), the fields Curator knows (schema), editing values line by line, and reading and writing
the file safely (snapshots, atomic saves). Knows no site and no folder."""
