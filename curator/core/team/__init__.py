"""Team mode over the user's own git: status, commits of exactly the files named, pull and push,
and commit messages made from what the files change. Builds on `folder`."""
