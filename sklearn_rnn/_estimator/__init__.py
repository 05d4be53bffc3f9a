"""The estimators: their shared fit and predict, the classifier and the
regressor, and what they read of X, y and their parameters."""
