"""Read and validate the curated files into plain objects."""
