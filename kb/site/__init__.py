"""The published site: a MkDocs plugin over pure page generation."""
