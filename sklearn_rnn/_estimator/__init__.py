"""The estimators: their shared fit and predict, the classifier and the
regressor, what they read of X and y, and the "auto" rules of their
parameters."""
