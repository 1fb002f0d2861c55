"""The front-matter formats: one module per format (`yaml`, `toml`, `json`), each a
`FrontMatterFormat` (base.py) that splits its fences, reads, edits and renders values, and the
registry that lists them in the order a file's first line is tried (registry.py). The YAML
readers it uses (fastyaml.py, skim.py) and what TOML and JSON share (splicing.py) are here too.

Adding a format: its module here, with a class that implements `FrontMatterFormat`, and its
entry in `registry.FORMATS`."""
