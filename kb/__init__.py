"""retro-kb: a knowledge base for project retrospectives, lessons learned, risk cases and SOPs."""

__version__ = "0.1.0"
