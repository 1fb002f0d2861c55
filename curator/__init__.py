"""Curator: review and edit a folder of front-matter articles."""

from importlib import metadata

#: The user's guide (Help › About links to it).
README_URL = "https://github.com/curator-app/curator#readme"

try:
    __version__ = metadata.version("curator")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"
