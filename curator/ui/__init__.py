"""Qt widgets and models over curator.core."""
