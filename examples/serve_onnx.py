"""Serve the Fashion-MNIST classifier in models/ with ONNX Runtime."""
import numpy as np
import onnxruntime as ort

session = ort.InferenceSession("models/fashion_mlp.onnx", providers=["CPUExecutionProvider"])
inputs = np.load("data/fashion-mnist-test/inputs.npy")

predictions = []
for row in inputs:
    logits = session.run(None, {"image": row[None, :]})[0]
    predictions.append(int(logits.argmax()))
print(predictions[:10])
