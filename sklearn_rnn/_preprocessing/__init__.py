"""The sequence transformers: padding, scaling, imputing, long format."""
