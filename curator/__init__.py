"""Curator: review and edit a folder of front-matter articles."""

from importlib import metadata

try:
    __version__ = metadata.version("curator")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"
