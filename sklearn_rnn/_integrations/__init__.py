"""What connects the estimators to other tools: ONNX export, plotting and the
shared body of the sktime and aeon adapters."""
