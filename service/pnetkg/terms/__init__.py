"""The names every layer shares: the graph's IRIs, prefixes, media types and evidence scale.

Nothing here imports another part of the package, so every layer may import it.
"""
