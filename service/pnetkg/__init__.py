"""pnet-kg: a knowledge graph of pancreatic neuroendocrine tumours."""

__version__ = "0.1.0"
