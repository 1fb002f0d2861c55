"""What the site says: its profile (markers, publish rule, content files, taxonomy location),
its root (config, local URLs), its taxonomy and topics, and an article read as the site reads it
(Summary). Builds on `document`; knows no open folder."""
