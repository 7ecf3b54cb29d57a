"""The Flask application: pages, search and the SPARQL endpoint."""
