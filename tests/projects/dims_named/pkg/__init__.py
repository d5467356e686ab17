"""A package whose model is exported by a script elsewhere."""
