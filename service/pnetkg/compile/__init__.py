"""Curated objects -> RDF, checks (SHACL, QC queries, reasoner), dumps."""
